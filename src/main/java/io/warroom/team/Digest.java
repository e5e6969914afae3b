package io.warroom.team;

import static io.warroom.notify.Words.pick;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.alert.Alert;
import io.warroom.alert.AlertMessage;
import io.warroom.alert.Route;
import io.warroom.notify.Message;
import io.warroom.notify.Words;
import io.warroom.plan.Plan;
import io.warroom.plan.Plan.Milestone;
import io.warroom.plan.Plan.Team;
import io.warroom.plan.Plan.Week;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A team's weekly digest (CONTRACT section 14): the plan's KPIs with their change against the
 * previous period, the current week with its milestones, and the active alerts the team owns;
 * as JSON and as a message in the plan's language.
 */
public final class Digest {
  private Digest() {}

  /**
   * The digest of {@code team} at {@code now}, from the snapshot's {@code kpis} (and {@code phases}
   * when it has them) and the active alerts.
   */
  public static JsonObject of(Plan plan, Team team, long now, JsonObject snapshot, List<Alert> active,
      String publicUrl, String format) {
    String lang = plan.language();
    JsonArray kpis = new JsonArray();
    List<String> lines = new ArrayList<>();
    lines.add(pick(lang, "关键指标：", "KPIs:"));
    JsonArray snap = snapshot.getJsonArray("kpis", new JsonArray());
    for (int i = 0; i < snap.size(); i++) {
      JsonObject k = snap.getJsonObject(i);
      String id = k.getString("id");
      BigDecimal value = decimal(k.getValue("value"));
      BigDecimal target = decimal(k.getValue("target"));
      BigDecimal change = decimal(k.getValue("change"));
      kpis.add(new JsonObject().put("id", id).put("value", k.getValue("value"))
          .put("target", k.getValue("target")).put("status", k.getString("status"))
          .put("previous", k.getValue("previous")).put("change", k.getValue("change")));
      String name = Words.kpi(id, plan, lang);
      String[] figures = Words.values(id, value, target, plan);
      lines.add("· " + name + " " + figures[0]
          + (target == null ? "" : " / " + pick(lang, "目标 ", "target ") + figures[1])
          + status(k.getString("status"), lang)
          + pick(lang, "，较上期 ", ", vs previous period ")
          + (change == null ? pick(lang, "暂无", "n/a") : Words.change(change)));
    }
    List<Integer> milestones = new ArrayList<>();
    JsonObject phase = phase(plan, now, snapshot, lang, lines, milestones);
    JsonArray alerts = new JsonArray();
    List<Integer> spare = new ArrayList<>();
    lines.add(pick(lang, "进行中的告警：", "Active alerts:"));
    for (Alert a : active) {
      if (!team.id().equals(a.owner())) continue;
      alerts.add(a.toJson());
      Message m = AlertMessage.of(a, plan, null);
      String[] figures = Words.values(a.kpi(), a.value(), a.threshold(), plan);
      spare.add(0, lines.size());
      lines.add("· " + m.title() + " " + figures[0]
          + pick(lang, "（阈值 " + figures[1] + "）", " (threshold " + figures[1] + ")"));
    }
    if (alerts.isEmpty()) lines.add(pick(lang, "· 无", "· none"));
    // Past a platform's limit the last alerts go first, then the last milestones; KPIs stay.
    for (int i = milestones.size() - 1; i >= 0; i--) spare.add(milestones.get(i));
    String name = team.name() != null ? team.name().in(lang) : team.id();
    String title = pick(lang, name + " · 周报（" + Words.time(now, plan) + "）",
        name + " · weekly digest (" + Words.time(now, plan) + ")");
    Message m = new Message(title, lines, AlertMessage.link(publicUrl, team.id()),
        pick(lang, "打开作战室", "Open the war room"), spare);
    return new JsonObject().put("team", team.id()).put("at", Instant.ofEpochMilli(now).toString())
        .put("kpis", kpis).put("phase", phase).put("alerts", alerts)
        .put("text", m.text(format == null ? "json" : format))
        .put("message", new JsonObject().put("title", m.title()).put("lines", new JsonArray(m.lines()))
            .put("link", m.link()).put("linkText", m.linkText()).put("spare", new JsonArray(spare)));
  }

  /** The message of a digest made by {@link #of}. */
  public static Message message(JsonObject digest) {
    JsonObject m = digest.getJsonObject("message");
    List<String> lines = new ArrayList<>();
    for (Object o : m.getJsonArray("lines")) lines.add((String) o);
    List<Integer> spare = new ArrayList<>();
    for (Object o : m.getJsonArray("spare", new JsonArray())) spare.add(((Number) o).intValue());
    return new Message(m.getString("title"), lines, m.getString("link"), m.getString("linkText"), spare);
  }

  private static String status(String s, String lang) {
    if (s == null) return "";
    String w = switch (s) {
      case "ok" -> pick(lang, "正常", "on track");
      case "warning" -> pick(lang, "预警", "warning");
      case "critical" -> pick(lang, "落后", "critical");
      default -> s;
    };
    return pick(lang, "（" + w + "）", " (" + w + ")");
  }

  /** The week holding {@code now}, with its milestones (and their statuses when measured). */
  private static JsonObject phase(Plan plan, long now, JsonObject snapshot, String lang,
      List<String> lines, List<Integer> milestoneLines) {
    LocalDate today = Instant.ofEpochMilli(now).atZone(plan.timezone()).toLocalDate();
    for (int n = 1; n <= plan.weeks().size(); n++) {
      Week w = plan.weeks().get(n - 1);
      if (today.isBefore(w.start()) || !today.isBefore(w.end())) continue;
      JsonObject measured = null;
      JsonArray phases = snapshot.getJsonArray("phases");
      if (phases != null) {
        for (int i = 0; i < phases.size(); i++) {
          if (phases.getJsonObject(i).getInteger("n", -1) == n) measured = phases.getJsonObject(i);
        }
      }
      JsonArray ms = new JsonArray();
      String owner = w.owner() == null ? "" : " · " + w.owner().in(lang);
      lines.add(pick(lang, "本周：第" + n + "周 " + w.start() + " 至 " + w.end().minusDays(1),
          "This week: week " + n + ", " + w.start() + " to " + w.end().minusDays(1)) + owner);
      if (!w.activities().isEmpty()) {
        List<String> named = new ArrayList<>();
        for (var a : w.activities()) named.add(a.in(lang));
        lines.add(pick(lang, "· 活动：", "· Activities: ") + String.join(pick(lang, "、", "; "), named));
      }
      for (int i = 0; i < w.milestones().size(); i++) {
        Milestone m = w.milestones().get(i);
        JsonObject seen = new JsonObject();
        if (measured != null && measured.getJsonArray("milestones") != null
            && i < measured.getJsonArray("milestones").size()) {
          seen = measured.getJsonArray("milestones").getJsonObject(i);
        }
        String status = seen.getString("status");
        JsonObject out = new JsonObject().put("text", Route.json(m.text())).put("metric", m.metric());
        String figures = "";
        if (m.metric() != null) {
          out.put("value", seen.getValue("value")).put("goal", seen.getValue("goal"));
          String[] v = Words.values(m.metric(), decimal(seen.getValue("value")),
              decimal(seen.getValue("goal")), plan);
          figures = v[0] + " / " + pick(lang, "目标 ", "goal ") + v[1];
        }
        ms.add(out.put("status", status));
        String said = status == null ? figures
            : pick(lang, statusZh(status), status) + (figures.isEmpty() ? "" : pick(lang, "，", ", ") + figures);
        milestoneLines.add(lines.size());
        lines.add(pick(lang, "· 里程碑：", "· Milestone: ") + m.text().in(lang)
            + (said.isEmpty() ? "" : pick(lang, "（" + said + "）", " (" + said + ")")));
      }
      JsonArray acts = new JsonArray();
      w.activities().forEach(t -> acts.add(Route.json(t)));
      return new JsonObject().put("n", n).put("start", w.start().toString())
          .put("end", w.end().toString()).put("owner", Route.json(w.owner()))
          .put("activities", acts).put("milestones", ms);
    }
    lines.add(pick(lang, "本周：不在计划周内", "This week: outside the plan's weeks"));
    return null;
  }

  private static BigDecimal decimal(Object v) {
    if (v == null) return null;
    if (v instanceof BigDecimal b) return b;
    return new BigDecimal(v.toString());
  }

  /** A milestone status (CONTRACT section 10) as the Chinese digest says it. */
  static String statusZh(String status) {
    return switch (status) {
      case "pending" -> "未开始";
      case "on-track" -> "进行中·达标";
      case "behind" -> "进行中·落后";
      case "met" -> "已达成";
      case "missed" -> "未达成";
      case "open" -> "待确认";
      case "done" -> "已完成";
      default -> status;
    };
  }
}
