package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.MutableClock;
import io.warroom.SeedPlans;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Window edges, late records, pace, forecast and status, driven by an injected clock. */
public class WindowsTest extends AppTest {
  TestApp app;

  @AfterEach
  void stop() {
    if (app != null) app.close();
  }

  void startAt(String iso) {
    app = start(Config.defaults(), SeedPlans.absolute(LocalDate.of(2026, 11, 1)), MutableClock.at(iso));
  }

  static String order(String id, String ts, String amount) {
    return "{\"id\":\"" + id + "\",\"ts\":\"" + ts + "\",\"customerId\":\"c-" + id + "\",\"amount\":"
        + amount + ",\"channel\":\"tmall\"}";
  }

  JsonObject window(String name) {
    return app.kpis().getJsonObject("windows").getJsonObject(name);
  }

  @Test
  void periodEdgesCountTheLastInstantNotTheEndAndRefuseTheFarFuture() {
    startAt("2026-12-01T00:03:00+08:00");
    String body = "[" + order("start", "2026-11-01T00:00:00+08:00", "1") + ","
        + order("before", "2026-10-31T23:59:59.999+08:00", "2") + ","
        + order("last", "2026-11-30T23:59:59.999+08:00", "4") + ","
        + order("end", "2026-12-01T00:00:00+08:00", "8") + ","
        + order("soon", "2026-12-01T00:08:00+08:00", "16") + ","
        + order("late", "2026-12-01T00:08:00.001+08:00", "32") + "]";
    JsonObject answer = app.post("/api/v1/orders", "application/json", body).bodyAsJsonObject();
    assertEquals(5, answer.getInteger("accepted"));
    assertEquals(new JsonArray().add(new JsonObject().put("row", 6).put("field", "ts")
        .put("error", "is more than 5 minutes in the future")), answer.getJsonArray("rejected"));
    assertEquals(5.0, window("campaign").getDouble("grossRevenue"), "start and last instant only");
    assertEquals(8.0, window("today").getDouble("grossRevenue"), "the day so far: the end only");
    assertEquals(12.0, window("last15m").getDouble("grossRevenue"), "the future minutes not yet in");
    assertEquals(1.0, app.kpis().getJsonObject("plan").getDouble("elapsed"));
    app.clock.advance(Duration.ofMinutes(5).minusMillis(1)); // 00:07:59.999
    assertEquals(8.0, window("today").getDouble("grossRevenue"));
    app.clock.advance(Duration.ofMillis(1)); // 00:08: the near future has come
    assertEquals(24.0, window("today").getDouble("grossRevenue"));
    assertEquals(28.0, window("last15m").getDouble("grossRevenue"));
  }

  @Test
  void trailingWindowsEndNowToTheSecondAndALateRecordCountsAtOnce() {
    startAt("2026-11-11T12:00:30.500+08:00");
    app.post("/api/v1/orders", "application/json", "["
        + order("a", "2026-11-11T11:45:30.999+08:00", "1") + ","
        + order("b", "2026-11-11T11:45:31+08:00", "2") + ","
        + order("c", "2026-11-11T11:00:31+08:00", "4") + ","
        + order("d", "2026-11-11T11:00:30.999+08:00", "8") + ","
        + order("f", "2026-11-11T12:00:30.999+08:00", "16") + ","
        + order("g", "2026-11-11T12:00:31+08:00", "32") + "]");
    // last15m holds the seconds 11:45:31 to 12:00:30, last1h 11:00:31 to 12:00:30.
    assertEquals(18.0, window("last15m").getDouble("grossRevenue"), "b and f");
    assertEquals(23.0, window("last1h").getDouble("grossRevenue"), "a, b, c and f");
    assertEquals(31.0, window("today").getDouble("grossRevenue"), "so far: all but g");

    app.clock.advance(Duration.ofMillis(500)); // 12:00:31: b and c leave, g comes in
    assertEquals(48.0, window("last15m").getDouble("grossRevenue"), "f and g");
    assertEquals(51.0, window("last1h").getDouble("grossRevenue"), "a, b, f and g");
    assertEquals(63.0, window("today").getDouble("grossRevenue"));

    app.clock.advance(Duration.ofMinutes(15)); // 12:15:31: f and g leave last15m
    assertEquals(0.0, window("last15m").getDouble("grossRevenue"));
    assertEquals(0, window("last15m").getInteger("customers"));
    assertNull(window("last15m").getValue("aov"));

    // A record for a second already inside the window counts at once, whenever it arrives.
    app.post("/api/v1/orders", "application/json", order("e", "2026-11-11T12:10:00+08:00", "64"));
    assertEquals(64.0, window("last15m").getDouble("grossRevenue"));
  }

  @Test
  void distinctCustomersAndRepurchaseFollowTheWindow() {
    startAt("2026-11-11T12:00:30+08:00");
    String c = "{\"id\":\"%s\",\"ts\":\"%s\",\"customerId\":\"%s\",\"amount\":10,\"channel\":\"jd\"%s}";
    app.post("/api/v1/orders", "application/x-ndjson", String.join("\n",
        String.format(c, "1", "2026-11-11T11:30:00+08:00", "anna", ",\"newCustomer\":true"),
        String.format(c, "2", "2026-11-11T11:50:00+08:00", "anna", ""),
        String.format(c, "3", "2026-11-11T11:55:00+08:00", "ben", ",\"newCustomer\":false"),
        String.format(c, "4", "2026-11-11T11:56:00+08:00", "cleo", ",\"newCustomer\":true"),
        String.format(c, "5", "2026-11-11T11:57:00+08:00", "cleo", ",\"newCustomer\":true")));
    JsonObject h = window("last1h");
    assertEquals(3, h.getInteger("customers"));
    assertEquals(2, h.getInteger("newCustomers"));
    assertEquals(2.0 / 3, h.getDouble("repurchaseRate"));
    JsonObject q = window("last15m");
    assertEquals(3, q.getInteger("customers"));
    assertEquals(1, q.getInteger("newCustomers"));
    assertEquals(1.0 / 3, q.getDouble("repurchaseRate"));
  }

  @Test
  void paceForecastAndStatusAtHalfThePeriod() {
    startAt("2026-11-16T00:00:00+08:00"); // 15 of 30 days
    // 5,400,000 is exactly 10 % behind the expected 6,000,000: still ok.
    app.post("/api/v1/orders", "application/json", order("big", "2026-11-10T10:00:00+08:00", "5400000"));
    JsonObject revenue = kpi("revenue");
    assertEquals(0.5, app.kpis().getJsonObject("plan").getDouble("elapsed"));
    assertEquals(5400000.0, revenue.getDouble("value"));
    assertEquals(6000000.0, revenue.getDouble("expected"));
    assertEquals(10800000.0, revenue.getDouble("forecast"));
    assertEquals("ok", revenue.getString("status"));
    // A cent of refund makes it more than 10 % behind.
    app.post("/api/v1/refunds", "application/json",
        "{\"id\":\"r\",\"ts\":\"2026-11-10T11:00:00+08:00\",\"orderId\":\"big\",\"amount\":0.01}");
    revenue = kpi("revenue");
    assertEquals(5399999.99, revenue.getDouble("value"));
    assertEquals(10799999.98, revenue.getDouble("forecast"));
    assertEquals("warning", revenue.getString("status"));
    // The AOV of one 5,400,000 order is far above 300: ok; conversion has no sessions: no status.
    assertEquals("ok", kpi("aov").getString("status"));
    assertNull(kpi("conversion").getValue("value"));
    assertNull(kpi("conversion").getValue("status"));
    // New customers: none of 10,500 expected: critical; forecast 0.
    JsonObject nc = kpi("newCustomers");
    assertEquals(10500.0, nc.getDouble("expected"));
    assertEquals(0.0, nc.getDouble("forecast"));
    assertEquals("critical", nc.getString("status"));
  }

  @Test
  void conversionIsJudgedByThePlansRuleThresholds() {
    startAt("2026-11-11T12:00:00+08:00");
    app.post("/api/v1/visits", "application/json",
        "{\"id\":\"v\",\"ts\":\"2026-11-11T11:00:00+08:00\",\"channel\":\"jd\",\"sessions\":1000}");
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 27; i++) {
      b.append(i == 0 ? "" : ",").append(order("o" + i, "2026-11-11T11:10:00+08:00", "300"));
    }
    app.post("/api/v1/orders", "application/json", b + "]");
    assertEquals(0.027, kpi("conversion").getDouble("value"));
    assertEquals("ok", kpi("conversion").getString("status"), "0.027 is not < 0.027");
    app.post("/api/v1/visits", "application/json",
        "{\"id\":\"v2\",\"ts\":\"2026-11-11T11:00:00+08:00\",\"channel\":\"jd\",\"sessions\":1}");
    assertEquals("warning", kpi("conversion").getString("status"), "27/1001 < 0.027");
    app.post("/api/v1/visits", "application/json",
        "{\"id\":\"v3\",\"ts\":\"2026-11-11T11:00:00+08:00\",\"channel\":\"jd\",\"sessions\":124}");
    assertEquals("warning", kpi("conversion").getString("status"), "27/1125 is 0.024, not below");
    app.post("/api/v1/visits", "application/json",
        "{\"id\":\"v4\",\"ts\":\"2026-11-11T11:00:00+08:00\",\"channel\":\"jd\",\"sessions\":1}");
    assertEquals("critical", kpi("conversion").getString("status"), "27/1126 < 0.024");
  }

  JsonObject kpi(String id) {
    for (Object o : app.kpis().getJsonArray("kpis")) {
      JsonObject k = (JsonObject) o;
      if (k.getString("id").equals(id)) return k;
    }
    throw new AssertionError("no KPI " + id);
  }
}
