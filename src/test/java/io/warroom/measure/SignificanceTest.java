package io.warroom.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warroom.ingest.RecordType;
import io.warroom.kpi.Experiments;
import io.warroom.plan.Plan;
import io.warroom.plan.Text;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

/**
 * The experiment tests of CONTRACT section 12 against computations made another way (Apache
 * Commons Math, closed forms, numerical integration), and the sequential test by simulation: its
 * false "better"/"worse" rate under the null over a run watched at many moments, and its power on a
 * real effect. Fixed seeds; a few seconds.
 */
class SignificanceTest {
  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

  /** Two-sided p-value of a pooled two-proportion z-test, by Commons Math's normal distribution. */
  private static double referenceZ(long x1, long n1, long x2, long n2) {
    double p = (double) (x1 + x2) / (n1 + n2);
    double z = ((double) x2 / n2 - (double) x1 / n1) / Math.sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2));
    return 2 * NORMAL.cumulativeProbability(-Math.abs(z));
  }

  /** 2 * integral of the normal density from |z| to 12, by Simpson's rule (independent of erfc). */
  private static double integratedTail(double z) {
    double a = Math.abs(z);
    double b = 12;
    int n = 200_000;
    double h = (b - a) / n;
    double s = pdf(a) + pdf(b);
    for (int i = 1; i < n; i++) s += (i % 2 == 1 ? 4 : 2) * pdf(a + i * h);
    return 2 * s * h / 3;
  }

  private static double pdf(double x) {
    return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  }

  private static void close(double expected, double actual, double relative) {
    assertTrue(Math.abs(expected - actual) <= relative * Math.abs(expected) + 1e-300,
        "expected " + expected + " got " + actual);
  }

  @Test
  void zTestMatchesReference() {
    long[][] cases = {
        {300, 10_000, 345, 10_000}, {120, 4_000, 96, 4_100}, {5, 50, 9, 60},
        {3_000, 100_000, 3_000, 100_000}, {31_000, 1_000_000, 33_000, 1_000_000},
        {1, 2, 1, 3}, {12_345, 400_000, 11_900, 395_000}};
    for (long[] c : cases) {
      Double p = Significance.zTest(c[0], c[1], c[2], c[3]);
      assertNotNull(p);
      close(referenceZ(c[0], c[1], c[2], c[3]), p, 1e-9);
    }
    // The same p-values from the density itself, where the tail is not tiny.
    for (double z : new double[] {0.1, 0.5, 1, 1.959963984540054, 2.5, 3.3, 5}) {
      close(integratedTail(z), Significance.normalTwoSided(z), 1e-8);
    }
    assertEquals(1.0, Significance.zTest(30, 1000, 30, 1000), 1e-15);
    assertNull(Significance.zTest(0, 1000, 0, 1000), "no orders: no test");
    assertNull(Significance.zTest(3, 0, 3, 100), "no sessions: no test");
    assertNull(Significance.zTest(120, 100, 130, 100), "more orders than sessions: no test");
    assertNull(Significance.zTest(0, 1000, 25, 10), "one side over 1 (pooled 0.025): no test");
  }

  @Test
  void srmMatchesReference() {
    ChiSquareTest chi = new ChiSquareTest();
    long[][] observed = {{5_000, 5_000}, {5_120, 4_880}, {10_400, 9_600}, {3_000, 3_100, 2_900},
        {1_000, 2_000, 3_000, 4_100}, {50, 10}};
    double[][] shares = {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}, {1 / 3.0, 1 / 3.0, 1 / 3.0},
        {0.1, 0.2, 0.3, 0.4}, {0.8, 0.2}};
    for (int i = 0; i < observed.length; i++) {
      double[] obs = new double[observed[i].length];
      long total = 0;
      for (int j = 0; j < obs.length; j++) {
        obs[j] = observed[i][j];
        total += observed[i][j];
      }
      double[] expected = new double[obs.length];
      double chi2 = 0;
      for (int j = 0; j < obs.length; j++) {
        expected[j] = total * shares[i][j];
        chi2 += Math.pow(obs[j] - expected[j], 2) / expected[j];
      }
      double p = Significance.srm(obs, shares[i]);
      close(chi.chiSquareTest(expected, observed[i]), p, 1e-9);
      // Closed forms: 1 degree of freedom is the normal tail of sqrt(chi2); 2 is exp(-chi2/2).
      if (obs.length == 2) close(2 * NORMAL.cumulativeProbability(-Math.sqrt(chi2)), p, 1e-9);
      if (obs.length == 3) close(Math.exp(-chi2 / 2), p, 1e-12);
    }
    assertNull(Significance.srm(new double[] {0, 0}, new double[] {0.5, 0.5}));
    // A 10,400 / 9,600 split of a planned 50/50 is a mismatch; 5,120 / 4,880 is not.
    assertTrue(Experiments.srmWarning(Significance.srm(new double[] {10_400, 9_600},
        new double[] {0.5, 0.5})));
    assertTrue(!Experiments.srmWarning(Significance.srm(new double[] {5_120, 4_880},
        new double[] {0.5, 0.5})));
  }

  @Test
  void sequentialIntervalAndPValueAgree() {
    // The sequence excludes no lift exactly when the always-valid p-value is below 0.05, and the
    // always-valid p-value is never below the fixed-horizon one.
    SplittableRandom rnd = new SplittableRandom(7);
    int checked = 0;
    for (int i = 0; i < 20_000; i++) {
      long n1 = 200 + rnd.nextLong(200_000);
      long n2 = 200 + rnd.nextLong(200_000);
      double p = 0.01 + rnd.nextDouble() * 0.3;
      long x1 = Math.round(n1 * p);
      long x2 = Math.round(n2 * p * (0.8 + 0.4 * rnd.nextDouble()));
      Significance.Sequential s = Significance.sequential(x1, n1, x2, n2);
      if (s == null) continue;
      checked++;
      boolean excludes = s.low() > 0 || s.high() < 0;
      assertEquals(excludes, s.pValue() < Significance.ALPHA, () -> s.toString());
      assertTrue(s.low() < s.lift() && s.lift() < s.high());
      close((double) x2 / n2 / ((double) x1 / n1) - 1, s.lift(), 1e-12);
    }
    assertTrue(checked > 10_000);
    assertNull(Significance.sequential(99, 10_000, 150, 10_000), "fewer than 100 orders in an arm");
  }

  private static Plan plan() {
    return Plan.builder("t", Text.of("t"), ZoneId.of("UTC"), "CNY", LocalDate.of(2026, 11, 1),
        LocalDate.of(2026, 12, 1)).experiments(List.of(new Plan.Experiment("x", null,
            List.of("A", "B"), "A", List.of(0.5, 0.5)))).build();
  }

  /**
   * Runs an experiment of {@code runs} runs, each watched after every {@code step} sessions per
   * arm up to {@code steps} looks; answers how many runs ended with each decision (the first
   * decision that is not "no difference yet"), and how many a fixed-horizon test read at the same
   * looks would have called.
   */
  private static int[] simulate(double pA, double pB, int runs, int steps, int step, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Binomial a = new Binomial(step, pA);
    Binomial b = new Binomial(step, pB);
    int better = 0;
    int worse = 0;
    int naive = 0;
    for (int run = 0; run < runs; run++) {
      Experiments xs = new Experiments(plan());
      Plan.Experiment x = xs.experiment("x");
      boolean naiveCalled = false;
      for (int k = 0; k < steps; k++) {
        xs.load("x", "A", RecordType.VISIT, 0, new Sum(), Sum.of(step));
        xs.load("x", "B", RecordType.VISIT, 0, new Sum(), Sum.of(step));
        xs.load("x", "A", RecordType.ORDER, a.next(rnd), new Sum(), new Sum());
        xs.load("x", "B", RecordType.ORDER, b.next(rnd), new Sum(), new Sum());
        Experiments.Result r = xs.results(x).get(0);
        assertTrue(r.pValue() == null || r.sequentialPValue() >= r.pValue());
        if (r.pValue() != null && r.pValue() < 0.05) naiveCalled = true;
        if (r.decision().equals(Experiments.BETTER)) {
          better++;
          break;
        }
        if (r.decision().equals(Experiments.WORSE)) {
          worse++;
          break;
        }
      }
      if (naiveCalled) naive++;
    }
    return new int[] {better, worse, naive};
  }

  @Test
  void falseDecisionsUnderTheNullStayUnderFivePercent() {
    // 600 runs at 3 % conversion in both arms, looked at every 200 sessions per arm up to
    // 100,000 (500 looks each).
    int runs = 600;
    int[] d = simulate(0.03, 0.03, runs, 500, 200, 20261202L);
    double falseRate = (d[0] + d[1]) / (double) runs;
    assertTrue(falseRate <= 0.05, "false better/worse rate " + falseRate);
    // The fixed-horizon p-value read at the same looks calls far more than 5 %: the peeking problem.
    assertTrue(d[2] / (double) runs > 0.25, "naive rate " + d[2] / (double) runs);
    // And a common rate of 30 %.
    int[] e = simulate(0.3, 0.3, 300, 300, 40, 11L);
    assertTrue((e[0] + e[1]) / 300.0 <= 0.05, "false rate at 30 %: " + (e[0] + e[1]) / 300.0);
  }

  @Test
  void powerOnARealEffect() {
    // 3 % against 3.45 % (a lift of 15 %), up to 100,000 sessions per arm.
    int runs = 200;
    int[] d = simulate(0.03, 0.0345, runs, 500, 200, 99L);
    assertTrue(d[0] / (double) runs >= 0.8, "power " + d[0] / (double) runs);
    assertEquals(0, d[1], "a better variant called worse");
    int[] w = simulate(0.0345, 0.03, runs, 500, 200, 98L);
    assertTrue(w[1] / (double) runs >= 0.8, "power on a worse variant " + w[1] / (double) runs);
    assertEquals(0, w[0], "a worse variant called better");
  }

  /** Binomial(n, p) draws by inversion of a precomputed distribution function. */
  private static final class Binomial {
    final double[] cdf;

    Binomial(int n, double p) {
      cdf = new double[n + 1];
      double pmf = Math.pow(1 - p, n);
      double c = 0;
      for (int k = 0; k <= n; k++) {
        c += pmf;
        cdf[k] = c;
        pmf = pmf * (n - k) / (k + 1) * p / (1 - p);
      }
    }

    long next(SplittableRandom rnd) {
      double u = rnd.nextDouble();
      for (int k = 0; k < cdf.length; k++) if (u < cdf[k]) return k;
      return cdf.length - 1;
    }
  }
}
