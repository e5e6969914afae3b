package io.warroom.kpi;

import java.util.ArrayList;
import java.util.List;

/**
 * A number for each distinct customer id, 0 up, for the life of an aggregator. The per-window
 * customer tables key on these numbers: they hold no references (nothing for the GC to scan or
 * refine when they change) and a probe compares ints, not strings. The ids are read once per order,
 * here.
 */
final class CustomerIds {
  private static final int PAGE = 1 << 12;

  private final List<String[]> names = new ArrayList<>();
  /** Per slot: the id's hash, its number + 1 (0: empty). */
  private int[] table = new int[2 * 64];
  private int size;

  int size() {
    return size;
  }

  /** The id's number, a new one the first time it is seen. */
  int number(String id) {
    int hash = CustomerCounts.mix(id.hashCode());
    int mask = table.length / 2 - 1;
    int i = hash & mask;
    int n;
    while ((n = table[2 * i + 1]) != 0) {
      if (table[2 * i] == hash && name(n - 1).equals(id)) return n - 1;
      i = (i + 1) & mask;
    }
    int number = size++;
    if (number % PAGE == 0) names.add(new String[PAGE]);
    names.get(number / PAGE)[number % PAGE] = id;
    table[2 * i] = hash;
    table[2 * i + 1] = number + 1;
    if (size * 3 > table.length) grow();
    return number;
  }

  String name(int number) {
    return names.get(number / PAGE)[number % PAGE];
  }

  private void grow() {
    int[] old = table;
    table = new int[old.length * 2];
    int mask = table.length / 2 - 1;
    for (int k = 0; k < old.length; k += 2) {
      if (old[k + 1] == 0) continue;
      int i = old[k] & mask;
      while (table[2 * i + 1] != 0) i = (i + 1) & mask;
      table[2 * i] = old[k];
      table[2 * i + 1] = old[k + 1];
    }
  }
}
