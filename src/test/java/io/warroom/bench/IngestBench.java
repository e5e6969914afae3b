package io.warroom.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.warroom.ingest.Rec;
import io.warroom.store.PgDirect;
import io.warroom.store.PgStore;
import io.warroom.store.PgTestDb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
  /** Before the first measured run, so the JIT has compiled each server's path (4 senders). */
  static final int FIRST_WARMUP_BATCHES = 400;

  private IngestBench() {}

  /** One thing that takes the batches: warroom or a ceiling. Answers records/s. */
  private interface Runner {
    double run(List<List<Rec>> batches, List<String> bodies, int senders) throws Exception;
  }

  /** A runner and the server process it loads (null for the direct INSERT), for CPU accounting. */
  private record Target(Proc server, Runner runner) {
    double run(List<List<Rec>> batches, List<String> bodies, int senders, Map<String, Long> cpu)
        throws Exception {
      Map<String, Long> before = server == null ? Map.of() : server.cpuByGroup();
      double rate = runner.run(batches, bodies, senders);
      if (server != null) {
        server.cpuByGroup().forEach((g, ns) -> cpu.merge(g, ns - before.getOrDefault(g, 0L), Long::sum));
      }
      return rate;
    }
  }

  static void run() throws Exception {
    // All four side by side, and their runs interleaved, so that a busy moment on a shared
    // machine hits them alike; every run gives each the same fresh records.
    Vertx vertx = Vertx.vertx();
    // Heaps touched at start: on this VM the first touch of each heap page is slow enough to halve
    // a run's rate while warroom's heap grows into new memory; a one-time cost, kept out.
    String touch = "-XX:+AlwaysPreTouch";
    try (PgTestDb pgDb = PgTestDb.create(); PgTestDb directDb = PgTestDb.create();
        Proc bare = Proc.bare(touch); Proc mem = Proc.warroom("4g", Map.of(), touch);
        Proc pg = Proc.warroom("4g", Map.of("WARROOM_PG_URL", pgDb.url()), touch)) {
      PgDirect.migrate(directDb.url());
      Map<String, Target> targets = new LinkedHashMap<>();
      targets.put("bare parse (ceiling)", new Target(bare,
          (b, bodies, n) -> Bench.post(bare.uri("/api/v1/events"), bodies, n)));
      targets.put("warroom in-memory", new Target(mem,
          (b, bodies, n) -> Bench.post(mem.uri("/api/v1/events"), bodies, n)));
      targets.put("warroom PostgreSQL", new Target(pg,
          (b, bodies, n) -> Bench.post(pg.uri("/api/v1/events"), bodies, n)));
      targets.put("direct INSERT (ceiling)", new Target(null,
          (b, bodies, n) -> direct(vertx, directDb.url(), b, n)));
      Map<String, double[]> median = new LinkedHashMap<>();
      for (String t : targets.keySet()) median.put(t, new double[SENDERS.length]);
      List<List<Rec>> first = batches(FIRST_WARMUP_BATCHES);
      List<String> firstBodies = bodies(first);
      for (Target t : targets.values()) t.run(first, firstBodies, 4, new HashMap<>());
      // Server CPU (all measured runs, all sender counts) by thread group, per target.
      Map<String, Map<String, Long>> cpu = new LinkedHashMap<>();
      Map<String, Long> measured = new HashMap<>();
      for (String t : targets.keySet()) cpu.put(t, new TreeMap<>());
      for (int i = 0; i < SENDERS.length; i++) {
        int senders = SENDERS[i];
        List<List<Rec>> warm = batches(WARMUP_BATCHES);
        List<String> warmBodies = bodies(warm);
        for (Target t : targets.values()) t.run(warm, warmBodies, senders, new HashMap<>());
        Map<String, double[]> runs = new LinkedHashMap<>();
        for (String t : targets.keySet()) runs.put(t, new double[RUNS]);
        for (int r = 0; r < RUNS; r++) {
          List<List<Rec>> b = batches(BATCHES);
          List<String> bodies = bodies(b);
          for (Map.Entry<String, Target> t : targets.entrySet()) {
            runs.get(t.getKey())[r] = t.getValue().run(b, bodies, senders, cpu.get(t.getKey()));
            measured.merge(t.getKey(), (long) BATCHES * Bench.BATCH, Long::sum);
          }
        }
        for (String t : targets.keySet()) {
          median.get(t)[i] = Bench.median(runs.get(t));
          System.out.printf("  %s, %d senders: %s records/s%n", t, senders,
              Bench.spread(runs.get(t), "%,.0f"));
        }
      }
      print(median);
      printCpu(cpu, measured);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static void print(Map<String, double[]> median) {
    double[] bare = median.get("bare parse (ceiling)");
    double[] mem = median.get("warroom in-memory");
    double[] pg = median.get("warroom PostgreSQL");
    double[] direct = median.get("direct INSERT (ceiling)");
    Bench.result("");
    Bench.result("| ingest, records/s (median of " + RUNS + " runs of " + BATCHES + " batches) |"
        + " 1 sender | 2 | 4 | 8 |");
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

  /** Server CPU per 1,000 records by thread group over all measured runs (/proc schedstat). */
  private static void printCpu(Map<String, Map<String, Long>> cpu, Map<String, Long> records) {
    Set<String> groups = new TreeSet<>();
    cpu.values().forEach(m -> groups.addAll(m.keySet()));
    if (groups.isEmpty()) return;
    StringBuilder head = new StringBuilder("| server CPU, ms per 1,000 records (all measured runs) |");
    StringBuilder line = new StringBuilder("| --- |");
    for (String g : groups) {
      head.append(' ').append(g).append(" |");
      line.append(" --- |");
    }
    Bench.result(head + " total |");
    Bench.result(line + " --- |");
    cpu.forEach((target, byGroup) -> {
      if (byGroup.isEmpty()) return;
      double k = records.get(target) / 1000.0;
      StringBuilder row = new StringBuilder("| " + target + " |");
      double total = 0;
      for (String g : groups) {
        double ms = byGroup.getOrDefault(g, 0L) / 1e6 / k;
        total += ms;
        row.append(String.format(" %.2f |", ms));
      }
      Bench.result(row + String.format(" %.2f |", total));
    });
    Bench.result("");
  }

  private static List<String> bodies(List<List<Rec>> batches) {
    List<String> out = new ArrayList<>(batches.size());
    for (List<Rec> b : batches) out.add(Bench.ndjson(b));
    return out;
  }

  /** The same batches through PgSql's INSERT on a pool of one connection per sender. */
  private static double direct(Vertx vertx, String url, List<List<Rec>> batches, int senders)
      throws Exception {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(senders))
        .connectingTo(PgStore.connectOptions(url)).using(vertx).build();
    try {
      // Open the connections before the clock starts, as a server's pool would have them.
      List<Future<?>> opened = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        opened.add(pool.getConnection().compose(c -> c.close()));
      }
      Future.all(opened).toCompletionStage().toCompletableFuture().get();
      return insert(vertx, pool, batches, senders);
    } finally {
      pool.close().toCompletionStage().toCompletableFuture().get();
    }
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
