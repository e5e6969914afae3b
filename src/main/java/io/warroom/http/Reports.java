package io.warroom.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import io.warroom.report.Report;

/** Writes a campaign report as JSON, or as CSV with {@code ?format=csv} or {@code Accept: text/csv}. */
final class Reports {
  private Reports() {}

  static void send(RoutingContext ctx, ObjectNode report, String planId) {
    String format = ctx.request().getParam("format");
    String accept = ctx.request().getHeader("Accept");
    boolean csv = "csv".equals(format) || format == null && accept != null && accept.contains("text/csv");
    if (format != null && !format.equals("csv") && !format.equals("json")) {
      Errors.send(ctx, 400, "format: must be json or csv");
      return;
    }
    ctx.response().putHeader("Cache-Control", "no-store");
    if (csv) {
      ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", Headers.attachment("report-" + planId + ".csv"))
          .end(Report.csv(report));
    } else {
      ctx.response().putHeader("Content-Type", "application/json").end(report.toString());
    }
  }
}
