package io.warroom.alert;

import io.warroom.notify.Words;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Numbers for alert JSON and messages: money to the cent, others as the double they are. */
final class Num {
  private Num() {}

  /** A measured value as it is: whole numbers without a fraction. */
  static BigDecimal of(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return BigDecimal.valueOf((long) d);
    return BigDecimal.valueOf(d);
  }

  /** A computed threshold, without binary noise (0.9 * 0.03 is 0.027, not 0.027000000000000003). */
  static BigDecimal threshold(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return BigDecimal.valueOf((long) d);
    BigDecimal b = BigDecimal.valueOf(d).round(new MathContext(10, RoundingMode.HALF_UP))
        .stripTrailingZeros();
    return b.scale() < 0 ? b.setScale(0) : b;
  }

  static BigDecimal money(double units) {
    return plain(BigDecimal.valueOf(units).setScale(2, RoundingMode.HALF_UP));
  }

  /** Without trailing zeros, never in exponent notation. */
  static BigDecimal plain(BigDecimal d) {
    BigDecimal b = d.stripTrailingZeros();
    return b.scale() < 0 ? b.setScale(0) : b;
  }

  /** Short text: four significant digits, plain notation; below 0.0001 as 7.1e-12. */
  static String text(BigDecimal b) {
    if (b == null) return "none";
    if (b.signum() != 0 && b.abs().compareTo(new BigDecimal("0.0001")) < 0) {
      return Words.tiny(b.doubleValue());
    }
    BigDecimal r = b.abs().compareTo(BigDecimal.valueOf(10_000)) >= 0
        ? b.setScale(0, RoundingMode.HALF_UP) : b.round(new MathContext(4, RoundingMode.HALF_UP));
    return r.stripTrailingZeros().toPlainString();
  }

  /** Two numbers as {@link #text} gives them, with more digits while they differ but read alike. */
  static String[] texts(BigDecimal a, BigDecimal b) {
    return Words.apart(a, b, extra -> extra == 0 ? new String[] {text(a), text(b)}
        : new String[] {digits(a, 4 + extra), digits(b, 4 + extra)});
  }

  private static String digits(BigDecimal b, int significant) {
    return b.round(new MathContext(significant, RoundingMode.HALF_UP)).stripTrailingZeros()
        .toPlainString();
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f %%", share * 100);
  }
}
