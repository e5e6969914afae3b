package io.warroom.alert;

import io.warroom.kpi.Aggregator;
import io.warroom.kpi.Experiments;
import io.warroom.kpi.Figures;
import io.warroom.kpi.Totals;
import io.warroom.measure.Kpi;
import io.warroom.plan.Plan;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/** Reads what a rule measures straight from the aggregator: a few sums, no JSON. */
final class Readings {
  /** Pace and forecast are not judged in the period's first hour: too little to project from. */
  static final long PACE_GRACE_MS = 3_600_000L;

  /**
   * The inputs of one evaluation: the aggregates, the time, and since when the feed has been
   * quiet (the last record's arrival, or the start when none arrived since).
   */
  record Inputs(Aggregator agg, long now, long quietSince) {}

  private Readings() {}

  static Reading read(Rule rule, Inputs in) {
    Plan plan = in.agg().plan();
    Reading r = switch (rule.kind()) {
      case FIELD -> Kpi.of(rule.kpi()) == null ? focus(rule, in.agg())
          : field(rule, window(in.agg(), rule.window()));
      case PACE -> pace(rule, plan, in);
      case FORECAST -> forecast(rule, plan, in);
      case BUDGET -> budget(rule, plan, in);
      case MARGIN -> margin(rule, window(in.agg(), rule.window()));
      case STALE -> stale(plan, in);
      case SRM -> srm(rule, in);
    };
    // The period is over: its final figures stand (nothing is behind a pace any more), and what
    // comes in after it (the last hour of records dated past its end) is no campaign's to alert on.
    return in.now() >= plan.endMillis() && !r.off() ? Reading.off(r.value()) : r;
  }

  static Totals window(Aggregator agg, String window) {
    return switch (window) {
      case "campaign" -> agg.campaign();
      case "today" -> agg.today();
      case "last1h" -> agg.last1h();
      default -> agg.last15m();
    };
  }

  private static Reading field(Rule rule, Totals t) {
    Kpi k = Kpi.of(rule.kpi());
    Number v = k.value(t);
    boolean money = k.unit == Kpi.Unit.MONEY;
    BigDecimal shown = v == null ? null : shown(v);
    if (v == null || k.samples(t) < rule.minSamples()) return Reading.unknown(shown, money);
    return new Reading(v.doubleValue(), false, shown, 1, 0, money);
  }

  /**
   * A focus target (section 11), over the campaign window whatever the rule's window (breakdowns
   * are kept for the campaign only); its key's orders are the samples.
   */
  private static Reading focus(Rule rule, Aggregator agg) {
    Plan.Focus f = agg.breakdowns().focus(rule.kpi());
    if (f == null) return Reading.unknown(null, false);
    Number v = agg.breakdowns().value(f);
    boolean money = f.unit() == Kpi.Unit.MONEY;
    BigDecimal shown = v == null ? null : shown(v);
    if (v == null || agg.breakdowns().orders(f) < rule.minSamples()) {
      return Reading.unknown(shown, money);
    }
    return new Reading(v.doubleValue(), false, shown, 1, 0, money);
  }

  /** A catalogue value as alerts show it: money and counts exact, ratios as the double they are. */
  static BigDecimal shown(Number v) {
    if (v instanceof BigDecimal d) return Num.plain(d);
    if (v instanceof Long l) return BigDecimal.valueOf(l);
    if (v instanceof BigInteger b) return new BigDecimal(b);
    return Num.of(v.doubleValue());
  }

  private static Reading pace(Rule rule, Plan plan, Inputs in) {
    Totals c = in.agg().campaign();
    Kpi k = Kpi.of(rule.kpi());
    boolean money = k.unit == Kpi.Unit.MONEY;
    double elapsed = plan.elapsed(in.now());
    BigDecimal target = Figures.targetOf(in.agg(), rule.kpi());
    BigDecimal shown = shown(k.value(c));
    if (in.now() < plan.startMillis() + PACE_GRACE_MS || elapsed <= 0 || target == null
        || target.signum() <= 0) {
      return Reading.unknown(shown, money);
    }
    Number e = Figures.expected(k, target, elapsed);
    BigDecimal expected = money ? (BigDecimal) e
        : new BigDecimal(e.doubleValue()).setScale(12, RoundingMode.HALF_UP);
    if (expected.signum() <= 0) return Reading.unknown(shown, money);
    double measure = shown.divide(expected, MathContext.DECIMAL64).doubleValue();
    return new Reading(measure, false, shown, expected.doubleValue(), 0, money);
  }

  private static Reading forecast(Rule rule, Plan plan, Inputs in) {
    Totals c = in.agg().campaign();
    Kpi k = Kpi.of(rule.kpi());
    boolean money = k.unit == Kpi.Unit.MONEY;
    double elapsed = plan.elapsed(in.now());
    if (in.now() < plan.startMillis() + PACE_GRACE_MS || elapsed <= 0) {
      return Reading.unknown(null, money);
    }
    Number f = Figures.forecast(k, k.value(c), elapsed);
    BigDecimal forecast = money ? (BigDecimal) f : BigDecimal.valueOf(f.doubleValue());
    BigDecimal shownForecast = money ? Num.plain(forecast) : Num.threshold(forecast.doubleValue());
    if (plan.targets().containsKey(rule.kpi())) {
      return new Reading(forecast.doubleValue(), false, shownForecast, 1, 0, money);
    }
    // A relative target: judged as a share of the target resolved now, shown in the KPI's unit.
    BigDecimal target = Figures.targetOf(in.agg(), rule.kpi());
    if (target == null || target.signum() <= 0) return Reading.unknown(shownForecast, money);
    return new Reading(forecast.doubleValue() / target.doubleValue(), false, shownForecast,
        target.doubleValue(), 0, money);
  }

  private static Reading budget(Rule rule, Plan plan, Inputs in) {
    long allocated = plan.budgetCents().getOrDefault(rule.category(), 0L);
    double spent = in.agg().spent(rule.category()).doubleValue();
    double share = allocated == 0 ? 0 : spent / allocated;
    if (in.now() < plan.startMillis() || allocated == 0) return Reading.unknown(Num.of(share), false);
    double elapsed = plan.elapsed(in.now());
    return new Reading(share - elapsed, false, Num.of(share), 1, elapsed, false);
  }

  private static Reading margin(Rule rule, Totals t) {
    if (t.costedGross().isZero()) return Reading.unknown(null, false);
    double gross = t.costedGross().doubleValue();
    double m = (gross - t.cost().doubleValue()) / gross;
    if (t.costedOrders() < rule.minSamples()) return Reading.unknown(Num.of(m), false);
    return new Reading(m, false, Num.of(m), 1, 0, false);
  }

  private static Reading srm(Rule rule, Inputs in) {
    Experiments xs = in.agg().experiments();
    Plan.Experiment x = xs.experiment(rule.category());
    Double p = x == null ? null : xs.srmPValue(x);
    if (p == null) return Reading.unknown(null, false);
    return new Reading(p, false, Num.threshold(p), 1, 0, false);
  }

  private static Reading stale(Plan plan, Inputs in) {
    double minutes = Math.max(0, in.now() - in.quietSince()) / 60_000.0;
    BigDecimal shown = Num.of(Math.floor(minutes * 10) / 10);
    if (in.now() < plan.startMillis()) return Reading.off(shown);
    return new Reading(minutes, false, shown, 1, 0, false);
  }

  /** The threshold of {@code level} as shown with the value. */
  static BigDecimal shownThreshold(Rule rule, Reading r, Severity level) {
    double t = rule.threshold(level) * r.scale() + r.offset();
    return r.money() ? Num.money(t) : Num.threshold(t);
  }

  /** A sentence saying what the rule sees, for the alert's message. */
  static String describe(Rule rule, Reading r, Severity level, boolean breached) {
    // a value beside its threshold never reads as it: 0.62996 below 0.63, not 0.63 below 0.63
    String[] figures = Num.texts(r.value(), shownThreshold(rule, r, level));
    String value = figures[0];
    String threshold = figures[1];
    if (!breached) {
      if (r.off()) return subject(rule) + ": not judged outside the plan's period";
      return subject(rule) + " is back at " + value + " (" + level.wire() + " threshold "
          + threshold + ")";
    }
    String sev = level.wire();
    if (r.measure() != null && !rule.holds(level, r.measure(), false)) {
      // firing still, back past its threshold but not yet by the clear margin (hysteresis)
      return subject(rule) + " is recovering at " + value + ", back past the " + sev + " threshold "
          + threshold + " but not yet by the margin that resolves it";
    }
    return switch (rule.kind()) {
      case FIELD -> rule.kpi() + " over " + rule.window() + " is " + value + ", "
          + (rule.below() ? "below" : "above") + " the " + sev + " threshold " + threshold;
      case PACE -> rule.kpi() + " is " + value + ", " + (r.measure() == null ? "?"
          : Num.percent(1 - r.measure())) + " behind the " + Num.text(Num.of(r.scale()))
          + " expected by now (" + sev + " below " + threshold + ")";
      case FORECAST -> rule.kpi() + " is on course for " + value + " by the end, below the target "
          + threshold;
      case BUDGET -> "budget " + rule.category() + ": " + (r.value() == null ? "?"
          : Num.percent(r.value().doubleValue())) + " spent with " + Num.percent(r.offset())
          + " of the period gone (" + sev + " above " + Num.percent(rule.threshold(level) + r.offset())
          + ")";
      case MARGIN -> "gross margin over " + rule.window() + " is " + (r.value() == null ? "?"
          : Num.percent(r.value().doubleValue())) + ", " + sev + " below "
          + Num.percent(rule.threshold(level));
      case STALE -> "no records for " + value + " minutes (" + sev + " from " + threshold + ")";
      case SRM -> "experiment " + rule.category() + ": sessions do not follow the planned split "
          + "(sample ratio p-value " + value + ", " + sev + " below " + threshold + ")";
    };
  }

  private static String subject(Rule rule) {
    return switch (rule.kind()) {
      case FIELD, MARGIN -> rule.kpi() + " over " + rule.window();
      case PACE -> rule.kpi() + " against the expected pace";
      case FORECAST -> rule.kpi() + " forecast";
      case BUDGET -> "budget " + rule.category() + " spent share";
      case STALE -> "minutes without records";
      case SRM -> "experiment " + rule.category() + " sample ratio p-value";
    };
  }
}
