package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * CONTRACT section 12 computed the plain way from the records a test sent: per declared variant
 * the sessions, orders, order amount of the campaign window; the pooled z-test and the chi-square
 * test by Apache Commons Math (its normal distribution, its regularised gamma function); the always-valid p-value and interval by the formula the README
 * names (Waudby-Smith et al.'s asymptotic confidence sequence as GrowthBook writes it, N* = 5000,
 * judged from 100 orders and 100 sessions without an order per arm).
 */
final class ExperimentOracle {
  /** A record as the test sent it: type order or visit, with its experiment fields. */
  record X(String type, long ts, String experiment, String variant, BigDecimal amount, long sessions) {}

  /** A declared experiment. */
  record Declared(String id, List<String> variants, String control, double[] split) {}

  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

  private ExperimentOracle() {}

  /** Checks the snapshot's `experiments` against the records of [from, to). */
  static void check(JsonObject section, List<Declared> declared, List<X> records, long from, long to) {
    assertEquals(declared.size(), section.size(), section.encode());
    for (Declared d : declared) {
      JsonObject got = section.getJsonObject(d.id());
      int k = d.variants().size();
      long[] sessions = new long[k];
      long[] orders = new long[k];
      BigDecimal[] revenue = new BigDecimal[k];
      Arrays.fill(revenue, BigDecimal.ZERO);
      for (X r : records) {
        if (r.ts() < from || r.ts() >= to || !d.id().equals(r.experiment())) continue;
        int i = r.variant() == null ? -1 : d.variants().indexOf(r.variant());
        if (i < 0) continue;
        if (r.type().equals("visit")) sessions[i] += r.sessions();
        if (r.type().equals("order")) {
          orders[i]++;
          revenue[i] = revenue[i].add(r.amount());
        }
      }
      JsonObject variants = got.getJsonObject("variants");
      assertEquals(k, variants.size());
      for (int i = 0; i < k; i++) {
        JsonObject v = variants.getJsonObject(d.variants().get(i));
        String where = d.id() + "/" + d.variants().get(i);
        assertEquals(sessions[i], v.getLong("sessions"), where);
        assertEquals(orders[i], v.getLong("orders"), where);
        assertEquals(0, revenue[i].compareTo(new BigDecimal(v.getValue("revenue").toString())), where);
        if (sessions[i] == 0) assertNull(v.getValue("conversion"), where);
        else assertEquals((double) orders[i] / sessions[i], v.getDouble("conversion"), 0, where);
        if (orders[i] == 0) {
          assertNull(v.getValue("aov"), where);
        } else {
          assertEquals(Oracle.quotient(revenue[i], BigDecimal.valueOf(orders[i])), v.getDouble("aov"), where);
        }
      }
      long total = 0;
      for (long s : sessions) total += s;
      if (total == 0) {
        assertNull(got.getValue("srmPValue"));
      } else {
        double[] expected = new double[k];
        double shares = 0;
        for (double s : d.split()) shares += s;
        for (int i = 0; i < k; i++) expected[i] = total * d.split()[i] / shares;
        double chi2 = 0;
        for (int i = 0; i < k; i++) chi2 += Math.pow(sessions[i] - expected[i], 2) / expected[i];
        double srm = Gamma.regularizedGammaQ((k - 1) / 2.0, chi2 / 2);
        near(srm, got.getDouble("srmPValue"), d.id() + " srmPValue");
        assertEquals(srm < 0.001, got.getBoolean("srmWarning"), d.id() + " srmWarning");
      }
      int c = d.variants().indexOf(d.control());
      JsonArray results = got.getJsonArray("results");
      List<String> others = new ArrayList<>(d.variants());
      others.remove(d.control());
      assertEquals(others.size(), results.size());
      for (int j = 0; j < others.size(); j++) {
        JsonObject r = results.getJsonObject(j);
        int i = d.variants().indexOf(others.get(j));
        String where = d.id() + "/" + others.get(j);
        assertEquals(others.get(j), r.getString("variant"));
        // Exact: the nearest double of the rational lift, through 60 digits.
        Double lift = sessions[c] == 0 || sessions[i] == 0 || orders[c] == 0 ? null
            : BigDecimal.valueOf(orders[i]).multiply(BigDecimal.valueOf(sessions[c]))
                .divide(BigDecimal.valueOf(orders[c]).multiply(BigDecimal.valueOf(sessions[i])),
                    new MathContext(60))
                .subtract(BigDecimal.ONE).doubleValue();
        if (lift == null) assertNull(r.getValue("lift"), where);
        else assertEquals(lift, r.getDouble("lift"), 0, where + " lift");
        Double p = zTest(orders[c], sessions[c], orders[i], sessions[i]);
        if (p == null) assertNull(r.getValue("pValue"), where);
        else near(p, r.getDouble("pValue"), where + " pValue");
        double[] seq = sequential(orders[c], sessions[c], orders[i], sessions[i]);
        double seqP = seq == null ? 1 : seq[2];
        if (p != null) seqP = Math.max(seqP, p);
        near(seqP, r.getDouble("sequentialPValue"), where + " sequentialPValue");
        assertTrue(p == null || r.getDouble("sequentialPValue") >= r.getDouble("pValue"), where);
        if (seq == null) {
          assertNull(r.getValue("ci"), where);
        } else {
          near(seq[0], r.getJsonArray("ci").getDouble(0), where + " ci low");
          near(seq[1], r.getJsonArray("ci").getDouble(1), where + " ci high");
        }
        String decision = seqP < 0.05 && lift != null && lift != 0
            ? (lift > 0 ? "better" : "worse") : "no difference yet";
        assertEquals(decision, r.getString("decision"), where);
      }
    }
  }

  static Double zTest(long x1, long n1, long x2, long n2) {
    if (n1 == 0 || n2 == 0 || x1 > n1 || x2 > n2) return null;
    double pooled = (double) (x1 + x2) / (n1 + n2);
    if (pooled <= 0 || pooled >= 1) return null;
    double z = ((double) x2 / n2 - (double) x1 / n1)
        / Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
    return 2 * NORMAL.cumulativeProbability(-Math.abs(z));
  }

  /** Low, high and p-value of the sequential test, or null before 100 orders and non-orders per arm. */
  static double[] sequential(long x1, long n1, long x2, long n2) {
    if (x1 < 100 || n1 - x1 < 100 || x2 < 100 || n2 - x2 < 100) return null;
    double alpha = 0.05;
    double rho2 = (-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / 5000;
    double pa = (double) x1 / n1;
    double pb = (double) x2 / n2;
    double pe = pb / pa - 1;
    double se2 = pb * (1 - pb) / (Math.pow(pa, 2) * n2) + pa * (1 - pa) * Math.pow(pb, 2) / (Math.pow(pa, 4) * n1);
    double n = n1 + n2;
    double s2 = se2 * n;
    double half = Math.sqrt(s2) * Math.sqrt(2 * (n * rho2 + 1) * Math.log(Math.sqrt(n * rho2 + 1) / alpha)
        / (n * n * rho2));
    double st2 = pe * pe * n / se2;
    double tr2p1 = n * rho2 + 1;
    double evalue = Math.exp(rho2 * st2 / (2 * tr2p1)) / Math.sqrt(tr2p1);
    return new double[] {pe - half, pe + half, Math.min(1 / evalue, 1)};
  }

  private static void near(double expected, double actual, String what) {
    assertTrue(Math.abs(expected - actual) <= 1e-9 * Math.abs(expected) + 1e-300,
        what + ": expected " + expected + ", got " + actual);
  }
}
