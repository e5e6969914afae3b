package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The phases widget in the real browser shows each milestone's status from the snapshot as
 * `data-status` (CONTRACT section 8), never a tick because a date has passed.
 */
@ExtendWith(VertxExtension.class)
class PhasesWidgetTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 15, 0, 0, 0, SeedPlan.ZONE);
  static final Duration LOAD = Duration.ofSeconds(10);
  Browser b;
  TestApp app;

  @AfterEach
  void stop() {
    if (b != null) b.close();
    if (app != null) app.close();
  }

  List<String> statuses() {
    return b.driver.findElements(By.cssSelector("[data-id=phases] .milestone")).stream()
        .map(e -> e.getDomAttribute("data-status")).toList();
  }

  @Test
  void milestonesShowTheServersStatuses(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    assertEquals(200, app.post("/api/v1/counts", "application/json", new JsonObject().put("id", "s")
        .put("ts", "2026-11-05T20:00:00+08:00").put("name", SeedPlan.LIVE_SIGNUPS).put("value", 5000).encode())
        .statusCode());
    JsonArray week3 = new JsonArray()
        .add(new JsonObject().put("type", "visit").put("id", "v").put("ts", "2026-11-16T10:00:00+08:00")
            .put("channel", "tmall").put("sessions", 100));
    for (int i = 0; i < 2; i++) {
      week3.add(new JsonObject().put("type", "order").put("id", "o" + i).put("ts", "2026-11-17T10:00:00+08:00")
          .put("customerId", "c" + i).put("amount", 100).put("channel", "tmall"));
    }
    assertEquals(200, app.post("/api/v1/events", "application/json", week3.encode()).statusCode());
    b = Browser.start(1920, 1080);
    b.open(Dash.url(app, "?lang=en"));
    // week 1's text milestone is open although its week has ended; week 2's 5,000 sign-ups are
    // met; week 3's conversion (2 %) is behind; week 4's are pending
    List<String> expected = List.of("open", "met", "behind", "pending", "pending");
    b.waitFor(LOAD, () -> expected.equals(statuses()), () -> String.valueOf(statuses()));
    assertEquals(200, app.post("/api/v1/plan/milestones", "application/json",
        "{\"week\":1,\"index\":0,\"done\":true,\"by\":\"PM\"}").statusCode());
    List<String> signed = List.of("done", "met", "behind", "pending", "pending");
    b.waitFor(LOAD, () -> signed.equals(statuses()), () -> String.valueOf(statuses()));
    b.open(Dash.url(app, "?lang=zh-CN"));
    b.waitFor(LOAD, () -> signed.equals(statuses()), () -> String.valueOf(statuses()));
    assertEquals("已达成", b.text("[data-id=phases] .phase:nth-child(2) .ms-status"));
    assertEquals("已完成", b.text("[data-id=phases] .phase:nth-child(1) .ms-status"));
    // week 4's revenue milestone names its goal whole, in 万, within its box
    assertEquals("¥200.00 ≥ ¥1,200万", b.text(WEEK4_FIGURE));
    assertEquals(Boolean.TRUE, b.script(FITS, WEEK4_FIGURE));
    b.open(Dash.url(app, "?lang=en"));
    b.waitFor(LOAD, () -> "¥200.00 ≥ ¥12M".equals(b.text(WEEK4_FIGURE)), () -> b.text(WEEK4_FIGURE));
    assertEquals(Boolean.TRUE, b.script(FITS, WEEK4_FIGURE));
  }

  /**
   * Figures just short of their targets never read as reached, anywhere on the wall: revenue
   * ¥11,999,999.99 against ¥12,000,000 (in 万 both would be ¥1,200.00万, 100.0 %, ¥0 a day) and a
   * conversion of 2.996 % against 3 %, in the hero, the tiles and the milestones.
   */
  @Test
  void figuresJustShortOfTheirTargetsNeverReadAsReached(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    JsonArray records = new JsonArray().add(new JsonObject().put("type", "visit").put("id", "v")
        .put("ts", "2026-11-17T09:00:00+08:00").put("channel", "tmall").put("sessions", 25_000));
    for (int i = 0; i < 749; i++) {
      // 748 orders of 100 and one of 11,925,199.99: 11,999,999.99 in all
      records.add(new JsonObject().put("type", "order").put("id", "o" + i)
          .put("ts", "2026-11-17T10:00:00+08:00").put("customerId", "c" + i)
          .put("amount", i == 0 ? new BigDecimal("11925199.99") : BigDecimal.valueOf(100)).put("channel", "tmall"));
    }
    var answer = app.post("/api/v1/events", "application/json", records.encode());
    assertEquals(200, answer.statusCode());
    assertEquals(750, answer.bodyAsJsonObject().getInteger("accepted"));
    b = Browser.start(1920, 1080);
    String week3 = "[data-id=phases] .phase:nth-child(3) .milestone:nth-child(1) .ms-figure";
    for (String lang : List.of("zh-CN", "en")) {
      b.open(Dash.url(app, "?lang=" + lang));
      b.waitFor(LOAD, () -> "¥11,999,999.99".equals(b.text("[data-id=hero] [data-field=value]")),
          () -> b.text("[data-id=hero] [data-field=value]"));
      boolean zh = lang.equals("zh-CN");
      assertEquals(zh ? "完成 99.9%" : "99.9%", b.text("[data-id=hero] [data-field=share]"));
      assertEquals(zh ? "目标 ¥12,000,000.00" : "of target ¥12,000,000", b.text("[data-id=hero] [data-field=target]"));
      assertEquals("¥1", b.text("[data-id=hero] [data-field=perDay]"), "a cent short over the days left");
      assertEquals("2.996%", b.text("[data-kpi=conversion] [data-field=value]"));
      assertEquals(zh ? "目标 3.000%" : "Target 3.000%", b.text("[data-kpi=conversion] [data-field=target]"));
      assertEquals("¥11,999,999.99 ≥ ¥12,000,000.00", b.text(WEEK4_FIGURE));
      assertEquals(Boolean.TRUE, b.script(FITS, WEEK4_FIGURE), "the goal is not cut");
      assertEquals("2.996% ≥ 3.000%", b.text(week3));
      // the forecast alert went pending at the start and resolved with these records: the panel
      // shows its latest transition, not an older one of the history
      assertEquals("resolved", b.attr("[data-id=alerts] li[data-key='forecast-revenue-1']", "data-state"));
    }
  }

  static final String WEEK4_FIGURE = "[data-id=phases] .phase:nth-child(4) .milestone:nth-child(1) .ms-figure";
  /** Whether the element a selector names shows its whole text (read in one script: no stale element). */
  static final String FITS = "const e = document.querySelector(arguments[0]); return e.scrollWidth <= e.clientWidth;";

  /**
   * A milestone's value and goal are short (money in units) but never look alike when they differ:
   * 11,999,999 against 12,000,000 would both round to ¥12M, and 2.996 % to 3.00 %.
   */
  @Test
  void milestoneFiguresAreShortButNeverLookMetWhenTheyAreNot(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    b = Browser.start(1280, 900);
    b.open(Dash.url(app, "?lang=en"));
    b.waitFor(LOAD, () -> statuses().size() == 5, () -> String.valueOf(statuses()));
    Object[][] cases = {
        {"revenue", 6669646.59, 12e6, "¥6.67M | ¥12M", "¥666.96万 | ¥1,200万"},
        {"revenue", 11999999, 12e6, "¥11,999,999.00 | ¥12,000,000.00", "¥11,999,999.00 | ¥12,000,000.00"},
        {"revenue", 999999, 1e6, "¥999.999k | ¥1M", "¥999,999.00 | ¥1,000,000.00"},
        {"revenue", 0, 12e6, "¥0.00 | ¥12M", "¥0.00 | ¥1,200万"},
        {"revenue", 123456789, 12e6, "¥123.46M | ¥12M", "¥1.23亿 | ¥1,200万"},
        {"aov", 302.59, 300, "¥302.59 | ¥300.00", "¥302.59 | ¥300.00"},
        {"conversion", 0.02996, 0.03, "2.996% | 3.000%", "2.996% | 3.000%"},
        {"conversion", 0.025, 0.03, "2.50% | 3.00%", "2.50% | 3.00%"},
        {"newCustomers", 10349, 17940, "10,349 | 17,940", "10,349 | 17,940"},
        // alerts: money in full, a threshold never read as crossed when it is not
        {"conversion", 0.023996, 0.024, false, "2.3996% | 2.4000%", "2.3996% | 2.4000%"},
        {"revenue", 11999960, 12e6, false, "¥11,999,960.00 | ¥12,000,000.00", "¥11,999,960.00 | ¥12,000,000.00"},
        {"revenue", 6669646.59, 12e6, false, "¥6,669,646.59 | ¥12,000,000.00", "¥666.96万 | ¥1,200.00万"},
        {"roi", 3.4, null, false, "3.40 | —", "3.40 | —"},
    };
    String js = """
        const done = arguments[arguments.length - 1];
        const cases = arguments[0];
        Promise.all([import(new URL('js/format.js', document.baseURI)),
            import(new URL('js/kpis.js', document.baseURI))]).then(([F, K]) => {
          done(['en', 'zh-CN'].map((lang) => cases.map(([id, v, g, short]) =>
              K.formatPair(F.formatter(lang, 'CNY'), id, v, g, short).join(' | '))));
        }, (e) => done(String(e)));""";
    // a row is id, value, goal[, short], en, zh
    List<List<Object>> rows = java.util.Arrays.stream(cases).map(c -> java.util.Arrays.asList(c[0], c[1],
        c[2], c.length == 6 ? c[3] : true)).toList();
    Object got = b.driver.executeAsyncScript(js, rows);
    List<String> en = java.util.Arrays.stream(cases).map(c -> (String) c[c.length - 2]).toList();
    List<String> zh = java.util.Arrays.stream(cases).map(c -> (String) c[c.length - 1]).toList();
    assertEquals(List.of(en, zh), got);
    // a table column of measured amounts keeps one precision: ¥42.00万, not a bare ¥42万
    Object cells = b.driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        import(new URL('js/format.js', document.baseURI)).then((F) => done(['en', 'zh-CN'].map((lang) =>
            [419988, 419300, 9999.4].map((v) => F.formatter(lang, 'CNY').moneyCell(v)).join(' | '))));""");
    assertEquals(List.of("¥419,988 | ¥419,300 | ¥9,999", "¥42.00万 | ¥41.93万 | ¥9,999"), cells);
  }

  @Test
  void thePlanPageShowsTheMarketAnalysisAndStrategiesInBothLanguages(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    b = Browser.start(1280, 900);
    for (String lang : List.of("zh-CN", "en")) {
      b.open(Dash.url(app, "?lang=" + lang).replaceFirst("/(\\?|$)", "/plan-view.html$1"));
      b.waitFor(LOAD, () -> b.driver.findElements(By.cssSelector("#strategies tbody tr")).size() == 6,
          () -> b.text("body"));
      List<String> strategies = b.driver.findElements(By.cssSelector("#strategies tbody tr td:first-child"))
          .stream().map(e -> e.getText()).toList();
      assertEquals(PLAN.strategies().stream().map(x -> x.text().in(lang)).toList(), strategies);
      List<String> market = b.driver.findElements(By.cssSelector("#market tbody tr td:first-child"))
          .stream().map(e -> e.getText()).toList();
      assertEquals(PLAN.market().stream().map(x -> x.dimension().in(lang)).toList(), market);
    }
  }
}
