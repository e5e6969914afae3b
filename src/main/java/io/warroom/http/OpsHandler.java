package io.warroom.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.warroom.alert.AlertService;
import io.warroom.store.Cluster;
import io.warroom.store.Store;

/** For operators and load balancers: health, readiness, metrics. */
final class OpsHandler {
  private final Store store;
  private final Cluster cluster;
  private final AlertService alerts;
  private final long maxLagMs;

  OpsHandler(Store store, Cluster cluster, AlertService alerts, long maxLagMs) {
    this.store = store;
    this.cluster = cluster;
    this.alerts = alerts;
    this.maxLagMs = maxLagMs;
  }

  void mount(Router router, Handler<RoutingContext> view, PrometheusMeterRegistry registry) {
    // GET or HEAD (a load balancer's health check may ask with HEAD; no body is sent then)
    router.route("/health").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(ctx -> Json.send(ctx, new JsonObject().put("status", "UP")));
    router.route("/ready").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::ready);
    if (registry != null) {
      router.get("/metrics").handler(view).handler(PrometheusScrapingHandler.create(registry));
    }
  }

  /**
   * Ready when the store takes writes and this node's KPIs are no further behind the store than
   * WARROOM_MAX_LAG_MS; says which node this is, whether it alerts, and its lag.
   */
  private void ready(RoutingContext ctx) {
    store.ping().onComplete(ar -> {
      if (ar.failed()) {
        Errors.send(ctx, 503, "the store is unavailable: " + ar.cause().getMessage());
        return;
      }
      long lag = cluster.lagMillis();
      JsonObject body = new JsonObject().put("status", "UP").put("node", cluster.node())
          .put("alerting", alerts.leading()).put("lagSeconds", lag / 1000.0);
      boolean lagging = lag > maxLagMs;
      if (lagging) {
        ctx.response().putHeader("Retry-After", "5");
        body.put("status", "LAGGING").put("error", "this node's KPIs are " + lag / 1000.0
            + " s behind the database (limit " + maxLagMs / 1000.0 + " s)");
      }
      Json.send(ctx, lagging ? 503 : 200, body);
    });
  }
}
