package io.warroom.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warroom.plan.Plan.Hook;
import io.warroom.plan.Plan.Team;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A team's webhook URL is a secret (a WeCom or DingTalk robot's key, a Feishu or Slack hook path):
 * whoever holds it can post into the team's chat. The plan is shown to every viewer with each URL
 * hidden, {@code https://host/***#<8 hex of its SHA-256>}, and each signing secret as
 * {@code ***#<8 hex>}; a plan put back with a hidden URL or secret keeps the stored one it names,
 * so an editor that never saw them does not lose them.
 */
public final class HiddenHooks {
  private static final String MARK = "/***#";

  private HiddenHooks() {}

  /** What viewers see of a webhook URL. */
  public static String hide(String url) {
    URI u = URI.create(url);
    String host = u.getRawAuthority() == null ? "" : u.getRawAuthority();
    int at = host.lastIndexOf('@');
    if (at >= 0) host = host.substring(at + 1);
    return u.getScheme() + "://" + host + MARK + fingerprint(url);
  }

  static boolean hidden(String url) {
    return url.contains(MARK);
  }

  /** What viewers see of a signing secret. */
  public static String hideSecret(String secret) {
    return "***#" + fingerprint(secret);
  }

  static boolean hiddenSecret(String secret) {
    return secret != null && secret.matches("\\*\\*\\*#[0-9a-f]{8}");
  }

  /** The plan's JSON as viewers get it: every webhook URL hidden. */
  public static ObjectNode publicJson(Plan plan) {
    ObjectNode o = PlanParser.toJson(plan);
    JsonNode teams = o.get("teams");
    if (teams != null) {
      for (JsonNode t : teams) {
        for (JsonNode h : t.path("webhooks")) {
          ((ObjectNode) h).put("url", hide(h.get("url").asText()));
          if (h.hasNonNull("secret")) ((ObjectNode) h).put("secret", hideSecret(h.get("secret").asText()));
        }
      }
    }
    return o;
  }

  /**
   * The plan with each hidden URL replaced by the stored one it names (from {@code stored}, the
   * plans this one replaces); a hidden URL that names none is refused at its field.
   */
  public static Plan keepStored(Plan plan, List<Plan> stored) {
    boolean any = plan.teams().stream().flatMap(t -> t.webhooks().stream())
        .anyMatch(h -> hidden(h.url()) || hiddenSecret(h.secret()));
    if (!any) return plan;
    Map<String, String> known = new HashMap<>();
    Map<String, String> secrets = new HashMap<>();
    for (Plan p : stored) {
      if (p == null) continue;
      for (Team t : p.teams()) {
        for (Hook h : t.webhooks()) {
          known.put(hide(h.url()), h.url());
          if (h.secret() != null) secrets.put(hideSecret(h.secret()), h.secret());
        }
      }
    }
    List<Team> teams = new ArrayList<>();
    for (int i = 0; i < plan.teams().size(); i++) {
      Team t = plan.teams().get(i);
      List<Hook> hooks = new ArrayList<>();
      for (int j = 0; j < t.webhooks().size(); j++) {
        Hook h = t.webhooks().get(j);
        String field = "teams[" + i + "].webhooks[" + j + "]";
        String url = hidden(h.url()) ? known.get(h.url()) : h.url();
        if (url == null) {
          throw new PlanException(field + ".url", "is a hidden URL that matches no stored webhook: "
              + "give the whole URL", "是隐藏的网址，与已保存的 webhook 都不匹配：请填写完整网址");
        }
        String secret = hiddenSecret(h.secret()) ? secrets.get(h.secret()) : h.secret();
        if (secret == null && h.secret() != null) {
          throw new PlanException(field + ".secret", "is a hidden secret that matches no stored "
              + "webhook: give the whole secret", "是隐藏的密钥，与已保存的 webhook 都不匹配：请填写完整密钥");
        }
        hooks.add(new Hook(url, h.format(), secret));
      }
      teams.add(new Team(t.id(), t.name(), t.duties(), t.meeting(), t.schedule(), List.copyOf(hooks),
          t.digestLeadMinutes()));
    }
    return plan.toBuilder().teams(List.copyOf(teams)).build();
  }

  private static String fingerprint(String url) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
