package io.warroom.store;

import io.vertx.core.Future;
import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.kpi.Counters;
import io.warroom.plan.Plan;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Where accepted records go, and the aggregates are rebuilt from: {@link MemoryStore} and
 * {@link PgStore}. Plans and the calendar are kept by {@link Plans}; what other nodes sharing the
 * store did comes through {@link Cluster}. All methods are called from the one event loop that owns
 * the aggregator; futures complete on it.
 */
public interface Store {
  /** Makes the store ready (a database's schema migrated); called once, before anything else. */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /**
   * Keeps the records whose (type, id) was never kept before, all of them or none. Completes, after
   * they are durable, with those new records in input order; the rest are duplicates. Fails with
   * {@link StoreUnavailableException} when nothing could be kept.
   */
  Future<List<Rec>> append(List<Rec> records);

  /**
   * Of the counter names given (in the order first met), those that records may carry: names
   * admitted before, and new ones while fewer than {@link Counters#MAX_NAMES}
   * exist (across every node sharing the store). A name once admitted stays admitted. Both
   * stores keep the limit; this default (stores in tests) admits every name.
   */
  default Future<Set<String>> admitCounters(Set<String> names) {
    return Future.succeededFuture(names);
  }

  /**
   * A new aggregator for {@code plan} holding everything kept so far, built off the event loop. The
   * caller holds appends back until it completes.
   */
  Future<Aggregator> load(Plan plan, Clock clock);

  /**
   * The aggregator a candidate plan would get from everything kept so far, built off the event
   * loop and changing nothing here (the plan editor's preview). By default what {@link #load}
   * builds.
   */
  default Future<Aggregator> preview(Plan plan, Clock clock) {
    return load(plan, clock);
  }

  /** Succeeds when the store can take writes now (for /ready). */
  Future<Void> ping();

  Future<Void> close();
}
