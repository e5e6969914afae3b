package io.warroom.alert;

import io.warroom.alert.Rule.Kind;
import io.warroom.kpi.Catalogue;
import io.warroom.kpi.Figures;
import io.warroom.measure.Kpi;
import io.warroom.measure.Significance;
import io.warroom.measure.Status;
import io.warroom.plan.Plan;
import io.warroom.plan.Plan.AlertRule;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules in force for a plan: its own {@code alerts}, then defaults derived from its targets,
 * budget, profit floor and stale-feed limit. A plan rule on a KPI replaces that KPI's default (for
 * revenue and newCustomers only a rule on the campaign window replaces the pace default), the way
 * it replaces the default status in the snapshot; a plan rule with a default's id replaces it too.
 */
public final class Rules {
  /** How long a broken split holds before its alert fires. */
  static final long SRM_FOR_MS = 5 * 60_000L;
  /** Ratio KPIs: warning 10 % and critical 20 % short of target, over the last hour. */
  static final double SHORT_WARN = Status.SHORT_WARN;
  static final double SHORT_CRITICAL = Status.SHORT_CRITICAL;
  /** Default hysteresis: a fraction of the reference the value must recover past the threshold. */
  static final double CLEAR_SHARE = 0.02;
  static final long RATIO_FOR_MS = 5 * 60_000L;
  static final long PACE_FOR_MS = 15 * 60_000L;
  static final long BUDGET_FOR_MS = 5 * 60_000L;
  static final double BUDGET_WARN = Status.BURN_WARN;
  static final double BUDGET_CRITICAL = Status.BURN_CRITICAL;
  static final long MARGIN_FOR_MS = 5 * 60_000L;
  static final double MARGIN_CLEAR = 0.01;
  static final long MARGIN_MIN_ORDERS = 20;

  private Rules() {}

  public static List<Rule> derive(Plan plan) {
    List<Rule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> overridden = new HashSet<>();
    Set<String> overriddenPace = new HashSet<>();
    for (AlertRule r : plan.alerts()) {
      rules.add(new Rule(r.id(), Kind.FIELD, r.kpi(), r.window(), r.op(), r.warn(), r.critical(),
          r.forMillis(), r.clear() == null ? 0 : r.clear(), r.minSamples() == null ? 0 : r.minSamples(),
          null));
      ids.add(r.id());
      overridden.add(r.kpi());
      if (r.window().equals("campaign")) overriddenPace.add(r.kpi());
    }
    List<Rule> defaults = new ArrayList<>();
    // A relative target (section 13) gets the pace and forecast rules of a cumulative KPI too; both
    // read the target resolved from the previous period at each evaluation.
    for (String kpi : plan.growth().keySet()) {
      if (!Kpi.of(kpi).cumulative) continue;
      if (!overriddenPace.contains(kpi)) {
        defaults.add(new Rule("pace-" + kpi, Kind.PACE, kpi, "campaign", "<", SHORT_WARN,
            SHORT_CRITICAL, PACE_FOR_MS, CLEAR_SHARE, 0, null));
      }
      defaults.add(new Rule("forecast-" + kpi, Kind.FORECAST, kpi, "campaign", "<", 1.0, null,
          PACE_FOR_MS, CLEAR_SHARE, 0, null));
    }
    for (Map.Entry<String, BigDecimal> t : plan.targets().entrySet()) {
      String kpi = t.getKey();
      double target = t.getValue().doubleValue();
      if (Kpi.of(kpi).cumulative) {
        if (!overriddenPace.contains(kpi)) {
          defaults.add(new Rule("pace-" + kpi, Kind.PACE, kpi, "campaign", "<", SHORT_WARN,
              SHORT_CRITICAL, PACE_FOR_MS, CLEAR_SHARE, 0, null));
        }
        if (target > 0) {
          defaults.add(new Rule("forecast-" + kpi, Kind.FORECAST, kpi, "campaign", "<", target, null,
              PACE_FOR_MS, CLEAR_SHARE * target, 0, null));
        }
      } else if (!overridden.contains(kpi)) {
        // A repurchase needs a second order, which an hour rarely holds: judged on the campaign.
        String window = kpi.equals("repurchaseRate") ? "campaign" : "last1h";
        defaults.add(new Rule("target-" + kpi, Kind.FIELD, kpi, window, "<", SHORT_WARN * target,
            SHORT_CRITICAL * target, RATIO_FOR_MS, CLEAR_SHARE * target,
            Kpi.of(kpi).minSamples, null));
      }
    }
    for (Map.Entry<String, Long> b : plan.budgetCents().entrySet()) {
      if (b.getValue() <= 0) continue;
      defaults.add(new Rule("budget-" + b.getKey(), Kind.BUDGET, Figures.budgetId(b.getKey()), "campaign",
          ">", BUDGET_WARN, BUDGET_CRITICAL, BUDGET_FOR_MS, CLEAR_SHARE, 0, b.getKey()));
    }
    if (plan.profitFloor() != null) {
      double floor = plan.profitFloor();
      defaults.add(new Rule("margin-floor", Kind.MARGIN, Catalogue.GROSS_MARGIN, "last1h", "<", floor,
          floor * SHORT_CRITICAL, MARGIN_FOR_MS, MARGIN_CLEAR, MARGIN_MIN_ORDERS, null));
    }
    if (plan.staleFeedMinutes() > 0) {
      int n = plan.staleFeedMinutes();
      defaults.add(new Rule("feed-stale", Kind.STALE, Figures.FEED_ID, null, ">=", n, 2.0 * n, 0,
          0, 0, null));
    }
    // A broken split of an A/B experiment (CONTRACT section 12), once it has held for 5 minutes
    // (a backfill sending one variant's visits first breaks it for a moment), no hysteresis.
    for (Plan.Experiment x : plan.experiments()) {
      defaults.add(new Rule("srm-" + x.id(), Kind.SRM, "experiments." + x.id() + ".srmPValue",
          "campaign", "<", Significance.SRM_THRESHOLD, null, SRM_FOR_MS, 0, 0, x.id()));
    }
    for (Rule d : defaults) if (ids.add(d.id())) rules.add(d);
    return rules.stream().map(r -> r.routed(plan)).toList();
  }
}
