package io.warroom.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.warroom.alert.AlertService;
import io.warroom.kpi.Catalogue;
import io.warroom.live.KpiService;
import io.warroom.report.Report;
import io.warroom.stream.StreamHub;
import io.warroom.team.Annotations;

/** The figures as they are read: the snapshot, the series, the stream, the catalogue, the report. */
final class KpiHandler {
  private final KpiService kpis;
  private final StreamHub hub;
  private final AlertService alerts;
  private final Annotations annotations;
  private final int maxStreamClients;

  KpiHandler(KpiService kpis, StreamHub hub, AlertService alerts, Annotations annotations,
      int maxStreamClients) {
    this.kpis = kpis;
    this.hub = hub;
    this.alerts = alerts;
    this.annotations = annotations;
    this.maxStreamClients = maxStreamClients;
  }

  void mount(Router router, Handler<RoutingContext> view) {
    router.get("/api/v1/kpis").handler(view).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(kpis.snapshot()));
    router.get("/api/v1/series").handler(view).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(kpis.series()));
    router.get("/api/v1/stream").handler(view).handler(this::stream);
    router.get("/api/v1/catalogue").handler(view).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-cache")
        .end(Buffer.buffer(Catalogue.write(kpis.plan()))));
    router.get("/api/v1/report").handler(view).handler(this::report);
  }

  private void stream(RoutingContext ctx) {
    if (hub.clientCount() >= maxStreamClients) {
      ctx.response().putHeader("Retry-After", "5");
      Errors.send(ctx, 503, "too many stream clients (" + maxStreamClients + ")");
      return;
    }
    String last = ctx.request().getHeader("Last-Event-ID");
    Long lastId = null;
    if (last != null) {
      try {
        lastId = Long.parseLong(last.trim());
      } catch (NumberFormatException e) {
        lastId = null;
      }
    }
    hub.open(ctx.response(), ctx.request().connection(), lastId,
        ctx.request().getHeader("Accept-Encoding"));
  }

  private void report(RoutingContext ctx) {
    if (!Reports.check(ctx)) return;
    var report = Report.build(kpis.listedFigures(), kpis.seq(), alerts.fired());
    report.set("annotations", annotations.forReport(kpis.plan()));
    Reports.send(ctx, report, kpis.plan());
  }
}
