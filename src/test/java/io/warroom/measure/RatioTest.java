package io.warroom.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warroom.contract.Oracle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Ratios of sums (conversion, share, ROI) are the double nearest the exact quotient, also for sums
 * past 2^53 (orders of 10^12 CNY, in cents), where dividing two doubles rounds twice.
 */
class RatioTest {
  @Test
  void aRatioIsTheDoubleNearestTheExactQuotient() {
    Random random = new Random(20261204);
    int naiveWrong = 0;
    for (int i = 0; i < 20_000; i++) {
      long a = random.nextLong(1L << 62);
      long b = random.nextLong(1, 1L << 62);
      double want = nearest(BigInteger.valueOf(a), BigInteger.valueOf(b));
      assertEquals(want, Kpi.ratio(a, b), a + " / " + b);
      assertEquals(want, Kpi.ratio(Sum.of(a), Sum.of(b)), a + " / " + b);
      assertEquals(want, Kpi.ratio(a, Sum.of(b)), a + " / " + b);
      if ((double) a / (double) b != want) naiveWrong++;
    }
    assertTrue(naiveWrong > 0, "some pairs tell the two ways apart");

    for (int i = 0; i < 2_000; i++) {
      BigInteger a = new BigInteger(100, random);
      BigInteger b = new BigInteger(90, random).add(BigInteger.ONE);
      assertEquals(nearest(a, b), Kpi.ratio(Sum.of(a), Sum.of(b)), a + " / " + b);
    }
    assertEquals(0.25, Kpi.ratio(1, 4));
    assertNull(Kpi.ratio(1, 0));
    assertNull(Kpi.ratio(Sum.of(1), new Sum()));
  }

  /** The exact quotient to 60 digits, then the nearest double. */
  private static double nearest(BigInteger a, BigInteger b) {
    return Oracle.quotient(new BigDecimal(a), new BigDecimal(b));
  }
}
