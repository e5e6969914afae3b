package io.warroom.kpi;

import io.warroom.measure.Sum;

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
 * up front (the plan's online channels) are told apart whatever the cap and take none of it.
 *
 * <p>A table built with its order keeps its leaders as it goes, so ranking it costs the same with
 * 200,000 keys as with 50: a change is made to the key's row and to the table's {@link #total},
 * then told with {@link #moved}, and a row only ever moves up in the order (amounts are never
 * negative). Then the 64 best rows are always among the leaders: a row that moved up joins them when it
 * passes the worst of them, which leaves. The rest of a ranking is the total less the rows shown.
 * Not thread-safe: the aggregator's owner.
 */
public final class Keyed<T extends Keyed.Row<T>> {
  /** The per-key sums: a row can add another row of its kind into itself. */
  public interface Row<T> {
    void addTo(T into);

    /** Adds ({@code sign} 1) or takes away ({@code sign} -1) this row's sums. */
    default void addTo(T into, int sign) {
      if (sign != 1) throw new UnsupportedOperationException("only added");
      addTo(into);
    }
  }

  /** Leaders kept by a table built with its order: the longest ranking it answers, and one hidden. */
  static final int LEADERS = 64;

  /** The name the rows past the shown ones, and the keys not told apart, are listed under. */
  public static final String OTHER = "(other)";
  /** Keys by code point, as other languages and PostgreSQL's "C" collation sort strings. */
  public static final Comparator<String> BY_CODE_POINT = Keyed::compareCodePoints;

  private final Map<String, T> rows = new HashMap<>();
  private final Supplier<T> make;
  private final int cap;
  /** Most UTF-16 chars the names told apart (apart from {@link #apart}) may take together. */
  private final long maxChars;
  private long chars;
  private final T overflow;
  /** Keys told apart whatever the cap, and how many of them have a row. */
  private final Set<String> apart;
  private int apartMade;
  private boolean capped;
  /** With an order: every row and the overflow summed, and the best rows, unsorted. */
  private final Comparator<T> order;
  private final T total;
  private final List<Map.Entry<String, T>> leaders;
  private final Set<String> leading;
  /** A copy of the worst leader when there are {@link #LEADERS}: every other row is below it. */
  private T floor;
  private String floorKey;

  public Keyed(Supplier<T> make, int cap) {
    this(make, cap, Long.MAX_VALUE, Set.of(), null);
  }

  /**
   * Keys told apart while fewer than {@code cap} and their names within {@code maxChars}, and
   * the keys of {@code apart} whatever came before; ranked by {@code order} (a change then made
   * to the {@link #total} too and told with {@link #moved}), or with no order kept (changes made
   * to {@link #row} alone).
   */
  public Keyed(Supplier<T> make, int cap, long maxChars, Set<String> apart, Comparator<T> order) {
    this.make = make;
    this.cap = cap;
    this.maxChars = maxChars;
    this.overflow = make.get();
    this.apart = Set.copyOf(apart);
    this.order = order;
    this.total = order == null ? null : make.get();
    this.leaders = order == null ? null : new ArrayList<>(LEADERS);
    this.leading = order == null ? null : new HashSet<>();
  }

  /** The row of {@code key}, new the first time, or the overflow row past the cap. */
  public T row(String key) {
    T r = rows.get(key);
    if (r != null) return r;
    boolean always = apart.contains(key);
    if (!always && (rows.size() - apartMade >= cap || chars + key.length() > maxChars)) {
      capped = true;
      return overflow;
    }
    r = make.get();
    rows.put(key, r);
    if (always) apartMade++;
    else chars += key.length();
    return r;
  }

  /** Every row and the overflow summed, in a table kept in order: a change is made here too. */
  public T total() {
    return total;
  }

  /**
   * After a change to {@code r}, the row {@link #row} gave for {@code key} (made to the
   * {@link #total} too), in a table kept in order: the change only adds.
   */
  public void moved(String key, T r) {
    if (r != overflow) lead(key, r);
  }

  /** Makes {@code key}, whose row moved up, a leader if it passed the worst of them. */
  private void lead(String key, T r) {
    if (leading.contains(key)) return;
    if (leaders.size() < LEADERS) {
      leaders.add(Map.entry(key, r));
      leading.add(key);
      if (leaders.size() == LEADERS) keepFloor();
      return;
    }
    if (compare(r, key, floor, floorKey) >= 0) return;
    int worst = worst();
    Map.Entry<String, T> w = leaders.get(worst);
    if (compare(r, key, w.getValue(), w.getKey()) < 0) {
      leading.remove(w.getKey());
      leaders.set(worst, Map.entry(key, r));
      leading.add(key);
    }
    keepFloor();
  }

  private int worst() {
    int worst = 0;
    for (int i = 1; i < leaders.size(); i++) {
      Map.Entry<String, T> e = leaders.get(i);
      Map.Entry<String, T> w = leaders.get(worst);
      if (compare(e.getValue(), e.getKey(), w.getValue(), w.getKey()) > 0) worst = i;
    }
    return worst;
  }

  private void keepFloor() {
    Map.Entry<String, T> w = leaders.get(worst());
    floor = make.get();
    w.getValue().addTo(floor);
    floorKey = w.getKey();
  }

  /** The order of the ranking: below 0 when {@code a} comes first. */
  private int compare(T a, String aKey, T b, String bKey) {
    int c = order.compare(a, b);
    return c != 0 ? c : compareCodePoints(aKey, bKey);
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
    Comparator<Map.Entry<String, T>> byRow = byRow(order);
    PriorityQueue<Map.Entry<String, T>> worstFirst = new PriorityQueue<>(n + 1, byRow.reversed());
    for (Map.Entry<String, T> e : rows.entrySet()) {
      if (e.getKey().equals(hidden)) continue;
      if (n == 0) break;
      if (worstFirst.size() == n && byRow.compare(e, worstFirst.peek()) >= 0) continue;
      worstFirst.add(e);
      if (worstFirst.size() > n) worstFirst.poll();
    }
    List<Map.Entry<String, T>> best = new ArrayList<>(worstFirst);
    best.sort(byRow);
    List<Map.Entry<String, T>> top = shown(best, keyBytes);
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

  /**
   * In a table kept in its order, {@link #rank} by that order from the leaders alone ({@code n}
   * below {@link #LEADERS}).
   */
  public Ranking<T> rank(int n, int keyBytes, String hidden) {
    if (order == null || n >= LEADERS) throw new IllegalArgumentException("not kept in order");
    List<Map.Entry<String, T>> best = new ArrayList<>(leaders);
    best.removeIf(e -> e.getKey().equals(hidden));
    best.sort(byRow(order));
    List<Map.Entry<String, T>> top = shown(best.subList(0, Math.min(n, best.size())), keyBytes);
    T rest = null;
    if (top.size() < rows.size() || capped) {
      rest = make.get();
      total.addTo(rest);
      for (Map.Entry<String, T> e : top) e.getValue().addTo(rest, -1);
    }
    return new Ranking<>(top, rest, rows.size(), capped);
  }

  private static <T> Comparator<Map.Entry<String, T>> byRow(Comparator<T> order) {
    return Map.Entry.<String, T>comparingByValue(order).thenComparing(Map.Entry::getKey, BY_CODE_POINT);
  }

  /** The first of {@code best} whose names take at most {@code keyBytes} (8 more each). */
  private static <T> List<Map.Entry<String, T>> shown(List<Map.Entry<String, T>> best,
      int keyBytes) {
    List<Map.Entry<String, T>> top = new ArrayList<>(best.size());
    long bytes = 0;
    for (Map.Entry<String, T> e : best) {
      bytes += jsonBytes(e.getKey()) + 8;
      if (bytes > keyBytes) break;
      top.add(e);
    }
    return top;
  }

  /**
   * The most bytes {@code key} takes as a JSON string's content: UTF-8, {@code "} and {@code \}
   * escaped in two, a control character in at most six ({@code \u0001}).
   */
  static int jsonBytes(String key) {
    int n = 0;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20) n += 6;
      else if (c == '"' || c == '\\') n += 2;
      else if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c)) {
        n += 4; // with its low surrogate: one code point of four bytes
        i++;
      } else n += 3;
    }
    return n;
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
