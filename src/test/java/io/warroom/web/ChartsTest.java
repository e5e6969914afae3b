package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The charts are never wrong (issue 16 item 4, issue 18 item 4): a backfilled order lands in its
 * own hour and never in the current one, a restarted server's figures are never drawn over the
 * chart data of the one before, the hourly chart shows the period's last day once it has ended,
 * and the cumulative chart draws the previous period's curve aligned by elapsed time. Reads what
 * each uPlot chart draws (its data arrays).
 */
@ExtendWith(VertxExtension.class)
class ChartsTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 15, 42, 30, 0, SeedPlan.ZONE);
  static final ZonedDateTime TODAY = NOW.toLocalDate().atStartOfDay(SeedPlan.ZONE);
  static final Duration LOAD = Duration.ofSeconds(10);

  static Browser b;
  TestApp app;

  @BeforeAll
  static void browser() {
    b = Browser.start(1366, 768);
  }

  @AfterAll
  static void closeBrowser() {
    if (b != null) b.close();
  }

  @AfterEach
  void stopServer() {
    b.leave(app);
  }

  private void load(String query) {
    b.open(Dash.url(app, query));
    b.waitFor(LOAD, () -> "live".equals(b.attr("[data-field=conn]", "data-state"))
        && "ready".equals(b.attr("[data-id=hourly]", "data-state"))
        && "ready".equals(b.attr("[data-id=cumulative]", "data-state")), () -> b.attr("[data-id=hourly]", "data-state"));
  }

  /** The hourly chart's bars (today, 24 values) as drawn, "null" where none. */
  private static List<String> bars() {
    return strings(b.script("return document.querySelector('[data-id=hourly] .chart').uplot.data[1]"));
  }

  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) list) out.add(o == null ? "null" : new BigDecimal(o.toString()).stripTrailingZeros().toPlainString());
    return out;
  }

  /** 24 bars: 0 before the current hour (15), the given ones, null after it. */
  private static List<String> expectedBars(Map<Integer, String> values) {
    List<String> out = new ArrayList<>();
    for (int h = 0; h < 24; h++) out.add(values.containsKey(h) ? values.get(h) : h <= NOW.getHour() ? "0" : "null");
    return out;
  }

  private static void ingest(TestApp app, JsonObject... orders) {
    JsonArray all = new JsonArray();
    for (JsonObject o : orders) all.add(o.copy().put("type", "order"));
    Dash.ingest(app, "/api/v1/events", all.encode());
  }

  @Test
  void aBackfilledOrderLandsInItsOwnHourAndNeverInTheCurrentOne(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    ingest(app, WallTest.order("a", TODAY.plusHours(10).plusMinutes(5), "100.00"),
        WallTest.order("b", TODAY.plusHours(15).plusMinutes(30), "50.00"));
    load("?lang=en");
    List<String> before = expectedBars(Map.of(10, "100", 15, "50"));
    b.waitFor(LOAD, () -> before.equals(bars()), () -> bars().toString());

    ingest(app, WallTest.order("c", TODAY.plusHours(9).plusMinutes(20), "30.00"));
    List<String> after = expectedBars(Map.of(9, "30", 10, "100", 15, "50"));
    long deadline = System.nanoTime() + LOAD.toNanos();
    List<String> seen = bars();
    while (!after.equals(seen)) {
      // the current hour keeps its 50 throughout: the chart waits for the refetched hours
      assertTrue(seen.equals(before), "drawn meanwhile: " + seen);
      assertTrue(System.nanoTime() < deadline, "never redrawn: " + seen);
      seen = bars();
    }
    // the cumulative line ends at the campaign's revenue now
    Object last = b.script("const d = document.querySelector('[data-id=cumulative] .chart').uplot.data;"
        + " const a = d[1].filter((v) => v != null); return a[a.length - 1];");
    assertEquals("180", strings(List.of(last)).get(0));
    assertEquals(List.of(), Dash.consoleErrors(b, app));
  }

  @Test
  void afterARestartTheChartsShowTheNewServersHoursNeverMixedWithTheOldOnes(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    int port = app.port;
    ingest(app, WallTest.order("a", TODAY.plusHours(10).plusMinutes(5), "100.00"),
        WallTest.order("b", TODAY.plusHours(15).plusMinutes(30), "50.00"));
    load("?lang=en");
    List<String> before = expectedBars(Map.of(10, "100", 15, "50"));
    b.waitFor(LOAD, () -> before.equals(bars()), () -> bars().toString());

    app.close();
    app = null;
    // the same address, other figures (an in-memory store starts empty): 70.00 at 11:00
    app = TestApp.deploy(vertx, Config.from(Map.of(Config.HTTP_PORT, String.valueOf(port), Config.HTTP_HOST, "127.0.0.1"),
        new String[0]), PLAN, new MutableClock(NOW.toInstant()));
    ingest(app, WallTest.order("n", TODAY.plusHours(11), "70.00"));
    List<String> after = expectedBars(Map.of(11, "70"));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<String> seen = bars();
    while (!after.equals(seen)) {
      assertTrue(seen.equals(before), "drawn meanwhile: " + seen);
      assertTrue(System.nanoTime() < deadline, "never redrawn: " + seen);
      seen = bars();
    }
    b.waitFor(LOAD, () -> "live".equals(b.attr("[data-field=conn]", "data-state")), () -> b.attr("[data-field=conn]", "data-state"));
  }

  @Test
  void afterThePeriodsEndTheHourlyChartShowsItsLastDayAgainstTheDayBefore(Vertx vertx) {
    ZonedDateTime after = ZonedDateTime.of(2026, 12, 1, 0, 1, 0, 0, SeedPlan.ZONE);
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(after.toInstant()));
    ingest(app, WallTest.order("a", ZonedDateTime.of(2026, 11, 30, 21, 10, 0, 0, SeedPlan.ZONE), "70.00"),
        WallTest.order("b", ZonedDateTime.of(2026, 11, 29, 8, 30, 0, 0, SeedPlan.ZONE), "40.00"));
    load("?lang=en");
    List<String> last = new ArrayList<>();
    List<String> dayBefore = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      last.add(h == 21 ? "70" : "0");
      dayBefore.add(h == 8 ? "40" : "0");
    }
    b.waitFor(LOAD, () -> last.equals(bars()), () -> bars().toString());
    assertEquals(dayBefore, strings(b.script("return document.querySelector('[data-id=hourly] .chart').uplot.data[2]")));
    assertEquals("Nov 30", b.text("[data-id=hourly] [data-field=dayKey]"));
    assertEquals("Nov 29", b.text("[data-id=hourly] [data-field=dayBeforeKey]"));
    // the revenue panel names the same last day, not a "today" after the period with nothing in it
    assertEquals("Nov 30", b.text("[data-id=hero] [data-field=todayKey]"));
    assertEquals("¥70", b.text("[data-id=hero] [data-field=today]"));
    b.find("button[data-lang=zh-CN]").click();
    b.waitFor(LOAD, () -> "11月30日".equals(b.text("[data-id=hourly] [data-field=dayKey]")),
        () -> b.text("[data-id=hourly] [data-field=dayKey]"));
    assertEquals("11月30日", b.text("[data-id=hero] [data-field=todayKey]"));
    assertEquals(List.of(), Dash.consoleErrors(b, app));
  }

  @Test
  void theCumulativeChartDrawsThePreviousPeriodAlignedByElapsedTime(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    // October: 200.00 in the 37th hour (Oct 2 12:xx), 300.00 on Oct 20 08:xx (hour 464)
    ingest(app, WallTest.order("p1", ZonedDateTime.of(2026, 10, 2, 12, 15, 0, 0, SeedPlan.ZONE), "200.00"),
        WallTest.order("p2", ZonedDateTime.of(2026, 10, 20, 8, 59, 0, 0, SeedPlan.ZONE), "300.00"),
        WallTest.order("now", NOW.minusMinutes(3), "10.00"));
    load("?lang=en");
    long start = PLAN.startMillis() / 1000;
    @SuppressWarnings("unchecked")
    Map<String, Object> at = (Map<String, Object>) b.script("""
        const d = document.querySelector('[data-id=cumulative] .chart').uplot.data;
        const v = (s) => { const i = d[0].indexOf(arguments[0] + s * 3600); return i < 0 ? 'absent' : d[4][i]; };
        return { h36: v(36), h37: v(37), h464: v(464), h465: v(465), h720: v(720), n: d[0].length };""", start);
    assertEquals("0", strings(List.of(at.get("h36"))).get(0), at.toString());
    assertEquals("200", strings(List.of(at.get("h37"))).get(0), at.toString());
    assertEquals("200", strings(List.of(at.get("h464"))).get(0), at.toString());
    assertEquals("500", strings(List.of(at.get("h465"))).get(0), at.toString());
    assertEquals("500", strings(List.of(at.get("h720"))).get(0), at.toString());
    assertEquals(null, b.attr("[data-id=cumulative] [data-field=previousKey]", "hidden"));
    assertEquals("Last period", b.text("[data-id=cumulative] [data-field=previousKey]"));
    b.find("button[data-lang=zh-CN]").click();
    b.waitFor(LOAD, () -> "上期".equals(b.text("[data-id=cumulative] [data-field=previousKey]")),
        () -> b.text("[data-id=cumulative] [data-field=previousKey]"));
    assertEquals(List.of(), Dash.consoleErrors(b, app));
  }
}
