package io.warroom.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.warroom.alert.Alert;
import io.warroom.alert.AlertService;
import io.warroom.kpi.Figures;
import io.warroom.kpi.SnapshotWriter;
import io.warroom.live.KpiService;
import io.warroom.plan.Campaigns;
import io.warroom.plan.HiddenHooks;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import io.warroom.plan.PlanSense;
import io.warroom.report.Report;
import io.warroom.store.Store;
import io.warroom.team.Annotations;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The calendar of campaigns (CONTRACT section 13): list, get, put and delete, and the report of
 * any campaign. A plan body is read on a worker; the report of a campaign not in force is built
 * from the store's records of its period off the event loop, one at a time per node (429 else),
 * as of its end when it is past (pace and forecast final).
 */
final class CampaignHandler {
  private record Built(ObjectNode report, Plan plan) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Vertx vertx;
  private final KpiService kpis;
  private final Store store;
  private final Clock clock;
  private final AlertService alerts;
  private final Annotations annotations;
  private final long bodyLimit;
  private final OneAtATime reports = new OneAtATime("a report");

  CampaignHandler(Vertx vertx, KpiService kpis, Store store, Clock clock, AlertService alerts,
      Annotations annotations, long bodyLimit) {
    this.vertx = vertx;
    this.kpis = kpis;
    this.store = store;
    this.clock = clock;
    this.alerts = alerts;
    this.annotations = annotations;
    this.bodyLimit = bodyLimit;
  }

  void mount(Router router, Handler<RoutingContext> view, Handler<RoutingContext> admin) {
    router.get("/api/v1/campaigns").handler(view).handler(this::list);
    router.get("/api/v1/campaigns/:id").handler(view).handler(CampaignHandler::known).handler(this::get);
    router.put("/api/v1/campaigns/:id").handler(admin).handler(this::put);
    router.delete("/api/v1/campaigns/:id").handler(admin).handler(CampaignHandler::known)
        .handler(this::delete);
    router.get("/api/v1/campaigns/:id/report").handler(view).handler(CampaignHandler::known)
        .handler(this::report);
  }

  /** An id no campaign can have is unknown (404), before any store is asked. */
  private static void known(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (Campaigns.validId(id)) ctx.next();
    else Errors.send(ctx, 404, "no campaign '" + Errors.clip(id) + "'");
  }

  private void list(RoutingContext ctx) {
    long now = clock.millis();
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Campaigns.Entry e : kpis.campaigns()) out.add(entry(e, now));
    Json.send(ctx, out);
  }

  private static ObjectNode entry(Campaigns.Entry e, long now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", e.id());
    try {
      o.set("name", JSON.readTree(e.name()));
    } catch (Exception x) {
      o.put("name", e.name());
    }
    o.put("start", e.start()).put("end", e.end()).put("state", e.state(now));
    return o;
  }

  /**
   * Whether {@code id} names the plan in force: the running campaign, or, while no campaign is in
   * force, the configured plan (or one put without campaigns), whose report users ask for by id too.
   */
  private boolean inForce(String id) {
    Campaigns.Entry running = kpis.running();
    return running != null ? running.id().equals(id) : kpis.plan().id().equals(id);
  }

  private void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Plan plan = kpis.plan();
    boolean inForce = inForce(id);
    kpis.campaign(id).onSuccess(c -> {
      if (c != null) Json.send(ctx, HiddenHooks.publicJson(c.plan()));
      else if (inForce) Json.send(ctx, HiddenHooks.publicJson(plan));
      else Errors.send(ctx, 404, "no campaign '" + Errors.clip(id) + "'");
    }).onFailure(ctx::fail);
  }

  private void put(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    try {
      Campaigns.checkId(id, "id");
    } catch (PlanException e) {
      ctx.fail(e);
      return;
    }
    Plan inForce = kpis.plan();
    Bodies.read(ctx, bodyLimit)
        .compose(body -> kpis.campaign(id).compose(kept -> vertx.executeBlocking(() ->
            HiddenHooks.keepStored(parse(body, id), kept == null ? List.of(inForce)
                : List.of(kept.plan(), inForce)))))
        .compose(kpis::putCampaign)
        .onSuccess(e -> Json.send(ctx, entry(e, clock.millis())))
        .onFailure(ctx::fail);
  }

  private static Plan parse(Buffer body, String id) {
    String text = body.toString();
    if (text.isBlank()) throw new PlanException("plan", "body is empty", "请求体为空");
    Plan plan = PlanSense.check(PlanParser.parse(text));
    if (!plan.id().equals(id)) {
      throw new PlanException("id", "must be the campaign's id in the path, '" + id + "'",
          "必须是路径中的活动 id“" + id + "”");
    }
    return plan;
  }

  private void delete(RoutingContext ctx) {
    kpis.deleteCampaign(ctx.pathParam("id"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void report(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Reports.check(ctx)) return;
    if (inForce(id)) {
      ObjectNode r = Report.build(kpis.listedFigures(), kpis.seq(), alerts.fired());
      r.set("annotations", annotations.forReport(kpis.plan()));
      Reports.send(ctx, r, kpis.plan());
      return;
    }
    Long lastFedAt = kpis.lastFedAt();
    long quietSince = kpis.quietSince();
    long seq = kpis.seq();
    SnapshotWriter.IngestCounts counts = kpis.ingestCounts();
    List<Alert> fired = alerts.fired();
    reports.run(ctx, () -> kpis.campaign(id).compose(c -> {
      if (c == null) return Future.<Built>succeededFuture(null);
      Plan plan = c.plan();
      long at = Math.min(clock.millis(), plan.endMillis());
      Clock asOf = Clock.fixed(Instant.ofEpochMilli(at), ZoneOffset.UTC);
      List<Alert> during = new ArrayList<>();
      for (Alert a : fired) if (a.since() >= plan.startMillis() && a.since() < plan.endMillis()) during.add(a);
      return store.preview(plan, asOf).compose(agg -> vertx.executeBlocking(() -> {
        agg.advance(at);
        Figures f = Figures.of(agg, at, List.of(), lastFedAt, quietSince);
        // its tables listed as a snapshot of it would list them
        return Report.build(SnapshotWriter.fitted(seq, f, counts), seq, during);
      })).map(r -> {
        r.set("annotations", annotations.forReport(plan));
        return new Built(r, plan);
      });
    }), ar -> {
      if (ar.failed()) ctx.fail(ar.cause());
      else if (ar.result() == null) Errors.send(ctx, 404, "no campaign '" + Errors.clip(id) + "'");
      else Reports.send(ctx, ar.result().report(), ar.result().plan());
    });
  }
}
