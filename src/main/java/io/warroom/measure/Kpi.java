package io.warroom.measure;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The KPI catalogue: every field of a window (CONTRACT section 5), with its unit, whether a plan
 * may set a target for it, whether it accumulates over the period (judged against the expected
 * share of its target), how its value and the data it rests on follow from a window's sums, and
 * the least data its default alert waits for. Snapshot, alerts, report, metrics and next month's
 * plan all read KPIs from here; a new window KPI is one more constant.
 */
public enum Kpi {
  REVENUE("revenue", Unit.MONEY, true, true, 0, 2) {
    @Override public Number value(Sums t) { return money(t.revenue()); }
    @Override public long samples(Sums t) { return t.orders(); }
  },
  GROSS_REVENUE("grossRevenue", Unit.MONEY, false, false, 0, 2) {
    @Override public Number value(Sums t) { return money(t.gross()); }
  },
  REFUNDS("refunds", Unit.MONEY, false, false, 0, 2) {
    @Override public Number value(Sums t) { return money(t.refunds()); }
    @Override public long samples(Sums t) { return t.refundCount(); }
  },
  ORDERS("orders", Unit.COUNT, false, false, 0, 0) {
    @Override public Number value(Sums t) { return t.orders(); }
  },
  AOV("aov", Unit.MONEY, true, false, 30, 2) {
    @Override public Number value(Sums t) {
      return perOrder(t.gross(), t.orders());
    }
    @Override public BigDecimal decimal(Sums t) {
      return t.orders() == 0 ? null
          : exact(t.gross().toDecimal(2), BigDecimal.valueOf(t.orders()));
    }
  },
  SESSIONS("sessions", Unit.COUNT, false, false, 0, 0) {
    @Override public Number value(Sums t) { return count(t.sessions()); }
    @Override public long samples(Sums t) { return clamp(t.sessions()); }
  },
  CONVERSION("conversion", Unit.SHARE, true, false, 500, 2) {
    @Override public Number value(Sums t) { return ratio(t.orders(), t.sessions()); }
    @Override public BigDecimal decimal(Sums t) {
      return exact(BigDecimal.valueOf(t.orders()), t.sessions().toDecimal(0));
    }
    @Override public long samples(Sums t) { return clamp(t.sessions()); }
  },
  CUSTOMERS("customers", Unit.COUNT, false, false, 0, 0) {
    @Override public Number value(Sums t) { return t.customers(); }
    @Override public long samples(Sums t) { return t.customers(); }
  },
  NEW_CUSTOMERS("newCustomers", Unit.COUNT, true, true, 0, 0) {
    @Override public Number value(Sums t) { return t.newCustomers(); }
    @Override public long samples(Sums t) { return t.customers(); }
  },
  REPURCHASE_RATE("repurchaseRate", Unit.SHARE, true, false, 100, 1) {
    @Override public Number value(Sums t) { return ratio(t.repeaters(), t.customers()); }
    @Override public BigDecimal decimal(Sums t) {
      return exact(BigDecimal.valueOf(t.repeaters()), BigDecimal.valueOf(t.customers()));
    }
    @Override public long samples(Sums t) { return t.customers(); }
  },
  AD_SPEND("adSpend", Unit.MONEY, false, false, 0, 2) {
    @Override public Number value(Sums t) { return money(t.adSpend()); }
    @Override public long samples(Sums t) { return t.adSpendCount(); }
  },
  ATTRIBUTED_REVENUE("attributedRevenue", Unit.MONEY, false, false, 0, 2) {
    @Override public Number value(Sums t) { return money(t.attributed()); }
  },
  ROI("roi", Unit.RATIO, true, false, 30, 2) {
    @Override public Number value(Sums t) { return ratio(t.attributed(), t.adSpend()); }
    @Override public BigDecimal decimal(Sums t) {
      return exact(t.attributed().toDecimal(0), t.adSpend().toDecimal(0));
    }
  },
  NPS_RESPONSES("npsResponses", Unit.COUNT, false, false, 0, 0) {
    @Override public Number value(Sums t) { return t.npsResponses(); }
    @Override public long samples(Sums t) { return t.npsResponses(); }
  },
  NPS("nps", Unit.SCORE, true, false, 30, 1) {
    @Override public Number value(Sums t) {
      return t.npsResponses() == 0 ? null
          : 100.0 * (t.promoters() - t.detractors()) / t.npsResponses();
    }
    @Override public BigDecimal decimal(Sums t) {
      return exact(BigDecimal.valueOf(t.promoters() - t.detractors()).movePointRight(2),
          BigDecimal.valueOf(t.npsResponses()));
    }
    @Override public long samples(Sums t) { return t.npsResponses(); }
  },
  ONLINE_SHARE("onlineShare", Unit.SHARE, true, false, 30, 1) {
    @Override public Number value(Sums t) { return ratio(t.online(), t.gross()); }
    @Override public BigDecimal decimal(Sums t) {
      return exact(t.online().toDecimal(0), t.gross().toDecimal(0));
    }
  };

  /** How a value is measured and shown. */
  public enum Unit {
    /** The plan's currency, exact to the cent (BigDecimal). */
    MONEY,
    /** A part of a whole (double from 0 to 1), shown as a percentage: conversion, shares. */
    SHARE,
    /** A quotient of two sums that is not a part of a whole (double), such as ROI. */
    RATIO,
    /** A number of things (long). */
    COUNT,
    /** Points on a scale (double), such as NPS. */
    SCORE;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public final String id;
  public final Unit unit;
  /** Whether a plan may set a target for it. */
  public final boolean targetable;
  /** Whether it accumulates over the period: judged against the expected share of its target. */
  public final boolean cumulative;
  /** Least data (counted by {@link #samples}) before its default alert judges it. */
  public final long minSamples;
  /** Decimals shown (of the percentage for shares). */
  public final int decimals;

  Kpi(String id, Unit unit, boolean targetable, boolean cumulative, long minSamples, int decimals) {
    this.id = id;
    this.unit = unit;
    this.targetable = targetable;
    this.cumulative = cumulative;
    this.minSamples = minSamples;
    this.decimals = decimals;
  }

  /**
   * The value over a window: {@link BigDecimal} money (scale 2), {@link Long} counts (a BigInteger
   * past a long), {@link Double} ratios and scores; null where the denominator is 0.
   */
  public abstract Number value(Sums t);

  /**
   * The value as a decimal, a ratio to 34 digits before it is rounded to a double, for figures
   * computed from it (a relative target); null where {@link #value} is.
   */
  public BigDecimal decimal(Sums t) {
    Number v = value(t);
    return v == null ? null : v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
  }

  /** {@code a / b} to 34 digits; null when b is 0. */
  static BigDecimal exact(BigDecimal a, BigDecimal b) {
    return b.signum() == 0 ? null : a.divide(b, MathContext.DECIMAL128);
  }

  /** How much data the value rests on: orders unless said otherwise. */
  public long samples(Sums t) {
    return t.orders();
  }

  /** The value as a double (money in currency units), or null. */
  public Double number(Sums t) {
    Number v = value(t);
    return v == null ? null : v.doubleValue();
  }

  /** The windows a KPI is measured over (CONTRACT section 5). */
  public static final List<String> WINDOWS = List.of("campaign", "today", "last1h", "last15m");

  private static final Map<String, Kpi> BY_ID = new HashMap<>();
  public static final List<Kpi> TARGETS;

  static {
    for (Kpi k : values()) BY_ID.put(k.id, k);
    List<Kpi> targets = new ArrayList<>();
    // In the order of the plan's KPI table.
    for (Kpi k : List.of(REVENUE, NEW_CUSTOMERS, REPURCHASE_RATE, CONVERSION, AOV, ROI, NPS,
        ONLINE_SHARE)) {
      if (!k.targetable) throw new IllegalStateException(k.id);
      targets.add(k);
    }
    TARGETS = List.copyOf(targets);
  }

  /** The KPI with this id, or null. */
  public static Kpi of(String id) {
    return BY_ID.get(id);
  }

  /** Ids of every window field, in the contract's order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(k -> k.id).toList();
  }

  /** Ids of the KPIs a plan may target. */
  public static List<String> targetIds() {
    return TARGETS.stream().map(k -> k.id).toList();
  }

  public static BigDecimal money(Sum cents) {
    return cents.toDecimal(2);
  }

  /**
   * Money per order (average order value) as the double nearest the exact quotient, as every other
   * ratio: unrounded, so that a status or a milestone is judged on the value itself (269.9966... is
   * short of 270, not 270.00); null without orders.
   */
  public static Double perOrder(Sum cents, long orders) {
    if (orders == 0) return null;
    return ratio(cents, Sum.of(BigInteger.valueOf(orders).multiply(BigInteger.valueOf(100))));
  }

  public static Number count(Sum s) {
    return s.fitsLong() ? (Number) s.longValueExact() : s.toBigInteger();
  }

  /** The value, or Long.MAX_VALUE past a long. */
  public static long clamp(Sum s) {
    return s.fitsLong() ? s.longValueExact() : Long.MAX_VALUE;
  }

  /** Integers a double holds exactly: a quotient of two is then rounded once, as it should be. */
  private static final long EXACT = 1L << 53;

  /** {@code a / b} as the double nearest the exact quotient; null when b is 0. */
  public static Double ratio(long a, long b) {
    if (b == 0) return null;
    if (a >= -EXACT && a <= EXACT && b >= -EXACT && b <= EXACT) return (double) a / b;
    return quotient(BigDecimal.valueOf(a), BigDecimal.valueOf(b));
  }

  public static Double ratio(long a, Sum b) {
    if (b.isZero()) return null;
    return b.fitsLong() ? ratio(a, b.longValueExact()) : quotient(BigDecimal.valueOf(a), b.toDecimal(0));
  }

  public static Double ratio(Sum a, Sum b) {
    if (b.isZero()) return null;
    if (a.fitsLong() && b.fitsLong()) return ratio(a.longValueExact(), b.longValueExact());
    return quotient(a.toDecimal(0), b.toDecimal(0));
  }

  /** Past 2^53 a double division would round twice; 34 digits, then the nearest double. */
  private static double quotient(BigDecimal a, BigDecimal b) {
    return a.divide(b, MathContext.DECIMAL128).doubleValue();
  }
}
