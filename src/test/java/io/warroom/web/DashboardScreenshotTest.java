package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The whole wall at 1920x1080 in TV mode, fed a realistic month (about 30,000 records) through the
 * API and a live trickle. The month's last hour is a traffic surge that does not convert, so the
 * seed plan's own rule (conversion of the last hour under 2.4 %) fires for real: the banner, the
 * alert panel and the tiles then show what the server holds, nothing made up. Checks the figures
 * the page shows against the data set's own totals, every tile's status against the snapshot and
 * the firing alerts, and that the console stays clean, then saves a screenshot to
 * target/dashboard.png, and to the path in -Dwarroom.screenshot when given (the README's pictures:
 * {@code ./mvnw -q test -Dtest=DashboardScreenshotTest -Dwarroom.screenshot=docs/screenshots/wall-en.png};
 * add {@code -Dwarroom.screenshot.lang=zh-CN} for the Chinese wall).
 */
@ExtendWith(VertxExtension.class)
class DashboardScreenshotTest {
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 15, 42, 0, 0, SeedPlan.ZONE);
  static final Duration WAIT = Duration.ofSeconds(10);

  /** The window, 1920x1080 unless -Dwarroom.screenshot.size=WxH asks for another. */
  private static final int[] SIZE = Arrays.stream(System.getProperty("warroom.screenshot.size",
      "1920x1080").split("x")).mapToInt(Integer::parseInt).toArray();

  @Test
  void aRealisticMonthFillsTheWallWithExactFiguresRealAlertsAndNoConsoleErrors(Vertx vertx) throws IOException {
    MutableClock clock = new MutableClock(NOW.toInstant());
    MonthData month = MonthData.generate(20261118L, NOW);
    // October too, so that each tile compares with the same point of last month
    MonthData october = MonthData.monthBefore(20261031L, NOW.withDayOfMonth(1).toLocalDate().atStartOfDay(SeedPlan.ZONE));
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), clock);
        Browser b = Browser.start(SIZE[0], SIZE[1])) {
      Dash.ingest(app, october.records);
      Dash.ingest(app, month.records);
      String lang = System.getProperty("warroom.screenshot.lang", "en");
      b.open(Dash.url(app, "?tv=1&lang=" + lang));
      b.waitFor(WAIT, () -> "live".equals(b.attr("[data-field=conn]", "data-state")),
          () -> b.attr("[data-field=conn]", "data-state"));
      // the surge's conversion is under the critical line: the rule is pending from now
      b.waitFor(WAIT, () -> active(app, "conversion-low", "pending"), () -> app.get("/api/v1/alerts").bodyAsString());

      // a live feed for a dozen seconds, the clock running 30 s a second: past the rule's 5 minutes
      for (int s = 0; s < 12; s++) {
        clock.advance(Duration.ofSeconds(30));
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), SeedPlan.ZONE);
        Dash.ingest(app, month.trickle(now, s));
        Browser.settle(1000);
      }
      b.waitFor(WAIT, () -> active(app, "conversion-low", "firing"), () -> app.get("/api/v1/alerts").bodyAsString());

      BigDecimal net = MonthData.money(month.revenueCents());
      String revenue = lang.equals("zh-CN") ? Dash.wan(net) : Dash.yuan(net);
      b.waitFor(WAIT, () -> revenue.equals(b.text("[data-id=hero] [data-field=value]")),
          () -> b.text("[data-id=hero] [data-field=value]") + " != " + revenue);
      BigDecimal tmallCents = MonthData.money(month.channelCents.get("tmall"));
      String tmall = lang.equals("zh-CN") ? Dash.wan(tmallCents) : Dash.yuan(tmallCents, 0);
      assertEquals(tmall, b.text("[data-id=channels] tr[data-key=tmall] [data-field=revenue]"));
      // the records of this period the store holds (October's are the previous period's)
      String held = Dash.decimal(BigDecimal.valueOf(month.records.size()), 0);
      b.waitFor(WAIT, () -> held.equals(b.text("[data-id=health] [data-field=held]")),
          () -> b.text("[data-id=health] [data-field=held]") + " != " + held);

      // one truth: tiles at the snapshot's statuses, never below a firing alert; the banner and
      // the panel say what the firing alerts say
      b.waitFor(WAIT, () -> Dash.tileStatusMismatches(b, app).isEmpty(), () -> Dash.tileStatusMismatches(b, app));
      assertEquals("critical", Dash.kpi(app.kpis(), "conversion").getString("status"));
      List<JsonObject> critical = Dash.firing(app).stream().filter(a -> a.getString("severity").equals("critical")).toList();
      String banner = critical.size() == 1
          ? (lang.equals("zh-CN") ? "严重告警：转化率 · 近1小时" : "Critical: Conversion · last hour")
          : (lang.equals("zh-CN") ? critical.size() + " 个严重告警" : critical.size() + " critical alerts");
      b.waitFor(WAIT, () -> banner.equals(b.text("[data-field=alarm]")), () -> b.text("[data-field=alarm]") + " != " + banner);
      assertEquals(null, b.attr("[data-field=alarm]", "hidden"));
      assertEquals("critical", b.attr("[data-id=alerts]", "data-level"));
      for (JsonObject a : Dash.firing(app)) {
        assertTrue(b.driver.findElements(By.cssSelector(
            "[data-id=alerts] li[data-key='" + a.getString("id") + "'][data-severity=" + a.getString("severity") + "]")).size() == 1
            || !b.text("[data-id=alerts] [data-field=more]").isEmpty(), a.encode());
      }
      // every critical alert the banner counts is on the panel, those past the first whole row in brief
      for (JsonObject a : critical) {
        String row = "[data-id=alerts] li[data-key='" + a.getString("id") + "']";
        assertTrue(b.driver.findElement(By.cssSelector(row)).isDisplayed(), row + " shown");
        assertFalse(b.text(row + " .alert-value").isEmpty(), row + " with its value");
      }
      b.waitFor(WAIT, () -> "ready".equals(b.attr("[data-id=cumulative]", "data-state"))
          && "ready".equals(b.attr("[data-id=hourly]", "data-state")), () -> b.attr("[data-id=hourly]", "data-state"));
      assertEquals("true", String.valueOf(b.script(
          "return document.querySelectorAll('.chart canvas').length === 2"
              + " && document.querySelectorAll('.spark canvas').length === 6")));
      assertEquals(List.of(), Dash.consoleErrors(b, app));

      byte[] png = b.screenshot();
      Files.createDirectories(Path.of("target"));
      Files.write(Path.of("target", "dashboard.png"), png);
      String keep = System.getProperty("warroom.screenshot");
      if (keep != null && !keep.isBlank()) Files.write(Path.of(keep), png);
    }
  }

  /** Whether an alert of the rule is active in that state. */
  private static boolean active(TestApp app, String rule, String state) {
    return app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active").stream().map(JsonObject.class::cast)
        .anyMatch(a -> a.getString("rule").equals(rule) && a.getString("state").equals(state));
  }
}
