package io.warroom.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.warroom.Config;
import io.warroom.ingest.RecordType;
import io.warroom.kpi.KpiService;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import io.warroom.store.MemoryStore;
import io.warroom.store.Store;
import io.warroom.stream.StreamHub;
import java.time.Clock;
import java.util.function.Function;

/**
 * The whole service on one event loop: the store, then the aggregates rebuilt from it, then HTTP.
 * The KPI state is owned here and reached only from this verticle's context.
 */
public final class WarroomVerticle extends VerticleBase {
  private final Config config;
  private final Plan initialPlan;
  private final Clock clock;
  private final PrometheusMeterRegistry registry;
  private final Function<io.vertx.core.Vertx, Store> storeFactory;

  private Store store;
  private KpiService kpis;
  private StreamHub hub;
  private HttpServer server;

  public WarroomVerticle(Config config, Plan plan, Clock clock, PrometheusMeterRegistry registry,
      Function<io.vertx.core.Vertx, Store> storeFactory) {
    this.config = config;
    this.initialPlan = plan;
    this.clock = clock;
    this.registry = registry;
    this.storeFactory = storeFactory;
  }

  /** The in-memory store, for running without a database. */
  public static Function<io.vertx.core.Vertx, Store> memory() {
    return MemoryStore::new;
  }

  @Override
  public Future<?> start() {
    store = storeFactory.apply(vertx);
    kpis = new KpiService(store, clock);
    return store.start().compose(v -> kpis.start(initialPlan)).compose(v -> {
      hub = new StreamHub(vertx, kpis, config.pushIntervalMs());
      vertx.setPeriodic(1000, id -> kpis.roll());
      return vertx.createHttpServer().requestHandler(router()).listen(config.httpPort(), config.httpHost());
    }).onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    if (hub != null) hub.close();
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.compose(v -> store.close());
  }

  public int port() {
    return server.actualPort();
  }

  public KpiService kpis() {
    return kpis;
  }

  public StreamHub hub() {
    return hub;
  }

  private Router router() {
    Router router = Router.router(vertx);
    var view = Auth.view(config.viewToken(), config.adminToken());

    router.get("/health").handler(ctx -> json(ctx, new JsonObject().put("status", "UP")));
    router.get("/ready").handler(this::ready);
    if (registry != null) router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));

    IngestHandler ingest = new IngestHandler(vertx, kpis, clock, config.bodyLimitBytes());
    var ingestAuth = Auth.ingest(config.ingestTokens());
    for (RecordType t : RecordType.values()) {
      router.post("/api/v1/" + t.path).handler(ingestAuth).handler(IngestHandler::checkContentType)
          .handler(ctx -> ingest.handle(ctx, t));
    }
    router.post("/api/v1/events").handler(ingestAuth).handler(IngestHandler::checkContentType)
        .handler(ctx -> ingest.handle(ctx, null));

    router.get("/api/v1/kpis").handler(view).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(kpis.snapshot()));
    router.get("/api/v1/series").handler(view).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(kpis.series()));
    router.get("/api/v1/stream").handler(view).handler(this::stream);
    router.get("/api/v1/plan").handler(view)
        .handler(ctx -> json(ctx, new JsonObject(PlanParser.toJson(kpis.plan()).toString())));
    router.put("/api/v1/plan").handler(Auth.admin(config.adminToken())).handler(this::putPlan);
    router.route("/api/*").handler(ctx -> Errors.send(ctx, 404, "no such endpoint"));

    router.route("/*").handler(view).handler(StaticHandler.create("webroot")
        .setCachingEnabled(true).setMaxAgeSeconds(300).setIndexPage("index.html"));
    router.route().failureHandler(Errors::failure);
    return router;
  }

  private void ready(RoutingContext ctx) {
    store.ping().onComplete(ar -> {
      if (ar.succeeded()) json(ctx, new JsonObject().put("status", "UP"));
      else Errors.send(ctx, 503, "the store is unavailable: " + ar.cause().getMessage());
    });
  }

  private void stream(RoutingContext ctx) {
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

  private void putPlan(RoutingContext ctx) {
    Bodies.read(ctx, config.bodyLimitBytes()).onSuccess(body -> {
      Plan plan;
      try {
        String text = body.toString();
        if (text.isBlank()) throw new PlanException("plan", "body is empty");
        plan = PlanParser.parse(text);
      } catch (PlanException e) {
        Errors.send(ctx, 400, e.getMessage());
        return;
      }
      kpis.replacePlan(plan)
          .onSuccess(v -> json(ctx, new JsonObject(PlanParser.toJson(plan).toString())))
          .onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }
}
