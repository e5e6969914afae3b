package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.contract.BreakdownOracle.Sent;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Focus targets (CONTRACT section 11): each is a KPI entry with its value, target and status
 * (10 % and 20 % short), `"focus": true`, raised by an alert firing on it; an alert rule may
 * name one; the report lists them and next month's draft carries them on.
 */
public class FocusTest extends AppTest {
  TestApp app;
  Plan plan;

  static JsonObject focus(String id, String dimension, String key, String metric, Object target) {
    JsonObject f = new JsonObject().put("id", id).put("dimension", dimension).put("key", key)
        .put("metric", metric).put("text", new JsonObject().put("zh-CN", "重点" + key).put("en", "Focus " + key));
    if (target != null) f.put("target", target);
    return f;
  }

  @BeforeEach
  void start() {
    JsonObject p = new JsonObject(PlanParser.toJson(SeedPlan.forMonth(LocalDate.of(2026, 11, 1)))
        .toString());
    p.put("focus", new JsonArray()
        .add(focus("a-revenue", "sku", "A", "revenue", 3000))
        .add(focus("green-share", "productCategory", "green", "share", 0.5))
        .add(focus("segment-orders", "segment", "30-45", "orders", 40))
        .add(focus("new-units", "tag", "new", "units", 100))
        .add(focus("east-revenue", "region", "east", "revenue", null))
        .add(focus("nothing-yet", "sku", "Z", "share", 0.1)));
    // Without a window (a rule's default is last1h): a focus target is over the campaign only.
    p.getJsonArray("alerts").add(new JsonObject().put("id", "a-revenue-low").put("kpi", "a-revenue")
        .put("op", "<").put("warn", 2000).put("critical", 1000));
    plan = PlanParser.parse(p.encode());
    app = start(Config.defaults(), plan, MutableClock.at("2026-11-20T12:00:00+08:00"));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void focusTargetsAreKpisWithStatusesAlertsReportAndNextMonth() {
    Random rnd = new Random(7);
    long ts = Instant.parse("2026-11-12T04:00:00Z").toEpochMilli();
    List<Sent> sent = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    String[] skus = {"A", "B", "C"};
    String[] categories = {"green", "home"};
    String[] segments = {"30-45", "18-29"};
    for (int i = 0; i < 120; i++) {
      Sent s = BreakdownsTest.order(ts, (1 + rnd.nextInt(5000)) / 100 + "." + (10 + rnd.nextInt(90)),
          skus[rnd.nextInt(3)], categories[rnd.nextInt(2)], rnd.nextBoolean() ? "east" : "west",
          segments[rnd.nextInt(2)], rnd.nextBoolean() ? List.of("new", "new") : null,
          rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(5) : null);
      sent.add(s);
      JsonObject o = new JsonObject().put("id", "o" + i).put("ts", Instant.ofEpochMilli(ts).toString())
          .put("customerId", "c" + i).put("channel", "tmall").put("amount", s.amount())
          .put("sku", s.sku()).put("productCategory", s.productCategory()).put("region", s.region())
          .put("segment", s.segment());
      if (s.tags() != null) o.put("tags", new JsonArray(s.tags()));
      if (s.quantity() != null) o.put("quantity", s.quantity());
      body.append(o.encode()).append('\n');
    }
    assertEquals(120, app.post("/api/v1/orders", "application/x-ndjson", body.toString())
        .bodyAsJsonObject().getInteger("accepted"));

    long from = plan.startMillis();
    long to = plan.endMillis();
    JsonObject kpis = app.kpis();
    Map<String, JsonObject> byId = new HashMap<>();
    for (Object o : kpis.getJsonArray("kpis")) {
      JsonObject k = (JsonObject) o;
      byId.put(k.getString("id"), k);
    }
    for (Plan.Focus f : plan.focus()) {
      JsonObject k = byId.get(f.id());
      assertNotNull(k, f.id());
      assertEquals(true, k.getBoolean("focus"), f.id());
      BreakdownOracle.Expected e = BreakdownOracle.of(sent, f.dimension(), from, to);
      BreakdownOracle.Sums s = e.top().getOrDefault(f.key(), new BreakdownOracle.Sums());
      Number expected = switch (f.metric()) {
        case "orders" -> s.orders;
        case "units" -> s.units;
        case "share" -> BreakdownOracle.share(s.revenue, e.gross());
        default -> s.revenue;
      };
      Object actual = k.getValue("value");
      if (expected instanceof BigDecimal b) {
        assertEquals(0, b.compareTo(new BigDecimal(actual.toString())), f.id());
      } else {
        assertEquals(expected.doubleValue(), ((Number) actual).doubleValue(), f.id());
      }
      if (f.target() == null) {
        assertNull(k.getValue("target"), f.id());
        assertNull(k.getString("status"), f.id());
        continue;
      }
      assertEquals(0, f.target().compareTo(new BigDecimal(k.getValue("target").toString())), f.id());
      double v = expected.doubleValue();
      double t = f.target().doubleValue();
      String status = v >= 0.9 * t ? "ok" : v >= 0.8 * t ? "warning" : "critical";
      if (f.id().equals("a-revenue")) {
        // The plan's rule on it judges it, and fires.
        status = v < 1000 ? "critical" : v < 2000 ? "warning" : "ok";
        assertTrue(v < 3000 && v >= 1000, "the data puts A between the thresholds: " + v);
      }
      assertEquals(status, k.getString("status"), f.id());
    }
    JsonObject alert = null;
    for (Object o : app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active")) {
      if (((JsonObject) o).getString("rule").equals("a-revenue-low")) alert = (JsonObject) o;
    }
    assertNotNull(alert, "the rule on a focus target fires");
    assertEquals("a-revenue", alert.getString("kpi"));
    assertEquals("campaign", alert.getString("window"), "the window it reads, not the default last1h");
    assertEquals("warning", alert.getString("severity"));
    assertEquals("warning", byId.get("a-revenue").getJsonObject("alert").getString("severity"));

    JsonObject report = app.get("/api/v1/report").bodyAsJsonObject();
    List<String> reported = new ArrayList<>();
    for (Object o : report.getJsonArray("kpis")) {
      JsonObject k = (JsonObject) o;
      if (Boolean.TRUE.equals(k.getBoolean("focus"))) {
        reported.add(k.getString("id"));
        assertEquals(byId.get(k.getString("id")).getValue("value"), k.getValue("value"));
        assertEquals(byId.get(k.getString("id")).getString("status"), k.getString("status"));
      }
    }
    assertEquals(plan.focus().stream().map(Plan.Focus::id).toList(), reported);

    JsonObject next = app.get("/api/v1/plan/next").bodyAsJsonObject();
    JsonArray nf = next.getJsonArray("focus");
    assertEquals(plan.focus().size(), nf.size());
    for (int i = 0; i < nf.size(); i++) {
      JsonObject f = nf.getJsonObject(i);
      JsonObject now = byId.get(f.getString("id"));
      BigDecimal value = new BigDecimal(now.getValue("value").toString());
      BigDecimal target = now.getValue("target") == null ? null : new BigDecimal(now.getValue("target").toString());
      BigDecimal want = switch (f.getString("metric")) {
        case "share" -> {
          BigDecimal a = value.setScale(4, RoundingMode.HALF_UP);
          yield target == null ? a : a.max(target);
        }
        default -> value.signum() > 0 ? value.multiply(new BigDecimal("1.05")).setScale(0,
            f.getString("metric").equals("revenue") ? RoundingMode.HALF_UP : RoundingMode.CEILING)
            : target;
      };
      assertEquals(0, want.compareTo(new BigDecimal(f.getValue("target").toString())), f.encode());
    }
  }
}
