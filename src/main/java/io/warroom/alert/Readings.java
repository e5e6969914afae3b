package io.warroom.alert;

import io.warroom.kpi.Aggregator;
import io.warroom.kpi.Fields;
import io.warroom.kpi.Money;
import io.warroom.kpi.Totals;
import io.warroom.plan.Plan;
import java.math.BigDecimal;

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
    return switch (rule.kind()) {
      case FIELD -> field(rule, window(in.agg(), rule.window()));
      case PACE -> pace(rule, plan, in);
      case FORECAST -> forecast(rule, plan, in);
      case BUDGET -> budget(rule, plan, in);
      case MARGIN -> margin(rule, window(in.agg(), rule.window()));
      case STALE -> stale(plan, in);
    };
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
    String f = rule.kpi();
    Double v = value(f, t);
    boolean money = Fields.MONEY.contains(f);
    BigDecimal shown = v == null ? null : money ? Num.money(v) : Num.of(v);
    if (v == null || samples(f, t) < rule.minSamples()) return Reading.unknown(shown, money);
    return new Reading(v, false, shown, 1, 0, money);
  }

  /** A window field (CONTRACT section 5) as a double, money in currency units; null where undefined. */
  static Double value(String field, Totals t) {
    return switch (field) {
      case "revenue" -> t.revenueCents() / 100.0;
      case "grossRevenue" -> t.grossCents / 100.0;
      case "refunds" -> t.refundCents / 100.0;
      case "orders" -> (double) t.orders;
      case "aov" -> t.orders == 0 ? null : Money.divide(t.grossCents, t.orders) / 100.0;
      case "sessions" -> (double) t.sessions;
      case "conversion" -> ratio(t.orders, t.sessions);
      case "customers" -> (double) t.customers();
      case "newCustomers" -> (double) t.newCustomers();
      case "repurchaseRate" -> ratio(t.repeaters(), t.customers());
      case "adSpend" -> t.adSpendCents / 100.0;
      case "attributedRevenue" -> t.attributedCents / 100.0;
      case "roi" -> ratio(t.attributedCents, t.adSpendCents);
      case "npsResponses" -> (double) t.npsResponses;
      case "nps" -> t.npsResponses == 0 ? null
          : 100.0 * (t.promoters - t.detractors) / t.npsResponses;
      case "onlineShare" -> ratio(t.onlineCents, t.grossCents);
      default -> throw new IllegalArgumentException("unknown field " + field);
    };
  }

  /**
   * How much data a field's value rests on, for a rule's minimum: sessions for conversion, responses
   * for nps, customers for the customer counts and repurchase rate, refund or ads-spend records for
   * those sums, orders for everything else.
   */
  static long samples(String field, Totals t) {
    return switch (field) {
      case "sessions", "conversion" -> t.sessions;
      case "nps", "npsResponses" -> t.npsResponses;
      case "customers", "newCustomers", "repurchaseRate" -> t.customers();
      case "refunds" -> t.refundCount;
      case "adSpend" -> t.adSpendCount;
      default -> t.orders;
    };
  }

  private static Reading pace(Rule rule, Plan plan, Inputs in) {
    Totals c = in.agg().campaign();
    boolean money = rule.kpi().equals("revenue");
    double elapsed = plan.elapsed(in.now());
    double target = plan.targets().get(rule.kpi()).doubleValue();
    BigDecimal shown = money ? Num.cents(c.revenueCents()) : Num.of(c.newCustomers());
    if (in.now() < plan.startMillis() + PACE_GRACE_MS || elapsed <= 0 || target <= 0) {
      return Reading.unknown(shown, money);
    }
    double measure;
    double expected;
    if (money) {
      long expectedCents = Money.times(Money.cents(plan.targets().get("revenue")), elapsed);
      if (expectedCents <= 0) return Reading.unknown(shown, true);
      measure = (double) c.revenueCents() / expectedCents;
      expected = expectedCents / 100.0;
    } else {
      expected = target * elapsed;
      measure = c.newCustomers() / expected;
    }
    return new Reading(measure, false, shown, expected, 0, money);
  }

  private static Reading forecast(Rule rule, Plan plan, Inputs in) {
    Totals c = in.agg().campaign();
    boolean money = rule.kpi().equals("revenue");
    double elapsed = plan.elapsed(in.now());
    if (in.now() < plan.startMillis() + PACE_GRACE_MS || elapsed <= 0) {
      return Reading.unknown(null, money);
    }
    double forecast = money ? Money.over(c.revenueCents(), elapsed) / 100.0
        : c.newCustomers() / elapsed;
    return new Reading(forecast, false, money ? Num.money(forecast) : Num.threshold(forecast), 1, 0,
        money);
  }

  private static Reading budget(Rule rule, Plan plan, Inputs in) {
    long allocated = plan.budgetCents().getOrDefault(rule.category(), 0L);
    long spent = in.agg().spentCents(rule.category());
    double share = allocated == 0 ? 0 : (double) spent / allocated;
    if (in.now() < plan.startMillis() || allocated == 0) return Reading.unknown(Num.of(share), false);
    double elapsed = plan.elapsed(in.now());
    return new Reading(share - elapsed, false, Num.of(share), 1, elapsed, false);
  }

  private static Reading margin(Rule rule, Totals t) {
    if (t.costedGrossCents == 0) return Reading.unknown(null, false);
    double m = (double) (t.costedGrossCents - t.costCents) / t.costedGrossCents;
    if (t.costedOrders < rule.minSamples()) return Reading.unknown(Num.of(m), false);
    return new Reading(m, false, Num.of(m), 1, 0, false);
  }

  private static Reading stale(Plan plan, Inputs in) {
    double minutes = Math.max(0, in.now() - in.quietSince()) / 60_000.0;
    BigDecimal shown = Num.of(Math.floor(minutes * 10) / 10);
    if (in.now() < plan.startMillis() || in.now() >= plan.endMillis()) return Reading.off(shown);
    return new Reading(minutes, false, shown, 1, 0, false);
  }

  private static Double ratio(long a, long b) {
    return b == 0 ? null : (double) a / b;
  }

  /** The threshold of {@code level} as shown with the value. */
  static BigDecimal shownThreshold(Rule rule, Reading r, Severity level) {
    double t = rule.threshold(level) * r.scale() + r.offset();
    return r.money() ? Num.money(t) : Num.threshold(t);
  }

  /** A sentence saying what the rule sees, for the alert's message. */
  static String describe(Rule rule, Reading r, Severity level, boolean breached) {
    if (!breached) {
      if (r.off()) return subject(rule) + ": not judged outside the plan's period";
      return subject(rule) + " is back at " + Num.text(r.value()) + " (" + level.wire()
          + " threshold " + Num.text(shownThreshold(rule, r, level)) + ")";
    }
    String value = Num.text(r.value());
    String threshold = Num.text(shownThreshold(rule, r, level));
    String sev = level.wire();
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
    };
  }

  private static String subject(Rule rule) {
    return switch (rule.kind()) {
      case FIELD, MARGIN -> rule.kpi() + " over " + rule.window();
      case PACE -> rule.kpi() + " against the expected pace";
      case FORECAST -> rule.kpi() + " forecast";
      case BUDGET -> "budget " + rule.category() + " spent share";
      case STALE -> "minutes without records";
    };
  }
}
