package io.warroom.kpi;

import io.warroom.measure.Sum;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Sums per key (a channel, an ad channel, a product) for at most {@code cap} distinct keys: a key
 * first seen past that is not told apart, its records go to one overflow row, so a flood of keys
 * costs no more memory than the cap. Every record is still counted once, in its key's row or in
 * the overflow row. Keys are told apart in the order records arrive, which the stores keep the
 * same everywhere (a request's records in its order, on every node and in a rebuild). Keys named
 * up front (the plan's online channels) are told apart whatever the cap and take none of it. Not
 * thread-safe: the aggregator's owner.
 */
public final class Keyed<T extends Keyed.Row<T>> {
  /** The per-key sums: a row can add another row of its kind into itself. */
  public interface Row<T> {
    void addTo(T into);
  }

  /** The name the rows past the shown ones, and the keys not told apart, are listed under. */
  public static final String OTHER = "(other)";
  /** Keys by code point, as other languages and PostgreSQL's "C" collation sort strings. */
  public static final Comparator<String> BY_CODE_POINT = Keyed::compareCodePoints;

  private final Map<String, T> rows = new HashMap<>();
  private final Supplier<T> make;
  private final int cap;
  private final T overflow;
  /** Keys told apart whatever the cap, and how many of them have a row. */
  private final Set<String> apart;
  private int apartMade;
  private boolean capped;

  public Keyed(Supplier<T> make, int cap) {
    this(make, cap, Set.of());
  }

  public Keyed(Supplier<T> make, int cap, Set<String> apart) {
    this.make = make;
    this.cap = cap;
    this.overflow = make.get();
    this.apart = Set.copyOf(apart);
  }

  /** The row of {@code key}, new the first time, or the overflow row past the cap. */
  public T row(String key) {
    T r = rows.get(key);
    if (r != null) return r;
    boolean always = apart.contains(key);
    if (!always && rows.size() - apartMade >= cap) {
      capped = true;
      return overflow;
    }
    r = make.get();
    rows.put(key, r);
    if (always) apartMade++;
    return r;
  }

  /** The overflow row, for sums a store's rollup gives for keys past the cap. */
  public T spill() {
    capped = true;
    return overflow;
  }

  /** The row of {@code key} if it is told apart, else null; never makes one. */
  public T get(String key) {
    return rows.get(key);
  }

  /** Keys told apart. */
  public int distinct() {
    return rows.size();
  }

  /** Whether a key was ever refused for the cap. */
  public boolean capped() {
    return capped;
  }

  public Map<String, T> rows() {
    return rows;
  }

  /**
   * The first {@code n} keys in {@code order} (ties by key, by code point), as long as their
   * names take at most {@code keyBytes} bytes of UTF-8 together (8 more each, for the JSON around
   * them), and the sum of all the rest (the overflow row included), or null when nothing is left
   * over. A key equal to {@code hidden} (when not null) is always in the rest.
   */
  public Ranking<T> rank(Comparator<T> order, int n, int keyBytes, String hidden) {
    Comparator<Map.Entry<String, T>> byRow = Map.Entry.<String, T>comparingByValue(order)
        .thenComparing(Map.Entry::getKey, BY_CODE_POINT);
    PriorityQueue<Map.Entry<String, T>> worstFirst = new PriorityQueue<>(n + 1, byRow.reversed());
    for (Map.Entry<String, T> e : rows.entrySet()) {
      if (e.getKey().equals(hidden)) continue;
      worstFirst.add(e);
      if (worstFirst.size() > n) worstFirst.poll();
    }
    List<Map.Entry<String, T>> best = new ArrayList<>(worstFirst);
    best.sort(byRow);
    List<Map.Entry<String, T>> top = new ArrayList<>(best.size());
    int bytes = 0;
    for (Map.Entry<String, T> e : best) {
      bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + 8;
      if (bytes > keyBytes) break;
      top.add(e);
    }
    T rest = null;
    if (top.size() < rows.size() || capped) {
      rest = make.get();
      Set<String> shown = new HashSet<>();
      for (Map.Entry<String, T> e : top) shown.add(e.getKey());
      for (Map.Entry<String, T> e : rows.entrySet()) {
        if (!shown.contains(e.getKey())) e.getValue().addTo(rest);
      }
      overflow.addTo(rest);
    }
    return new Ranking<>(top, rest, rows.size(), capped);
  }

  /** The keys shown, the rest summed (null when none), keys told apart, whether any was not. */
  public record Ranking<T>(List<Map.Entry<String, T>> top, T rest, int distinct, boolean capped) {}

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) return Integer.compare(x, y);
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
