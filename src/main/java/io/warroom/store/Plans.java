package io.warroom.store;

import io.vertx.core.Future;
import io.warroom.plan.Campaigns;
import io.warroom.plan.Plan;
import java.util.List;

/**
 * Where plans put through the API and the calendar of campaigns (section 13) are kept: in the
 * database for every node ({@link PgStore}), else in this process ({@link MemoryPlans}). Called on
 * the owning event loop; futures complete on it.
 */
public interface Plans {
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

  /** The calendar, by start. */
  Future<List<Campaigns.Entry>> campaigns();

  /** Campaign {@code id} with its plan, or null when unknown. */
  Future<Campaigns.Stored> campaign(String id);

  /**
   * Keeps {@code plan} as a campaign in place of {@code replacing} (null: the one of the same id)
   * by the rules of {@link Campaigns#put}, atomically across nodes; fails with
   * {@link Campaigns.Refused} when they refuse it.
   */
  Future<Campaigns.Entry> putCampaign(Plan plan, String replacing, long now, boolean mustBeInForce);

  /** Deletes an upcoming campaign by the rules of {@link Campaigns#delete}. */
  Future<Void> deleteCampaign(String id, long now);
}
