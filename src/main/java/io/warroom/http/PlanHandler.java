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

  private void putPlan(RoutingContext ctx) {
    Bodies.read(ctx, bodyLimit).onSuccess(body -> {
      Plan plan;
      try {
        String text = body.toString();
        if (text.isBlank()) throw new PlanException("plan", "body is empty");
        plan = HiddenHooks.keepStored(PlanParser.parse(text), List.of(kpis.plan()));
      } catch (PlanException e) {
        Errors.send(ctx, 400, e);
        return;
      }
      kpis.putPlan(plan)
          .onSuccess(v -> Json.send(ctx, HiddenHooks.publicJson(plan)))
          .onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }
}
