package io.warroom.store;

import io.vertx.core.Future;
import io.warroom.plan.Campaigns;
import io.warroom.plan.Plan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The calendar of campaigns in this process only, for a node without a database. */
public final class MemoryPlans implements Plans {
  /** The calendar, by start, and the campaigns' plans. */
  private List<Campaigns.Entry> calendar = List.of();
  private final Map<String, Plan> campaignPlans = new HashMap<>();
  private long campaignVersion;

  @Override
  public Future<List<Campaigns.Entry>> campaigns() {
    return Future.succeededFuture(calendar);
  }

  @Override
  public Future<Campaigns.Stored> campaign(String id) {
    for (Campaigns.Entry e : calendar) {
      if (e.id().equals(id)) return Future.succeededFuture(new Campaigns.Stored(e, campaignPlans.get(id)));
    }
    return Future.succeededFuture(null);
  }

  @Override
  public Future<Campaigns.Entry> putCampaign(Plan plan, String replacing, long now,
      boolean mustBeInForce) {
    try {
      Campaigns.Entry e = Campaigns.Entry.of(plan, campaignVersion + 1);
      calendar = List.copyOf(Campaigns.put(calendar, e, replacing, now, mustBeInForce));
      campaignVersion++;
      if (replacing != null) campaignPlans.remove(replacing);
      campaignPlans.put(plan.id(), plan);
      return Future.succeededFuture(e);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> deleteCampaign(String id, long now) {
    try {
      calendar = List.copyOf(Campaigns.delete(calendar, id, now));
      campaignPlans.remove(id);
      return Future.succeededFuture();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
