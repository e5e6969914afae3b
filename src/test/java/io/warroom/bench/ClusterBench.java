package io.warroom.bench;

import io.warroom.store.PgTestDb;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Section "cluster" (issue 8): two warroom processes on one PostgreSQL. Orders are sent open-loop
 * at a fixed rate to node A while a stream client listens on A and another on B; for each batch,
 * the time from its answer to the first snapshot on each node that contains it (campaign orders
 * covering every batch answered by then). B learns of the batch through PostgreSQL: NOTIFY wakes
 * it, it reads the rows A kept.
 */
final class ClusterBench {
  static final int[] RATES = {1_000, 10_000};
  static final int SECONDS = 10;
  static final int RUNS = 3;
  private static final AtomicLong IDS = new AtomicLong();

  private ClusterBench() {}

  static void run() throws Exception {
    try (PgTestDb db = PgTestDb.create();
        Proc a = Proc.warroom("2g", Map.of("WARROOM_PG_URL", db.url()));
        Proc b = Proc.warroom("2g", Map.of("WARROOM_PG_URL", db.url()));
        Probe onA = new Probe(a.port);
        Probe onB = new Probe(b.port)) {
      URI uri = a.uri("/api/v1/orders");
      measure(uri, onA, onB, 1_000, 5); // warm-up
      Bench.result("");
      Bench.result("| two nodes, orders sent to A, median of " + RUNS + " runs of " + SECONDS
          + " s (min-max) | answer on A to screen on A p50 / p99 / max ms |"
          + " answer on A to screen on B p50 / p99 / max ms |");
      Bench.result("| --- | --- | --- |");
      for (int rate : RATES) {
        double[][] runs = new double[RUNS][];
        for (int r = 0; r < RUNS; r++) runs[r] = measure(uri, onA, onB, rate, SECONDS);
        Bench.result(String.format("| %,d records/s | %s / %s / %s | %s / %s / %s |", rate,
            col(runs, 0), col(runs, 1), col(runs, 2), col(runs, 3), col(runs, 4), col(runs, 5)));
      }
      Bench.result("Goal: every node shows a batch within a second of its answer.");
      Bench.result("");
    }
  }

  private static String col(double[][] runs, int i) {
    double[] v = new double[runs.length];
    for (int r = 0; r < runs.length; r++) v[r] = runs[r][i];
    double[] s = v.clone();
    Arrays.sort(s);
    return String.format("%.0f (%.0f-%.0f)", Bench.median(v), s[0], s[s.length - 1]);
  }

  /** One run: {A p50, p99, max, B p50, p99, max} in ms. */
  private static double[] measure(URI uri, Probe onA, Probe onB, int rate, int seconds)
      throws Exception {
    int size = rate >= 10_000 ? 1_000 : 100;
    int n = rate * seconds / size;
    List<String> bodies = new ArrayList<>(n);
    for (int i = 0; i < n; i++) bodies.add(orders(size));
    long base = Math.max(onA.latest(), onB.latest());
    OpenLoop sent = OpenLoop.send(uri, bodies, size, 1_000_000_000L * size / rate, base);
    // Both screens show every batch before the figures are read (a long pause shows as the max).
    long total = base + (long) n * size;
    long deadline = System.nanoTime() + 30_000_000_000L;
    while ((onA.latest() < total || onB.latest() < total) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    long[] answered = sent.answered;
    long[] covered = sent.covered;
    Histogram[] h = {onA.latencies(sent.sentAt, answered, covered),
        onB.latencies(sent.sentAt, answered, covered)};
    double[] out = new double[6];
    for (int p = 0; p < 2; p++) {
      out[3 * p] = h[p].getValueAtPercentile(50) / 1000.0;
      out[3 * p + 1] = h[p].getValueAtPercentile(99) / 1000.0;
      out[3 * p + 2] = h[p].getMaxValue() / 1000.0;
    }
    System.out.printf("  %,d records/s, %d batches of %,d: on A p50 %.0f p99 %.0f max %.0f ms;"
        + " on B p50 %.0f p99 %.0f max %.0f ms%n", rate, n, size, out[0], out[1], out[2], out[3],
        out[4], out[5]);
    return out;
  }

  private static String orders(int n) {
    StringBuilder b = new StringBuilder();
    String ts = Instant.now().toString();
    for (int i = 0; i < n; i++) {
      long id = IDS.incrementAndGet();
      b.append("{\"id\":\"cb-").append(id).append("\",\"ts\":\"").append(ts)
          .append("\",\"customerId\":\"c-").append(id % 100_000)
          .append("\",\"amount\":12.34,\"channel\":\"tmall\"}\n");
    }
    return b.toString();
  }

  /** A stream client that notes when each snapshot arrived and its campaign orders. */
  static final class Probe implements AutoCloseable {
    record Snap(long nanos, long orders) {}

    final List<Snap> snaps = new CopyOnWriteArrayList<>();
    private final HttpResponse<InputStream> response;
    private final int port;

    Probe(int port) throws Exception {
      this.port = port;
      response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/stream")).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      Thread t = new Thread(this::read, "probe-" + port);
      t.setDaemon(true);
      t.start();
    }

    private void read() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (!line.startsWith("data: ") || !line.contains("\"windows\"")) continue;
          long now = System.nanoTime();
          int campaign = line.indexOf("\"campaign\":{");
          int at = line.indexOf("\"orders\":", campaign) + "\"orders\":".length();
          int stop = at;
          while (Character.isDigit(line.charAt(stop))) stop++;
          snaps.add(new Snap(now, Long.parseLong(line.substring(at, stop))));
        }
      } catch (IOException e) {
        // closed
      }
    }

    long latest() {
      return snaps.isEmpty() ? 0 : snaps.get(snaps.size() - 1).orders();
    }

    /** Per batch: from its answer to the first snapshot here that covers it, in microseconds. */
    Histogram latencies(long[] sentAt, long[] answered, long[] covered) {
      Histogram h = new Histogram(60_000_000L, 3);
      List<Snap> seen = new ArrayList<>(snaps);
      for (int k = 0; k < answered.length; k++) {
        Snap hit = null;
        for (Snap s : seen) {
          // A snapshot can reach a screen before the sender has read the answer: counted as 0.
          if (s.nanos() >= sentAt[k] && s.orders() >= covered[k]) {
            hit = s;
            break;
          }
        }
        if (hit == null) {
          throw new IllegalStateException("batch " + k + " never seen on the screen of port " + port
              + ": it needs " + covered[k] + " orders, the last snapshot had " + latest());
        }
        h.recordValue(Math.max(0, hit.nanos() - answered[k]) / 1000);
      }
      return h;
    }

    @Override
    public void close() throws Exception {
      response.body().close();
    }
  }
}
