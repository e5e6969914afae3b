package io.warroom.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.warroom.live.KpiService;
import io.warroom.plan.HiddenHooks;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import io.warroom.plan.PlanSense;
import io.warroom.report.NextPlan;
import io.warroom.store.Store;
import java.time.Clock;
import java.util.List;

/** The plan: read, put, milestones signed off, a candidate previewed, next month's draft. */
final class PlanHandler {
  private final Vertx vertx;
  private final KpiService kpis;
  private final Store store;
  private final Clock clock;
  private final long bodyLimit;

  PlanHandler(Vertx vertx, KpiService kpis, Store store, Clock clock, long bodyLimit) {
    this.vertx = vertx;
    this.kpis = kpis;
    this.store = store;
    this.clock = clock;
    this.bodyLimit = bodyLimit;
  }

  void mount(Router router, Handler<RoutingContext> view, Handler<RoutingContext> admin) {
    router.get("/api/v1/plan").handler(view)
        .handler(ctx -> Json.send(ctx, HiddenHooks.publicJson(kpis.plan())));
    router.put("/api/v1/plan").handler(admin).handler(this::putPlan);
    router.post("/api/v1/plan/milestones").handler(admin)
        .handler(new MilestoneHandler(kpis, clock, bodyLimit)::handle);
    router.post("/api/v1/plan/preview").handler(admin).handler(
        new PlanPreview(vertx, kpis, store, clock, bodyLimit)::handle);
    router.get("/api/v1/plan/next").handler(view).handler(ctx -> Json.send(ctx,
        HiddenHooks.publicJson(NextPlan.derive(kpis.aggregator()))));
  }

  /** Parsed on a worker (a plan may be large); a refused plan is a 400 naming its field. */
  private void putPlan(RoutingContext ctx) {
    Plan inForce = kpis.plan();
    Bodies.read(ctx, bodyLimit)
        .compose(body -> vertx.executeBlocking(() -> {
          String text = body.toString();
          if (text.isBlank()) throw new PlanException("plan", "body is empty", "请求体为空");
          return HiddenHooks.keepStored(PlanSense.check(PlanParser.parse(text)), List.of(inForce));
        }))
        .compose(plan -> kpis.putPlan(plan).map(plan))
        .onSuccess(plan -> Json.send(ctx, HiddenHooks.publicJson(plan)))
        .onFailure(ctx::fail);
  }

}
