package io.warroom.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.warroom.kpi.Figures;
import io.warroom.live.KpiService;
import io.warroom.measure.Kpi;
import io.warroom.measure.Status;
import io.warroom.store.Cluster;
import io.warroom.stream.StreamHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * warroom's own meters, named by Prometheus conventions: one unit per family (base units in the
 * name, the currency as a label), `_total` for counters, and latencies as histograms with fixed
 * buckets, which (unlike client-side quantiles) can be added up across nodes. JVM, GC, process and
 * build-info meters come from Micrometer's binders. KPI gauges read the aggregates when scraped;
 * the scrape runs on the owning event loop.
 */
public final class Metrics implements AutoCloseable {
  /** Ingest request time and ingest-to-push latency buckets. */
  private static final Duration[] LATENCY = {Duration.ofMillis(1), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10)};
  private static final double[] ROWS = {1, 10, 100, 1_000, 10_000, 100_000};

  private final MeterRegistry registry;
  private final Timer ingestToPush;
  private final JvmGcMetrics gc;

  /**
   * Vert.x's Micrometer metrics register the gauge of open server connections again for every new
   * connection, by design (they keep the count in a map of their own); Micrometer 1.13+ warns about
   * each re-registration (vert-x3/vertx-micrometer-metrics#259, open). That one warning says
   * nothing to an operator, so it is dropped; every other warning of the registry stays.
   */
  private static final Logger REGISTRY_LOG = quietVertxGauges();

  private static Logger quietVertxGauges() {
    Logger log =
        Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
    log.setFilter(r -> {
      String m = r.getMessage();
      return m == null || !(m.contains("has been already registered") && m.contains("name='vertx."));
    });
    return log;
  }

  public Metrics(MeterRegistry registry) {
    this.registry = registry == null ? new SimpleMeterRegistry() : registry;
    this.ingestToPush = Timer.builder("warroom_ingest_to_push")
        .description("Time from an ingest answer to the first stream push that contains it")
        .serviceLevelObjectives(LATENCY).register(this.registry);
    new ClassLoaderMetrics().bindTo(this.registry);
    new JvmMemoryMetrics().bindTo(this.registry);
    gc = new JvmGcMetrics();
    gc.bindTo(this.registry);
    new JvmThreadMetrics().bindTo(this.registry);
    new JvmInfoMetrics().bindTo(this.registry);
    ProcessMetrics.bindTo(this.registry);
    new UptimeMetrics().bindTo(this.registry);
    new FileDescriptorMetrics().bindTo(this.registry);
    String version = Metrics.class.getPackage().getImplementationVersion();
    Gauge.builder("warroom.build.info", () -> 1).tag("version", version == null ? "dev" : version)
        .tag("java", System.getProperty("java.version"))
        .description("The running build: its version and Java").register(this.registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    gc.close();
  }

  /** Records of one type and outcome (accepted, duplicate, rejected) from one caller. */
  public void records(String type, String outcome, String source, long n) {
    if (n == 0) return;
    Counter.builder("warroom_ingest_records_total").description("Ingested rows by outcome")
        .tag("type", type).tag("outcome", outcome).tag("source", source == null ? "unknown" : source)
        .register(registry).increment(n);
  }

  /** One answered ingest request: its rows and how long it took from body to answer. */
  public void request(String endpoint, int status, int rows, long nanos) {
    DistributionSummary.builder("warroom_ingest_batch_rows").description("Rows per ingest request")
        .tag("endpoint", endpoint).serviceLevelObjectives(ROWS).register(registry).record(rows);
    Timer.builder("warroom_ingest_request").description("Ingest request time, body to answer")
        .tag("endpoint", endpoint).tag("status", String.valueOf(status))
        .serviceLevelObjectives(LATENCY).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void ingestToPush(long nanos) {
    ingestToPush.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Stream gauges and counters, read from the hub when scraped. */
  public void stream(StreamHub hub) {
    Gauge.builder("warroom_stream_clients", hub, StreamHub::clientCount)
        .description("Connected stream clients").register(registry);
    Gauge.builder("warroom_stream_clients_gzip", hub, StreamHub::gzipClientCount)
        .description("Stream clients sent the gzipped stream (they asked for it)").register(registry);
    FunctionCounter.builder("warroom_stream_events_sent_total", hub, StreamHub::eventsSent)
        .description("Events written to stream clients").register(registry);
    FunctionCounter.builder("warroom_stream_snapshots_skipped_total", hub, StreamHub::snapshotsSkipped)
        .description("Snapshots replaced by a newer one before a slow client could take them")
        .register(registry);
  }

  /**
   * Every KPI's campaign value and its target, in one family per unit: amounts of money
   * (`warroom_kpi_amount{kpi,currency}`), ratios (`warroom_kpi_ratio`), quantities
   * (`warroom_kpi_quantity`) and scores (`warroom_kpi_score`), the targets in
   * `warroom_kpi_target_*` alike (NaN while there is no value or target); and each targeted KPI's
   * status (`warroom_kpi_status`: 0 ok, 1 warning, 2 critical, NaN none).
   */
  public void kpis(KpiService kpis) {
    // Amounts carry the currency of the plan in force, which a new plan or campaign may change.
    MultiGauge amounts = MultiGauge.builder("warroom_kpi_amount")
        .description("Campaign value of a KPI, by unit").register(registry);
    MultiGauge targetAmounts = MultiGauge.builder("warroom_kpi_target_amount")
        .description("The plan's target for a KPI, by unit").register(registry);
    String[] currency = {null};
    Runnable money = () -> {
      String c = kpis.plan().currency();
      if (c.equals(currency[0])) return;
      currency[0] = c;
      List<MultiGauge.Row<?>> values = new ArrayList<>();
      List<MultiGauge.Row<?>> targets = new ArrayList<>();
      for (Kpi k : Kpi.values()) {
        if (k.unit != Kpi.Unit.MONEY) continue;
        Tags tags = Tags.of("kpi", k.id, "currency", c);
        values.add(MultiGauge.Row.of(tags, k, x -> orNaN(kpis.kpiValue(x))));
        if (k.targetable) targets.add(MultiGauge.Row.of(tags, k, x -> orNaN(kpis.kpiTarget(x))));
      }
      amounts.register(values, true);
      targetAmounts.register(targets, true);
    };
    money.run();
    kpis.onChange(money);
    for (Kpi k : Kpi.values()) {
      Tags tags = Tags.of("kpi", k.id);
      if (k.unit != Kpi.Unit.MONEY) {
        gauge("warroom_kpi_" + family(k), tags, "Campaign value of a KPI, by unit",
            () -> kpis.kpiValue(k));
      }
      if (!k.targetable) continue;
      if (k.unit != Kpi.Unit.MONEY) {
        gauge("warroom_kpi_target_" + family(k), tags, "The plan's target for a KPI, by unit",
            () -> kpis.kpiTarget(k));
      }
      gauge("warroom_kpi_status", Tags.of("kpi", k.id),
          "Status of a KPI against its target: 0 ok, 1 warning, 2 critical", () -> {
            Figures.Target t = kpis.figures().target(k.id);
            Status s = t == null ? null : t.status();
            return s == null ? null : (double) s.ordinal();
          });
    }
    Gauge.builder("warroom_plan_elapsed_ratio", kpis, KpiService::elapsed)
        .description("Share of the plan period elapsed").register(registry);
    FunctionCounter.builder("warroom_kpi_snapshots_total", kpis, KpiService::changes)
        .description("Changes of the KPI snapshot since the start").register(registry);
  }

  /** The family of a KPI's unit. */
  static String family(Kpi k) {
    return switch (k.unit) {
      case MONEY -> "amount";
      case SHARE, RATIO -> "ratio";
      case COUNT -> "quantity";
      case SCORE -> "score";
    };
  }

  private static double orNaN(Number v) {
    return v == null ? Double.NaN : v.doubleValue();
  }

  /** This node among the nodes sharing the store: its lag, what it folded in, whether it alerts. */
  public void nodes(Cluster cluster, BooleanSupplier alerting) {
    // Replication means something only where nodes share the store (node 0 is a node alone).
    if (cluster.node() > 0) {
      Gauge.builder("warroom_replication_lag_seconds", cluster, s -> s.lagMillis() / 1000.0)
          .description("How far this node's KPIs are behind the records in the database")
          .register(registry);
      FunctionCounter.builder("warroom_replication_records_total", cluster, s -> s.replicated())
          .description("Records kept by other nodes and folded in here").register(registry);
    }
    Gauge.builder("warroom_alerting", alerting, a -> a.getAsBoolean() ? 1 : 0).strongReference(true)
        .description("1 while this node evaluates alerts and posts webhooks").register(registry);
  }

  private void gauge(String name, Tags tags, String help, Supplier<Double> value) {
    Gauge.builder(name, () -> {
      Double v = value.get();
      return v == null ? Double.NaN : v;
    }).tags(tags).description(help).register(registry);
  }
}
