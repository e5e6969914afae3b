package io.warroom.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.warroom.Config;
import io.warroom.alert.AlertService;
import io.warroom.alert.Webhooks;
import io.warroom.ingest.RecordType;
import io.warroom.kpi.KpiService;
import io.warroom.metrics.Metrics;
import io.warroom.plan.HiddenHooks;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import io.warroom.store.MemoryStore;
import io.warroom.store.Store;
import io.warroom.stream.StreamHub;
import io.warroom.team.Annotations;
import io.warroom.team.Digests;
import io.warroom.team.TeamLog;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * The whole service on one event loop: the store, then the aggregates rebuilt from it, then HTTP.
 * The KPI state is owned here and reached only from this verticle's context.
 */
public final class WarroomVerticle extends VerticleBase {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(WarroomVerticle.class.getName());
  private final Config config;
  private final Plan initialPlan;
  private final Clock clock;
  private final PrometheusMeterRegistry registry;
  private final Function<io.vertx.core.Vertx, Store> storeFactory;

  private Store store;
  private KpiService kpis;
  private StreamHub hub;
  private AlertService alerts;
  private Digests digests;
  private Annotations annotations;
  private Metrics metrics;
  private HttpServer server;
  private Connections connections;
  private io.vertx.core.buffer.Buffer loginHtml;
  private io.vertx.core.buffer.Buffer loginCss;

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
    metrics = new Metrics(registry);
    Future<Void> files = vertx.fileSystem().readFile("webroot/login.html")
        .compose(html -> vertx.fileSystem().readFile("webroot/login.css").map(css -> {
          loginHtml = html;
          loginCss = css;
          return (Void) null;
        }));
    return files.compose(f -> store.start()).compose(v -> kpis.start(initialPlan)).compose(v -> {
      hub = new StreamHub(vertx, kpis, config.pushIntervalMs(), config.heartbeatMs(),
          metrics::ingestToPush);
      metrics.stream(hub);
      metrics.kpis(kpis);
      vertx.setPeriodic(1000, id -> kpis.roll());
      MeterRegistry meters = metrics.registry();
      alerts = new AlertService(vertx, kpis, hub, clock, meters,
          new Webhooks(vertx, config.webhookUrls(), meters, Webhooks.Options.defaults()),
          store.alertLog(), store.lease()).publicUrl(config.publicUrl());
      metrics.nodes(store, alerts::leading);
      return alerts.start().compose(x -> startTeams());
    }).compose(v -> {
      HttpServerOptions options = new HttpServerOptions()
          .setMaxInitialLineLength(4096).setMaxHeaderSize(16 * 1024).setCompressionSupported(true)
          // Every request is handled and answered on this event loop: no write queue per connection.
          .setStrictThreadMode(true)
          .setHttp2ClearTextEnabled(false);
      connections = new Connections(vertx, config.edge().maxConnections(),
          config.edge().headTimeoutMs(), config.bodyLimitBytes(), metrics.registry());
      return vertx.createHttpServer(options).connectionHandler(connections::opened)
          .requestHandler(router())
          .invalidRequestHandler(Errors::invalidRequest)
          .listen(config.httpPort(), config.httpHost());
    }).onSuccess(s -> {
      server = s;
      String warning = Auth.loopbackOnlyWarning(config.httpHost(), !config.ingestTokens().isEmpty(),
          config.adminToken() != null);
      if (warning != null) LOG.warning(warning);
    });
  }

  /**
   * Graceful stop: no new connections, streams closed, requests under way (an ingest batch being
   * stored) finished within 10 s, then the store closed.
   */
  @Override
  public Future<?> stop() {
    if (hub != null) hub.close();
    if (connections != null) connections.close();
    Future<Void> closed = server == null ? Future.succeededFuture()
        : server.shutdown(10, java.util.concurrent.TimeUnit.SECONDS);
    if (digests != null) digests.stop();
    if (alerts != null) closed = closed.eventually(() -> alerts.stop());
    if (metrics != null) metrics.close();
    return closed.eventually(() -> store.close());
  }

  /** Section 14: weekly digests and annotations, kept in the store's team log. */
  private Future<Void> startTeams() {
    TeamLog log = store.teamLog();
    digests = new Digests(vertx, kpis, alerts, log, clock, config.publicUrl());
    annotations = new Annotations(log, hub, kpis);
    return annotations.start().onSuccess(v -> digests.start());
  }

  /** Runs {@code task} on this verticle's event loop, where the KPI state lives. */
  public <T> Future<T> onLoop(java.util.concurrent.Callable<T> task) {
    io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      try {
        p.complete(task.call());
      } catch (Exception e) {
        p.fail(e);
      }
    });
    return p.future();
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

  public AlertService alerts() {
    return alerts;
  }

  private Router router() {
    Router router = Router.router(vertx);
    Config.Edge edge = config.edge();
    AuthThrottle authThrottle = new AuthThrottle(edge.authFailureBurst(), edge.authFailuresPerSecond(),
        System::nanoTime);
    vertx.setPeriodic(10_000, id -> authThrottle.flush());
    var view = Auth.view(config.viewToken(), config.adminToken(), authThrottle);
    var admin = Auth.admin(config.adminToken(), authThrottle);
    Login login = new Login(config.viewToken(), config.adminToken(), clock::millis, authThrottle);
    RateLimiter limiter = new RateLimiter(config.limits().ingestRate(), config.limits().ingestBurst(),
        System::nanoTime);
    router.route().handler(connections::request);
    router.route().handler(Headers::handle);

    router.get("/health").handler(ctx -> json(ctx, new JsonObject().put("status", "UP")));
    router.get("/ready").handler(this::ready);
    if (registry != null) {
      router.get("/metrics").handler(view).handler(PrometheusScrapingHandler.create(registry));
    }

    IngestHandler ingest = new IngestHandler(vertx, kpis, clock, config.bodyLimitBytes(),
        config.limits().maxRows(), metrics);
    var ingestAuth = Auth.ingest(config.ingestTokens(), authThrottle);
    for (RecordType t : RecordType.values()) {
      router.post("/api/v1/" + t.path).handler(ingestAuth).handler(limiter::handle)
          .handler(IngestHandler::checkContentType).handler(ctx -> ingest.handle(ctx, t));
    }
    router.post("/api/v1/events").handler(ingestAuth).handler(limiter::handle)
        .handler(IngestHandler::checkContentType).handler(ctx -> ingest.handle(ctx, null));

    router.get("/api/v1/kpis").handler(view).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(kpis.snapshot()));
    router.get("/api/v1/series").handler(view).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(kpis.series()));
    router.get("/api/v1/stream").handler(view).handler(this::stream);
    router.get("/api/v1/catalogue").handler(view).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-cache")
        .end(io.vertx.core.buffer.Buffer.buffer(io.warroom.kpi.Catalogue.write(kpis.plan()))));
    router.get("/api/v1/plan").handler(view)
        .handler(ctx -> json(ctx, new JsonObject(HiddenHooks.publicJson(kpis.plan()).toString())));
    router.put("/api/v1/plan").handler(admin).handler(this::putPlan);
    router.post("/api/v1/plan/milestones").handler(admin)
        .handler(new MilestoneHandler(kpis, clock, config.bodyLimitBytes())::handle);
    router.post("/api/v1/plan/preview").handler(admin).handler(
        new PlanPreview(vertx, kpis, store, clock, config.bodyLimitBytes())::handle);
    router.get("/api/v1/plan/next").handler(view).handler(ctx -> json(ctx, new JsonObject(
        HiddenHooks.publicJson(io.warroom.report.NextPlan.derive(kpis.aggregator())).toString())));
    router.get("/api/v1/report").handler(view).handler(this::report);
    new AlertHandler(alerts, clock, config.bodyLimitBytes()).mount(router, view, admin);
    new TeamHandler(digests, annotations).mount(router, view, admin,
        TeamHandler.adminOrIngest(config.adminToken(), admin, ingestAuth));
    router.post("/api/v1/kiosk").handler(admin).handler(login::newKioskLink);
    router.post("/login").handler(login::post);
    router.post("/logout").handler(login::logout);
    router.get("/api/v1/session").handler(view).handler(Auth.session(config.adminToken(), authThrottle));
    router.get("/kiosk/:code").handler(login::kiosk);
    router.route("/api/*").handler(ctx -> Errors.send(ctx, 404, "no such endpoint"));

    router.get("/login").handler(ctx -> file(ctx, loginHtml, "text/html; charset=utf-8"));
    router.get("/login.css").handler(ctx -> file(ctx, loginCss, "text/css; charset=utf-8"));
    StaticFiles.mount(router, view);
    router.route().failureHandler(Errors::failure);
    return router;
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
      long lag = store.lagMillis();
      JsonObject body = new JsonObject().put("status", "UP").put("node", store.node())
          .put("alerting", alerts.leading()).put("lagSeconds", lag / 1000.0);
      if (lag > config.nodes().maxLagMs()) {
        ctx.response().setStatusCode(503).putHeader("Retry-After", "5");
        body.put("status", "LAGGING").put("error", "this node's KPIs are " + lag / 1000.0
            + " s behind the database (limit " + config.nodes().maxLagMs() / 1000.0 + " s)");
      }
      json(ctx, body);
    });
  }

  private void stream(RoutingContext ctx) {
    if (hub.clientCount() >= config.limits().maxStreamClients()) {
      ctx.response().putHeader("Retry-After", "5");
      Errors.send(ctx, 503, "too many stream clients (" + config.limits().maxStreamClients() + ")");
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
    var report = io.warroom.report.Report.build(kpis.figures(), kpis.seq(), alerts.fired());
    report.set("annotations", annotations.forReport(kpis.plan()));
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
          .putHeader("Content-Disposition", Headers.attachment("report-" + kpis.plan().id() + ".csv"))
          .end(io.warroom.report.Report.csv(report));
    } else {
      ctx.response().putHeader("Content-Type", "application/json").end(report.toString());
    }
  }

  private void putPlan(RoutingContext ctx) {
    Bodies.read(ctx, config.bodyLimitBytes()).onSuccess(body -> {
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
          .onSuccess(v -> json(ctx, new JsonObject(HiddenHooks.publicJson(plan).toString())))
          .onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }

  /** A small file open to everyone (the login page). */
  private static void file(RoutingContext ctx, io.vertx.core.buffer.Buffer body, String type) {
    ctx.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-cache").end(body);
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }
}
