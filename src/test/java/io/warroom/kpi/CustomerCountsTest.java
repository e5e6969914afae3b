package io.warroom.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compact customer table agrees with a plain HashMap through adds, removals and growth; customer
 * numbers are one per distinct id.
 */
public class CustomerCountsTest {
  @Test
  void agreesWithAHashMapUnderRandomChanges() {
    Random rnd = new Random(7);
    CustomerCounts table = new CustomerCounts();
    Map<Integer, int[]> ref = new HashMap<>();
    for (int step = 0; step < 300_000; step++) {
      int id = rnd.nextInt(5_000);
      int[] before = ref.getOrDefault(id, new int[2]);
      int d = rnd.nextInt(10) < 6 ? 1 : -before[0]; // add an order, or take all of them away
      int dn = d > 0 ? (rnd.nextBoolean() ? 1 : 0) : -before[1];
      int[] seen = new int[4];
      table.add(id, d, dn, (bo, bn, ao, an) -> {
        seen[0] = bo;
        seen[1] = bn;
        seen[2] = ao;
        seen[3] = an;
      });
      int[] after = {before[0] + d, before[1] + dn};
      assertEquals(before[0], seen[0]);
      assertEquals(before[1], seen[1]);
      if (after[0] <= 0) ref.remove(id);
      else ref.put(id, after);
      assertEquals(after[0] <= 0 ? 0 : after[0], seen[2]);
      if (step % 10_000 == 0) assertSame(ref, table);
    }
    assertSame(ref, table);
  }

  static void assertSame(Map<Integer, int[]> ref, CustomerCounts table) {
    assertEquals(ref.size(), table.size());
    Map<Integer, int[]> got = new HashMap<>();
    table.forEach((id, orders, newOrders) -> got.put(id, new int[] {orders, newOrders}));
    assertEquals(ref.keySet(), got.keySet());
    ref.forEach((k, v) -> {
      assertEquals(v[0], got.get(k)[0], k);
      assertEquals(v[1], got.get(k)[1], k);
    });
  }

  @Test
  void customerIdsNumberEachDistinctIdOnce() {
    CustomerIds ids = new CustomerIds();
    Map<String, Integer> ref = new HashMap<>();
    Random rnd = new Random(8);
    for (int step = 0; step < 200_000; step++) {
      // "Aa" and "BB" share a hash code; so do many of the rest by chance at this size.
      String id = switch (rnd.nextInt(10)) {
        case 0 -> rnd.nextBoolean() ? "Aa" : "BB";
        case 1 -> "客户-" + rnd.nextInt(1_000);
        case 2 -> "é" + rnd.nextInt(1_000);
        case 3 -> "x".repeat(rnd.nextInt(100) == 0 ? 70_000 + rnd.nextInt(3) : rnd.nextInt(30));
        default -> "c" + rnd.nextInt(50_000);
      };
      int n = ids.number(new String(id.toCharArray()));
      Integer before = ref.putIfAbsent(id, n);
      assertEquals(before == null ? ref.size() - 1 : before, n, id);
    }
    assertEquals(ref.size(), ids.size());
  }
}
