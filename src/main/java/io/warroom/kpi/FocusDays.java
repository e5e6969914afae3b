package io.warroom.kpi;

import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.measure.Sum;
import io.warroom.plan.Plan;
import java.util.HashMap;
import java.util.Map;

/**
 * The focus targets' orders per plan-time day of the period, so that a milestone on a focus target
 * is measured over its own window (CONTRACT section 10: the week, or the plan's start to the
 * week's end) as the KPI milestones are. Per (dimension, key) of the plan's focus targets: a row a
 * day, made at the key's first order of that day (at most 100 keys of 366 days).
 *
 * <p>Not thread-safe: the aggregator's owner.
 */
final class FocusDays {
  /** By dimension, then key: a row per day of the period, null until the day has an order. */
  private final Map<String, Map<String, Breakdowns.Row[]>> keys = new HashMap<>();

  FocusDays(Plan plan, int days) {
    for (Plan.Focus f : plan.focus()) {
      keys.computeIfAbsent(f.dimension(), d -> new HashMap<>())
          .computeIfAbsent(f.key(), k -> new Breakdowns.Row[days]);
    }
  }

  /** An order of the period on day {@code day}. */
  void add(Rec r, int day) {
    if (keys.isEmpty() || r.type != RecordType.ORDER || r.extra == null) return;
    Sum cents = Sum.of(r.amountCents);
    Sum units = Sum.of(r.extra.quantity());
    Breakdowns.keys(r.extra, (d, k) -> load(d, k, day, 1, cents, units));
  }

  /** Adds orders of one key on day {@code day} (a record's, or a store's sums of an hour). */
  void load(String dimension, String key, int day, long orders, Sum cents, Sum units) {
    Map<String, Breakdowns.Row[]> byKey = key == null ? null : keys.get(dimension);
    Breakdowns.Row[] rows = byKey == null ? null : byKey.get(key);
    if (rows == null) return;
    Breakdowns.Row r = rows[day];
    if (r == null) rows[day] = r = new Breakdowns.Row();
    r.orders += orders;
    r.revenue.add(cents, 1);
    r.units.add(units, 1);
  }

  /** A focus target's key's orders over the days [from, to). */
  Breakdowns.Row over(Plan.Focus f, int from, int to) {
    Breakdowns.Row sum = new Breakdowns.Row();
    Map<String, Breakdowns.Row[]> byKey = keys.get(f.dimension());
    Breakdowns.Row[] rows = byKey == null ? null : byKey.get(f.key());
    if (rows == null) return sum;
    for (int d = Math.max(0, from); d < Math.min(rows.length, to); d++) {
      if (rows[d] != null) rows[d].addTo(sum);
    }
    return sum;
  }
}
