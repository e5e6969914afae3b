package io.warroom.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warroom.SeedPlans;
import io.warroom.alert.Readings.Inputs;
import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.plan.Plan;
import io.warroom.plan.Text;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules a plan puts in force, plan changes, restore after a restart, and the plan's new fields. */
class AlertEngineTest {
  static final long T0 = AlertRulesTest.T0;

  @Test
  void theSeedPlanDerivesARuleForEveryTargetBudgetAndRisk() {
    List<Rule> rules = Rules.derive(SeedPlans.absolute(LocalDate.of(2026, 11, 1)));
    assertEquals(List.of("conversion-low", "pace-revenue", "forecast-revenue", "pace-newCustomers",
        "forecast-newCustomers", "target-repurchaseRate", "target-aov", "target-roi", "target-nps",
        "target-onlineShare", "budget-promotion", "budget-ads", "budget-live_content", "budget-crm",
        "budget-partners", "margin-floor", "feed-stale"), rules.stream().map(Rule::id).toList(),
        "the plan's conversion rule replaces the conversion default");
    Map<String, Rule> byId = new HashMap<>();
    for (Rule r : rules) byId.put(r.id(), r);
    // Owned by planning (the owners map by KPI id), answered by the margin risk's response.
    assertEquals(new Rule("target-aov", Rule.Kind.FIELD, "aov", "last1h", "<", 270, 240.0, 300_000,
        6, 30, null, new Route("planning", Text.zhEn("设定利润保底线,采用捆绑销售提升客单价",
            "Set a profit floor; use bundles to raise the average order value"), "margin")),
        byId.get("target-aov"));
    assertEquals("campaign", byId.get("target-repurchaseRate").window());
    assertEquals(new Rule("budget-ads", Rule.Kind.BUDGET, "budget.ads", "campaign", ">", 0.1, 0.2,
        300_000, 0.02, 0, "ads", new Route("pm", null, null)), byId.get("budget-ads"));
    assertEquals(new Route("data", Text.zhEn("差异化服务、加强品牌故事、提升用户体验",
        "Differentiated service, a stronger brand story, a better user experience"), "price-war"),
        byId.get("conversion-low").route(), "the rule's own owner");
    assertEquals(0.2, byId.get("margin-floor").warn());
    assertEquals(0.16, byId.get("margin-floor").critical(), 1e-12);
    assertEquals(10.0, byId.get("feed-stale").warn());
    assertEquals(20.0, byId.get("feed-stale").critical());
    assertEquals(12_000_000.0, byId.get("forecast-revenue").warn());
    assertNull(byId.get("forecast-revenue").critical(), "a forecast below target is a warning");
  }

  @Test
  void aRuleThatLeavesThePlanResolvesItsAlert() {
    Plan plan = plan("\"alerts\":[" + AlertRulesTest.CONV + "}]");
    AlertEngine engine = new AlertEngine();
    engine.setRules(Rules.derive(plan), T0);
    Aggregator agg = traffic(plan, 1000, 26);
    assertEquals(1, engine.evaluate(new Inputs(agg, T0, T0), r -> false).size());
    List<Alert> gone = engine.setRules(List.of(), T0 + 1000);
    assertEquals(1, gone.size());
    assertEquals(State.RESOLVED, gone.get(0).state());
    assertEquals("resolved: the rule is no longer in the plan", gone.get(0).message());
    assertEquals(T0 + 1000, gone.get(0).resolvedAt());
    assertEquals(List.of(), engine.active());
  }

  @Test
  void aFiringAlertStaysFiringWhenThePlanLengthensItsFor() {
    AlertEngine engine = new AlertEngine();
    engine.setRules(Rules.derive(convFor("1m")), T0);
    Aggregator low = traffic(convFor("1m"), 1000, 26);
    assertEquals(State.PENDING, at(engine, low, T0).get(0).state());
    Alert fired = at(engine, low, T0 + 60_000).get(0);
    assertEquals(State.FIRING, fired.state());

    // `for` becomes ten minutes while the condition still holds: no transition, still firing.
    assertEquals(List.of(), engine.setRules(Rules.derive(convFor("10m")), T0 + 120_000));
    assertEquals(List.of(), at(engine, low, T0 + 120_000));
    assertEquals(State.FIRING, engine.active().get(0).state());
    assertEquals(fired.id(), engine.active().get(0).id());

    // It resolves once the value is back past the threshold, as before,
    assertEquals(State.RESOLVED, at(engine, traffic(convFor("10m"), 1000, 40), T0 + 180_000).get(0).state());
    // and a new episode waits out the new `for`.
    assertEquals(State.PENDING, at(engine, low, T0 + 240_000).get(0).state());
    assertEquals(List.of(), at(engine, low, T0 + 240_000 + 599_000));
    assertEquals(State.FIRING, at(engine, low, T0 + 240_000 + 600_000).get(0).state());
  }

  /** The conversion rule alone, with this `for`. */
  private static Plan convFor(String duration) {
    return plan("\"staleFeedMinutes\":0,\"alerts\":[" + AlertRulesTest.CONV + ",\"for\":\"" + duration + "\"}]");
  }

  private static List<Alert> at(AlertEngine engine, Aggregator agg, long now) {
    return engine.evaluate(new Inputs(agg, now, T0), r -> false);
  }

  @Test
  void aNewOwnerTakesAFiringAlertAtOnceThoughItsRuleCannotBeJudgedNow() {
    String teams = "\"staleFeedMinutes\":0,\"teams\":[{\"id\":\"a\",\"name\":\"A\"},"
        + "{\"id\":\"b\",\"name\":\"B\"}],";
    Plan first = plan(teams + "\"alerts\":[" + AlertRulesTest.CONV + ",\"owner\":\"a\"}]");
    AlertEngine engine = new AlertEngine();
    engine.setRules(Rules.derive(first), T0);
    Aggregator agg = traffic(first, 1000, 26);
    assertEquals("a", engine.evaluate(new Inputs(agg, T0, T0), r -> false).get(0).owner());
    // An hour later no session is left in last1h: the rule cannot judge, the alert stays firing.
    Aggregator empty = new Aggregator(first, T0 + 3_600_000);
    assertEquals(List.of(), engine.evaluate(new Inputs(empty, T0 + 3_600_000, T0), r -> false));
    Plan second = plan(teams + "\"alerts\":[" + AlertRulesTest.CONV + ",\"owner\":\"b\"}]");
    assertEquals(List.of(), engine.setRules(Rules.derive(second), T0 + 3_600_000));
    assertEquals("b", engine.active().get(0).owner(), "the new owner, before the alert ends");
    assertEquals(State.FIRING, engine.active().get(0).state());

    // A restart under a plan that gives it to "a" again: the kept alert takes that owner at once.
    Alert kept = engine.active().get(0);
    AlertEngine restarted = new AlertEngine();
    restarted.setRules(Rules.derive(first), T0 + 3_600_000);
    assertEquals(List.of(), restarted.restore(List.of(kept), Map.of("conv", 1L), T0 + 3_600_000));
    assertEquals("a", restarted.active().get(0).owner());
  }

  @Test
  void restoredAlertsCarryOnWhereTheyWere() {
    Plan plan = plan("\"alerts\":[" + AlertRulesTest.CONV + ",\"for\":\"5m\"}]");
    AlertEngine before = new AlertEngine();
    before.setRules(Rules.derive(plan), T0);
    Aggregator agg = traffic(plan, 1000, 26);
    Alert pending = before.evaluate(new Inputs(agg, T0, T0), r -> false).get(0);
    assertEquals(State.PENDING, pending.state());

    // Three minutes later, after a restart: still pending, and firing five minutes after it began.
    AlertEngine after = new AlertEngine();
    after.setRules(Rules.derive(plan), T0 + 180_000);
    assertEquals(List.of(), after.restore(List.of(pending), Map.of("conv", 1L), T0 + 180_000));
    assertEquals(List.of(), after.evaluate(new Inputs(agg, T0 + 180_000, T0), r -> false));
    Alert fired = after.evaluate(new Inputs(agg, T0 + 300_000, T0), r -> false).get(0);
    assertEquals("conv-1", fired.id());
    assertEquals(State.FIRING, fired.state());
    assertEquals(T0, fired.since());

    // Episode numbers go on from what was kept, so ids never repeat.
    AlertEngine fresh = new AlertEngine();
    fresh.setRules(Rules.derive(plan), T0);
    fresh.restore(List.of(), Map.of("conv", 7L), T0);
    assertEquals("conv-8", fresh.evaluate(new Inputs(agg, T0, T0), r -> false).get(0).id());
  }

  @Test
  void aTransitionOfASilencedRuleIsMarked() {
    Plan plan = plan("\"alerts\":[" + AlertRulesTest.CONV + "}]");
    AlertEngine engine = new AlertEngine();
    engine.setRules(Rules.derive(plan), T0);
    Alert a = engine.evaluate(new Inputs(traffic(plan, 1000, 26), T0, T0), "conv"::equals).get(0);
    assertTrue(a.silenced());
  }

  @Test
  void thePlanCarriesItsProfitFloorAndStaleFeedLimit() {
    Plan p = plan("\"profitFloor\":0.25,\"staleFeedMinutes\":15");
    assertEquals(0.25, p.profitFloor());
    assertEquals(15, p.staleFeedMinutes());
    assertEquals(p, PlanParser.parse(PlanParser.toJson(p).toString()), "written and read back");
    Plan defaults = PlanParser.parse(base(""));
    assertNull(defaults.profitFloor());
    assertEquals(10, defaults.staleFeedMinutes());
    assertEquals(0.2, SeedPlan.forMonth(LocalDate.of(2026, 11, 1)).profitFloor());

    assertRefused("\"profitFloor\":1", "profitFloor: must be a gross margin below 1, such as 0.2");
    assertRefused("\"profitFloor\":-0.1", "profitFloor: must be >= 0");
    assertRefused("\"profitFloor\":\"0.2\"", "profitFloor: must be a number");
    assertRefused("\"staleFeedMinutes\":1441",
        "staleFeedMinutes: must be an integer from 0 (off) to 1440");
    assertRefused("\"staleFeedMinutes\":2.5",
        "staleFeedMinutes: must be an integer from 0 (off) to 1440");
  }

  private static void assertRefused(String fields, String message) {
    assertEquals(message, assertThrows(PlanException.class,
        () -> PlanParser.parse(base(fields))).getMessage());
  }

  static String base(String fields) {
    return "{\"id\":\"t\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\",\"timezone\":\"Asia/Shanghai\""
        + (fields.isEmpty() ? "" : "," + fields) + "}";
  }

  static Plan plan(String fields) {
    return PlanParser.parse(base(fields));
  }

  static Aggregator traffic(Plan plan, int sessions, int orders) {
    Aggregator agg = new Aggregator(plan, T0);
    for (Rec r : AlertRulesTest.traffic(sessions, orders)) agg.apply(AlertRulesTest.stamped(r, T0));
    return agg;
  }
}
