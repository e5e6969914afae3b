package io.warroom.bench;

import io.warroom.RandomRecords;
import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark (issue 7), not a test: warroom started as its own process, measured beside this
 * machine's ceilings in the same run. Sections: ingest, latency, fanout, stream, memory, cost, cluster
 * (all by default). One command: {@code bench/run.sh [section ...]}.
 */
public final class Bench {
  static final int BATCH = 1_000;
  static final Plan PLAN = SeedPlan.forCurrentMonth(Clock.systemUTC());
  private static final AtomicLong SEEDS = new AtomicLong(1_000_000);
  static final List<String> RESULTS = new ArrayList<>();

  private Bench() {}

  public static void main(String[] args) throws Exception {
    Set<String> sections = new LinkedHashSet<>(args.length == 0
        ? List.of("ingest", "latency", "fanout", "stream", "cost", "memory", "cluster") : Arrays.asList(args));
    System.out.printf("warroom benchmark, %s; bench JVM %s, %d processors; sections %s%n",
        OffsetDateTime.now(ZoneOffset.UTC), System.getProperty("java.vm.version"),
        Runtime.getRuntime().availableProcessors(), sections);
    for (String s : sections) {
      System.out.println();
      System.out.println("== " + s);
      switch (s) {
        case "ingest" -> IngestBench.run();
        case "latency" -> LatencyBench.run();
        case "fanout" -> FanoutBench.run();
        case "stream" -> StreamBytesBench.run();
        case "memory" -> MemoryBench.run();
        case "cost" -> CostBench.run();
        case "cluster" -> ClusterBench.run();
        default -> throw new IllegalArgumentException("no section " + s);
      }
    }
    System.out.println();
    System.out.println("== summary");
    for (String r : RESULTS) System.out.println(r);
  }

  /** A table row for the summary, printed at once too. */
  static void result(String line) {
    RESULTS.add(line);
    System.out.println(line);
  }

  /**
   * Records of every type from a fresh seed. Order customers are drawn from a million, so that the
   * per-customer counts grow as they would in a real campaign.
   */
  static List<Rec> records(int n) {
    return records(n, 1_000_000);
  }

  /** Records of every type from a fresh seed, order customers drawn from {@code customers}. */
  static List<Rec> records(int n, int customers) {
    long seed = SEEDS.incrementAndGet();
    RandomRecords gen = new RandomRecords(seed, PLAN, System.currentTimeMillis());
    Random rnd = new Random(seed);
    List<Rec> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Rec r = gen.next();
      if (r.type == RecordType.ORDER) {
        r = Rec.order(r.id, r.ts, "c-" + rnd.nextInt(customers), r.amountCents, r.channel,
            r.newCustomer, r.adChannel, r.costCents, r.discountCents);
      }
      out.add(r);
    }
    return out;
  }

  static String ndjson(List<Rec> records) {
    return RandomRecords.ndjson(records, PLAN);
  }

  /** The heap in use after a few full collections, in bytes. */
  static long heap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Median, min and max of runs, as "median (min-max)". */
  static String spread(double[] runs, String format) {
    double[] s = runs.clone();
    Arrays.sort(s);
    return String.format(format + " (" + format + "-" + format + ", %d runs)", median(s), s[0],
        s[s.length - 1], s.length);
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /**
   * Posts the bodies with the given number of sender threads, each waiting for its answer before
   * sending the next; answers records per second.
   */
  static double post(URI uri, List<String> bodies, int senders) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int t = 0; t < senders; t++) {
      Thread th = new Thread(() -> {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i; (i = next.getAndIncrement()) < bodies.size(); ) {
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().contains("\"accepted\":" + BATCH)) {
              throw new IllegalStateException(r.statusCode() + " " + r.body());
            }
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
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (!errors.isEmpty()) throw new IllegalStateException("ingest failed", errors.get(0));
    return (double) bodies.size() * BATCH / seconds;
  }

  static String mib(long bytes) {
    return String.format("%,.0f MiB", bytes / 1048576.0);
  }
}
