package io.warroom.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warroom.alert.AlertLog;
import io.warroom.alert.AlertService;
import io.warroom.alert.Lease;
import io.warroom.alert.MemoryAlertLog;
import io.warroom.alert.Outbox;
import io.warroom.alert.PgAlertLog;
import io.warroom.alert.PgLease;
import io.warroom.alert.PgOutbox;
import io.warroom.alert.Webhooks;
import io.warroom.config.Config;
import io.warroom.live.KpiService;
import io.warroom.metrics.Metrics;
import io.warroom.plan.Plan;
import io.warroom.store.Cluster;
import io.warroom.store.MemoryPlans;
import io.warroom.store.PgStore;
import io.warroom.store.Plans;
import io.warroom.store.Store;
import io.warroom.stream.StreamHub;
import io.warroom.team.Annotations;
import io.warroom.team.Digests;
import io.warroom.team.MemoryTeamLog;
import io.warroom.team.PgTeamLog;
import io.warroom.team.TeamLog;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where one node is assembled: the store, then the aggregates rebuilt from it, the stream, alerts,
 * and the teams' digests and annotations, started in that order on the caller's event loop (which
 * then owns the KPI state) and stopped in reverse. HTTP is mounted on top by the verticle.
 */
public final class Services {
  private final Vertx vertx;
  private final Config config;
  private final Plan initialPlan;
  private final Clock clock;
  private final PrometheusMeterRegistry registry;
  private final Store store;
  private final Cluster cluster;
  private final KpiService kpis;
  private final Metrics metrics;
  private StreamHub hub;
  private AlertService alerts;
  private Digests digests;
  private Annotations annotations;
  private PgLease lease;

  public Services(Vertx vertx, Config config, Plan plan, Clock clock,
      PrometheusMeterRegistry registry, Function<Vertx, Store> storeFactory) {
    this.vertx = vertx;
    this.config = config;
    this.initialPlan = plan;
    this.clock = clock;
    this.registry = registry;
    store = storeFactory.apply(vertx);
    cluster = store instanceof Cluster c ? c : Cluster.ALONE;
    kpis = new KpiService(vertx, store, store instanceof Plans p ? p : new MemoryPlans(), cluster,
        clock);
    metrics = new Metrics(registry);
  }

  public Future<Void> start() {
    return store.start().compose(v -> kpis.start(initialPlan)).compose(v -> {
      hub = new StreamHub(vertx, kpis, config.pushIntervalMs(), config.heartbeatMs(),
          metrics::ingestToPush);
      metrics.stream(hub);
      metrics.kpis(kpis);
      vertx.setPeriodic(1000, id -> kpis.roll());
      return startAlerts();
    }).compose(x -> startTeams());
  }

  /**
   * Alerts keep their state next to the records: in the database, with the duty to evaluate them
   * taken by one node at a time through an advisory lock, else in this process.
   */
  private Future<Void> startAlerts() {
    AlertLog log = new MemoryAlertLog();
    Future<Void> leased = Future.succeededFuture();
    if (store instanceof PgStore pg) {
      PgAlertLog pgLog = new PgAlertLog(pg.pool(), () -> pg.announce("alerts"));
      pg.onAnnounce("alerts", pgLog::changed);
      log = pgLog;
      lease = new PgLease(vertx, pg.sessionOptions());
      leased = lease.start();
    }
    MeterRegistry meters = metrics.registry();
    alerts = new AlertService(vertx, kpis, hub, clock, meters,
        new Webhooks(vertx, config.webhookUrls(), meters, Webhooks.Options.defaults())
            .outbox(store instanceof PgStore pg ? new PgOutbox(pg.pool()) : Outbox.NONE)
            .secrets((url, format) -> kpis.plan().secretOf(url, format)),
        log, lease == null ? Lease.ALWAYS : lease).publicUrl(config.publicUrl());
    metrics.nodes(cluster, alerts::leading);
    return leased.compose(x -> alerts.start());
  }

  /** Section 14: weekly digests and annotations, kept next to the records like the alerts. */
  private Future<Void> startTeams() {
    TeamLog log = new MemoryTeamLog();
    if (store instanceof PgStore pg) {
      PgTeamLog pgLog = new PgTeamLog(pg.pool(), () -> pg.announce("annotations"));
      pg.onAnnounce("annotations", pgLog::changed);
      log = pgLog;
    }
    digests = new Digests(vertx, kpis, alerts, log, clock, config.publicUrl());
    annotations = new Annotations(log, hub, kpis);
    return annotations.start().onSuccess(v -> digests.start());
  }

  /**
   * Closes the streams, then stops {@code http} (which finishes the requests under way), the
   * digests, the alerts once HTTP is down, the metrics, gives the alerting duty up (at once: its
   * connection closes), and closes the store last.
   */
  public Future<Void> stop(Supplier<Future<Void>> http) {
    if (hub != null) hub.close();
    Future<Void> closed = http.get();
    if (digests != null) digests.stop();
    if (alerts != null) closed = closed.eventually(() -> alerts.stop());
    metrics.close();
    if (lease != null) closed = closed.eventually(() -> lease.close());
    return closed.eventually(() -> store.close());
  }

  /** The Prometheus registry to scrape, or null. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Store store() {
    return store;
  }

  /** What this node learns of the other nodes sharing its store. */
  public Cluster cluster() {
    return cluster;
  }

  public KpiService kpis() {
    return kpis;
  }

  public Metrics metrics() {
    return metrics;
  }

  public StreamHub hub() {
    return hub;
  }

  public AlertService alerts() {
    return alerts;
  }

  public Digests digests() {
    return digests;
  }

  public Annotations annotations() {
    return annotations;
  }
}
