package io.warroom.kpi;

import io.warroom.ingest.Rec;
import io.warroom.measure.Kpi;
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
 * carries its value to the same point (`previous`) as the KPIs do (CONTRACT section 13). One
 * (dimension, key) of the plan's focus targets takes three longs per minute of the period, made
 * when its first order arrives (at most 100 keys: 24 bytes a minute each, 1 MB for a month); a
 * minute whose sum a long cannot hold keeps the rest in a {@link Sum} of its own.
 *
 * <p>Not thread-safe: the aggregator's owner.
 */
final class PreviousFocus {
  /** One (dimension, key): orders, gross cents and units per minute, and the to-date sums. */
  private static final class Key {
    long[] orders;
    long[] cents;
    long[] units;
    /** Minutes whose cents or units passed a long: the part that did not fit. */
    Map<Integer, Breakdowns.Row> spill;
    final Breakdowns.Row toDate = new Breakdowns.Row();
  }

  private final int minutes;
  /** By dimension, then key. */
  private final Map<String, Map<String, Key>> keys = new HashMap<>();
  private final List<Key> all = new ArrayList<>();

  PreviousFocus(Plan plan, int minutes) {
    this.minutes = minutes;
    for (Plan.Focus f : plan.focus()) {
      Map<String, Key> byKey = keys.computeIfAbsent(f.dimension(), d -> new LinkedHashMap<>());
      if (!byKey.containsKey(f.key())) {
        Key k = new Key();
        byKey.put(f.key(), k);
        all.add(k);
      }
    }
  }

  /** An order of minute {@code m}; {@code inside} when that minute is in the to-date sums. */
  void add(Rec r, int m, boolean inside) {
    if (keys.isEmpty() || r.extra == null) return;
    Rec.Extra e = r.extra;
    long units = e.quantity();
    add("sku", e.sku(), m, 1, r.amountCents, units, inside);
    add("productCategory", e.productCategory(), m, 1, r.amountCents, units, inside);
    add("region", e.region(), m, 1, r.amountCents, units, inside);
    add("segment", e.segment(), m, 1, r.amountCents, units, inside);
    if (e.tags() != null) for (String t : e.tags()) add("tag", t, m, 1, r.amountCents, units, inside);
  }

  /** Folds in a store's sums of one key's orders in minute {@code m}. */
  void load(String dimension, String key, int m, long orders, Sum cents, Sum units, boolean inside) {
    Key k = key(dimension, key);
    if (k == null) return;
    if (cents.fitsLong() && units.fitsLong()) {
      put(k, m, orders, cents.longValueExact(), units.longValueExact(), inside);
    } else {
      alloc(k);
      k.orders[m] += orders;
      Breakdowns.Row s = k.spill == null ? null : k.spill.get(m);
      if (k.spill == null) k.spill = new HashMap<>();
      if (s == null) k.spill.put(m, s = new Breakdowns.Row());
      s.revenue.add(cents, 1);
      s.units.add(units, 1);
      if (inside) {
        k.toDate.orders += orders;
        k.toDate.revenue.add(cents, 1);
        k.toDate.units.add(units, 1);
      }
    }
  }

  private void add(String dimension, String key, int m, long orders, long cents, long units,
      boolean inside) {
    if (key == null) return;
    Key k = key(dimension, key);
    if (k != null) put(k, m, orders, cents, units, inside);
  }

  private Key key(String dimension, String key) {
    Map<String, Key> byKey = keys.get(dimension);
    return byKey == null || key == null ? null : byKey.get(key);
  }

  private void put(Key k, int m, long orders, long cents, long units, boolean inside) {
    alloc(k);
    k.orders[m] += orders;
    long c = k.cents[m] + cents;
    long u = k.units[m] + units;
    boolean fits = ((k.cents[m] ^ c) & (cents ^ c)) >= 0 && ((k.units[m] ^ u) & (units ^ u)) >= 0;
    if (fits) {
      k.cents[m] = c;
      k.units[m] = u;
    } else {
      if (k.spill == null) k.spill = new HashMap<>();
      Breakdowns.Row s = k.spill.computeIfAbsent(m, x -> new Breakdowns.Row());
      s.revenue.add(cents);
      s.units.add(units);
    }
    if (inside) {
      k.toDate.orders += orders;
      k.toDate.revenue.add(cents);
      k.toDate.units.add(units);
    }
  }

  private void alloc(Key k) {
    if (k.orders != null) return;
    k.orders = new long[minutes];
    k.cents = new long[minutes];
    k.units = new long[minutes];
  }

  /** Moves minute {@code m} into (+1) or out of (-1) the to-date sums. */
  void take(int m, int sign) {
    for (Key k : all) {
      if (k.orders == null) continue;
      k.toDate.orders += sign * k.orders[m];
      k.toDate.revenue.add(k.cents[m] * sign);
      k.toDate.units.add(k.units[m] * sign);
      Breakdowns.Row s = k.spill == null ? null : k.spill.get(m);
      if (s != null) {
        k.toDate.revenue.add(s.revenue, sign);
        k.toDate.units.add(s.units, sign);
      }
    }
  }

  /** A focus target's value in the previous period to date, as its `value` is measured now. */
  Number toDate(Plan.Focus f, Sums previousToDate) {
    Key k = key(f.dimension(), f.key());
    Breakdowns.Row r = k == null ? new Breakdowns.Row() : k.toDate;
    return switch (f.metric()) {
      case "orders" -> r.orders;
      case "units" -> Kpi.count(r.units);
      case "share" -> Kpi.ratio(r.revenue, previousToDate.gross());
      default -> Kpi.money(r.revenue);
    };
  }

  /** Bytes of the per-minute arrays made so far. */
  long bytes() {
    long b = 0;
    for (Key k : all) if (k.orders != null) b += 24L * minutes;
    return b;
  }
}
