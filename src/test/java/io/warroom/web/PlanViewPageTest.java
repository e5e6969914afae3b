package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.Plan.Milestone;
import io.warroom.plan.Plan.Risk;
import io.warroom.plan.Plan.Team;
import io.warroom.plan.Plan.Week;
import io.warroom.plan.SeedPlan;
import io.warroom.plan.Text;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plan page (CONTRACT section 9) shows the whole seed plan in the page's language: each week's
 * dates, every activity, every milestone with a measured one's goal, and the owner; the budget
 * lines; the risks with impact and response; the teams with duties and weekly meeting. Every text
 * expected here is computed from {@link SeedPlan}, not copied from the page.
 */
@ExtendWith(VertxExtension.class)
class PlanViewPageTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 15, 0, 0, 0, SeedPlan.ZONE);
  static final Duration LOAD = Duration.ofSeconds(10);
  static final List<String> LANGS = List.of("zh-CN", "en");

  /** Per row of a table's body, each cell's text. */
  @SuppressWarnings("unchecked")
  static List<List<String>> cells(Browser b, String table) {
    return (List<List<String>>) b.script("return [...document.querySelectorAll(arguments[0] + ' tbody tr')]"
        + ".map((tr) => [...tr.cells].map((td) => td.textContent.trim()))", table);
  }

  /** Per team row: name, duties, the meeting's time and the schedule's wording ("" when none). */
  @SuppressWarnings("unchecked")
  static List<List<String>> teamRows(Browser b) {
    return (List<List<String>>) b.script("""
        const of = (tr, css) => tr.querySelector(css)?.textContent.trim() ?? '';
        return [...document.querySelectorAll('#teams tbody tr')].map((tr) => [tr.cells[0].textContent.trim(),
          tr.cells[1].textContent.trim(), of(tr, '.meeting'), of(tr, '.schedule')]);""");
  }

  @SuppressWarnings("unchecked")
  static List<String> texts(Browser b, String css) {
    return (List<String>) b.script(
        "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent.trim())", css);
  }

  static List<String> in(List<Text> texts, String lang) {
    return texts.stream().map(x -> x.in(lang)).toList();
  }

  /** "11月1日" / "Nov 1", as the dashboard's phases widget writes a day. */
  static String day(LocalDate d, String lang) {
    return lang.equals("zh-CN") ? d.getMonthValue() + "月" + d.getDayOfMonth() + "日"
        : d.format(DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH));
  }

  /** ¥1,500,000 / ¥150万: an amount of whole yuan (whole 万 in Chinese). */
  static String money(BigDecimal yuan, String lang) {
    if (lang.equals("zh-CN") && yuan.compareTo(BigDecimal.valueOf(10_000)) >= 0) {
      BigDecimal wan = yuan.movePointLeft(4);
      return "¥" + (wan.stripTrailingZeros().scale() <= 0 ? Dash.decimal(wan, 0) : Dash.decimal(wan, 2)) + "万";
    }
    return Dash.yuan(yuan, 0);
  }

  /** A measured milestone's goal as the page writes it (the seed's kinds of metric). */
  static String goal(Milestone m, String lang) {
    String head = lang.equals("zh-CN") ? "目标：" : "Goal: ";
    String op = Map.of(">=", "≥", "<=", "≤").getOrDefault(m.op(), m.op());
    if (m.growth() != null) {
      String p = Dash.decimal(m.growth().movePointRight(2), 0) + "%";
      return lang.equals("zh-CN") ? head + "较上期增长 " + op + " " + p : head + "growth on last period " + op + " " + p;
    }
    String v = switch (m.metric()) {
      case "conversion" -> Dash.decimal(m.goal().movePointRight(2), 2) + "%";
      case "revenue" -> money(m.goal(), lang);
      default -> {
        if (!m.metric().startsWith("counter:")) throw new IllegalStateException("no format for " + m.metric());
        yield Dash.decimal(m.goal(), 0);
      }
    };
    return head + op + " " + v;
  }

  @Test
  void thePlanPageShowsTheWholeSeedPlanInBothLanguages(Vertx vertx) {
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
        Browser b = Browser.start(1280, 900)) {
      for (String lang : LANGS) {
        b.open(Dash.url(app, "plan-view.html?lang=" + lang));
        b.waitFor(LOAD, () -> "true".equals(b.attr("body", "data-ready")), () -> b.text("body"));

        // the weeks: "第 1 周" and its first and last day (the week's end is exclusive)
        List<String> heads = new ArrayList<>();
        List<String> dates = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < PLAN.weeks().size(); i++) {
          Week w = PLAN.weeks().get(i);
          heads.add(lang.equals("zh-CN") ? "第 " + (i + 1) + " 周" : "Week " + (i + 1));
          dates.add(day(w.start(), lang) + " – " + day(w.end().minusDays(1), lang));
          owners.add(w.owner().in(lang));
        }
        assertEquals(heads, texts(b, "#phases tbody .week-n"));
        assertEquals(dates, texts(b, "#phases tbody .week-dates"));
        assertEquals(owners, cells(b, "#phases").stream().map(r -> r.get(3)).toList());
        for (int i = 0; i < PLAN.weeks().size(); i++) {
          Week w = PLAN.weeks().get(i);
          String row = "#phases tbody tr[data-week='" + (i + 1) + "'] ";
          assertEquals(in(w.activities(), lang), texts(b, row + ".activities li"), "week " + (i + 1));
          assertEquals(w.milestones().stream().map(m -> m.text().in(lang)).toList(),
              texts(b, row + ".milestones .ms-text"), "week " + (i + 1));
          assertEquals(w.milestones().stream().filter(Milestone::measured).map(m -> goal(m, lang)).toList(),
              texts(b, row + ".milestones .ms-goal"), "week " + (i + 1));
        }
        // week 1 as the document writes it
        assertEquals(lang.equals("zh-CN") ? List.of("市场调研报告出稿", "促销方案敲定", "线上渠道准备")
            : List.of("Market research report drafted", "Promotion plan finalised", "Online channels prepared"),
            texts(b, "#phases tbody tr[data-week='1'] .activities li"));

        // the KPI table as the document writes it
        List<List<String>> kpiRows = new ArrayList<>();
        for (Plan.KpiRow r : PLAN.kpiTable()) kpiRows.add(List.of(r.name().in(lang), r.goal().in(lang)));
        assertEquals(kpiRows, cells(b, "#kpis"));
        assertEquals(lang.equals("zh-CN") ? "客单价(ARPU)" : "Average order value (ARPU)",
            b.text("#kpis tr[data-kpi=aov] td:first-child"));

        // the risks, each with its impact and response in full
        List<List<String>> risks = new ArrayList<>();
        for (Risk r : PLAN.risks()) risks.add(List.of(r.text().in(lang), r.impact().in(lang), r.response().in(lang)));
        assertEquals(risks, cells(b, "#risks"));
        assertEquals(lang.equals("zh-CN") ? "设定利润保底线,采用捆绑销售提升客单价"
            : "Set a profit floor; use bundles to raise the average order value",
            b.text("#risks tr[data-risk=margin] td:last-child"));

        // the teams: name, duties, the weekly meeting ("周一 09:00" / "Mon 09:00") and the
        // document's own wording of it
        List<List<String>> teams = new ArrayList<>();
        List<String> meetings = new ArrayList<>();
        Locale locale = lang.equals("zh-CN") ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
        for (Team t : PLAN.teams()) {
          String meeting = t.meeting() == null ? ""
              : t.meeting().day().getDisplayName(TextStyle.SHORT, locale) + " " + t.meeting().time();
          teams.add(List.of(t.name().in(lang), t.duties().in(lang), meeting, t.schedule() == null ? "" : t.schedule().in(lang)));
          if (!meeting.isEmpty()) meetings.add(meeting);
        }
        assertEquals(teams, teamRows(b));
        assertEquals(meetings, texts(b, "#teams .meeting"));
        assertEquals(lang.equals("zh-CN") ? "周五 16:00" : "Fri 16:00", b.text("#teams tr[data-team=data] .meeting"));

        // the budget lines with their labels, amounts and shares, and the total
        List<List<String>> budget = new ArrayList<>();
        long total = PLAN.budgetCents().values().stream().mapToLong(Long::longValue).sum();
        PLAN.budgetCents().forEach((k, cents) -> budget.add(List.of(PLAN.budgetLabels().get(k).in(lang),
            money(BigDecimal.valueOf(cents, 2), lang),
            BigDecimal.valueOf(cents).movePointRight(2).divide(BigDecimal.valueOf(total), 0, RoundingMode.UNNECESSARY) + "%")));
        budget.add(List.of(lang.equals("zh-CN") ? "合计" : "Total", money(BigDecimal.valueOf(total, 2), lang), "100%"));
        assertEquals(budget, cells(b, "#budget"));

        assertEquals(lang.equals("zh-CN")
            ? List.of("市场分析", "关键策略", "详细执行计划（周计划）", "预算分配", "KPI 目标", "风险与应对措施", "团队分工与沟通机制", "成果评估与后续计划")
            : List.of("Market analysis", "Key strategies", "Weekly execution plan", "Budget allocation", "KPI targets",
                "Risks and responses", "Team roles and communication", "Evaluation and next steps"),
            texts(b, "section:not([hidden]) h2"));
        assertEquals(List.of(), Dash.consoleErrors(b, app));
      }
    }
  }
}
