package io.warroom.kpi;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Integer cents to and from decimal text, never through binary floats. */
public final class Money {
  private Money() {}

  /** "1234.5" style JSON number text: whole amounts without decimals, others with two. */
  public static String format(long cents) {
    if (cents % 100 == 0) return Long.toString(cents / 100);
    return BigDecimal.valueOf(cents, 2).stripTrailingZeros().toPlainString();
  }

  public static long cents(BigDecimal amount) {
    return amount.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  /** cents * factor (the double's exact value), rounded half up to the cent. */
  public static long times(long cents, double factor) {
    return BigDecimal.valueOf(cents).multiply(new BigDecimal(factor))
        .setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  /** cents / divisor (the double's exact value, > 0), rounded half up to the cent. */
  public static long over(long cents, double divisor) {
    return BigDecimal.valueOf(cents).divide(new BigDecimal(divisor), 0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  /** a / b in cents, rounded half up; b > 0. */
  public static long divide(long centsA, long b) {
    return BigDecimal.valueOf(centsA).divide(BigDecimal.valueOf(b), 0, RoundingMode.HALF_UP)
        .longValueExact();
  }
}
