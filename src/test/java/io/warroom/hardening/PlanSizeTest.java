package io.warroom.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.kpi.Figures;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import io.warroom.plan.WallBytes;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT section 5: GET /api/v1/kpis stays under 64 KiB also with a plan whose own parts (weeks
 * and milestones, focus targets, experiments, budget lines, alert names) are as large as a plan is
 * let to be, while the feeds widen every table they can; a larger plan is refused naming the part
 * that takes most, and the plan in force stays.
 */
@ExtendWith(VertxExtension.class)
class PlanSizeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TS = "2026-11-11T11:58:00+08:00";
  static final String OCTOBER = "2026-10-11T10:00:00+08:00";
  /** A minute before the clock: in every window. */
  static final String NOW = "2026-11-11T11:59:00+08:00";
  static final String WIDE = "宽".repeat(192);

  @Test
  void plansAsLargeAsAllowedKeepTheSnapshotUnder64KiBAndLargerOnesAreRefused(Vertx vertx)
      throws Exception {
    Config config = Config.from(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST", "127.0.0.1",
        "WARROOM_INGEST_RATE", "0"), new String[0]);
    try (TestApp app = TestApp.deploy(vertx, config, SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-11T12:00:00+08:00"))) {
      ObjectNode seed = (ObjectNode) JSON.readTree(app.get("/api/v1/plan").bodyAsString());
      feedEverythingWide(app);

      // Each way of filling the plan's share, up to the last entry that is let in, and all at once.
      ObjectNode weeks = fill(seed, PlanSizeTest::weeks);
      // Characters past U+FFFF take 4 bytes on the wire, as counted (JSON escapes of a surrogate
      // pair took 12, and such a plan made a snapshot of 71 KB).
      ObjectNode emoji = fill(seed, (p, n) -> weeks(p, n, "\uD83C\uDF00\uD83D\uDCC8".repeat(4)));
      ObjectNode experiments = fill(seed, PlanSizeTest::experiments);
      ObjectNode focus = fill(seed, PlanSizeTest::focus);
      // 50 budget lines of the longest names (the most a plan may have) fit whole.
      ObjectNode budget = fill(seed, PlanSizeTest::budget, false);
      assertEquals(50, budget.get("budget").size());
      ObjectNode everything = fill(seed, (p, n) -> {
        weeks(p, n);
        experiments(p, n);
        focus(p, n / 2);
        budget(p, n / 4);
        p.putObject("name").put("zh-CN", "名".repeat(Math.min(n, 200))).put("en", "N".repeat(100));
      });

      for (ObjectNode plan : new ObjectNode[] {weeks, emoji, experiments, focus, budget, everything}) {
        HttpResponse<Buffer> put = put(app, plan);
        assertEquals(200, put.statusCode(), put.bodyAsString());
        spendOnEveryCategory(app, plan);
        HttpResponse<Buffer> r = app.get("/api/v1/kpis");
        assertEquals(200, r.statusCode());
        // with room for the longest list of recovering alerts, which none is here
        assertTrue(r.body().length() + Figures.RECOVERING_BYTES < 64 * 1024,
            "snapshot of " + r.body().length() + " bytes");
        JsonObject s = r.bodyAsJsonObject();
        // The wide feeds are still all counted.
        assertEquals(5_000, s.getJsonObject("windows").getJsonObject("campaign").getLong("orders"));
        assertEquals(100, s.getJsonObject("counters").size());
      }
      // Every part is there, as the plan has it.
      JsonObject s = app.kpis();
      assertEquals(everything.get("experiments").size(), s.getJsonObject("experiments").size());
      assertEquals(everything.get("weeks").size(), s.getJsonArray("phases").size());
      assertEquals(everything.get("budget").size(), s.getJsonObject("budget").size());

      // One more entry is refused, naming the part, and the plan in force stays.
      ObjectNode over = everything.deepCopy();
      // (of 8 long variants: more than the room one step of the fill above can leave)
      ArrayNode variants = ((ArrayNode) over.get("experiments")).addObject().put("id", "one-more")
          .put("text", "再来一个".repeat(50)).putArray("variants");
      for (int v = 0; v < 8; v++) variants.add(variant(v));
      HttpResponse<Buffer> refused = put(app, over);
      assertEquals(400, refused.statusCode(), refused.bodyAsString());
      JsonObject error = refused.bodyAsJsonObject();
      assertTrue(error.encode().contains("fit"), error.encode());
      assertEquals(everything.get("experiments").size(),
          app.kpis().getJsonObject("experiments").size());

      // Signing a milestone off is let in while the name fits the room kept for it, else refused.
      assertEquals(200, put(app, weeks).statusCode());
      HttpResponse<Buffer> longName = signOff(app, "签".repeat(200));
      assertEquals(400, longName.statusCode(), longName.bodyAsString());
      assertEquals("by", longName.bodyAsJsonObject().getString("field"), longName.bodyAsString());
      HttpResponse<Buffer> shortName = signOff(app, "王经理");
      assertEquals(200, shortName.statusCode(), shortName.bodyAsString());
      assertTrue(app.get("/api/v1/kpis").body().length() < 64 * 1024);
    }
  }

  /**
   * Section 15's counts with short names fit on their own: 20 experiments of 3 variants, 100 focus
   * targets each watched by a rule of its own (both were refused at a 28 KiB share).
   */
  @Test
  void section15CountsWithShortNamesFit() throws Exception {
    ObjectNode seed = PlanParser.toJson(SeedPlan.forMonth(LocalDate.of(2026, 11, 1)));
    ObjectNode experiments = seed.deepCopy();
    ArrayNode xs = experiments.putArray("experiments");
    for (int i = 0; i < 20; i++) {
      xs.addObject().put("id", "checkout-" + i).put("text", "结算页改版 " + i).putArray("variants")
          .add("A").add("B").add("C");
    }
    assertEquals(20, PlanParser.parse(experiments.toString()).experiments().size());

    ObjectNode focus = seed.deepCopy();
    ArrayNode fs = focus.putArray("focus");
    ArrayNode rules = focus.putArray("alerts");
    for (int i = 0; i < 100; i++) {
      fs.addObject().put("id", "sku-" + i + "-units").put("text", "重点产品 " + i)
          .put("dimension", "sku").put("key", "SKU-" + i).put("metric", "units").put("target", 500);
      rules.addObject().put("id", "sku-" + i + "-low").put("kpi", "sku-" + i + "-units")
          .put("window", "campaign").put("op", "<").put("warn", 450).put("critical", 400)
          .put("for", "5m");
    }
    assertEquals(100, PlanParser.parse(focus.toString()).focus().size());
  }

  /** The plan with the most entries {@code build} makes that a plan is let to have. */
  private static ObjectNode fill(ObjectNode seed, Builder build) {
    return fill(seed, build, true);
  }

  /**
   * As {@link #fill(ObjectNode, Builder)}; {@code refused}: whether the room runs out before the
   * builder's entries do (else the count limits of section 15 bind first).
   */
  private static ObjectNode fill(ObjectNode seed, Builder build, boolean refused) {
    ObjectNode best = null;
    boolean full = false;
    for (int n = 1; n <= 600 && !full; n++) {
      ObjectNode p = seed.deepCopy();
      build.make(p, n);
      try {
        PlanParser.parse(p.toString());
        best = p;
      } catch (PlanException e) {
        assertTrue(e.getMessage().contains("fit"), e.getMessage());
        full = true;
      }
    }
    assertTrue(best != null);
    assertEquals(refused, full, "the room ran out");
    if (!refused) return best;
    assertTrue(WallBytes.total(PlanParser.parse(best.toString())) > WallBytes.LIMIT * 0.9,
        "fills the share: " + WallBytes.total(PlanParser.parse(best.toString())));
    return best;
  }

  interface Builder {
    void make(ObjectNode plan, int n);
  }

  /** 60 weeks with n milestones among them, half measured, of long texts in two languages. */
  static void weeks(ObjectNode p, int n) {
    weeks(p, n, "里程碑");
  }

  /** As {@link #weeks(ObjectNode, int)}, texts made of {@code unit}. */
  static void weeks(ObjectNode p, int n, String unit) {
    // A day each, one after the other: the plan runs for the 60 of them.
    p.put("end", LocalDate.of(2026, 11, 1).plusDays(60).toString());
    ArrayNode ws = p.putArray("weeks");
    for (int w = 0; w < 60; w++) {
      LocalDate start = LocalDate.of(2026, 11, 1).plusDays(w);
      ArrayNode ms = ws.addObject().put("start", start.toString())
          .put("end", start.plusDays(1).toString()).put("owner", "o").putArray("milestones");
      for (int m = 0; m < 10 && w * 10 + m < n; m++) {
        ObjectNode text = JSON.createObjectNode().put("zh-CN", unit.repeat(20) + m)
            .put("en", "milestone " + m);
        if (m % 2 == 0) {
          ms.add(text);
        } else {
          ms.addObject().<ObjectNode>set("text", text).put("metric", "conversion")
              .put("window", "campaign").put("op", ">=").put("value", 0.0123456789);
        }
      }
    }
  }

  /** n variants over 20 experiments of long names. */
  static void experiments(ObjectNode p, int n) {
    ArrayNode xs = p.putArray("experiments");
    for (int i = 0; i < 20 && i * 8 < n; i++) {
      ArrayNode vs = xs.addObject().put("id", experimentId(i)).put("text", "实验".repeat(100))
          .putArray("variants");
      for (int v = 0; v < 8 && i * 8 + v < n; v++) vs.add(variant(v));
      if (vs.size() < 2) vs.add(variant(1));
    }
  }

  /** n focus targets on wide keys, each watched by a rule, with long ids. */
  static void focus(ObjectNode p, int n) {
    ArrayNode fs = p.putArray("focus");
    ArrayNode rules = p.putArray("alerts");
    for (int i = 0; i < Math.min(n, 100); i++) {
      String id = String.format("%03d", i) + "焦".repeat(61);
      fs.addObject().put("id", id).put("dimension", "sku").put("key", key(i)).put("metric", "share")
          .put("target", 0.5);
      rules.addObject().put("id", String.format("%03d", i) + "规".repeat(61)).put("kpi", id)
          .put("window", "campaign").put("op", "<").put("warn", 0.4).put("critical", 0.3)
          .put("for", "1s");
    }
  }

  /** n budget lines of long names. */
  static void budget(ObjectNode p, int n) {
    ObjectNode b = p.putObject("budget");
    for (int i = 0; i < Math.min(Math.max(n, 1), 50); i++) b.put(category(i), 1);
    p.remove("budgetLabels");
  }

  private static HttpResponse<Buffer> signOff(TestApp app, String by) {
    String body = new JsonObject().put("week", 1).put("index", 0).put("done", true).put("by", by)
        .encode();
    return TestApp.await(app.client.post("/api/v1/plan/milestones")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
  }

  private static HttpResponse<Buffer> put(TestApp app, ObjectNode plan) {
    return TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(plan.toString())));
  }

  static String experimentId(int i) {
    return String.format("%02d", i) + "实".repeat(62);
  }

  static String variant(int v) {
    return v + "变".repeat(63);
  }

  static String key(int i) {
    return WIDE + String.format("%08d", i);
  }

  static String category(int i) {
    return String.format("%02d", i) + "类".repeat(62);
  }

  /** Orders and visits on wide keys in this month and the last, experiments' traffic, counters. */
  private static void feedEverythingWide(TestApp app) {
    int n = 0;
    for (int batch = 0; batch < 10; batch++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 1_000; i++, n++) {
        String k = key(n);
        String ts = n % 2 == 0 ? TS : OCTOBER;
        String x = experimentId(n % 20);
        String v = variant(n % 8);
        b.append("{\"type\":\"order\",\"id\":\"o").append(n).append("\",\"ts\":\"").append(ts)
            .append("\",\"customerId\":\"").append(k).append("\",\"amount\":").append(n + 0.07)
            .append(",\"channel\":\"").append(k).append("\",\"adChannel\":\"").append(k)
            .append("\",\"sku\":\"").append(k).append("\",\"productCategory\":\"").append(k)
            .append("\",\"region\":\"").append(k).append("\",\"segment\":\"").append(k)
            .append("\",\"tags\":[\"").append(k).append("\",\"").append(k.replace('宽', '签'))
            .append("\"],\"experiment\":\"").append(x).append("\",\"variant\":\"").append(v)
            .append("\"}\n");
        b.append("{\"type\":\"visit\",\"id\":\"v").append(n).append("\",\"ts\":\"").append(ts)
            .append("\",\"channel\":\"").append(k).append("\",\"sessions\":").append(3 + n % 7)
            .append(",\"region\":\"").append(k).append("\",\"experiment\":\"").append(x)
            .append("\",\"variant\":\"").append(v).append("\"}\n");
      }
      post(app, "/api/v1/events", b.toString(), 2_000);
    }
    // 100 counters in every window, each past 10^12 (the most one record may count)
    for (String round : new String[] {"a", "b"}) {
      post(app, "/api/v1/counts", SnapshotSizeTest.counters(NOW, 1_000_000_000_000L)
          .replace("\"id\":\"c", "\"id\":\"c" + round), 100);
    }
  }

  private static void spendOnEveryCategory(TestApp app, ObjectNode plan) {
    StringBuilder b = new StringBuilder();
    int rows = 0;
    for (var it = plan.get("budget").fieldNames(); it.hasNext(); rows++) {
      String c = it.next();
      b.append("{\"type\":\"spend\",\"id\":\"s-").append(c).append("\",\"ts\":\"").append(TS)
          .append("\",\"category\":\"").append(c).append("\",\"amount\":123456.78,\"adChannel\":\"")
          .append(key(rows)).append("\"}\n");
    }
    // plans that keep a category send its spend again: a duplicate, not a rejected row
    HttpResponse<Buffer> r = app.post("/api/v1/events", "application/x-ndjson", b.toString());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(0, r.bodyAsJsonObject().getJsonArray("rejected").size(), r.bodyAsString());
  }

  private static void post(TestApp app, String path, String ndjson, int rows) {
    SnapshotSizeTest.post(app, path, ndjson, rows);
  }
}
