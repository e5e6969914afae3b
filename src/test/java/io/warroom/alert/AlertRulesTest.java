package io.warroom.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warroom.alert.Readings.Inputs;
import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule evaluation driven by a synthetic clock, in the manner of {@code promtool test rules}: each
 * case is a plan, then steps at exact times that feed records and evaluate, each with the
 * transitions it must produce and the alerts that must be active after it.
 *
 * <p>Expectations are written "id state severity" or "id state severity value/threshold"; values
 * are worked out by hand in the comments. Times are seconds after 2026-11-11T00:00+08:00, when
 * exactly a third of the November plan has elapsed.
 */
class AlertRulesTest {
  static final long T0 = OffsetDateTime.parse("2026-11-11T00:00:00+08:00").toInstant().toEpochMilli();
  static final String CONV = "{\"id\":\"conv\",\"kpi\":\"conversion\",\"window\":\"last1h\","
      + "\"op\":\"<\",\"warn\":0.027,\"critical\":0.024";

  static Stream<Arguments> cases() {
    return Stream.<Scenario>of(
        scenario("field rule, for 0: the crossing record fires it")
            .plan("\"alerts\":[" + CONV + "}]")
            // 27 / 1000 = 0.027 is not below 0.027.
            .at(0, traffic(1000, 27)).expect("").active("")
            // 52 / 2000 = 0.026.
            .at(10, traffic(1000, 25)).expect("conv-1 firing warning 0.026/0.027")
            .active("conv-1 firing warning"),

        scenario("escalation to critical and back, then resolved")
            .plan("\"alerts\":[" + CONV + "}]")
            .at(0, traffic(1000, 26)).expect("conv-1 firing warning 0.026/0.027")
            // 46 / 2000 = 0.023 < 0.024.
            .at(60, traffic(1000, 20)).expect("conv-1 firing critical 0.023/0.024")
            // 100 / 4000 = 0.025: critical no longer holds, warning does.
            .at(120, traffic(2000, 54)).expect("conv-1 firing warning 0.025/0.027")
            // 280 / 8000 = 0.035.
            .at(180, traffic(4000, 180)).expect("conv-1 resolved warning 0.035/0.027").active(""),

        scenario("pending that never fires")
            .plan("\"alerts\":[" + CONV + ",\"for\":\"5m\"}]")
            .at(0, traffic(1000, 26)).expect("conv-1 pending warning 0.026/0.027")
            .at(240).expect("").active("conv-1 pending warning")
            // 60 / 2000 = 0.03, four and a half minutes in.
            .at(270, traffic(1000, 34)).expect("conv-1 resolved warning 0.03/0.027")
            .at(600).expect("").active(""),

        scenario("pending fires once the condition has held for `for`")
            .plan("\"alerts\":[" + CONV + ",\"for\":\"5m\"}]")
            .at(0, traffic(1000, 26)).expect("conv-1 pending warning")
            .atMillis(299_999).expect("").active("conv-1 pending warning")
            .at(300).expect("conv-1 firing warning 0.026/0.027").active("conv-1 firing warning"),

        scenario("critical needs its own `for`")
            .plan("\"alerts\":[" + CONV + ",\"for\":\"5m\"}]")
            .at(0, traffic(1000, 26)).expect("conv-1 pending warning 0.026/0.027")
            // 46 / 2000 = 0.023 from 2m on.
            .at(120, traffic(1000, 20)).expect("conv-1 pending critical 0.023/0.024")
            // warning has held 5m, critical only 3m.
            .at(300).expect("conv-1 firing warning 0.023/0.027")
            .at(419).expect("")
            .at(420).expect("conv-1 firing critical 0.023/0.024"),

        scenario("hysteresis: resolves only at threshold + clear, fires again only past the threshold")
            .plan("\"alerts\":[" + CONV + ",\"clear\":0.001}]")
            // 269 / 10000 = 0.0269.
            .at(0, traffic(10000, 269)).expect("conv-1 firing warning 0.0269/0.027")
            // 550 / 20000 = 0.0275 and 837 / 30000 = 0.0279: past 0.027, inside 0.028.
            .at(60, traffic(10000, 281)).expect("").active("conv-1 firing warning")
            .at(120, traffic(10000, 287)).expect("").active("conv-1 firing warning")
            // 1120 / 40000 = 0.028 = 0.027 + 0.001: out.
            .at(180, traffic(10000, 283)).expect("conv-1 resolved warning 0.028/0.027")
            // 1350 / 50000 = 0.027 again: inactive rules use the plain threshold, not below it.
            .at(240, traffic(10000, 230)).expect("").active("")
            // 1614 / 60000 = 0.0269: a new episode.
            .at(300, traffic(10000, 264)).expect("conv-2 firing warning 0.0269/0.027"),

        scenario("minimum samples: not judged below 500 sessions; a firing alert waits for data")
            .plan("\"alerts\":[" + CONV + ",\"minSamples\":500}]")
            .at(0, traffic(100, 1)).expect("")
            .at(60, traffic(399, 0)).expect("")
            // 1 / 500 = 0.002.
            .at(120, traffic(1, 0)).expect("conv-1 firing critical 0.002/0.024")
            // 62 minutes on the first three minutes have left last1h: 10 / 100 is not judged.
            .at(3720, traffic(100, 10)).expect("").active("conv-1 firing critical")
            // 15 / 500 = 0.03.
            .at(3780, traffic(400, 5)).expect("conv-1 resolved critical 0.03/0.024"),

        scenario("a pending alert without data any more is dropped")
            .plan("\"alerts\":[" + CONV + ",\"for\":\"5m\"}]")
            // 10 / 500 = 0.02.
            .at(0, traffic(500, 10)).expect("conv-1 pending critical 0.02/0.024")
            // An hour on, last1h is empty.
            .at(3600).expect("conv-1 resolved critical 0.02/0.024").active(""),

        scenario("stale feed: no records for 10 minutes is a warning, 20 critical")
            .plan("\"staleFeedMinutes\":10")
            .at(0, traffic(10, 0)).expect("")
            .at(599).expect("")
            .at(600).expect("feed-stale-1 firing warning 10/10")
            .at(1199).expect("").active("feed-stale-1 firing warning")
            .at(1200).expect("feed-stale-1 firing critical 20/20")
            .at(1260, traffic(1, 0)).expect("feed-stale-1 resolved critical 0/20").active(""),

        scenario("revenue behind the expected pace, and its forecast below target")
            .plan("\"targets\":{\"revenue\":3000000}")
            // 850,000 against 1,000,000 expected by now: 0.85 < 0.9, warning line 900,000.
            // Forecast 850,000 / (1/3) = 2,550,000 < 3,000,000.
            .at(0, orders(85, 1_000_000))
            .expect("pace-revenue-1 pending warning 850000/900000, "
                + "forecast-revenue-1 pending warning 2550000/3000000")
            // After 15 minutes, expected is 3,000,000 * 865,800 / 2,592,000 = 1,001,041.67 (cents
            // rounded), and 0.9 of it 900,937.50.
            .at(900).expect("pace-revenue-1 firing warning 850000/900937.5, "
                + "forecast-revenue-1 firing warning")
            // 950,000 / 1,001,111.11 = 0.949, past 0.9 + 0.02: resolved; the forecast still short.
            .at(960, orders(10, 1_000_000)).expect("pace-revenue-1 resolved warning")
            .active("forecast-revenue-1 firing warning")
            .at(1020, orders(220, 1_000_000)).expect("forecast-revenue-1 resolved warning"),

        scenario("pace is not judged in the period's first hour")
            .startingAt("2026-11-01T00:00:00+08:00")
            .plan("\"targets\":{\"revenue\":3000000}")
            .at(1800).expect("")
            .at(3599).expect("")
            // No revenue at all: 0 < 0.8 of expected, critical; the forecast 0 < target.
            .at(3600).expect("pace-revenue-1 pending critical 0/3333.34, "
                + "forecast-revenue-1 pending warning 0/3000000"),

        scenario("new customers behind pace")
            .plan("\"targets\":{\"newCustomers\":3000}")
            // 700 new customers against 1,000 expected: 0.7 < 0.8.
            .at(0, newCustomers(700))
            .expect("pace-newCustomers-1 pending critical 700/800, "
                + "forecast-newCustomers-1 pending warning 2100/3000")
            .at(900).expect("pace-newCustomers-1 firing critical, forecast-newCustomers-1 firing warning"),

        scenario("new customers against a relative target: last month's final value + 5 %")
            .plan("\"targets\":{\"newCustomers\":{\"growth\":0.05}}")
            // Nothing in October yet: no target, so nothing is judged.
            .at(0, newCustomers(700)).expect("")
            // 2,000 new customers in October: the target is 2,100 and a third of it, 700, expected
            // by now: on pace; the forecast 700 / (1/3) = 2,100 is not below it.
            .at(0, previousMonth(newCustomers(2000))).expect("")
            // 2,400 in October: target 2,520, expected 840, 700 / 840 = 0.833 < 0.9 (warning line
            // 756); forecast 2,100 < 2,520.
            .at(0, previousMonth(newCustomers(400)))
            .expect("pace-newCustomers-1 pending warning 700/756, "
                + "forecast-newCustomers-1 pending warning 2100/2520")
            .at(900).expect("pace-newCustomers-1 firing warning, forecast-newCustomers-1 firing warning")
            // 150 more: expected 2,520 x 864,960 / 2,592,000 = 840.93, 850 / 840.93 = 1.011 is on
            // pace; the forecast 850 / 0.3337 = 2,547.2 is 1.011 of the target, above 1 but not
            // past the 2 % hysteresis: still firing.
            .at(960, newCustomers(150)).expect("pace-newCustomers-1 resolved warning")
            .active("forecast-newCustomers-1 firing warning")
            // 40 more: 890 / 0.33373 = 2,666.8, 1.058 of the target: resolved.
            .at(1020, newCustomers(40)).expect("forecast-newCustomers-1 resolved warning"),

        scenario("budget spent faster than elapsed time + 10 %, then + 20 %")
            .plan("\"budget\":{\"ads\":100000,\"crm\":50000}")
            // 45 % spent at a third of the period: 0.45 - 0.3333 = 0.117 > 0.1.
            .at(0, spend("ads", 45_000_00)).expect("budget-ads-1 pending warning 0.45/0.4333333333")
            .at(300).expect("budget-ads-1 firing warning")
            // 55 %: critical holds from here, and must hold 5 minutes of its own.
            .at(360, spend("ads", 10_000_00)).expect("").active("budget-ads-1 firing warning")
            .at(659).expect("")
            .at(660).expect("budget-ads-1 firing critical"),

        scenario("gross margin under the profit floor, over orders that carry a cost")
            .plan("\"profitFloor\":0.2")
            // 19 costed orders are below the 20 needed; orders without cost do not count.
            .at(0, costed(19, 100_00, 82_00), orders(5, 100_00)).expect("")
            // (2000 - 1640) / 2000 = 0.18 < 0.2 (critical at 0.16).
            .at(60, costed(1, 100_00, 82_00)).expect("margin-floor-1 pending warning 0.18/0.2")
            .at(360).expect("margin-floor-1 firing warning 0.18/0.2")
            // (4000 - 2640) / 4000 = 0.34.
            .at(420, costed(20, 100_00, 50_00)).expect("margin-floor-1 resolved warning 0.34/0.2"),

        scenario("a ratio target's default rule: 10 % short, 5 minutes, 500 sessions")
            .plan("\"targets\":{\"conversion\":0.03}")
            .at(0, traffic(400, 4)).expect("")
            // 25 / 1000 = 0.025 < 0.027.
            .at(60, traffic(600, 21)).expect("target-conversion-1 pending warning 0.025/0.027")
            .at(360).expect("target-conversion-1 firing warning")
            // 94 / 4000 = 0.0235 < 0.024: critical, after five minutes of its own.
            .at(420, traffic(3000, 69)).expect("").active("target-conversion-1 firing warning")
            .at(719).expect("")
            .at(720).expect("target-conversion-1 firing critical 0.0235/0.024"),

        scenario("the period's end resolves a rule on the last hour, and records after it raise none")
            .plan("\"alerts\":[" + CONV + "}]")
            .at(0, traffic(1000, 26)).expect("conv-1 firing warning 0.026/0.027")
            // 2026-12-01T00:00+08:00, twenty days on: the end of the plan's period.
            .at(1_728_000).expect("conv-1 resolved warning").active("")
            // 20 / 1000 = 0.02 in the hour after the end would be critical: no campaign's.
            .at(1_728_060, traffic(1000, 20)).expect("").active(""),

        scenario("a plan rule replaces the default of its KPI")
            .plan("\"targets\":{\"conversion\":0.03},\"alerts\":[" + CONV + "}]")
            .at(0, traffic(1000, 26)).expect("conv-1 firing warning 0.026/0.027")
            .active("conv-1 firing warning"))
        .map(s -> Arguments.of(s.name, s));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rule(String name, Scenario s) {
    s.run();
  }

  // ---- the scenario language ----

  static Scenario scenario(String name) {
    return new Scenario(name);
  }

  record Step(long atMillis, List<Rec> records, String expect, String active) {}

  /** Records of the previous period (October 2026), kept at their own times, not the step's. */
  static final long OCTOBER = OffsetDateTime.parse("2026-10-15T12:00:00+08:00").toInstant().toEpochMilli();

  static List<Rec> previousMonth(List<Rec> records) {
    return records.stream().map(r -> stamped(r, OCTOBER)).map(r -> new Rec(r.type, "prev-" + r.id,
        r.ts, r.amountCents, "prev-" + r.customerId, r.channel, r.newCustomer, r.adChannel,
        r.costCents, r.discountCents, r.orderId, r.category, r.impressions, r.clicks, r.sessions,
        r.score)).toList();
  }

  static final class Scenario {
    final String name;
    long start = T0;
    String planJson = "";
    final List<Step> steps = new ArrayList<>();

    Scenario(String name) {
      this.name = name;
    }

    Scenario startingAt(String iso) {
      start = OffsetDateTime.parse(iso).toInstant().toEpochMilli();
      return this;
    }

    Scenario plan(String fields) {
      planJson = fields;
      return this;
    }

    @SafeVarargs
    final Scenario at(long seconds, List<Rec>... records) {
      return atMillis(seconds * 1000, records);
    }

    @SafeVarargs
    final Scenario atMillis(long millis, List<Rec>... records) {
      List<Rec> all = new ArrayList<>();
      for (List<Rec> r : records) all.addAll(r);
      steps.add(new Step(millis, all, null, null));
      return this;
    }

    Scenario expect(String transitions) {
      Step s = steps.remove(steps.size() - 1);
      steps.add(new Step(s.atMillis(), s.records(), transitions, s.active()));
      return this;
    }

    Scenario active(String alerts) {
      Step s = steps.remove(steps.size() - 1);
      steps.add(new Step(s.atMillis(), s.records(), s.expect(), alerts));
      return this;
    }

    void run() {
      String extra = planJson.contains("staleFeedMinutes") ? planJson
          : planJson + (planJson.isEmpty() ? "" : ",") + "\"staleFeedMinutes\":0";
      Plan plan = PlanParser.parse("{\"id\":\"t\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\","
          + "\"timezone\":\"Asia/Shanghai\",\"onlineChannels\":[\"tmall\"]," + extra + "}");
      AlertEngine engine = new AlertEngine();
      engine.setRules(Rules.derive(plan), start);
      Aggregator agg = new Aggregator(plan, start);
      long lastRecord = start;
      for (Step step : steps) {
        long now = start + step.atMillis();
        agg.advance(now);
        for (Rec r : step.records()) agg.apply(r.ts == OCTOBER ? r : stamped(r, now));
        if (!step.records().isEmpty()) lastRecord = now;
        List<Alert> got = engine.evaluate(new Inputs(agg, now, lastRecord), rule -> false);
        String where = name + " at +" + step.atMillis() + " ms";
        if (step.expect() != null) {
          assertEquals(step.expect(), render(step.expect(), got), where);
        }
        if (step.active() != null) assertEquals(step.active(), render(step.active(), engine.active()),
            where + " (active)");
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Renders alerts in the detail of each expected entry (with value/threshold when it has one). */
  static String render(String expected, List<Alert> alerts) {
    String[] want = expected.isEmpty() ? new String[0] : expected.split(", ");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < alerts.size(); i++) {
      Alert a = alerts.get(i);
      String s = a.id() + " " + a.state().wire() + " " + a.severity().wire();
      if (i < want.length && want[i].contains("/")) {
        s += " " + a.value().toPlainString() + "/" + a.threshold().toPlainString();
      }
      out.add(s);
    }
    return String.join(", ", out);
  }

  // ---- records ----

  private static int next;

  static Rec stamped(Rec r, long ts) {
    return new Rec(r.type, r.id, ts, r.amountCents, r.customerId, r.channel, r.newCustomer,
        r.adChannel, r.costCents, r.discountCents, r.orderId, r.category, r.impressions, r.clicks,
        r.sessions, r.score);
  }

  /** One visit record of {@code sessions} (none when 0) and {@code orders} orders of 100.00. */
  static List<Rec> traffic(int sessions, int orders) {
    List<Rec> out = new ArrayList<>();
    if (sessions > 0) out.add(Rec.visit("v" + next++, 0, "tmall", sessions));
    out.addAll(orders(orders, 100_00));
    return out;
  }

  static List<Rec> orders(int n, long cents) {
    List<Rec> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = next++;
      out.add(Rec.order("o" + k, 0, "c" + k, cents, "tmall", null, null, null, null));
    }
    return out;
  }

  static List<Rec> newCustomers(int n) {
    List<Rec> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = next++;
      out.add(Rec.order("o" + k, 0, "c" + k, 100_00, "tmall", true, null, null, null));
    }
    return out;
  }

  static List<Rec> costed(int n, long cents, long costCents) {
    List<Rec> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = next++;
      out.add(Rec.order("o" + k, 0, "c" + k, cents, "tmall", null, null, costCents, null));
    }
    return out;
  }

  static List<Rec> spend(String category, long cents) {
    return List.of(Rec.spend("s" + next++, 0, category, cents, null, null, null));
  }
}
