package io.warroom.measure;

import java.util.Locale;

/**
 * How a figure stands against its plan, decided once, on the server: the snapshot carries it and
 * the page only shows it. The default judgement of a figure against a reference is
 * {@link #byShortfall}; budget burn and feed silence have their own ({@link #ofBurn},
 * {@link #ofIdle}).
 */
public enum Status {
  OK, WARNING, CRITICAL;

  /** A ratio KPI or focus target: warning when 10 % short of its reference, critical at 20 %. */
  public static final double SHORT_WARN = 0.9;
  public static final double SHORT_CRITICAL = 0.8;
  /** Budget burn: warning when the share spent runs 10 points ahead of the period, critical at 20. */
  public static final double BURN_WARN = 0.10;
  public static final double BURN_CRITICAL = 0.20;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The wire name of a status, or null. */
  public static String wire(Status s) {
    return s == null ? null : s.wire();
  }

  public static Status of(String wire) {
    return wire == null ? null : valueOf(wire.toUpperCase(Locale.ROOT));
  }

  /** The worse of two statuses (null counts as none). */
  public static Status max(Status a, Status b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  /** ok within 10 % of the reference, warning within 20 %, critical beyond. */
  public static Status byShortfall(double value, double reference) {
    if (value >= reference * SHORT_WARN) return OK;
    if (value >= reference * SHORT_CRITICAL) return WARNING;
    return CRITICAL;
  }

  /** By explicit thresholds: critical when {@code value op critical} holds, warning for warn. */
  public static Status byThresholds(String op, double value, double warn, Double critical) {
    if (critical != null && holds(op, value, critical)) return CRITICAL;
    if (holds(op, value, warn)) return WARNING;
    return OK;
  }

  /** The share of a budget spent against the share of the period elapsed. */
  public static Status ofBurn(double spentShare, double elapsed) {
    double ahead = spentShare - elapsed;
    if (ahead > BURN_CRITICAL) return CRITICAL;
    if (ahead > BURN_WARN) return WARNING;
    return OK;
  }

  /** Minutes without records against the plan's limit: warning from it, critical from twice it. */
  public static Status ofIdle(double minutes, int limit) {
    if (minutes >= 2.0 * limit) return CRITICAL;
    if (minutes >= limit) return WARNING;
    return OK;
  }

  public static boolean holds(String op, double value, double threshold) {
    return switch (op) {
      case "<" -> value < threshold;
      case "<=" -> value <= threshold;
      case ">" -> value > threshold;
      default -> value >= threshold;
    };
  }
}
