package io.warroom.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.SeedPlans;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET /api/v1/report (JSON and CSV) and GET /api/v1/plan/next over a small known month. */
@ExtendWith(VertxExtension.class)
public class ReportTest {
  static TestApp app;

  public static final String DATA = String.join("\n",
      "{\"type\":\"order\",\"id\":\"o1\",\"ts\":\"2026-11-02T10:00:00+08:00\",\"customerId\":\"c1\",\"amount\":100.50,\"channel\":\"tmall\",\"adChannel\":\"search\",\"newCustomer\":true}",
      "{\"type\":\"order\",\"id\":\"o2\",\"ts\":\"2026-11-03T11:00:00+08:00\",\"customerId\":\"c2\",\"amount\":200,\"channel\":\"store\",\"newCustomer\":true}",
      "{\"type\":\"order\",\"id\":\"o3\",\"ts\":\"2026-11-11T00:10:00+08:00\",\"customerId\":\"c1\",\"amount\":300,\"channel\":\"jd\",\"adChannel\":\"social\"}",
      "{\"type\":\"order\",\"id\":\"o4\",\"ts\":\"2026-11-14T23:59:59+08:00\",\"customerId\":\"c3\",\"amount\":400,\"channel\":\"tmall\",\"newCustomer\":true}",
      "{\"type\":\"order\",\"id\":\"o5\",\"ts\":\"2026-11-20T09:00:00+08:00\",\"customerId\":\"c2\",\"amount\":99.99,\"channel\":\"website\",\"adChannel\":\"search\"}",
      "{\"type\":\"refund\",\"id\":\"r1\",\"ts\":\"2026-11-12T10:00:00+08:00\",\"orderId\":\"o3\",\"amount\":50}",
      "{\"type\":\"visit\",\"id\":\"v1\",\"ts\":\"2026-11-02T09:00:00+08:00\",\"channel\":\"tmall\",\"sessions\":1000}",
      "{\"type\":\"visit\",\"id\":\"v2\",\"ts\":\"2026-11-11T09:00:00+08:00\",\"channel\":\"jd\",\"sessions\":500}",
      "{\"type\":\"visit\",\"id\":\"v3\",\"ts\":\"2026-11-20T09:00:00+08:00\",\"channel\":\"website\",\"sessions\":100}",
      "{\"type\":\"spend\",\"id\":\"s1\",\"ts\":\"2026-11-02T08:00:00+08:00\",\"category\":\"ads\",\"amount\":40,\"adChannel\":\"search\"}",
      "{\"type\":\"spend\",\"id\":\"s2\",\"ts\":\"2026-11-11T08:00:00+08:00\",\"category\":\"ads\",\"amount\":60,\"adChannel\":\"social\"}",
      "{\"type\":\"spend\",\"id\":\"s3\",\"ts\":\"2026-11-05T08:00:00+08:00\",\"category\":\"promotion\",\"amount\":1000}",
      "{\"type\":\"nps\",\"id\":\"n1\",\"ts\":\"2026-11-20T10:00:00+08:00\",\"score\":10}",
      "{\"type\":\"nps\",\"id\":\"n2\",\"ts\":\"2026-11-20T10:00:00+08:00\",\"score\":9}",
      "{\"type\":\"nps\",\"id\":\"n3\",\"ts\":\"2026-11-20T10:00:00+08:00\",\"score\":3}");

  @BeforeAll
  static void start(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), SeedPlans.absolute(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-30T12:00:00Z"));
    HttpResponse<Buffer> r = app.post("/api/v1/events", "application/x-ndjson", DATA);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(15, r.bodyAsJsonObject().getInteger("accepted"));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static JsonObject report() {
    HttpResponse<Buffer> r = app.get("/api/v1/report");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("application/json", r.getHeader("Content-Type"));
    return r.bodyAsJsonObject();
  }

  static BigDecimal dec(Object o) {
    return new BigDecimal(o.toString());
  }

  static void same(String expected, Object actual) {
    assertEquals(0, new BigDecimal(expected).compareTo(dec(actual)), expected + " vs " + actual);
  }

  @Test
  void kpisEqualTheSnapshotAndAnIndependentComputation() {
    JsonObject snap = app.kpis();
    JsonObject rep = report();
    // Equal to the snapshot's, KPI by KPI.
    JsonArray sk = snap.getJsonArray("kpis");
    JsonArray rk = rep.getJsonArray("kpis");
    assertEquals(sk.size(), rk.size());
    for (int i = 0; i < sk.size(); i++) {
      assertEquals(sk.getJsonObject(i).getValue("value"), rk.getJsonObject(i).getValue("value"));
      assertEquals(sk.getJsonObject(i).getValue("target"), rk.getJsonObject(i).getValue("target"));
    }
    assertEquals(snap.getJsonObject("channels"), rep.getJsonObject("channels"));
    assertEquals(snap.getJsonObject("adChannels"), rep.getJsonObject("adChannels"));
    assertEquals(snap.getJsonObject("windows").getJsonObject("campaign"), rep.getJsonObject("campaign"));

    // Independently, from the records above.
    BigDecimal gross = new BigDecimal("1100.49");
    BigDecimal online = new BigDecimal("900.49");
    Map<String, BigDecimal> expected = Map.of(
        "revenue", new BigDecimal("1050.49"),
        "newCustomers", new BigDecimal(3),
        "repurchaseRate", BigDecimal.valueOf(2.0 / 3),
        "conversion", BigDecimal.valueOf(5.0 / 1600),
        "aov", new BigDecimal("220.098"), // 1,100.49 over 5 orders, unrounded
        "roi", BigDecimal.valueOf(500.49 / 100),
        "nps", BigDecimal.valueOf(100.0 / 3),
        "onlineShare", BigDecimal.valueOf(online.doubleValue() / gross.doubleValue()));
    Map<String, String> targets = Map.of("revenue", "12000000", "newCustomers", "21000",
        "repurchaseRate", "0.30", "conversion", "0.03", "aov", "300", "roi", "3.5", "nps", "65",
        "onlineShare", "0.70");
    for (Object o : rk) {
      JsonObject k = (JsonObject) o;
      if (Boolean.TRUE.equals(k.getBoolean("focus"))) continue; // FocusTest checks those
      String id = k.getString("id");
      BigDecimal v = expected.get(id);
      assertEquals(0, v.setScale(9, RoundingMode.HALF_UP).compareTo(dec(k.getValue("value"))
          .setScale(9, RoundingMode.HALF_UP)), id);
      BigDecimal completion = v.divide(new BigDecimal(targets.get(id)), 4, RoundingMode.HALF_UP);
      same(completion.toPlainString(), k.getValue("completion"));
    }
    same("0.0001", rk.getJsonObject(0).getValue("completion"));
    same("0.7337", kpi(rk, "aov").getValue("completion"));
    same("1.43", kpi(rk, "roi").getValue("completion"));
  }

  static JsonObject kpi(JsonArray a, String id) {
    for (Object o : a) if (((JsonObject) o).getString("id").equals(id)) return (JsonObject) o;
    throw new AssertionError(id);
  }

  @Test
  void weekByWeekAgainstThePhases() {
    JsonArray weeks = report().getJsonArray("weeks");
    assertEquals(4, weeks.size());
    JsonObject w1 = weeks.getJsonObject(0);
    assertEquals("2026-11-01", w1.getString("start"));
    assertEquals("市场部", w1.getJsonObject("owner").getString("zh-CN"));
    assertEquals("完成《月度市场报告》促销文案审稿",
        w1.getJsonArray("milestones").getJsonObject(0).getJsonObject("text").getString("zh-CN"));
    assertEquals("open", w1.getJsonArray("milestones").getJsonObject(0).getString("status"));
    same("300.50", w1.getValue("revenue"));
    same("2800000", w1.getValue("revenueTarget")); // 12,000,000 x 7 / 30
    assertEquals(2, w1.getInteger("orders"));
    assertEquals(1000, w1.getInteger("sessions"));
    same("40", w1.getValue("adSpend"));
    assertEquals(100.5 / 40, w1.getDouble("roi"), 1e-12);
    JsonObject w2 = weeks.getJsonObject(1); // o3, o4 (the last second of the week), refund r1
    same("650", w2.getValue("revenue"));
    assertEquals(2, w2.getInteger("orders"));
    assertEquals(5.0, w2.getDouble("roi"), 1e-12);
    assertEquals(0.004, w2.getDouble("conversion"), 1e-12);
    JsonObject w3 = weeks.getJsonObject(2);
    same("99.99", w3.getValue("revenue"));
    assertEquals(null, w3.getValue("roi"));
    JsonObject w4 = weeks.getJsonObject(3);
    same("0", w4.getValue("revenue"));
    same("3600000", w4.getValue("revenueTarget")); // 9 of 30 days
    // The weeks add up to the campaign.
    BigDecimal sum = BigDecimal.ZERO;
    for (Object o : weeks) sum = sum.add(dec(((JsonObject) o).getValue("revenue")));
    same(report().getJsonObject("campaign").getValue("revenue").toString(), sum);
  }

  @Test
  void budgetAndAlerts() {
    JsonObject rep = report();
    JsonArray budget = rep.getJsonArray("budget");
    assertEquals(5, budget.size());
    JsonObject promo = budget.getJsonObject(0);
    assertEquals("promotion", promo.getString("category"));
    same("1500000", promo.getValue("allocated"));
    same("1000", promo.getValue("spent"));
    same("0.0007", promo.getValue("completion"));
    same("100", budget.getJsonObject(1).getValue("spent"));
    assertEquals(0, rep.getJsonArray("alerts").size()); // at a fixed clock every rule is still pending
    assertEquals(false, rep.getBoolean("final"));
    // The plan (and so the draft a person edits) writes amounts as plain numbers, not 1500000.0.
    assertTrue(app.get("/api/v1/plan").bodyAsString().contains("\"promotion\":1500000,"),
        app.get("/api/v1/plan").bodyAsString());
  }

  @Test
  void csvByParameterAndByAccept() {
    HttpResponse<Buffer> r = app.get("/api/v1/report?format=csv");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("text/csv"));
    List<String> lines = r.bodyAsString().lines().toList();
    assertEquals("section,item,metric,value,target,completion,status,previous,change", lines.get(0));
    JsonObject rep = report();
    // The server's statuses; October has no records: previous 0, no change.
    assertTrue(lines.contains("kpi,revenue,value,1050.49,12000000,0.0001,"
        + kpi(rep.getJsonArray("kpis"), "revenue").getString("status") + ",0,"), lines.toString());
    assertTrue(lines.contains("week,2026-11-08..2026-11-15,revenue,650,2800000,0.0002,,,"),
        lines.toString());
    assertTrue(lines.contains("budget,ads,spent,100,1800000,0.0001,"
        + rep.getJsonArray("budget").getJsonObject(1).getString("status") + ",,"), lines.toString());
    assertTrue(lines.contains("channel,tmall,revenue,500.5,,,,,"), lines.toString());
    assertTrue(lines.contains("milestone,2026-11-08..2026-11-15,"
        + "\"5,000 sign-ups to watch the launch live stream\",0,5000,,missed,,"), lines.toString());
    HttpResponse<Buffer> a = TestApp.await(app.client.get("/api/v1/report")
        .putHeader("Accept", "text/csv").send());
    assertEquals(r.bodyAsString(), a.bodyAsString());
    // milestone texts in the language asked for
    assertTrue(app.get("/api/v1/report?format=csv&lang=zh-CN").bodyAsString().lines()
        .anyMatch(l -> l.equals("milestone,2026-11-08..2026-11-15,发布会直播预约5000人观看,0,5000,,missed,,")),
        app.get("/api/v1/report?format=csv&lang=zh-CN").bodyAsString());
    assertEquals(400, app.get("/api/v1/report?format=xml").statusCode());
  }

  @Test
  void nextMonthsPlanStartsFromThisMonthsActualsAndRoundTrips() {
    HttpResponse<Buffer> r = app.get("/api/v1/plan/next");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject next = r.bodyAsJsonObject();
    assertEquals("2026-12", next.getString("id"));
    assertEquals("2026-12-01", next.getString("start"));
    assertEquals("2027-01-01", next.getString("end"));
    JsonObject t = next.getJsonObject("targets");
    same("1103", t.getValue("revenue")); // 1050.49 x 1.05 = 1103.01
    same("4", t.getValue("newCustomers")); // 3 x 1.05 = 3.15, rounded up
    same("0.6667", t.getValue("repurchaseRate")); // beaten: moves up to the actual
    same("0.03", t.getValue("conversion")); // missed: stays
    same("300", t.getValue("aov"));
    same("5.0049", t.getValue("roi"));
    same("65", t.getValue("nps"));
    same("0.8183", t.getValue("onlineShare"));
    // ROI 5.0049 / 3.5 = 1.43, capped at 1.25: ads 1,800,000 -> 2,250,000; the other 2,750,000
    // shared in their old proportions (15:7:5:5), remainder to the largest.
    JsonObject b = next.getJsonObject("budget");
    same("2250000", b.getValue("ads"));
    same("1289064", b.getValue("promotion"));
    same("601562", b.getValue("live_content"));
    same("429687", b.getValue("crm"));
    same("429687", b.getValue("partners"));
    BigDecimal total = BigDecimal.ZERO;
    for (String k : b.fieldNames()) total = total.add(dec(b.getValue(k)));
    same("5000000", total);
    JsonArray weeks = next.getJsonArray("weeks");
    assertEquals(4, weeks.size());
    assertEquals("2026-12-08", weeks.getJsonObject(1).getString("start"));
    assertEquals("2027-01-01", weeks.getJsonObject(3).getString("end"));
    // The November plan's evaluation ends by naming December's plan; December's draft names January's.
    JsonArray evaluation = next.getJsonArray("evaluation");
    assertEquals(3, evaluation.size());
    JsonObject last = evaluation.getJsonObject(2);
    assertTrue(last.getString("zh-CN").endsWith("制定1月销售作战策划。"), last.encode());
    assertTrue(last.getString("en").endsWith("draw up January's sales battle plan."), last.encode());

    // A person edits it and PUTs it: it becomes the plan in force.
    next.getJsonObject("targets").put("revenue", 1200);
    HttpResponse<Buffer> put = TestApp.await(app.client.put("/api/v1/plan")
        .putHeader("Content-Type", "application/json").sendBuffer(next.toBuffer()));
    assertEquals(200, put.statusCode(), put.bodyAsString());
    JsonObject now = app.get("/api/v1/plan").bodyAsJsonObject();
    assertEquals(new JsonObject(PlanParser.toJson(PlanParser.parse(next.encode())).toString()), now);
    // Back to November for the other tests.
    TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(PlanParser.toJson(SeedPlans.absolute(LocalDate.of(2026, 11, 1))).toString())));
  }
}
