package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.PlanSense;
import io.warroom.plan.SeedPlan;
import java.time.LocalDate;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The mistakes a person makes typing a plan (a conversion of 3 meant as 3 %, a target of 0 meant
 * as none, a third decimal of money, a week outside the period) are refused at PUT, preview and
 * campaign PUT with the field and a reason in both languages, and the plan in force stays. A plan
 * stored before these rules still reads back, so a server never fails to start on one.
 */
class PlanSenseTest extends AppTest {
  static final String NOW = "2026-11-16T00:00:00+08:00";

  record Mistake(String field, String en, String zh, UnaryOperator<JsonObject> change) {}

  static JsonObject rule(String kpi, String op, double warn, double critical) {
    return new JsonObject().put("id", "r").put("kpi", kpi).put("window", "last1h").put("op", op)
        .put("warn", warn).put("critical", critical);
  }

  static JsonObject target(String kpi, Object v) {
    return new JsonObject().put(kpi, v);
  }

  static final List<Mistake> MISTAKES = List.of(
      new Mistake("targets.conversion", "a share is at most 1 (3 % is written 0.03)",
          "比率不能超过 1（3% 写作 0.03）", p -> p.put("targets", target("conversion", 3))),
      new Mistake("targets.onlineShare", "a share is at most 1 (3 % is written 0.03)",
          "比率不能超过 1（3% 写作 0.03）", p -> p.put("targets", target("onlineShare", 70))),
      new Mistake("targets.nps", "a score is at most 100", "分值不能超过 100",
          p -> p.put("targets", target("nps", 101))),
      new Mistake("targets.revenue", "must be more than 0 (leave the target out for none)",
          "必须大于 0（不设目标请留空）", p -> p.put("targets", target("revenue", 0))),
      new Mistake("targets.roi", "must be more than 0 (leave the target out for none)",
          "必须大于 0（不设目标请留空）", p -> p.put("targets", target("roi", 0))),
      new Mistake("targets.aov", "an amount has at most 2 decimals", "金额最多两位小数",
          p -> p.put("targets", target("aov", 0.001))),
      new Mistake("targets.newCustomers", "a count is a whole number", "数量必须是整数",
          p -> p.put("targets", target("newCustomers", 21000.5))),
      new Mistake("weeks[0].start", "must not be before the plan's start (2026-11-01)",
          "不能早于计划的开始日期（2026-11-01）", p -> p.put("weeks", new JsonArray().add(
              new JsonObject().put("start", "2026-10-28").put("end", "2026-11-04")))),
      new Mistake("alerts[0].warn", "a share is at most 1 (3 % is written 0.03)",
          "比率不能超过 1（3% 写作 0.03）", p -> p.put("alerts", new JsonArray().add(rule("onlineShare", "<", 70, 60)))),
      new Mistake("alerts[0].critical", "a share is at most 1 (3 % is written 0.03)",
          "比率不能超过 1（3% 写作 0.03）", p -> p.put("alerts", new JsonArray().add(rule("conversion", ">", 0.5, 2.4)))),
      new Mistake("alerts[0].warn", "a score is from -100 to 100", "分值必须在 -100 到 100 之间",
          p -> p.put("alerts", new JsonArray().add(rule("nps", ">", 101, 150)))),
      new Mistake("targets.newCustomers.growth", "must be more than -1 and at most 1 (+5 % is written 0.05)",
          "必须大于 -1 且不超过 1（+5% 写作 0.05）", p -> p.put("targets", target("newCustomers",
              new JsonObject().put("growth", 5)))),
      new Mistake("targets.revenue.growth", "must be more than -1 and at most 1 (+5 % is written 0.05)",
          "必须大于 -1 且不超过 1（+5% 写作 0.05）", p -> p.put("targets", target("revenue",
              new JsonObject().put("growth", -1)))),
      new Mistake("weeks[0].milestones[0].value", "a share is at most 1 (3 % is written 0.03)",
          "比率不能超过 1（3% 写作 0.03）", p -> p.put("weeks", new JsonArray().add(new JsonObject()
              .put("start", "2026-11-01").put("end", "2026-11-08").put("milestones", new JsonArray()
                  .add(new JsonObject().put("text", "首周转化率≥3%").put("metric", "conversion")
                      .put("window", "week").put("op", ">=").put("value", 3)))))),
      new Mistake("weeks[1].start", "must not be before the end of weeks[0] (2026-11-08): weeks do not overlap",
          "不能早于 weeks[0] 的结束日期（2026-11-08）：各周不能重叠", p -> p.put("weeks", new JsonArray()
              .add(new JsonObject().put("start", "2026-11-01").put("end", "2026-11-08"))
              .add(new JsonObject().put("start", "2026-11-03").put("end", "2026-11-15")))),
      new Mistake("focus[0].target", "must be more than 0 (leave the target out for none)",
          "必须大于 0（不设目标请留空）", p -> p.put("focus", new JsonArray().add(new JsonObject()
              .put("id", "green").put("dimension", "productCategory").put("key", "green")
              .put("metric", "share").put("target", 0)))),
      new Mistake("weeks[1].end", "must not be after the plan's end (2026-12-01)",
          "不能晚于计划的结束日期（2026-12-01）", p -> p.put("weeks", new JsonArray()
              .add(new JsonObject().put("start", "2026-11-01").put("end", "2026-11-08"))
              .add(new JsonObject().put("start", "2026-11-24").put("end", "2026-12-02")))));

  @Test
  void mistakesAreRefusedAtTheirFieldAndThePlanInForceStays() {
    try (TestApp app = start(Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at(NOW))) {
      JsonObject inForce = app.get("/api/v1/plan").bodyAsJsonObject();
      for (Mistake m : MISTAKES) {
        JsonObject plan = m.change().apply(PlanTest.seedJson());
        for (String path : List.of("/api/v1/plan", "/api/v1/plan/preview", "/api/v1/campaigns/2026-11")) {
          var r = TestApp.await(path.endsWith("preview") ? app.client.post(path).sendJsonObject(plan)
              : app.client.put(path).sendJsonObject(plan));
          assertEquals(400, r.statusCode(), path + " " + m.field() + ": " + r.bodyAsString());
          JsonObject body = r.bodyAsJsonObject();
          assertEquals(m.field(), body.getString("field"), path);
          assertEquals(m.field() + ": " + m.en(), body.getString("error"), path);
          assertEquals(new JsonObject().put("en", m.en()).put("zh-CN", m.zh()), body.getJsonObject("reason"));
        }
      }
      assertEquals(inForce, app.get("/api/v1/plan").bodyAsJsonObject());
      assertEquals(0, app.get("/api/v1/campaigns").bodyAsJsonArray().size());
      // What stays allowed: a share of exactly 1, an NPS target of 0, cents, weeks that fill the period.
      JsonObject fine = PlanTest.seedJson().put("targets", new JsonObject().put("onlineShare", 1)
          .put("nps", 0).put("aov", 299.99).put("newCustomers", 21000));
      var ok = TestApp.await(app.client.put("/api/v1/plan").sendJsonObject(fine));
      assertEquals(200, ok.statusCode(), ok.bodyAsString());
    }
  }

  @Test
  void nextMonthsDraftOfAMonthWithoutOrdersCanBePutAsItIs() {
    try (TestApp app = start(Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at(NOW))) {
      JsonObject draft = app.get("/api/v1/plan/next").bodyAsJsonObject();
      // no revenue to grow from: the target stays (it was 0 x 1.05 = 0 before)
      assertEquals(12_000_000, draft.getJsonObject("targets").getInteger("revenue"));
      // Orders, none of them green: a share of 0 gives no target (it was 0, met by nothing at all).
      app.post("/api/v1/orders", "application/json", "{\"id\":\"o1\",\"ts\":\"2026-11-12T10:00:00+08:00\","
          + "\"customerId\":\"c1\",\"amount\":100,\"channel\":\"tmall\",\"productCategory\":\"tea\"}");
      JsonObject withOrders = app.get("/api/v1/plan/next").bodyAsJsonObject();
      JsonObject green = withOrders.getJsonArray("focus").stream().map(JsonObject.class::cast)
          .filter(f -> f.getString("id").equals("green-products")).findFirst().orElseThrow();
      assertEquals(null, green.getValue("target"), green.encode());
      for (JsonObject d : List.of(draft, withOrders)) {
        var put = TestApp.await(app.client.put("/api/v1/plan").sendJsonObject(d));
        assertEquals(200, put.statusCode(), put.bodyAsString());
      }
    }
  }

  @Test
  void aStoredPlanFromBeforeTheseRulesStillReadsBack() {
    JsonObject old = PlanTest.seedJson().put("targets", target("conversion", 3));
    Plan p = PlanParser.parse(old.encode());
    assertEquals(0, p.targets().get("conversion").compareTo(java.math.BigDecimal.valueOf(3)));
  }

  @Test
  void everyBuiltInPlanAndItsNextMonthDraftKeepTheRules() {
    for (LocalDate m = LocalDate.of(2026, 1, 1); m.isBefore(LocalDate.of(2029, 1, 1)); m = m.plusMonths(1)) {
      Plan seed = SeedPlan.forMonth(m);
      assertTrue(seed == PlanSense.check(seed), m.toString());
      Plan again = PlanParser.parse(PlanParser.toJson(seed).toString());
      PlanSense.check(again);
    }
  }
}
