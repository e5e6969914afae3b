package io.warroom.report;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The report lists the alerts that fired, resolved ones included, once each. */
@ExtendWith(VertxExtension.class)
public class ReportAlertsTest {
  static String orders(int from, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < from + n; i++) {
      b.append("{\"type\":\"order\",\"id\":\"o").append(i).append("\",\"ts\":\"2026-11-11T12:00:00+08:00\",")
          .append("\"customerId\":\"c").append(i).append("\",\"amount\":10,\"channel\":\"jd\"}\n");
    }
    return b.toString();
  }

  static String percent(Object share) {
    return new BigDecimal(share.toString()).movePointRight(2).setScale(2, RoundingMode.HALF_UP)
        .toPlainString() + "%";
  }

  @Test
  void firedAlertsAppearInTheReport(Vertx vertx) throws Exception {
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-11T04:00:30Z"))) {
      // Conversion 10 / 1000 = 1 % in the last hour: under the seed rule's 2.4 % critical line.
      app.post("/api/v1/events", "application/x-ndjson", orders(0, 10)
          + "{\"type\":\"visit\",\"id\":\"v1\",\"ts\":\"2026-11-11T12:00:00+08:00\",\"channel\":\"jd\",\"sessions\":1000}\n");
      Supplier<JsonArray> reported = () -> app.get("/api/v1/report").bodyAsJsonObject().getJsonArray("alerts");
      app.clock.advance(Duration.ofSeconds(1));
      eventually(() -> app.get("/api/v1/alerts").bodyAsString().contains("\"id\":\"conversion-low-1\""), 10_000,
          () -> app.get("/api/v1/alerts").bodyAsString());
      assertEquals(0, reported.get().size(), "pending is not fired");
      // (The seed plan's derived pace and forecast rules need 15 minutes: they stay pending here.)
      app.clock.advance(Duration.ofMinutes(6));
      eventually(() -> reported.get().size() == 1, 10_000, () -> app.get("/api/v1/alerts").bodyAsString());
      JsonObject a = reported.get().getJsonObject(0);
      assertEquals("conversion-low", a.getString("rule"));
      assertEquals("firing", a.getString("state"));
      // The KPI's row says which window is alerting, as its tile does.
      JsonObject conversion = app.get("/api/v1/report").bodyAsJsonObject().getJsonArray("kpis").stream()
          .map(JsonObject.class::cast).filter(k -> k.getString("id").equals("conversion")).findFirst().orElseThrow();
      assertEquals(new JsonObject().put("rule", "conversion-low").put("severity", a.getString("severity"))
          .put("window", "last1h"), conversion.getJsonObject("alert"));
      String word = a.getString("severity").equals("critical") ? "落后" : "预警";
      String cell = "<td class=\"status\">" + word + " · 近1小时</td>";
      String zh = app.get("/api/v1/report?format=html&lang=zh-CN").bodyAsString();
      assertTrue(zh.contains(cell), cell + " in " + zh);
      // Back to 3 %: resolved, and still in the report, once.
      app.post("/api/v1/orders", "application/x-ndjson", orders(10, 20).replace("\"type\":\"order\",", ""));
      app.clock.advance(Duration.ofSeconds(1));
      eventually(() -> "resolved".equals(reported.get().getJsonObject(0).getString("state")), 10_000,
          () -> app.get("/api/v1/alerts").bodyAsString());
      assertEquals(1, reported.get().size());
      assertNotNull(reported.get().getJsonObject(0).getString("resolvedAt"));
      // the runbook as GET /api/v1/alerts gives it: one text per language
      assertEquals(Set.of("zh-CN", "en"), reported.get().getJsonObject(0).getJsonObject("runbook").fieldNames());
      String csv = app.get("/api/v1/report?format=csv").bodyAsString();
      assertEquals(1, csv.lines().filter(l -> l.startsWith("alert,conversion-low,")).count(), csv);
      // The printable report names it in Chinese, with its figures as percentages and its times
      // in the plan's zone.
      JsonObject fired = reported.get().getJsonObject(0);
      DateTimeFormatter zoned = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
          .withZone(ZoneId.of("Asia/Shanghai"));
      String row = "<tr data-rule=\"conversion-low\" data-severity=\"" + fired.getString("severity")
          + "\"><td class=\"text\">转化率（近1小时）</td><td class=\"text\">"
          + (fired.getString("severity").equals("critical") ? "严重" : "警告")
          + "</td><td class=\"text\">已恢复</td><td>" + percent(fired.getValue("value"))
          + "</td><td>" + percent(fired.getValue("threshold")) + "</td><td class=\"text dates\">"
          + zoned.format(Instant.parse(fired.getString("since"))) + "</td><td class=\"text dates\">"
          + zoned.format(Instant.parse(fired.getString("resolvedAt"))) + "</td></tr>";
      String html = app.get("/api/v1/report?format=html&lang=zh-CN").bodyAsString();
      assertTrue(html.contains(row), row + " in " + html);
    }
  }

  /** An alert's figures in the report are written as the report writes money: no exponent. */
  @Test
  void anAlertsFiguresAreWrittenPlain() throws Exception {
    JsonObject alert = new JsonObject().put("id", "budget-ads-1").put("value", new BigDecimal("2800000.00"))
        .put("threshold", new BigDecimal("0.80")).put("silenced", false).put("owner", null)
        .put("runbook", new JsonObject().put("zh-CN", "暂停投放").put("en", "pause the ads"));
    assertEquals("{\"id\":\"budget-ads-1\",\"value\":2800000,\"threshold\":0.8,\"silenced\":false,"
        + "\"owner\":null,\"runbook\":{\"zh-CN\":\"暂停投放\",\"en\":\"pause the ads\"}}",
        new ObjectMapper().writeValueAsString(Report.node(alert)));
  }
}
