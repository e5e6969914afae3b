package io.warroom.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Keys past the cap: told apart in arrival order, never more rows than the cap. */
class KeyedTest {
  static final class Count implements Keyed.Row<Count> {
    long n;

    @Override
    public void addTo(Count into) {
      into.n += n;
    }
  }

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
}
