package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonObject;
import io.warroom.Config;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.plan.SeedPlan;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole wall at 1920x1080 in TV mode, fed a realistic month (about 30,000 records) through the
 * API and a live trickle, with alerts on the stream. Checks the figures the page shows against the
 * data set's own totals and that the console stays clean, then saves a screenshot to
 * target/dashboard.png, and to the path in -Dwarroom.screenshot when given (the README's picture:
 * {@code mvn -q test -Dtest=DashboardScreenshotTest -Dwarroom.screenshot=docs/dashboard.png}; add
 * {@code -Dwarroom.screenshot.lang=zh-CN} for the Chinese wall).
 */
class DashboardScreenshotTest {
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 15, 42, 0, 0, SeedPlan.ZONE);
  static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void aRealisticMonthFillsTheWallWithExactFiguresAndNoConsoleErrors() throws IOException {
    MutableClock clock = new MutableClock(NOW.toInstant());
    MonthData month = MonthData.generate(20261118L, NOW);
    try (TestApp app = TestApp.start(Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), clock);
        Browser b = Browser.start(1920, 1080)) {
      Dash.ingest(app, month.records);
      String lang = System.getProperty("warroom.screenshot.lang", "en");
      b.open(Dash.url(app, "?tv=1&lang=" + lang));
      b.waitFor(WAIT, () -> "live".equals(b.attr("[data-field=conn]", "data-state")),
          () -> b.attr("[data-field=conn]", "data-state"));

      // a live feed for a dozen seconds, the clock running with it
      for (int s = 0; s < 12; s++) {
        clock.advance(Duration.ofSeconds(1));
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), SeedPlan.ZONE);
        List<ObjectNode> more = month.trickle(now, s);
        Dash.ingest(app, more);
        sleep(1000);
      }
      alerts(app, app.kpis().getJsonObject("windows"));

      BigDecimal net = MonthData.money(month.revenueCents());
      String revenue = lang.equals("zh-CN") ? Dash.wan(net) : Dash.yuan(net);
      b.waitFor(WAIT, () -> revenue.equals(b.text("[data-id=hero] [data-field=value]")),
          () -> b.text("[data-id=hero] [data-field=value]") + " != " + revenue);
      BigDecimal tmallCents = MonthData.money(month.channelCents.get("tmall"));
      String tmall = lang.equals("zh-CN") ? Dash.wan(tmallCents) : Dash.yuan(tmallCents, 0);
      assertEquals(tmall, b.text("[data-id=channels] tr[data-key=tmall] [data-field=revenue]"));
      String accepted = Dash.decimal(BigDecimal.valueOf(month.records.size()), 0);
      b.waitFor(WAIT, () -> accepted.equals(b.text("[data-id=health] [data-field=held]")),
          () -> b.text("[data-id=health] [data-field=held]") + " != " + accepted);
      assertTrue(b.attr("[data-id=alerts]", "data-level").equals("critical"));
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

  /**
   * A critical and a warning alert firing, one pending and one resolved, shaped as CONTRACT 7, with
   * the values the windows hold now.
   */
  private static void alerts(TestApp app, JsonObject windows) {
    double conversion1h = windows.getJsonObject("last1h").getDouble("conversion");
    double conversion15m = windows.getJsonObject("last15m").getDouble("conversion");
    double nps = windows.getJsonObject("campaign").getDouble("nps");
    Dash.publishAlert(app, alert("aov-low", "aov", "last1h", "warning", "resolved", 281.4, 270.0,
        NOW.minusMinutes(95), NOW.minusMinutes(41), "Average order value is back above 270"));
    Dash.publishAlert(app, alert("nps-low", "nps", "campaign", "warning", "firing", nps, 58.5,
        NOW.minusHours(5).minusMinutes(12), null, "NPS of the campaign is below 58.5"));
    Dash.publishAlert(app, alert("conversion-low", "conversion", "last1h", "critical", "firing",
        conversion1h, 0.024, NOW.minusMinutes(17), null,
        "Conversion of the last hour is below 2.4 % for 5 minutes"));
    Dash.publishAlert(app, alert("conversion-low-15m", "conversion", "last15m", "warning", "pending",
        conversion15m, 0.027, NOW.minusMinutes(2), null, "Conversion of the last 15 minutes is below 2.7 %"));
  }

  static JsonObject alert(String rule, String kpi, String window, String severity, String state,
      double value, double threshold, ZonedDateTime since, ZonedDateTime resolvedAt, String message) {
    return new JsonObject().put("id", rule + "@" + since.toInstant().toEpochMilli()).put("rule", rule)
        .put("kpi", kpi).put("window", window).put("severity", severity).put("state", state)
        .put("value", value).put("threshold", threshold).put("since", since.toInstant().toString())
        .put("resolvedAt", resolvedAt == null ? null : resolvedAt.toInstant().toString())
        .put("message", message);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
