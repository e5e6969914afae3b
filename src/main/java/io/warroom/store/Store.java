package io.warroom.store;

import io.vertx.core.Future;
import io.warroom.alert.AlertLog;
import io.warroom.alert.MemoryAlertLog;
import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.plan.Plan;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where accepted records go. Implementations: {@link MemoryStore} and PostgreSQL. All methods are
 * called from the one event loop that owns the aggregator; futures complete on it.
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
   * A new aggregator for {@code plan} holding everything kept so far, built off the event loop. The
   * caller holds appends back until it completes.
   */
  Future<Aggregator> load(Plan plan, Clock clock);

  /**
   * Hands over records that an earlier append did keep although it failed: the database committed
   * but the answer was lost with the connection. The owner folds them into the aggregates.
   */
  default void onRecovered(Consumer<List<Rec>> handler) {}

  /**
   * Where alert state is kept, next to the records; by default in this process only. Called once
   * at start.
   */
  default AlertLog alertLog() {
    return new MemoryAlertLog();
  }

  /** Succeeds when the store can take writes now (for /ready). */
  Future<Void> ping();

  Future<Void> close();
}
