package io.warroom.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.warroom.ingest.Rec;
import io.warroom.store.PgDirect;
import io.warroom.store.PgStore;
import io.warroom.store.PgTestDb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Section 1: ingest in records/s, NDJSON batches of 1,000, 1/2/4/8 senders each waiting for its
 * answer; warroom in-memory and on PostgreSQL, beside two ceilings: a bare Vert.x server that only
 * parses the bodies, and the store's batch INSERT straight into PostgreSQL without HTTP.
 */
final class IngestBench {
  static final int[] SENDERS = {1, 2, 4, 8};
  static final int RUNS = 3;
  static final int BATCHES = 120;
  static final int WARMUP_BATCHES = 60;

  private IngestBench() {}

  static void run() throws Exception {
    Map<String, double[]> median = new LinkedHashMap<>();
    try (Proc bare = Proc.bare()) {
      median.put("bare parse (ceiling)", http("bare Vert.x + Jackson parse (ceiling)", bare));
    }
    try (Proc mem = Proc.warroom("4g", Map.of())) {
      median.put("warroom in-memory", http("warroom, in-memory store", mem));
    }
    try (PgTestDb db = PgTestDb.create()) {
      try (Proc pg = Proc.warroom("4g", Map.of("WARROOM_PG_URL", db.url()))) {
        median.put("warroom PostgreSQL", http("warroom, PostgreSQL store", pg));
      }
    }
    try (PgTestDb db = PgTestDb.create()) {
      PgDirect.migrate(db.url());
      median.put("direct INSERT (ceiling)", direct(db.url()));
    }
    double[] bare = median.get("bare parse (ceiling)");
    double[] mem = median.get("warroom in-memory");
    double[] pg = median.get("warroom PostgreSQL");
    double[] direct = median.get("direct INSERT (ceiling)");
    Bench.result("");
    Bench.result("| ingest, records/s (median of " + RUNS + ") | 1 sender | 2 | 4 | 8 |");
    Bench.result("| --- | --- | --- | --- | --- |");
    for (Map.Entry<String, double[]> e : median.entrySet()) {
      StringBuilder row = new StringBuilder("| " + e.getKey() + " |");
      for (double v : e.getValue()) row.append(String.format(" %,.0f |", v));
      Bench.result(row.toString());
    }
    StringBuilder r1 = new StringBuilder("| in-memory / bare parse (goal >= 0.70) |");
    StringBuilder r2 = new StringBuilder("| PostgreSQL / direct INSERT (goal >= 0.60) |");
    for (int i = 0; i < SENDERS.length; i++) {
      r1.append(String.format(" %.2f |", mem[i] / bare[i]));
      r2.append(String.format(" %.2f |", pg[i] / direct[i]));
    }
    Bench.result(r1.toString());
    Bench.result(r2.toString());
    Bench.result("");
  }

  /** Medians per sender count over RUNS timed runs after a warm-up run, each of fresh records. */
  private static double[] http(String what, Proc server) throws Exception {
    java.net.URI uri = server.uri("/api/v1/events");
    double[] medians = new double[SENDERS.length];
    for (int i = 0; i < SENDERS.length; i++) {
      int senders = SENDERS[i];
      Bench.post(uri, bodies(WARMUP_BATCHES), senders);
      double[] runs = new double[RUNS];
      for (int r = 0; r < RUNS; r++) runs[r] = Bench.post(uri, bodies(BATCHES), senders);
      medians[i] = Bench.median(runs);
      System.out.printf("  %s, %d senders: %s records/s%n", what, senders,
          Bench.spread(runs, "%,.0f"));
    }
    return medians;
  }

  private static List<String> bodies(int batches) {
    List<String> out = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) out.add(Bench.ndjson(Bench.records(Bench.BATCH)));
    return out;
  }

  /** The same batches through PgSql's INSERT on a pool of one connection per sender. */
  private static double[] direct(String url) throws Exception {
    Vertx vertx = Vertx.vertx();
    double[] medians = new double[SENDERS.length];
    try {
      for (int i = 0; i < SENDERS.length; i++) {
        int senders = SENDERS[i];
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(senders))
            .connectingTo(PgStore.connectOptions(url)).using(vertx).build();
        try {
          insert(vertx, pool, batches(WARMUP_BATCHES), senders);
          double[] runs = new double[RUNS];
          for (int r = 0; r < RUNS; r++) runs[r] = insert(vertx, pool, batches(BATCHES), senders);
          medians[i] = Bench.median(runs);
          System.out.printf("  direct INSERT into PostgreSQL (PgSql.APPEND, no HTTP), %d senders:"
              + " %s records/s%n", senders, Bench.spread(runs, "%,.0f"));
        } finally {
          pool.close().toCompletionStage().toCompletableFuture().get();
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    return medians;
  }

  private static List<List<Rec>> batches(int n) {
    List<List<Rec>> out = new ArrayList<>(n);
    for (int b = 0; b < n; b++) out.add(Bench.records(Bench.BATCH));
    return out;
  }

  private static double insert(Vertx vertx, Pool pool, List<List<Rec>> batches, int senders)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    CompletableFuture<Void> done = new CompletableFuture<>();
    long t0 = System.nanoTime();
    vertx.runOnContext(v -> {
      List<Future<Void>> loops = new ArrayList<>();
      for (int s = 0; s < senders; s++) loops.add(loop(pool, batches, next));
      Future.all(loops).onComplete(ar -> {
        if (ar.succeeded()) done.complete(null);
        else done.completeExceptionally(ar.cause());
      });
    });
    done.get();
    double seconds = (System.nanoTime() - t0) / 1e9;
    return (double) batches.size() * Bench.BATCH / seconds;
  }

  private static Future<Void> loop(Pool pool, List<List<Rec>> batches, AtomicInteger next) {
    int i = next.getAndIncrement();
    if (i >= batches.size()) return Future.succeededFuture();
    return PgDirect.append(pool, batches.get(i)).compose(n -> {
      if (n != Bench.BATCH) return Future.failedFuture("inserted " + n + " of " + Bench.BATCH);
      return loop(pool, batches, next);
    });
  }
}
