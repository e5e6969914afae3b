package io.warroom.alert;

import static io.warroom.notify.Words.pick;

import io.warroom.alert.Alert;
import io.warroom.alert.Rule;
import io.warroom.alert.Rules;
import io.warroom.alert.Severity;
import io.warroom.alert.State;
import io.warroom.notify.Message;
import io.warroom.notify.Words;
import io.warroom.plan.Plan;
import io.warroom.plan.Plan.Risk;
import io.warroom.plan.Plan.Team;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An alert transition as people read it, in the plan's language (CONTRACT section 14). */
public final class AlertMessage {
  private AlertMessage() {}

  /** {@code publicUrl}: where the dashboard is, or null for no link. */
  public static Message of(Alert a, Plan plan, String publicUrl) {
    String lang = plan.language();
    String kpi = Words.kpi(a.kpi(), plan, lang);
    boolean forecast = a.rule().startsWith("forecast-");
    // Pace and forecast watch the same KPI on the same window: their titles say which is which.
    String what = a.rule().startsWith("pace-") ? pick(lang, kpi + "落后进度", kpi + " behind pace")
        : forecast ? pick(lang, kpi + "预测未达目标", kpi + " forecast under target")
        : kpi + (a.window() == null ? "" : pick(lang, "（", " (") + Words.window(a.window(), lang)
            + pick(lang, "）", ")"));
    String sev = a.severity() == Severity.CRITICAL ? pick(lang, "严重", "critical")
        : pick(lang, "警告", "warning");
    // An alert whose rule left the plan has not recovered: it is no longer watched.
    boolean gone = a.state() == State.RESOLVED && AlertEngine.GONE.equals(a.message());
    String state = switch (a.state()) {
      case FIRING -> pick(lang, "告警", "firing");
      case PENDING -> pick(lang, "待触发", "pending");
      case RESOLVED -> gone ? pick(lang, "停止监控", "no longer watched") : pick(lang, "已恢复", "resolved");
    };
    String title = pick(lang, "【" + sev + "·" + state + "】", "[" + sev.toUpperCase(Locale.ROOT) + " " + state
        + "] ") + what;
    String[] figures = Words.values(a.kpi(), a.value(), a.threshold(), plan);
    String value = figures[0];
    String threshold = figures[1];
    List<String> lines = new ArrayList<>();
    if (gone) {
      lines.add(pick(lang, "规则已从计划中移除；最后读数 " + value + "（" + sev + "阈值 " + threshold + "）",
          "The rule left the plan; last reading " + value + " (" + sev + " threshold " + threshold + ")"));
    } else if (a.state() == State.RESOLVED) {
      lines.add(pick(lang, "当前 " + value + "（" + sev + "阈值 " + threshold + "）",
          "Now " + value + " (" + sev + " threshold " + threshold + ")"));
    } else if (forecast) {
      lines.add(pick(lang, "按当前节奏预计收官 " + value + "，低于目标 " + threshold,
          "On course for " + value + " by the end, under the target " + threshold));
    } else {
      boolean below = below(a, plan);
      // a rule of >= or <= fires at its threshold too: "at", not "above"
      boolean at = a.value() != null && a.threshold() != null && a.value().compareTo(a.threshold()) == 0;
      lines.add(pick(lang, "当前 " + value + "，" + (at ? "达到" : below ? "低于" : "高于") + sev + "阈值 " + threshold,
          "Now " + value + ", " + (at ? "at" : below ? "below" : "above") + " the " + sev + " threshold "
              + threshold));
    }
    Team team = a.owner() == null ? null : plan.team(a.owner());
    if (a.owner() != null) {
      lines.add(pick(lang, "负责团队：", "Owner: ")
          + (team != null && team.name() != null ? team.name().in(lang) : a.owner()));
    }
    Risk risk = null;
    for (Risk r : plan.risks()) if (r.id().equals(a.risk())) risk = r;
    if (risk != null) lines.add(pick(lang, "风险：", "Risk: ") + risk.text().in(lang));
    if (a.runbook() != null) lines.add(pick(lang, "应对：", "Runbook: ") + a.runbook().in(lang));
    long at = a.state() == State.RESOLVED && a.resolvedAt() != null ? a.resolvedAt() : a.since();
    lines.add(pick(lang, (gone ? "移除于 " : a.state() == State.RESOLVED ? "恢复于 " : "开始于 "),
        (gone ? "Removed at " : a.state() == State.RESOLVED ? "Resolved at " : "Since ")) + Words.time(at, plan)
        + pick(lang, "（", " (") + plan.timezone().getId() + pick(lang, "）", ")"));
    return new Message(title, lines, link(publicUrl, null), pick(lang, "打开作战室", "Open the war room"));
  }

  /** Whether the rule fires below its threshold (else above). */
  private static boolean below(Alert a, Plan plan) {
    for (Rule r : Rules.derive(plan)) if (r.id().equals(a.rule())) return r.below();
    return a.message() != null && a.message().contains("below");
  }

  /** The dashboard's address, for a team's screen when {@code team} is given; null without one. */
  public static String link(String publicUrl, String team) {
    if (publicUrl == null) return null;
    String base = publicUrl.endsWith("/") ? publicUrl : publicUrl + "/";
    return team == null ? base : base + "?team=" + URLEncoder.encode(team, StandardCharsets.UTF_8);
  }
}
