package io.warroom.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.warroom.alert.AlertService;
import io.warroom.app.Services;
import io.warroom.app.WarmUp;
import io.warroom.config.Config;
import io.warroom.live.KpiService;
import io.warroom.plan.Plan;
import io.warroom.store.MemoryStore;
import io.warroom.store.Store;
import io.warroom.stream.StreamHub;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The whole service on one event loop: the {@link Services} (store, aggregates, stream, alerts,
 * teams), then HTTP with the routes of each area. The KPI state is owned here and reached only
 * from this verticle's context.
 */
public final class WarroomVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(WarroomVerticle.class.getName());
  private final Config config;
  private final Plan initialPlan;
  private final Clock clock;
  private final PrometheusMeterRegistry registry;
  private final Function<Vertx, Store> storeFactory;

  private Services services;
  private HttpServer server;
  private AcceptGate gate;
  private Connections connections;
  private Buffer loginHtml;
  private Buffer loginCss;
  private Vertx warmUpClient;

  public WarroomVerticle(Config config, Plan plan, Clock clock, PrometheusMeterRegistry registry,
      Function<Vertx, Store> storeFactory) {
    this.config = config;
    this.initialPlan = plan;
    this.clock = clock;
    this.registry = registry;
    this.storeFactory = storeFactory;
  }

  /** The in-memory store, for running without a database. */
  public static Function<Vertx, Store> memory() {
    return MemoryStore::new;
  }

  @Override
  public Future<?> start() {
    services = new Services(vertx, config, initialPlan, clock, registry, storeFactory);
    Future<Void> files = vertx.fileSystem().readFile("webroot/login.html")
        .compose(html -> vertx.fileSystem().readFile("webroot/login.css").map(css -> {
          loginHtml = html;
          loginCss = css;
          return (Void) null;
        }));
    // The routes are made on a worker: making them loads hundreds of classes, seconds on a busy
    // machine that the event loop would be blocked for.
    return files.compose(f -> services.start()).compose(v -> {
      connections = new Connections(vertx, config.edge().maxConnections(),
          config.edge().headTimeoutMs(), config.bodyLimitBytes(), services.metrics().registry());
      return vertx.executeBlocking(this::router);
    }).compose(router -> {
      HttpServerOptions options = new HttpServerOptions()
          .setMaxInitialLineLength(4096).setMaxHeaderSize(16 * 1024).setCompressionSupported(true)
          // Every request is handled and answered on this event loop: no write queue per connection.
          .setStrictThreadMode(true)
          .setHttp2ClearTextEnabled(false);
      Future<Void> warmed = warmUpClient != null ? warmUp(options, router) : Future.succeededFuture();
      return warmed.compose(v -> server(options, router).listen(config.httpPort(), config.httpHost()));
    }).onSuccess(s -> {
      server = s;
      int max = config.edge().maxConnections();
      gate = AcceptGate.install(s, max + 2 * Connections.BURST, max + Connections.BURST + 1,
          services.metrics().registry());
      connections.gate(gate);
      String warning = Auth.loopbackOnlyWarning(config.httpHost(), !config.ingestTokens().isEmpty(),
          config.adminToken() != null);
      if (warning != null) LOG.warning(warning);
    });
  }

  private HttpServer server(HttpServerOptions options, Handler<HttpServerRequest> requests) {
    return vertx.createHttpServer(options).connectionHandler(connections::opened)
        .requestHandler(requests)
        .invalidRequestHandler(Errors::invalidRequest);
  }

  /**
   * Before listening on its port: the same routes on a loopback port of their own, run a few
   * thousand times (see {@link WarmUp}), so the first burst of screens meets compiled code.
   */
  private Future<Void> warmUp(HttpServerOptions options, Router router) {
    String key = WarmUp.key();
    return server(options, WarmUp.gate(key, router)).listen(0, "127.0.0.1").compose(local -> {
      String token = config.viewToken() != null ? config.viewToken() : config.adminToken();
      int batch = Math.max(1, Math.min(250, config.limits().maxStreamClients() / 4));
      return WarmUp.run(warmUpClient, "127.0.0.1", local.actualPort(), key, token, 3_000, batch)
          .onSuccess(done -> LOG.info("warmed up: " + done))
          .eventually(local::close)
          .<Void>mapEmpty()
          .recover(e -> {
            LOG.info("warm-up stopped: " + e);
            return Future.succeededFuture();
          });
    });
  }

  /**
   * Runs the routes a few thousand times before listening, from {@code client} (a Vert.x of its
   * own, which the caller closes once deployed); the server's start does, tests do not.
   */
  public WarroomVerticle warmUp(Vertx client) {
    this.warmUpClient = client;
    return this;
  }

  /**
   * Graceful stop: no new connections, streams closed, requests under way (an ingest batch being
   * stored) finished within 20 s, then the store closed.
   */
  @Override
  public Future<?> stop() {
    if (services == null) return Future.succeededFuture();
    return services.stop(() -> {
      if (connections != null) connections.close();
      return server == null ? Future.succeededFuture() : server.shutdown(20, TimeUnit.SECONDS);
    });
  }

  /** Runs {@code task} on this verticle's event loop, where the KPI state lives. */
  public <T> Future<T> onLoop(Callable<T> task) {
    Promise<T> p = Promise.promise();
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
    return services.kpis();
  }

  public StreamHub hub() {
    return services.hub();
  }

  /** The most HTTP connections held at once, counted as they were accepted (-1: not counted). */
  public int connectionsHeldMost() {
    return gate == null ? -1 : gate.most();
  }

  public AlertService alerts() {
    return services.alerts();
  }

  /** Every route, by area; each area's handler mounts its own. */
  private Router router() {
    Router router = Router.router(vertx);
    Config.Edge edge = config.edge();
    AuthThrottle authThrottle = new AuthThrottle(edge.authFailureBurst(), edge.authFailuresPerSecond(),
        System::nanoTime);
    context.runOnContext(v -> vertx.setPeriodic(10_000, id -> authThrottle.flush()));
    Handler<RoutingContext> view = Auth.view(config.viewToken(), config.adminToken(), authThrottle);
    Handler<RoutingContext> admin = Auth.admin(config.adminToken(), authThrottle);
    Handler<RoutingContext> ingestAuth = Auth.ingest(config.ingestTokens(), authThrottle);
    RateLimiter limiter = new RateLimiter(config.limits().ingestRate(), config.limits().ingestBurst(),
        System::nanoTime);
    long bodyLimit = config.bodyLimitBytes();
    Services s = services;
    router.route().handler(connections::request);
    router.route().handler(Headers::handle);
    // Every read of the API waits for a transaction being folded in to be whole (the checks of
    // access after this are synchronous, so the read still sees it whole); /health and /ready
    // never wait.
    for (String path : new String[] {"/api/*", "/metrics"}) {
      router.get(path).handler(ctx -> s.kpis().whenWhole(ctx::next));
    }

    new OpsHandler(s.store(), s.cluster(), s.alerts(), config.nodes().maxLagMs()).mount(router, view, registry);
    new IngestHandler(vertx, s.kpis(), clock, bodyLimit, config.limits().maxRows(), s.metrics())
        .mount(router, ingestAuth, limiter::handle);
    new KpiHandler(s.kpis(), s.hub(), s.alerts(), s.annotations(), config.limits().maxStreamClients())
        .mount(router, view);
    new PlanHandler(vertx, s.kpis(), s.store(), clock, bodyLimit).mount(router, view, admin);
    new CampaignHandler(vertx, s.kpis(), s.store(), clock, s.alerts(), s.annotations(), bodyLimit)
        .mount(router, view, admin);
    new AlertHandler(s.alerts(), clock, bodyLimit).mount(router, view, admin);
    new TeamHandler(s.digests(), s.annotations()).mount(router, view, admin,
        TeamHandler.adminOrIngest(config.adminToken(), admin, ingestAuth));
    // Kiosk links expire in real time: a demo's clock runs many times faster.
    new Login(config.viewToken(), config.adminToken(), System::currentTimeMillis, authThrottle).mount(router,
        view, admin, Auth.session(config.adminToken(), authThrottle), loginHtml, loginCss);
    router.route("/api/*").handler(ctx -> Errors.send(ctx, 404, "no such endpoint"));

    StaticFiles.mount(router, view);
    router.route().failureHandler(Errors::failure);
    return router;
  }
}
