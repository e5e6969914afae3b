package io.warroom.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ring of the ids a run gave: the newest {@code capacity}, found wherever the ring wraps. */
class IssuedTest {
  static List<Long> held(Issued ids, long upTo) {
    List<Long> out = new ArrayList<>();
    for (long i = 0; i <= upTo; i++) if (ids.contains(i * 10)) out.add(i * 10);
    return out;
  }

  @Test
  void keepsTheNewestIdsAcrossTheWrap() {
    Issued ids = new Issued(4);
    assertEquals(List.of(), held(ids, 20));
    for (long i = 1; i <= 3; i++) ids.add(i * 10);
    assertEquals(List.of(10L, 20L, 30L), held(ids, 20));
    ids.add(30); // the same id again, and an older one, are not kept twice
    ids.add(5);
    ids.add(40);
    assertEquals(List.of(10L, 20L, 30L, 40L), held(ids, 20));
    for (long i = 5; i <= 10; i++) {
      ids.add(i * 10);
      assertEquals(List.of((i - 3) * 10, (i - 2) * 10, (i - 1) * 10, i * 10), held(ids, 20), "after " + i * 10);
    }
    assertEquals(false, ids.contains(75));
  }
}
