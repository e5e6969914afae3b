package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plan's model beyond section 2: texts in two languages (section 9), measured milestones,
 * focus targets, experiments, teams and risks (sections 10 to 14), and the limits of section 15.
 */
@ExtendWith(VertxExtension.class)
class PlanModelTest {
  static JsonObject seed() {
    return new JsonObject(PlanParser.toJson(SeedPlan.forMonth(LocalDate.of(2026, 11, 1))).toString());
  }

  static JsonArray many(int n, IntFunction<Object> item) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < n; i++) a.add(item.apply(i));
    return a;
  }

  static JsonObject week(int i) {
    String d = LocalDate.of(2026, 1, 1).plusDays(i).toString();
    String e = LocalDate.of(2026, 1, 1).plusDays(i + 1).toString();
    return new JsonObject().put("start", d).put("end", e);
  }

  static Stream<Arguments> beyondTheLimits() {
    return Stream.<Arguments>of(
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("start", "2026-01-01").put("end", "2027-01-03"),
            "end: a plan's period is at most 366 days"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("start", "2026-01-01").put("end", "9999-12-31"),
            "end: must be a date between 2000 and 2200"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("start", "2026-01-01").put("end", "2026-12-31")
            .put("weeks", many(61, PlanModelTest::week)), "weeks: at most 60 entries"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("alerts", many(501, i -> new JsonObject()
            .put("id", "r" + i).put("kpi", "roi").put("op", "<").put("warn", 3).put("critical", 2))),
            "alerts: at most 500 entries"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("focus", many(101, i -> new JsonObject()
            .put("id", "f" + i).put("dimension", "sku").put("key", "A").put("target", 1))),
            "focus: at most 100 entries"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("experiments", many(21, i -> new JsonObject()
            .put("id", "x" + i).put("variants", new JsonArray().add("A").add("B")))),
            "experiments: at most 20 entries"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("teams", many(51, i -> new JsonObject()
            .put("id", "t" + i))), "teams: at most 50 entries"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("targets", new JsonObject()
            .put("revenue", new BigDecimal("1000000000000.01"))),
            "targets.revenue: must be at most 1000000000000"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("name", "x\ud800"),
            "name: must be valid Unicode text: it holds a lone surrogate (U+D800)"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("name", new JsonObject().put("en", "a\u0000b")),
            "name.en: must not contain a NUL character (U+0000)"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("name", "名".repeat(201)),
            "name: must be at most 200 characters"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("name", new JsonObject().put("Klingon!", "x")),
            "name.Klingon!: not a language tag such as zh-CN or en"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("id", "a/b"),
            "id: must not contain control characters, '/' or '\\'"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("language", "fr"),
            "language: must be zh-CN or en"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("weeks", new JsonArray().add(week(0)
            .put("milestones", new JsonArray().add(new JsonObject().put("text", "x")
                .put("metric", "counter:BAD NAME").put("value", 1))))),
            "weeks[0].milestones[0].metric: unknown metric 'counter:BAD NAME'; a KPI id, "
                + "counter:<name> or a focus target's id"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("weeks", new JsonArray().add(week(0)
            .put("milestones", new JsonArray().add(new JsonObject().put("metric", "revenue")
                .put("window", "week").put("op", ">=").put("value", 1))))),
            "weeks[0].milestones[0].text: is required"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("experiments", new JsonArray().add(
            new JsonObject().put("id", "x").put("variants", new JsonArray().add("A").add("B"))
                .put("split", new JsonArray().add(0.5).add(0.6)))),
            "experiments[0].split: the shares must add up to 1"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("alerts", new JsonArray().add(new JsonObject()
            .put("id", "r").put("kpi", "roi").put("op", "<").put("warn", 3).put("critical", 2)
            .put("owner", "nobody"))), "alerts[0].owner: no team 'nobody'"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("budget", new JsonObject(
            IntStream.range(0, 51).boxed().collect(
                Collectors.toMap(i -> "c" + i, i -> (Object) 1)))),
            "budget: at most 50 categories"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("risks", new JsonArray()
            .add(new JsonObject().put("id", "margin").put("text", "a"))
            .add(new JsonObject().put("id", "margin").put("text", "b"))),
            "risks[1].id: duplicate id 'margin'"),
        Arguments.of((UnaryOperator<JsonObject>) p -> p.put("alerts", new JsonArray()
            .add(new JsonObject().put("id", "r").put("kpi", "roi").put("op", "<").put("warn", 3).put("critical", 2))
            .add(new JsonObject().put("id", "r").put("kpi", "nps").put("op", "<").put("warn", 60).put("critical", 50))),
            "alerts[1].id: duplicate rule id 'r'"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("beyondTheLimits")
  void aPlanBeyondTheLimitsIsRefusedNamingTheField(UnaryOperator<JsonObject> change, String message) {
    PlanException e = assertThrows(PlanException.class,
        () -> PlanParser.parse(change.apply(seed()).encode()));
    assertEquals(message, e.getMessage());
  }

  @Test
  void anExtremePlanIsRefusedOverHttpAndTheOldOneKept(Vertx vertx) {
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-11T12:00:00+08:00"))) {
      JsonObject before = app.get("/api/v1/plan").bodyAsJsonObject();
      for (JsonObject bad : List.of(seed().put("end", "9999-01-01"),
          seed().put("start", "2026-01-01").put("end", "2026-12-31").put("weeks", many(10_000, PlanModelTest::week)),
          seed().put("targets", new JsonObject().put("revenue", 1e20)))) {
        HttpResponse<Buffer> r = TestApp.await(app.client.put("/api/v1/plan")
            .putHeader("Content-Type", "application/json").sendBuffer(bad.toBuffer()));
        assertEquals(400, r.statusCode(), r.bodyAsString());
      }
      assertEquals(before, app.get("/api/v1/plan").bodyAsJsonObject());
      assertEquals(200, app.get("/api/v1/report").statusCode());
    }
  }

  @Test
  void everySectionRoundTripsThroughJson() {
    JsonObject p = seed()
        .put("language", "en")
        .put("previous", new JsonObject().put("start", "2026-10-01").put("end", "2026-11-01"))
        .put("focus", new JsonArray().add(new JsonObject().put("id", "product-a-units")
            .put("text", new JsonObject().put("zh-CN", "重点产品A销量").put("en", "Key product A units"))
            .put("dimension", "sku").put("key", "A").put("metric", "units").put("target", 5000)))
        .put("experiments", new JsonArray().add(new JsonObject().put("id", "checkout-v2")
            .put("variants", new JsonArray().add("A").add("B")).put("control", "A")
            .put("split", new JsonArray().add(0.5).add(0.5))));
    p.getJsonObject("targets").put("newCustomers", new JsonObject().put("growth", 0.05));
    Plan plan = PlanParser.parse(p.encode());
    assertEquals(0, new BigDecimal("0.05").compareTo(plan.growth().get("newCustomers")));
    assertEquals(null, plan.targets().get("newCustomers"));
    JsonObject once = new JsonObject(PlanParser.toJson(plan).toString());
    JsonObject twice = new JsonObject(PlanParser.toJson(PlanParser.parse(once.encode())).toString());
    assertEquals(once, twice);
    assertEquals("Key product A units", plan.focus().get(0).text().in("en"));
    assertEquals("重点产品A销量", plan.focus().get(0).text().in("zh-CN"));
    assertEquals("重点产品A销量", plan.focus().get(0).text().in("fr") == null ? null
        : plan.focus().get(0).text().in("zh-CN"));
  }

  @Test
  void theBuiltInPlanCarriesTheSeedDocumentInBothLanguages() {
    Plan p = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
    assertEquals("zh-CN", p.language());
    assertEquals("11月销售作战策划", p.name().in("zh-CN"));
    assertEquals("November sales battle plan", p.name().in("en"));
    assertEquals(4, p.weeks().size());
    assertEquals(List.of("市场部", "新产品部/销售运营", "数字营销", "全体参与部门"),
        p.weeks().stream().map(w -> w.owner().in("zh-CN")).toList());
    assertEquals(List.of("市场调研报告出稿", "促销方案敲定", "线上渠道准备"),
        p.weeks().get(0).activities().stream().map(a -> a.in("zh-CN")).toList());
    assertEquals("社交媒体广告投放(投放预算30万)", p.weeks().get(2).activities().get(1).in("zh-CN"));
    assertEquals("发布会直播预约5000人观看", p.weeks().get(1).milestones().get(0).text().in("zh-CN"));
    assertEquals("counter:live_signups", p.weeks().get(1).milestones().get(0).metric());
    assertEquals("conversion", p.weeks().get(2).milestones().get(0).metric());
    assertEquals("week", p.weeks().get(2).milestones().get(0).window());
    assertEquals(List.of("revenue", "newCustomers"),
        p.weeks().get(3).milestones().stream().map(Plan.Milestone::metric).toList());
    assertEquals(LocalDate.of(2026, 11, 22), p.weeks().get(3).start());
    assertEquals(LocalDate.of(2026, 12, 1), p.weeks().get(3).end());
    assertEquals(6, p.strategies().size());
    assertEquals("数据驱动", p.strategies().get(5).text().in("zh-CN"));
    assertEquals("数据分析", p.strategies().get(5).department().in("zh-CN"));
    assertEquals(5, p.risks().size());
    assertEquals("设定利润保底线,采用捆绑销售提升客单价", p.risks().get(0).response().in("zh-CN"));
    assertTrue(p.risks().get(0).rules().contains("margin-floor"));
    assertEquals(6, p.teams().size());
    assertEquals(List.of("项目经理", "市场策划", "销售运营", "内容运营", "数据分析", "客服/CRM"),
        p.teams().stream().map(t -> t.name().in("zh-CN")).toList());
    assertEquals("FRIDAY 16:00", p.team("data").meeting().day() + " " + p.team("data").meeting().time());
    assertEquals(null, p.team("crm").meeting());
    assertEquals("持续在线,周末值班轮班", p.team("crm").schedule().in("zh-CN"));
    assertEquals(4, p.market().size());
    assertEquals(3, p.evaluation().size());
    // The KPI table as the document writes it (5.KPI监控表).
    assertEquals(List.of("销售额 1,200万元", "新客户数 +5%", "复购率 ≥30%", "转化率 ≥3%", "客单价(ARPU) 300元",
        "广告ROI ≥3.5", "客户满意度(NPS) ≥65"), p.kpiTable().stream()
        .map(r -> r.name().in("zh-CN") + " " + r.goal().in("zh-CN")).toList());
    assertEquals(List.of("revenue", "newCustomers", "repurchaseRate", "conversion", "aov", "roi", "nps"),
        p.kpiTable().stream().map(Plan.KpiRow::kpi).toList());
    assertEquals("Average order value (ARPU)", p.kpiTable().get(4).name().in("en"));
    assertTrue(p.evaluation().get(2).in("zh-CN").contains("制定12月销售作战策划"));
    assertEquals("促销活动(折扣、赠品)", p.budgetLabels().get("promotion").in("zh-CN"));
    // Every English entry is there too, and every text round-trips.
    JsonObject json = new JsonObject(PlanParser.toJson(p).toString());
    assertEquals(json, new JsonObject(PlanParser.toJson(PlanParser.parse(json.encode())).toString()));
    assertTrue(json.encode().contains("\"en\":\"Market research report drafted\""));
  }
}
