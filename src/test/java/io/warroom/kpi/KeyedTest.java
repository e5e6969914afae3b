package io.warroom.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keys past the cap: told apart in arrival order, never more rows than the cap. */
class KeyedTest {
  static final class Count implements Keyed.Row<Count> {
    long n;

    @Override
    public void addTo(Count into) {
      into.n += n;
    }

    @Override
    public void addTo(Count into, int sign) {
      into.n += sign * n;
    }
  }

  /** A change as the aggregator makes it: to the key's row and the total, then told. */
  static void add(Keyed<Count> k, String key, long n) {
    Count r = k.row(key);
    r.n += n;
    k.total().n += n;
    k.moved(key, r);
  }

  static final Comparator<Count> MOST = (x, y) -> Long.compare(y.n, x.n);

  @Test
  void theFirstKeysToArriveAreToldApartWhateverTheirCodePoints() {
    Random rnd = new Random(7);
    for (int round = 0; round < 50; round++) {
      Keyed<Count> k = new Keyed<>(Count::new, 20);
      for (int i = 0; i < 15; i++) k.row("a" + i).n++;
      List<String> batch = new ArrayList<>();
      // 12 new keys, supplementary characters among them (UTF-16 order differs), each twice
      for (int i = 0; i < 12; i++) {
        String key = i % 3 == 0 ? new String(Character.toChars(0x1F600 + i)) : i % 3 == 1 ? "\uFF21" + i : "b" + i;
        batch.add(key);
        batch.add(key);
      }
      batch.add("a3"); // known already
      Collections.shuffle(batch, rnd);
      for (String key : batch) {
        k.row(key).n++;
        assertTrue(k.distinct() <= 20, "never more rows than the cap");
      }
      List<String> fresh = new ArrayList<>();
      for (String key : batch) if (!key.startsWith("a") && !fresh.contains(key)) fresh.add(key);
      List<String> told = fresh.subList(0, 5);
      for (String key : fresh) {
        assertEquals(told.contains(key), k.get(key) != null, key);
        if (told.contains(key)) assertEquals(2, k.get(key).n, key);
      }
      assertEquals(2, k.get("a3").n);
      Keyed.Ranking<Count> all = k.rank((x, y) -> Long.compare(y.n, x.n), 100, 1 << 20, null);
      long listed = all.top().stream().mapToLong(e -> e.getValue().n).sum();
      assertEquals(15 + 24 + 1, listed + (all.rest() == null ? 0 : all.rest().n), "every record once");
      assertEquals(14, all.rest().n, "seven keys of two records past the cap");
      assertTrue(all.capped());
    }
  }

  @Test
  void keysAreToldApartInArrivalOrder() {
    Keyed<Count> k = new Keyed<>(Count::new, 2);
    k.row("z").n++;
    k.row("y").n++;
    k.row("a").n++;
    assertTrue(k.get("z") != null && k.get("y") != null);
    assertFalse(k.get("a") != null);
    assertTrue(k.capped());
  }

  /**
   * A table built with its order ranks from the leaders it keeps: after every change the ranking
   * is the one a full sort of every key gives (most first, ties by code point), and the rest is
   * every record not shown, past the cap too.
   */
  @Test
  void aTableKeptInOrderRanksAsAFullSortWhateverTheArrivalOrder() {
    Random rnd = new Random(11);
    for (int round = 0; round < 20; round++) {
      int cap = 300 + rnd.nextInt(300);
      Keyed<Count> k = new Keyed<>(Count::new, cap, Long.MAX_VALUE, Set.of(), MOST);
      Map<String, Long> sums = new HashMap<>();
      List<String> told = new ArrayList<>();
      long all = 0;
      for (int step = 0; step < 3_000; step++) {
        // new keys all along, a few growing fast, many ties, supplementary characters among them
        int id = rnd.nextInt(step < 1_000 ? 400 : 900);
        String key = id % 5 == 0 ? new String(Character.toChars(0x1F600 + id)) : "k" + id;
        long add = rnd.nextInt(4) == 0 ? 0 : id % 97 == 0 ? 50 : rnd.nextInt(3);
        if (!sums.containsKey(key) && told.size() < cap) told.add(key);
        sums.merge(key, add, Long::sum);
        all += add;
        add(k, key, add);
        if (step % 97 == 0 || step == 2_999) {
          int n = 1 + rnd.nextInt(50);
          List<String> expected = told.stream()
              .sorted(Comparator.<String>comparingLong(sums::get).reversed()
                  .thenComparing(Keyed.BY_CODE_POINT))
              .filter(x -> !x.equals("k7")).limit(n).toList();
          Keyed.Ranking<Count> r = k.rank(n, 1 << 20, "k7");
          assertEquals(expected, r.top().stream().map(Map.Entry::getKey).toList());
          long shown = 0;
          for (var e : r.top()) {
            assertEquals(sums.get(e.getKey()), e.getValue().n, e.getKey());
            shown += e.getValue().n;
          }
          assertEquals(all - shown, r.rest() == null ? 0 : r.rest().n, "the rest: every other record");
        }
      }
    }
  }

  /** Names past the table's budget of chars go to the overflow like keys past its count. */
  @Test
  void namesPastTheCharBudgetAreNotToldApart() {
    Keyed<Count> k = new Keyed<>(Count::new, 100, 10, Set.of("online-shop"), MOST);
    add(k, "abcd", 1);
    add(k, "online-shop", 2); // named up front: takes none of the budget
    add(k, "efghijk", 3); // 4 + 7 > 10
    add(k, "efg", 4);
    add(k, "hijk", 5); // 4 + 3 + 4 > 10
    assertEquals(List.of("efg", "online-shop", "abcd"), k.rank(10, 1 << 20, null).top()
        .stream().map(Map.Entry::getKey).toList());
    assertEquals(8, k.rank(10, 1 << 20, null).rest().n);
    assertTrue(k.capped());
  }
}
