package io.warroom.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warroom.measure.Sum;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.math.BigInteger;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** A focus key's previous-period sums stay exact past a long, in and out of the to-date part. */
class PreviousFocusTest {
  final Plan plan = SeedPlan.forMonth(LocalDate.of(2026, 12, 1));
  final Plan.Focus units = plan.focus().stream().filter(f -> f.metric().equals("units")).findFirst()
      .orElseThrow();

  @Test
  void aMinuteWhoseSumsPassALongIsKeptExactly() {
    PreviousFocus p = new PreviousFocus(plan, 30 * 24 * 60);
    BigInteger big = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.TEN);
    // minute 61 (an hour's second array): one long-sized sum, then one that passes a long
    p.load(units.dimension(), units.key(), 61, 2, Sum.of(Long.MAX_VALUE - 5), Sum.of(Long.MAX_VALUE - 5), false);
    p.load(units.dimension(), units.key(), 61, 1, Sum.of(big), Sum.of(big), false);
    p.load(units.dimension(), units.key(), 59, 1, Sum.of(100), Sum.of(3), false);
    assertEquals(0L, p.toDate(units, new Totals()));
    p.take(59, 1);
    assertEquals(3L, p.toDate(units, new Totals()));
    p.take(60, 1);
    p.take(61, 1);
    BigInteger expected = big.add(BigInteger.valueOf(Long.MAX_VALUE - 5 + 3));
    assertEquals(expected, p.toDate(units, new Totals()));
    p.take(61, -1);
    assertEquals(3L, p.toDate(units, new Totals()));
    // a key that is no focus target's is not kept; only the two hours with orders take memory
    p.load(units.dimension(), "not-a-focus-key", 10, 1, Sum.of(1), Sum.of(1), true);
    assertEquals(3L, p.toDate(units, new Totals()));
    assertEquals(plan.focus().size() * 3L * 8 * 720 + 2 * 3 * (60 * 8 + 16), p.bytes());
  }
}
