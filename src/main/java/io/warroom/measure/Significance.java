package io.warroom.measure;

/**
 * The tests of an A/B experiment (CONTRACT section 12): the fixed-horizon two-sided pooled
 * two-proportion z-test, the chi-square test of a sample-ratio mismatch, and an always-valid
 * p-value with a 95 % confidence sequence on the relative lift.
 *
 * <p>The sequential test is the asymptotic confidence sequence of Waudby-Smith, Arbour, Sinha,
 * Kennedy and Ramdas, "Time-uniform central limit theory and asymptotic confidence sequences"
 * (Annals of Statistics, 2024; arXiv:2103.06476), as GrowthBook applies it to the lift: with
 * n the sessions of both arms and s2 = n times the lift's delta-method variance,
 * rho^2 = (-2 ln alpha + ln(1 - 2 ln alpha)) / N*, the half-width is
 * sqrt(s2 * 2 (n rho^2 + 1) / (n rho)^2 * ln(sqrt(n rho^2 + 1) / alpha)), and the p-value is the
 * inverse of the e-value exp(rho^2 n z^2 / (2 (n rho^2 + 1))) / sqrt(n rho^2 + 1), so that the
 * interval excludes 0 exactly when the p-value is below alpha. It is judged only once each arm
 * holds {@link #MIN_EACH} orders and as many sessions without one (the central limit needs
 * them); before that the p-value is 1 and there is no interval.
 */
public final class Significance {
  public static final double ALPHA = 0.05;
  /** N*, the sample size (sessions of both arms) where the sequence is tightest: GrowthBook's default. */
  public static final double TUNING = 5000;
  /** Orders, and sessions without an order, each arm needs before the sequential test judges. */
  public static final long MIN_EACH = 100;
  /** A sample-ratio mismatch is flagged below this p-value (GrowthBook's default threshold). */
  public static final double SRM_THRESHOLD = 0.001;

  private static final double RHO2 =
      (-2 * Math.log(ALPHA) + Math.log(1 - 2 * Math.log(ALPHA))) / TUNING;
  private static final double EPS = 1e-16;
  private static final double TINY = 1e-300;

  private Significance() {}

  /**
   * The two-sided pooled two-proportion z-test of {@code x2/n2} against {@code x1/n1}; null when a
   * side has no sessions or more orders than sessions (no proportion), or the pooled proportion is
   * not strictly between 0 and 1.
   */
  public static Double zTest(double x1, double n1, double x2, double n2) {
    if (n1 <= 0 || n2 <= 0 || x1 > n1 || x2 > n2) return null;
    double pooled = (x1 + x2) / (n1 + n2);
    if (!(pooled > 0 && pooled < 1)) return null;
    double se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    double z = (x2 / n2 - x1 / n1) / se;
    return normalTwoSided(z);
  }

  /** P(|Z| >= |z|) for a standard normal Z. */
  public static double normalTwoSided(double z) {
    return upperGamma(0.5, z * z / 2);
  }

  /**
   * The chi-square test of observed counts against shares (normalised to add up to 1), with one
   * degree of freedom less than there are counts; null when the counts add up to 0.
   */
  public static Double srm(double[] observed, double[] shares) {
    double total = 0;
    double shareTotal = 0;
    for (int i = 0; i < observed.length; i++) {
      total += observed[i];
      shareTotal += shares[i];
    }
    if (total <= 0) return null;
    double chi2 = 0;
    for (int i = 0; i < observed.length; i++) {
      double expected = total * shares[i] / shareTotal;
      double d = observed[i] - expected;
      chi2 += d * d / expected;
    }
    return chiSquareUpper(chi2, observed.length - 1);
  }

  /** P(X >= x) for X chi-square with {@code df} degrees of freedom. */
  public static double chiSquareUpper(double x, int df) {
    return upperGamma(df / 2.0, x / 2);
  }

  /** The sequential result for a variant against the control: lift, its 95 % sequence, p-value. */
  public record Sequential(double lift, double low, double high, double pValue) {}

  /**
   * The always-valid test of the variant's conversion {@code x2/n2} against the control's
   * {@code x1/n1}, on the relative lift; null until each arm has {@link #MIN_EACH} orders and as
   * many sessions without one.
   */
  public static Sequential sequential(double x1, double n1, double x2, double n2) {
    if (x1 < MIN_EACH || n1 - x1 < MIN_EACH || x2 < MIN_EACH || n2 - x2 < MIN_EACH) return null;
    double p1 = x1 / n1;
    double p2 = x2 / n2;
    double lift = p2 / p1 - 1;
    // Delta method: Var(p2/p1) for independent proportions.
    double variance = p2 * (1 - p2) / (p1 * p1 * n2)
        + p1 * (1 - p1) * p2 * p2 / (p1 * p1 * p1 * p1 * n1);
    double n = n1 + n2;
    double t = n * RHO2 + 1;
    double half = Math.sqrt(variance * n * 2 * t / (n * n * RHO2) * Math.log(Math.sqrt(t) / ALPHA));
    double logE = RHO2 * (lift * lift * n / variance) / (2 * t) - 0.5 * Math.log(t);
    double p = logE <= 0 ? 1 : Math.exp(-logE);
    return new Sequential(lift, lift - half, lift + half, p);
  }

  /**
   * The regularised upper incomplete gamma function Q(a, x), for a a positive multiple of 1/2: by
   * its series below a + 1, by its continued fraction (modified Lentz) above (Numerical Recipes,
   * section 6.2).
   */
  static double upperGamma(double a, double x) {
    if (x <= 0) return 1;
    double logPrefix = -x + a * Math.log(x) - logGamma(a);
    if (x < a + 1) {
      double ap = a;
      double del = 1 / a;
      double sum = del;
      for (int i = 0; i < 10_000; i++) {
        ap += 1;
        del *= x / ap;
        sum += del;
        if (Math.abs(del) < Math.abs(sum) * EPS) break;
      }
      return Math.max(0, 1 - sum * Math.exp(logPrefix));
    }
    double b = x + 1 - a;
    double c = 1 / TINY;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 10_000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < TINY) d = TINY;
      c = b + an / c;
      if (Math.abs(c) < TINY) c = TINY;
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < EPS) break;
    }
    return Math.min(1, Math.exp(logPrefix) * h);
  }

  /** ln Gamma(a) for a a positive multiple of 1/2, from Gamma(1/2) = sqrt(pi), Gamma(1) = 1. */
  static double logGamma(double a) {
    double base = a == Math.floor(a) ? 1 : 0.5;
    double log = base == 1 ? 0 : 0.5 * Math.log(Math.PI);
    for (double k = base; k < a - 0.25; k += 1) log += Math.log(k);
    return log;
  }
}
