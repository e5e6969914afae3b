package io.warroom.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.warroom.kpi.KpiService;
import io.warroom.measure.Kpi;
import io.warroom.stream.StreamHub;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * warroom's own meters, named by Prometheus conventions (unit suffixes, _total for counters).
 * KPI gauges read the aggregates when scraped; the scrape runs on the owning event loop.
 */
public final class Metrics {
  private final MeterRegistry registry;
  private final Timer ingestToPush;

  public Metrics(MeterRegistry registry) {
    this.registry = registry == null ? new SimpleMeterRegistry() : registry;
    this.ingestToPush = Timer.builder("warroom_ingest_to_push")
        .description("Time from an ingest answer to the first stream push that contains it")
        .publishPercentiles(0.5, 0.99).register(this.registry);
  }

  public MeterRegistry registry() {
    return registry;
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
        .tag("endpoint", endpoint).register(registry).record(rows);
    Timer.builder("warroom_ingest_request").description("Ingest request time, body to answer")
        .tag("endpoint", endpoint).tag("status", String.valueOf(status))
        .publishPercentiles(0.5, 0.99).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void ingestToPush(long nanos) {
    ingestToPush.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Stream gauges and counters, read from the hub when scraped. */
  public void stream(StreamHub hub) {
    Gauge.builder("warroom_stream_clients", hub, StreamHub::clientCount)
        .description("Connected stream clients").register(registry);
    FunctionCounter.builder("warroom_stream_events_sent_total", hub, StreamHub::eventsSent)
        .description("Events written to stream clients").register(registry);
    FunctionCounter.builder("warroom_stream_snapshots_skipped_total", hub, StreamHub::snapshotsSkipped)
        .description("Snapshots replaced by a newer one before a slow client could take them")
        .register(registry);
  }

  /** Each target KPI's campaign value beside its target (NaN while it has no value or target). */
  public void kpis(KpiService kpis) {
    for (Kpi k : Kpi.TARGETS) {
      gauge("warroom_kpi_value", k.id, "Campaign value of a KPI", () -> kpis.kpiValue(k));
      gauge("warroom_kpi_target", k.id, "The plan's target for a KPI", () -> kpis.kpiTarget(k));
    }
    Gauge.builder("warroom_plan_elapsed_ratio", kpis, KpiService::elapsed)
        .description("Share of the plan period elapsed").register(registry);
    FunctionCounter.builder("warroom_kpi_snapshots_total", kpis, k -> k.seqNoRoll())
        .description("Changes of the KPI snapshot (seq)").register(registry);
  }

  /** This node among the nodes sharing the store: its lag, what it folded in, whether it alerts. */
  public void nodes(io.warroom.store.Store store, java.util.function.BooleanSupplier alerting) {
    Gauge.builder("warroom_replication_lag_seconds", store, s -> s.lagMillis() / 1000.0)
        .description("How far this node's KPIs are behind the records in the database")
        .register(registry);
    FunctionCounter.builder("warroom_replication_records_total", store, s -> s.replicated())
        .description("Records kept by other nodes and folded in here").register(registry);
    Gauge.builder("warroom_alerting", alerting, a -> a.getAsBoolean() ? 1 : 0).strongReference(true)
        .description("1 while this node evaluates alerts and posts webhooks").register(registry);
  }

  private void gauge(String name, String kpi, String help, Supplier<Double> value) {
    Gauge.builder(name, () -> {
      Double v = value.get();
      return v == null ? Double.NaN : v;
    }).tag("kpi", kpi).description(help).register(registry);
  }
}
