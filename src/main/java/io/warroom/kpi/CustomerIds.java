package io.warroom.kpi;

import java.util.ArrayList;
import java.util.List;

/**
 * A number for each distinct customer id, 0 up, for the life of an aggregator. The per-window
 * customer tables key on these numbers: they hold no references (nothing for the GC to scan or
 * refine when they change) and a probe compares ints, not strings. The ids themselves are kept as
 * chars in byte pages (one byte a char when all fit, else two), and each table slot holds the id's
 * hash, number and where its chars start: finding an id reads one slot and, on a hash match, its
 * chars.
 */
final class CustomerIds {
  private static final int PAGE = 1 << 16;

  private final List<byte[]> pages = new ArrayList<>();
  private byte[] page;
  private int used;
  /** Per slot: hash (high 32 bits) and number + 1 (low 32, 0: empty); then page << 32 | offset. */
  private long[] table = new long[2 * 64];
  private int size;

  int size() {
    return size;
  }

  /** The id's number, a new one the first time it is seen. */
  int number(String id) {
    int hash = CustomerCounts.mix(id.hashCode());
    int mask = table.length / 2 - 1;
    int i = hash & mask;
    long e;
    while ((e = table[2 * i]) != 0) {
      if ((int) (e >>> 32) == hash && same(table[2 * i + 1], id)) return (int) e - 1;
      i = (i + 1) & mask;
    }
    int number = size++;
    table[2 * i] = (long) hash << 32 | (number + 1);
    table[2 * i + 1] = write(id);
    if (size * 3L > table.length) grow();
    return number;
  }

  private boolean same(long at, String id) {
    byte[] b = pages.get((int) (at >>> 32));
    int p = (int) at;
    int head = (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    int n = head >>> 1;
    if (n != id.length()) return false;
    p += 4;
    if ((head & 1) == 0) {
      for (int k = 0; k < n; k++) if ((char) (b[p + k] & 0xFF) != id.charAt(k)) return false;
    } else {
      for (int k = 0; k < n; k++) {
        if ((char) ((b[p + 2 * k] & 0xFF) << 8 | (b[p + 2 * k + 1] & 0xFF)) != id.charAt(k)) return false;
      }
    }
    return true;
  }

  /** Copies the id's chars to a page after a 4-byte head (length * 2 + wide); answers where. */
  private long write(String id) {
    int n = id.length();
    boolean wide = false;
    for (int k = 0; k < n && !wide; k++) wide = id.charAt(k) > 0xFF;
    int len = 4 + (wide ? 2 * n : n);
    if (page == null || used + len > page.length) {
      page = new byte[Math.max(PAGE, len)];
      pages.add(page);
      used = 0;
    }
    int head = n << 1 | (wide ? 1 : 0);
    int p = used;
    page[p++] = (byte) (head >>> 24);
    page[p++] = (byte) (head >>> 16);
    page[p++] = (byte) (head >>> 8);
    page[p++] = (byte) head;
    for (int k = 0; k < n; k++) {
      char c = id.charAt(k);
      if (wide) page[p++] = (byte) (c >>> 8);
      page[p++] = (byte) c;
    }
    long at = (long) (pages.size() - 1) << 32 | used;
    used = p;
    return at;
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    int mask = table.length / 2 - 1;
    for (int k = 0; k < old.length; k += 2) {
      if (old[k] == 0) continue;
      int i = (int) (old[k] >>> 32) & mask;
      while (table[2 * i] != 0) i = (i + 1) & mask;
      table[2 * i] = old[k];
      table[2 * i + 1] = old[k + 1];
    }
  }
}
