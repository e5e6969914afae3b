package io.warroom;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warroom.alert.AlertService;
import io.warroom.alert.Webhooks;
import io.warroom.kpi.KpiService;
import io.warroom.metrics.Metrics;
import io.warroom.plan.Plan;
import io.warroom.store.Store;
import io.warroom.stream.StreamHub;
import io.warroom.team.Annotations;
import io.warroom.team.Digests;
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
  private final KpiService kpis;
  private final Metrics metrics;
  private StreamHub hub;
  private AlertService alerts;
  private Digests digests;
  private Annotations annotations;

  public Services(Vertx vertx, Config config, Plan plan, Clock clock,
      PrometheusMeterRegistry registry, Function<Vertx, Store> storeFactory) {
    this.vertx = vertx;
    this.config = config;
    this.initialPlan = plan;
    this.clock = clock;
    this.registry = registry;
    store = storeFactory.apply(vertx);
    kpis = new KpiService(store, clock);
    metrics = new Metrics(registry);
  }

  public Future<Void> start() {
    return store.start().compose(v -> kpis.start(initialPlan)).compose(v -> {
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
    });
  }

  /** Section 14: weekly digests and annotations, kept in the store's team log. */
  private Future<Void> startTeams() {
    TeamLog log = store.teamLog();
    digests = new Digests(vertx, kpis, alerts, log, clock, config.publicUrl());
    annotations = new Annotations(log, hub, kpis);
    return annotations.start().onSuccess(v -> digests.start());
  }

  /**
   * Closes the streams, then stops {@code http} (which finishes the requests under way), the
   * digests, the alerts once HTTP is down, the metrics, and the store last.
   */
  public Future<Void> stop(Supplier<Future<Void>> http) {
    if (hub != null) hub.close();
    Future<Void> closed = http.get();
    if (digests != null) digests.stop();
    if (alerts != null) closed = closed.eventually(() -> alerts.stop());
    metrics.close();
    return closed.eventually(() -> store.close());
  }

  public Config config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  /** The Prometheus registry to scrape, or null. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Store store() {
    return store;
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
