package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.Main;
import io.warroom.MutableClock;
import io.warroom.SseClient;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CONTRACT section 2 and PUT /api/v1/plan. */
public class PlanTest extends AppTest {
  static final String NOW = "2026-11-16T00:00:00+08:00";

  static JsonObject seedJson() {
    return new JsonObject(PlanParser.toJson(SeedPlan.forMonth(LocalDate.of(2026, 11, 1))).toString());
  }

  @Test
  void theSeedPlanIsTheBattlePlanForTheCurrentMonth() {
    Plan p = SeedPlan.forCurrentMonth(MutableClock.at("2027-01-31T17:00:00Z")); // Feb 1st in Shanghai
    assertEquals("2027-02", p.id());
    assertEquals(LocalDate.of(2027, 2, 1), p.start());
    assertEquals(LocalDate.of(2027, 3, 1), p.end());
    assertEquals(4, p.weeks().size());
    assertEquals(p.end(), p.weeks().get(3).end());
    assertEquals(500_000_000L, p.budgetCents().values().stream().mapToLong(Long::longValue).sum());
    assertEquals(List.of("revenue", "repurchaseRate", "conversion", "aov",
        "roi", "nps", "onlineShare"), List.copyOf(p.targets().keySet()));
    // 新客户增长5%: new customers +5 % on the previous month.
    assertEquals(Map.of("newCustomers", new BigDecimal("0.05")), p.growth());
    assertEquals(0, new BigDecimal("12000000").compareTo(p.targets().get("revenue")));
    assertEquals(0, new BigDecimal("0.30").compareTo(p.targets().get("repurchaseRate")));
    assertEquals(new BigDecimal("3.5"), p.targets().get("roi"));
    assertEquals(7, p.targets().size());
  }

  static Stream<Arguments> badPlans() {
    return Stream.of(
        Arguments.of(seedJson().put("end", "2026-10-01"), "end: must be after start"),
        Arguments.of(seedJson().put("start", "11/01/2026"), "start: must be a date such as 2026-11-01"),
        Arguments.of(seedJson().put("timezone", "Mars/Olympus"), "timezone: unknown time zone 'Mars/Olympus'"),
        Arguments.of(seedJson().put("budget", new JsonObject().put("ads", -5)), "budget.ads: must be >= 0"),
        Arguments.of(seedJson().put("budget", new JsonObject().put("ads", 1.001)),
            "budget.ads: at most 2 decimals"),
        Arguments.of(seedJson().put("targets", new JsonObject().put("sales", 5)),
            "targets.sales: unknown KPI; expected one of [revenue, newCustomers, repurchaseRate, "
                + "conversion, aov, roi, nps, onlineShare]"),
        Arguments.of(seedJson().put("targets", new JsonObject().put("roi", "high")), "targets.roi: must be a number"),
        Arguments.of(seedJson().put("alerts", new JsonArray().add(new JsonObject().put("id", "x")
            .put("kpi", "sales").put("op", "<").put("warn", 1).put("critical", 0))),
            "alerts[0].kpi: unknown KPI 'sales'"),
        Arguments.of(seedJson().put("alerts", new JsonArray().add(new JsonObject().put("id", "x")
            .put("kpi", "roi").put("op", "<").put("warn", 3).put("critical", 2).put("for", "soon"))),
            "alerts[0].for: must be a duration such as 30s, 5m or 1h"),
        Arguments.of(seedJson().put("alerts", new JsonArray().add(new JsonObject().put("id", "x")
            .put("kpi", "roi").put("op", "<").put("warn", 2).put("critical", 3))),
            "alerts[0].critical: must be at or below warn for op <"),
        Arguments.of(seedJson().put("weeks", new JsonArray().add(new JsonObject()
            .put("start", "2026-11-08").put("end", "2026-11-01"))), "weeks[0].end: must be after start"),
        Arguments.of(seedJson().putNull("id"), "id: is required"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badPlans")
  void aBadPlanIsRefusedNamingTheField(JsonObject plan, String message) {
    PlanException e = assertThrows(PlanException.class, () -> PlanParser.parse(plan.encode()));
    assertEquals(message, e.getMessage());
  }

  @Test
  void aPlanFileThatBreaksARuleNamesTheFileAndField(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("plan.json");
    Files.writeString(file, seedJson().put("end", "2026-10-01").encode());
    PlanException e = assertThrows(PlanException.class,
        () -> Main.loadPlan(file.toString(), MutableClock.at(NOW)));
    assertEquals("WARROOM_PLAN (" + file + "): end: must be after start", e.getMessage());
    Files.writeString(file, seedJson().put("name", "Double 11").encode());
    assertEquals("Double 11", Main.loadPlan(file.toString(), MutableClock.at(NOW)).name().in("en"));
  }

  @Test
  void putPlanRederivesEveryKpiAndPushesIt() {
    try (TestApp app = start(Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at(NOW))) {
      app.post("/api/v1/orders", "application/json", "["
          + "{\"id\":\"a\",\"ts\":\"2026-11-05T10:00:00+08:00\",\"customerId\":\"c1\",\"amount\":100,\"channel\":\"tmall\"},"
          + "{\"id\":\"b\",\"ts\":\"2026-11-12T10:00:00+08:00\",\"customerId\":\"c2\",\"amount\":50,\"channel\":\"shop\"}]");
      assertEquals(seedJson(), app.get("/api/v1/plan").bodyAsJsonObject());
      try (SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
        sse.next(8000);
        JsonObject plan = seedJson().put("id", "double-11").put("start", "2026-11-10")
            .put("end", "2026-11-20").put("weeks", new JsonArray()).put("onlineChannels", new JsonArray().add("shop"))
            .put("targets", new JsonObject().put("revenue", 100));
        var r = TestApp.await(app.client.put("/api/v1/plan").sendJsonObject(plan));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonObject k = app.kpis();
        JsonObject campaign = k.getJsonObject("windows").getJsonObject("campaign");
        assertEquals(50.0, campaign.getDouble("grossRevenue"), "only the order inside the new period");
        assertEquals(1.0, campaign.getDouble("onlineShare"), "by the new plan's online channels");
        assertEquals(0.6, k.getJsonObject("plan").getDouble("elapsed"));
        JsonArray kpis = new JsonArray(k.getJsonArray("kpis").stream() // the seed's focus targets are FocusTest's
            .filter(e -> !((JsonObject) e).getBoolean("focus", false)).toList());
        assertEquals(1, kpis.size());
        assertEquals(60.0, kpis.getJsonObject(0).getDouble("expected"));
        assertEquals("warning", kpis.getJsonObject(0).getString("status"), "50 of 60 expected");
        JsonObject pushed;
        SseClient.Event e;
        do {
          e = sse.next(8000); // alert events (the new plan's pace) come on the stream too
        } while (!e.event().equals("snapshot")
            || !e.json().getJsonObject("plan").getString("id").equals("double-11"));
        pushed = e.json();
        assertEquals(50.0, pushed.getJsonObject("windows").getJsonObject("campaign").getDouble("revenue"));
        assertEquals("double-11", app.get("/api/v1/plan").bodyAsJsonObject().getString("id"));
      }
      var bad = TestApp.await(app.client.put("/api/v1/plan")
          .sendJsonObject(seedJson().put("end", "2026-01-01")));
      assertEquals(400, bad.statusCode());
      assertEquals("end: must be after start", bad.bodyAsJsonObject().getString("error"));
      assertEquals("double-11", app.get("/api/v1/plan").bodyAsJsonObject().getString("id"));
    }
  }

  @Test
  void aSpendCategoryMustBeInThePlanInForce() {
    try (TestApp app = start(Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at(NOW))) {
      String spend = "{\"id\":\"s\",\"ts\":\"2026-11-12T10:00:00+08:00\",\"category\":\"tv\",\"amount\":5}";
      assertEquals(1, app.post("/api/v1/spend", "application/json", spend).bodyAsJsonObject()
          .getJsonArray("rejected").size());
      TestApp.await(app.client.put("/api/v1/plan").sendJsonObject(seedJson()
          .put("budget", new JsonObject().put("tv", 1000))));
      assertEquals(1, app.post("/api/v1/spend", "application/json", spend).bodyAsJsonObject()
          .getInteger("accepted"));
      assertEquals(new JsonObject().put("tv", new JsonObject().put("allocated", 1000).put("spent", 5)
          .put("status", "ok")),
          app.kpis().getJsonObject("budget"));
    }
  }
}
