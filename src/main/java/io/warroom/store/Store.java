package io.warroom.store;

import io.vertx.core.Future;
import io.warroom.alert.AlertLog;
import io.warroom.alert.Lease;
import io.warroom.alert.MemoryAlertLog;
import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.plan.Campaigns;
import io.warroom.plan.Plan;
import io.warroom.team.MemoryTeamLog;
import io.warroom.team.TeamLog;
import java.time.Clock;
import java.util.List;
import java.util.Set;
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
   * Of the counter names given (in the order first met), those that records may carry: names
   * admitted before, and new ones while fewer than {@link io.warroom.kpi.Counters#MAX_NAMES}
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

  /**
   * Hands over records kept in the store that did not come back from an append of this node:
   * kept by another node sharing the store, or by an append of this node that failed although the
   * database committed (the answer was lost with the connection). The owner folds them in.
   */
  default void onKept(Consumer<List<Rec>> handler) {}

  /**
   * The plan in force at start: the newest one kept by {@link #putPlan} whose period has not
   * ended, else {@code configured}.
   */
  default Future<Plan> plan(Plan configured, long nowMillis) {
    return Future.succeededFuture(configured);
  }

  /** Keeps a plan put through the API, for the other nodes and for restarts. */
  default Future<Void> putPlan(Plan plan) {
    return Future.succeededFuture();
  }

  /** Hands over a plan that another node put. */
  default void onPlan(Consumer<Plan> handler) {}

  /** The calendar of campaigns (section 13), by start; empty for a store that keeps none. */
  default Future<List<Campaigns.Entry>> campaigns() {
    return Future.succeededFuture(List.of());
  }

  /** Campaign {@code id} with its plan, or null when unknown. */
  default Future<Campaigns.Stored> campaign(String id) {
    return Future.succeededFuture(null);
  }

  /**
   * Keeps {@code plan} as a campaign in place of {@code replacing} (null: the one of the same id)
   * by the rules of {@link Campaigns#put}, atomically across nodes; fails with
   * {@link Campaigns.Refused} when they refuse it.
   */
  default Future<Campaigns.Entry> putCampaign(Plan plan, String replacing, long now,
      boolean mustBeInForce) {
    return Future.failedFuture(new StoreUnavailableException("this store keeps no campaigns", null));
  }

  /** Deletes an upcoming campaign by the rules of {@link Campaigns#delete}. */
  default Future<Void> deleteCampaign(String id, long now) {
    return Future.failedFuture(new StoreUnavailableException("this store keeps no campaigns", null));
  }

  /** Tells that another node changed the calendar. */
  default void onCampaigns(Runnable handler) {}

  /** The duty to evaluate alerts and post webhooks: always this node's, unless nodes share the store. */
  default Lease lease() {
    return Lease.ALWAYS;
  }

  /** This node's number among the nodes sharing the store (0 alone). */
  default int node() {
    return 0;
  }

  /** How far the aggregates are behind what the store holds, in ms (0 alone). */
  default long lagMillis() {
    return 0;
  }

  /** Records kept by other nodes and folded in here since start. */
  default long replicated() {
    return 0;
  }

  /**
   * Where alert state is kept, next to the records; by default in this process only. Called once
   * at start.
   */
  default AlertLog alertLog() {
    return new MemoryAlertLog();
  }

  /** Succeeds when the store can take writes now (for /ready). */
  /** Digests sent and annotations (section 14). */
  default TeamLog teamLog() {
    return new MemoryTeamLog();
  }

  Future<Void> ping();

  Future<Void> close();
}
