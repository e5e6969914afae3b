package io.warroom.kpi;

import io.warroom.ingest.Rec;
import io.warroom.measure.Sum;
import io.warroom.measure.Sums;
import io.warroom.plan.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The focus targets' orders in the previous period, per minute, so that each focus entry of `kpis`
 * carries its value to the same point (`previous`) as the KPIs do (CONTRACT section 13). Per
 * (dimension, key) of the plan's focus targets: orders, gross cents and units per minute, in hours
 * of three 60-long arrays made when the key's first order of that hour arrives (1.5 KB an hour with
 * orders, so memory follows the data, not the length of the period); a minute whose sum a long
 * cannot hold keeps the rest in a {@link Sum} of its own.
 *
 * <p>Not thread-safe: the aggregator's owner.
 */
final class PreviousFocus {
  private static final int HOUR = 60;
  /** Bytes of one hour of one key: three arrays of 60 longs and their headers. */
  private static final int HOUR_BYTES = 3 * (HOUR * 8 + 16);

  /** One (dimension, key): its hours of per-minute sums, and the to-date sums. */
  private static final class Key {
    final long[][] orders;
    final long[][] cents;
    final long[][] units;
    /** Minutes whose cents or units passed a long: the part that did not fit. */
    Map<Integer, Breakdowns.Row> spill;
    final Breakdowns.Row toDate = new Breakdowns.Row();
    int hoursMade;

    Key(int hours) {
      orders = new long[hours][];
      cents = new long[hours][];
      units = new long[hours][];
    }
  }

  private final int hours;
  /** By dimension, then key. */
  private final Map<String, Map<String, Key>> keys = new HashMap<>();
  private final List<Key> all = new ArrayList<>();

  PreviousFocus(Plan plan, int minutes) {
    this.hours = (minutes + HOUR - 1) / HOUR;
    for (Plan.Focus f : plan.focus()) {
      Map<String, Key> byKey = keys.computeIfAbsent(f.dimension(), d -> new LinkedHashMap<>());
      if (!byKey.containsKey(f.key())) {
        Key k = new Key(hours);
        byKey.put(f.key(), k);
        all.add(k);
      }
    }
  }

  /** An order of minute {@code m}; {@code inside} when that minute is in the to-date sums. */
  void add(Rec r, int m, boolean inside) {
    if (keys.isEmpty() || r.extra == null) return;
    Sum cents = Sum.of(r.amountCents);
    Sum units = Sum.of(r.extra.quantity());
    Breakdowns.keys(r.extra, (d, k) -> load(d, k, m, 1, cents, units, inside));
  }

  /** Adds orders of one key in minute {@code m} (a record's, or a store's sums of that minute). */
  void load(String dimension, String key, int m, long orders, Sum cents, Sum units, boolean inside) {
    Map<String, Key> byKey = key == null ? null : keys.get(dimension);
    Key k = byKey == null ? null : byKey.get(key);
    if (k == null) return;
    int h = m / HOUR;
    int i = m % HOUR;
    if (k.orders[h] == null) {
      k.orders[h] = new long[HOUR];
      k.cents[h] = new long[HOUR];
      k.units[h] = new long[HOUR];
      k.hoursMade++;
    }
    k.orders[h][i] += orders;
    long c = cents.fitsLong() ? k.cents[h][i] + cents.longValueExact() : -1;
    long u = units.fitsLong() ? k.units[h][i] + units.longValueExact() : -1;
    // sums are never negative: one that wraps (or did not fit to begin with) goes to the spill
    if (c >= 0 && u >= 0) {
      k.cents[h][i] = c;
      k.units[h][i] = u;
    } else {
      if (k.spill == null) k.spill = new HashMap<>();
      Breakdowns.Row s = k.spill.computeIfAbsent(m, x -> new Breakdowns.Row());
      s.revenue.add(cents, 1);
      s.units.add(units, 1);
    }
    if (inside) {
      k.toDate.orders += orders;
      k.toDate.revenue.add(cents, 1);
      k.toDate.units.add(units, 1);
    }
  }

  /** Moves minute {@code m} into (+1) or out of (-1) the to-date sums. */
  void take(int m, int sign) {
    int h = m / HOUR;
    int i = m % HOUR;
    for (Key k : all) {
      if (k.orders[h] != null) {
        k.toDate.orders += sign * k.orders[h][i];
        k.toDate.revenue.add(k.cents[h][i] * sign);
        k.toDate.units.add(k.units[h][i] * sign);
      }
      Breakdowns.Row s = k.spill == null ? null : k.spill.get(m);
      if (s != null) {
        k.toDate.revenue.add(s.revenue, sign);
        k.toDate.units.add(s.units, sign);
      }
    }
  }

  /** A focus target's value in the previous period to date, as its `value` is measured now. */
  Number toDate(Plan.Focus f, Sums previousToDate) {
    Map<String, Key> byKey = keys.get(f.dimension());
    Key k = byKey == null ? null : byKey.get(f.key());
    return Breakdowns.value(f, k == null ? new Breakdowns.Row() : k.toDate, previousToDate.gross());
  }

  /** Bytes of the hours made so far, and the index of hours of each key. */
  long bytes() {
    long b = 0;
    for (Key k : all) b += (long) k.hoursMade * HOUR_BYTES + 3L * 8 * hours;
    return b;
  }
}
