package io.warroom.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.warroom.alert.AlertService;
import io.warroom.kpi.Catalogue;
import io.warroom.kpi.KpiService;
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
    hub.open(ctx.response(), lastId);
  }

  private void report(RoutingContext ctx) {
    String format = ctx.request().getParam("format");
    String accept = ctx.request().getHeader("Accept");
    if (format != null && !format.equals("csv") && !format.equals("json") && !format.equals("html")) {
      Errors.send(ctx, 400, "format: must be json, csv or html");
      return;
    }
    String lang = ctx.request().getParam("lang");
    if (lang != null && !Report.LANGUAGES.contains(lang)) {
      Errors.send(ctx, 400, "lang: must be zh-CN or en");
      return;
    }
    boolean csv = "csv".equals(format) || format == null && accept != null && accept.contains("text/csv");
    var report = Report.build(kpis.figures(), kpis.seq(), alerts.fired());
    report.set("annotations", annotations.forReport(kpis.plan()));
    ctx.response().putHeader("Cache-Control", "no-store");
    if (csv) {
      ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", Headers.attachment("report-" + kpis.plan().id() + ".csv"))
          .end(Report.csv(report));
    } else if ("html".equals(format)) {
      ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Content-Security-Policy", Report.HTML_CSP)
          .end(Report.html(report, lang != null ? lang : kpis.plan().language()));
    } else {
      ctx.response().putHeader("Content-Type", "application/json").end(report.toString());
    }
  }
}
