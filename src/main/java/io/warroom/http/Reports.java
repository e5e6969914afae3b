package io.warroom.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import io.warroom.plan.Plan;
import io.warroom.report.Report;

/**
 * Writes a campaign report as JSON, as CSV ({@code ?format=csv} or {@code Accept: text/csv}) or as
 * a printable page ({@code ?format=html}, {@code ?lang=}).
 */
final class Reports {
  private Reports() {}

  /** Answers 400 and false when the format or language asked for is not one of ours. */
  static boolean check(RoutingContext ctx) {
    String format = ctx.request().getParam("format");
    if (format != null && !format.equals("csv") && !format.equals("json") && !format.equals("html")) {
      Errors.send(ctx, 400, "format: must be json, csv or html");
      return false;
    }
    String lang = ctx.request().getParam("lang");
    if (lang != null && Login.language(lang) == null) {
      Errors.send(ctx, 400, "lang: must be zh-CN or en");
      return false;
    }
    return true;
  }

  /** From a path such as /api/v1/report to the site's root: "../../". */
  static String root(String path) {
    int depth = 0;
    for (int i = 1; i < path.length(); i++) if (path.charAt(i) == '/') depth++;
    return "../".repeat(depth);
  }

  /** Sends {@code report} of {@code plan} in the form asked for (checked by {@link #check}). */
  static void send(RoutingContext ctx, ObjectNode report, Plan plan) {
    String format = ctx.request().getParam("format");
    String accept = ctx.request().getHeader("Accept");
    String lang = Login.language(ctx.request().getParam("lang"));
    boolean csv = "csv".equals(format) || format == null && accept != null && accept.contains("text/csv");
    ctx.response().putHeader("Cache-Control", "no-store");
    if (csv) {
      ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", Headers.attachment("report-" + plan.id() + ".csv"))
          .end(Report.csv(report, lang != null ? lang : "en"));
    } else if ("html".equals(format)) {
      ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Content-Security-Policy", Report.HTML_CSP)
          .end(Report.html(report, lang != null ? lang : plan.language(), root(ctx.request().path())));
    } else {
      ctx.response().putHeader("Content-Type", "application/json").end(report.toString());
    }
  }
}
