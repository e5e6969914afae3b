package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed plan's milestones measured (issue 17): week 2's 5,000 live-stream sign-ups as a counter
 * over the campaign, week 3's conversion over the week, week 4's revenue over the campaign and new
 * customers +5 % on the previous month (no goal while that month has no records).
 */
public class SeedMilestonesTest extends AppTest {
  TestApp app;

  @AfterEach
  void stop() {
    if (app != null) app.close();
  }

  static JsonObject order(String id, String ts, String customer, String amount, boolean isNew) {
    return new JsonObject().put("id", id).put("ts", ts).put("customerId", customer)
        .put("amount", new BigDecimal(amount)).put("channel", "tmall").put("newCustomer", isNew);
  }

  void post(String path, JsonArray body) {
    var r = app.post(path, "application/json", body.encode());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(0, r.bodyAsJsonObject().getJsonArray("rejected").size(), r.bodyAsString());
  }

  JsonObject milestone(JsonArray phases, int week, int index) {
    return phases.getJsonObject(week - 1).getJsonArray("milestones").getJsonObject(index);
  }

  @Test
  void theSeedsMeasuredMilestonesAreMeasured() {
    app = start(Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-25T12:00:00+08:00"));
    JsonArray orders = new JsonArray();
    // Week 3 (11-15 to 11-22): 3 orders over 120 sessions is 2.5 %, short of 3 %.
    for (int i = 0; i < 3; i++) orders.add(order("w3-" + i, "2026-11-16T10:00:00+08:00", "c" + i, "2000000", true));
    // Week 4: one more new customer, 0.01 short of 12,000,000 in all.
    orders.add(order("w4", "2026-11-22T00:00:00+08:00", "c9", "5999999.99", true));
    post("/api/v1/orders", orders);
    post("/api/v1/visits", new JsonArray().add(new JsonObject().put("id", "v").put("ts", "2026-11-15T00:00:00+08:00")
        .put("channel", "tmall").put("sessions", 120)));
    post("/api/v1/counts", new JsonArray()
        .add(new JsonObject().put("id", "s1").put("ts", "2026-11-03T20:00:00+08:00").put("name", "live_signups").put("value", 4999))
        .add(new JsonObject().put("id", "s2").put("ts", "2026-11-14T23:59:59.999+08:00").put("name", "live_signups")));
    JsonArray p = app.kpis().getJsonArray("phases");
    assertEquals(4, p.size());
    assertEquals("done", p.getJsonObject(1).getString("state"));
    assertEquals("current", p.getJsonObject(3).getString("state"));
    JsonObject signups = milestone(p, 2, 0);
    assertEquals("counter:" + SeedPlan.LIVE_SIGNUPS, signups.getString("metric"));
    assertEquals(5000, signups.getInteger("value"));
    assertEquals("met", signups.getString("status"));
    JsonObject conversion = milestone(p, 3, 0);
    assertEquals(3.0 / 120, conversion.getDouble("value"));
    assertEquals("missed", conversion.getString("status"));
    JsonObject revenue = milestone(p, 4, 0);
    assertEquals(new BigDecimal("11999999.99"), new BigDecimal(revenue.getValue("value").toString()));
    assertEquals("behind", revenue.getString("status"));
    JsonObject growth = milestone(p, 4, 1);
    assertEquals(4, growth.getInteger("value"));
    assertEquals(null, growth.getValue("goal"), "no records of October: no goal yet");
    assertEquals("pending", growth.getString("status"));

    // October had 4 new customers (one of them twice): the goal is 4 x 1.05 = 4.2; one more in November makes 5.
    JsonArray october = new JsonArray();
    for (int i = 0; i < 4; i++) october.add(order("oct-" + i, "2026-10-1" + i + "T10:00:00+08:00", "p" + i, "10", true));
    october.add(order("oct-4", "2026-10-31T23:59:59+08:00", "p0", "10", false));
    post("/api/v1/orders", october);
    post("/api/v1/orders", new JsonArray().add(order("w4b", "2026-11-25T11:00:00+08:00", "c8", "0.01", true)));
    p = app.kpis().getJsonArray("phases");
    growth = milestone(p, 4, 1);
    assertEquals(0, new BigDecimal("4.2").compareTo(new BigDecimal(growth.getValue("goal").toString())));
    assertEquals(5, growth.getInteger("value"));
    assertEquals("on-track", growth.getString("status"));
    assertEquals("on-track", milestone(p, 4, 0).getString("status"));
    assertEquals("open", milestone(p, 1, 0).getString("status"));
  }
}
