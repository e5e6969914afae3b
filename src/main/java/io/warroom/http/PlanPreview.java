package io.warroom.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.warroom.kpi.Aggregator;
import io.warroom.kpi.Figures;
import io.warroom.kpi.SnapshotWriter;
import io.warroom.live.KpiService;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import io.warroom.plan.PlanSense;
import io.warroom.store.Store;
import java.time.Clock;
import java.util.List;

/**
 * POST /api/v1/plan/preview (admin): the snapshot a candidate plan would give, from the records
 * already kept, without putting it in force. The plan is read, the aggregates built (from the
 * store's rollups on PostgreSQL) and the snapshot written off the event loop; one preview at a
 * time per node, a second meanwhile gets 429, so previews cannot pile up work or memory.
 * Statuses are the candidate's own: no alert of the plan in force counts in them.
 */
final class PlanPreview {
  private final Vertx vertx;
  private final KpiService kpis;
  private final Store store;
  private final Clock clock;
  private final long bodyLimit;
  private final OneAtATime previews = new OneAtATime("a preview");

  PlanPreview(Vertx vertx, KpiService kpis, Store store, Clock clock, long bodyLimit) {
    this.vertx = vertx;
    this.kpis = kpis;
    this.store = store;
    this.clock = clock;
    this.bodyLimit = bodyLimit;
  }

  void handle(RoutingContext ctx) {
    Bodies.read(ctx, bodyLimit).onSuccess(body -> {
      Long lastFedAt = kpis.lastFedAt();
      long quietSince = kpis.quietSince();
      previews.run(ctx, () -> vertx.executeBlocking(() -> parse(body))
          .compose(plan -> store.preview(plan, clock))
          .compose(agg -> vertx.executeBlocking(() -> write(agg, lastFedAt, quietSince))), ar -> {
            if (ar.succeeded()) {
              ctx.response().putHeader("Content-Type", "application/json")
                  .putHeader("Cache-Control", "no-store").end(ar.result());
            } else {
              ctx.fail(ar.cause());
            }
          });
    }).onFailure(ctx::fail);
  }

  private static Plan parse(Buffer body) {
    String text = body.toString();
    if (text.isBlank()) throw new PlanException("plan", "body is empty", "请求体为空");
    return PlanSense.check(PlanParser.parse(text));
  }

  private Buffer write(Aggregator agg, Long lastFedAt, long quietSince) {
    long now = clock.millis();
    agg.advance(now);
    Figures f = Figures.of(agg, now, List.of(), lastFedAt, quietSince);
    SnapshotWriter.IngestCounts none = new SnapshotWriter.IngestCounts(0, 0, 0, null);
    return Buffer.buffer(SnapshotWriter.write(0, f, none));
  }
}
