package io.warroom.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warroom.RandomRecords;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.http.WarroomVerticle;
import io.warroom.kpi.Aggregator;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import io.warroom.plan.Text;
import io.warroom.store.PgStore;
import io.warroom.store.PgTestDb;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Benchmark, not a test: durable ingest over real HTTP into a PostgreSQL-backed server (NDJSON
 * batches of 1,000 records of every type, 4 concurrent senders, each answer after commit), next to
 * the same run against the in-memory store as the ceiling on this machine; then the rebuild of the
 * aggregates from 1 and 10 million stored records. Own database, dropped at the end. Run:
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.warroom.bench.DurableIngestBench [batches]
 * </pre>
 */
public final class DurableIngestBench {
  private static final int SENDERS = 4;
  private static final int BATCH = 1_000;
  private static final int WARMUP_BATCHES = 40;
  private static final long[] REBUILD_SIZES = {1_000_000, 10_000_000};
  private static final int BULK_CHUNK = 1_000_000;

  /** Server-side bulk load: rows of every type spread over the plan period up to now. */
  static final String BULK = """
      INSERT INTO records (type, id, ts, amount_cents, customer_id, channel, new_customer,
          ad_channel, order_id, category, sessions, score, batch)
      SELECT k.type, 'bulk-' || g, ?::timestamptz + random() * (?::timestamptz - ?::timestamptz),
        CASE WHEN k.type IN ('order', 'refund', 'spend') THEN 1 + (random() * 50000)::bigint ELSE 0 END,
        CASE WHEN k.type = 'order' OR (k.type = 'nps' AND random() < 0.5)
          THEN 'c-' || (random() * 1000000)::int END,
        CASE WHEN k.type IN ('order', 'visit') THEN (ARRAY['tmall', 'jd', 'douyin_live',
          'wechat_mall', 'website', 'store', 'partner_shop'])[1 + (random() * 6)::int] END,
        CASE WHEN k.type = 'order' THEN random() < 0.3 END,
        CASE WHEN k.type IN ('order', 'spend') AND random() < 0.5
          THEN (ARRAY['search', 'feed', 'live', 'kol'])[1 + (random() * 3)::int] END,
        CASE WHEN k.type = 'refund' THEN 'bulk-' || (g - 8) END,
        CASE WHEN k.type = 'spend' THEN (ARRAY['promotion', 'ads', 'live_content', 'crm',
          'partners'])[1 + (random() * 4)::int] END,
        CASE WHEN k.type = 'visit' THEN 1 + (random() * 50)::int END,
        CASE WHEN k.type = 'nps' THEN (random() * 10)::int END,
        gen_random_uuid()
      FROM generate_series(?::bigint, ?::bigint) g,
        LATERAL (SELECT CASE WHEN g % 20 < 8 THEN 'order' WHEN g % 20 < 10 THEN 'refund'
          WHEN g % 20 < 13 THEN 'spend' WHEN g % 20 < 17 THEN 'visit' ELSE 'nps' END AS type) k""";

  private DurableIngestBench() {}

  public static void main(String[] args) throws Exception {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    System.out.printf("warroom durable ingest benchmark, %s%n", OffsetDateTime.now(ZoneOffset.UTC));
    System.out.printf("JVM: %s, %d processors, max heap %d MiB%n", System.getProperty("java.vm.version"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

    LocalDate today = LocalDate.now(SeedPlan.ZONE);
    Plan month = SeedPlan.forMonth(today);
    Plan plan = month.toBuilder().id("bench").name(Text.of("benchmark plan"))
        .period(today.minusDays(20), today.plusDays(10)).weeks(List.of()).build();

    try (PgTestDb db = PgTestDb.create()) {
      System.out.println("PostgreSQL: " + text(db, "SELECT version()"));
      // db.config(): port 0, no ingest rate limit (one caller sends as fast as the server answers)
      double ceiling = ingest("in-memory store (the ceiling)", db.config().withPgUrl(null), plan,
          batches);
      double durable = ingest("PostgreSQL store", db.config(), plan, batches);
      System.out.printf("durable / in-memory: %.2f%n", durable / ceiling);

      long rows = db.number("SELECT count(*) FROM records");
      rebuild(db, plan, rows);
      for (long size : REBUILD_SIZES) {
        long t0 = System.nanoTime();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(BULK)) {
          OffsetDateTime start = OffsetDateTime.ofInstant(
              Instant.ofEpochMilli(plan.startMillis()), ZoneOffset.UTC);
          OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
          for (long from = rows + 1; from <= size; from += BULK_CHUNK) {
            ps.setObject(1, start);
            ps.setObject(2, now);
            ps.setObject(3, start);
            ps.setLong(4, from);
            ps.setLong(5, Math.min(size, from + BULK_CHUNK - 1));
            ps.executeUpdate();
          }
          try (Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE records");
          }
        }
        rows = db.number("SELECT count(*) FROM records");
        System.out.printf("bulk-loaded to %,d records in %.1f s (server-side INSERT ... SELECT"
            + " generate_series, then VACUUM ANALYZE)%n", rows, (System.nanoTime() - t0) / 1e9);
        rebuild(db, plan, rows);
      }
    }
  }

  /** A server with the given store; 4 senders post NDJSON batches as fast as it answers. */
  private static double ingest(String what, Config config, Plan plan, int batches) throws Exception {
    Vertx vertx = Vertx.vertx();
    WarroomVerticle server = new WarroomVerticle(config, plan, Clock.systemUTC(), null,
        Stores.factory(config));
    TestApp.await(vertx.deployVerticle(server));
    try {
      return ingest(what, server.port(), plan, batches);
    } finally {
      TestApp.await(vertx.close());
    }
  }

  private static double ingest(String what, int port, Plan plan, int batches) throws Exception {
    long now = System.currentTimeMillis();
    List<String> bodies = new ArrayList<>();
    for (int b = 0; b < WARMUP_BATCHES + batches; b++) {
      bodies.add(RandomRecords.ndjson(new RandomRecords(1_000_000L + b, plan, now).list(BATCH), plan));
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/events");
    send(http, uri, bodies.subList(0, WARMUP_BATCHES), null);
    long[] latencies = new long[batches];
    long t0 = System.nanoTime();
    send(http, uri, bodies.subList(WARMUP_BATCHES, bodies.size()), latencies);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Arrays.sort(latencies);
    double perSecond = batches * BATCH / seconds;
    System.out.printf("ingest, %s: %,d records in %.2f s = %,.0f records/s (%d senders, NDJSON"
        + " batches of %,d); batch latency p50 %.0f ms, p99 %.0f ms%n", what,
        (long) batches * BATCH, seconds, perSecond, SENDERS, BATCH,
        latencies[batches / 2] / 1e6, latencies[(int) (batches * 0.99)] / 1e6);
    return perSecond;
  }

  private static void send(HttpClient http, URI uri, List<String> bodies, long[] latencies)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    for (int t = 0; t < SENDERS; t++) {
      Thread th = new Thread(() -> {
        for (int i; (i = next.getAndIncrement()) < bodies.size(); ) {
          try {
            long s = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build(),
                HttpResponse.BodyHandlers.ofString());
            if (latencies != null) latencies[i] = System.nanoTime() - s;
            if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
          } catch (Exception e) {
            errors.add(e);
            return;
          }
        }
      });
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) th.join();
    if (!errors.isEmpty()) throw new IllegalStateException("ingest failed", errors.get(0));
  }

  /** Times PgStore.load three times, and one whole server start (migration check + rebuild). */
  private static void rebuild(PgTestDb db, Plan plan, long rows) throws Exception {
    Vertx vertx = Vertx.vertx();
    Context ctx = vertx.getOrCreateContext();
    try {
      PgStore store = on(ctx, () -> {
        PgStore s = new PgStore(vertx, db.url());
        return s.start().map(v -> s);
      });
      double[] seconds = new double[3];
      Aggregator agg = null;
      for (int i = 0; i < seconds.length; i++) {
        System.gc();
        long t0 = System.nanoTime();
        agg = on(ctx, () -> store.load(plan, Clock.systemUTC()));
        seconds[i] = (System.nanoTime() - t0) / 1e9;
      }
      on(ctx, store::close);
      Arrays.sort(seconds);
      long t0 = System.nanoTime();
      Config config = db.config();
      TestApp.await(vertx.deployVerticle(new WarroomVerticle(config, plan, Clock.systemUTC(), null,
          Stores.factory(config))));
      double start = (System.nanoTime() - t0) / 1e9;
      System.out.printf("rebuild at %,d records: %.2f s (best of 3; median %.2f s), %,d campaign"
          + " customers, %,d orders; whole server start %.2f s%n", rows, seconds[0], seconds[1],
          agg.campaign().customers(), agg.campaign().orders(), start);
    } finally {
      TestApp.await(vertx.close());
    }
  }

  private static <T> T on(Context ctx, Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> call.get().onComplete(p));
    return TestApp.await(p.future());
  }

  private static String text(PgTestDb db, String sql) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
