package io.warroom.alert;

import io.warroom.plan.Plan;
import java.math.BigDecimal;

/**
 * One alert rule, from the plan or derived from its targets. The rule compares a measure (see
 * {@link Readings}) with {@code op} against {@code warn} and {@code critical} (null: warning only).
 * The condition must hold for {@code forMillis} before the alert fires. An active level stays active
 * until the measure is past its threshold by {@code clear} (hysteresis). Below {@code minSamples}
 * (counted as {@link Readings#samples} says) the value is not judged.
 *
 * @param kind what is measured
 * @param kpi the KPI field shown in alerts ({@code budget.<category>}, {@code grossMargin} or
 *     {@code feedIdleMinutes} for derived kinds)
 * @param window the window the value is taken from, or null (stale feed)
 * @param category the budget category of a {@link Kind#BUDGET} rule, the experiment of a
 *     {@link Kind#SRM} rule, else null
 * @param route who owns its alerts and what they do about them
 */
public record Rule(String id, Kind kind, String kpi, String window, String op, double warn,
    Double critical, long forMillis, double clear, long minSamples, String category, Route route) {

  public Rule(String id, Kind kind, String kpi, String window, String op, double warn,
      Double critical, long forMillis, double clear, long minSamples, String category) {
    this(id, kind, kpi, window, op, warn, critical, forMillis, clear, minSamples, category,
        Route.NONE);
  }

  /** This rule with its owner, runbook and risk from {@code plan}. */
  public Rule routed(Plan plan) {
    return new Rule(id, kind, kpi, window, op, warn, critical, forMillis, clear, minSamples,
        category, Route.of(plan, id, kpi));
  }

  public enum Kind {
    /** A window field against fixed thresholds (the plan's own rules, the ratio defaults). */
    FIELD,
    /** A cumulative KPI's campaign value divided by its expected share of the target. */
    PACE,
    /** A cumulative KPI projected to the period's end at the current pace, against the target. */
    FORECAST,
    /** Share of a budget category spent, minus the elapsed share of the period. */
    BUDGET,
    /** Gross margin of the orders that carry a cost. */
    MARGIN,
    /** Minutes since the last record arrived. */
    STALE,
    /** The sample-ratio p-value of an experiment ({@code category} is its id). */
    SRM
  }

  public boolean below() {
    return op.startsWith("<");
  }

  /** The threshold of a severity: warn for warning, critical for critical. */
  public double threshold(Severity s) {
    return s == Severity.CRITICAL ? critical : warn;
  }

  /** Whether a shown {@code value} is past a shown {@code threshold} by this rule's op. */
  public boolean past(BigDecimal value, BigDecimal threshold) {
    int c = value.compareTo(threshold);
    return switch (op) {
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      default -> c >= 0;
    };
  }

  /**
   * Whether firing alert {@code a} of this rule is back past its threshold (as it shows them, of
   * now) but not yet by the clear margin that resolves it (hysteresis): it fires on, recovering.
   */
  public boolean recovering(Alert a) {
    return a.state() == State.FIRING && a.value() != null && a.threshold() != null
        && !past(a.value(), a.threshold());
  }

  /**
   * Whether {@code measure} is past the threshold of {@code level}; when the level is already
   * active, the threshold is loosened by {@code clear}.
   */
  public boolean holds(Severity level, double measure, boolean active) {
    if (level == Severity.CRITICAL && critical == null) return false;
    double t = threshold(level);
    if (active) t = below() ? t + clear : t - clear;
    return switch (op) {
      case "<" -> measure < t;
      case "<=" -> measure <= t;
      case ">" -> measure > t;
      default -> measure >= t;
    };
  }
}
