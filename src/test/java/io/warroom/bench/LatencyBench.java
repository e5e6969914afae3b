package io.warroom.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Section 2: ingest-to-screen latency. Batches (of 1,000; of 100 at 1,000 records/s) are sent open-loop at a fixed rate (each
 * at its planned time, whether or not earlier ones were answered, so a slow server cannot slow the
 * sender: no coordinated omission) while 1,000 stream clients listen. For each batch: from its
 * answer, and from its planned send time, to the first snapshot that contains it (the probe's first
 * snapshot after the answer whose ingest.accepted covers every batch answered by then). The
 * answer-to-screen values are also recorded with HdrHistogram's expected-interval correction
 * (recordValueWithExpectedInterval, the interval between planned sends).
 */
final class LatencyBench {
  static final int CLIENTS = 1_000;
  static final int[] RATES = {1_000, 10_000, 50_000};
  static final int SECONDS = 10;
  static final int RUNS = 3;

  private LatencyBench() {}

  static void run() throws Exception {
    try (Proc server = Proc.warroom("3g", Map.of());
        Listeners listeners = new Listeners(server.port)) {
      listeners.probe();
      listeners.grow(CLIENTS, false);
      System.out.printf("  %,d stream clients connected (push interval: the default, 250 ms)%n",
          listeners.open.size());
      URI uri = server.uri("/api/v1/events");
      measure(uri, listeners, 10_000, 5); // warm-up
      Bench.result("");
      Bench.result("| ingest-to-screen, " + CLIENTS + " clients, median of " + RUNS + " runs of "
          + SECONDS + " s (min-max) | sent records/s | answer to screen p50 / p99 / p99.9 ms |"
          + " answer to screen with expected-interval correction p50 / p99 / p99.9 ms |"
          + " planned send to screen p50 / p99 / p99.9 ms |");
      Bench.result("| --- | --- | --- | --- | --- |");
      for (int rate : RATES) {
        double[][] runs = new double[RUNS][];
        for (int r = 0; r < RUNS; r++) runs[r] = measure(uri, listeners, rate, SECONDS);
        Bench.result(String.format("| %,d records/s | %s | %s / %s / %s | %s / %s / %s | %s / %s / %s |",
            rate, col(runs, 0, "%,.0f"), col(runs, 1, "%.0f"), col(runs, 2, "%.0f"),
            col(runs, 3, "%.0f"), col(runs, 7, "%.0f"), col(runs, 8, "%.0f"), col(runs, 9, "%.0f"),
            col(runs, 4, "%.0f"), col(runs, 5, "%.0f"), col(runs, 6, "%.0f")));
      }
      Bench.result("Goal: p99 answer-to-screen at 10,000 records/s within 250 + 50 = 300 ms.");
      Bench.result("");
    }
  }

  private static String col(double[][] runs, int i, String format) {
    double[] v = new double[runs.length];
    for (int r = 0; r < runs.length; r++) v[r] = runs[r][i];
    double[] s = v.clone();
    Arrays.sort(s);
    return String.format(format + " (" + format + "-" + format + ")", Bench.median(v), s[0],
        s[s.length - 1]);
  }

  /**
   * One run; answers {achieved records/s, answer p50, p99, p99.9, planned p50, p99, p99.9, answer
   * with expected-interval correction p50, p99, p99.9}.
   */
  private static double[] measure(URI uri, Listeners listeners, int rate, int seconds)
      throws Exception {
    // Batches of 1,000; of 100 below 10,000 records/s, so that each run has 100 batches or more.
    int size = rate >= 10_000 ? Bench.BATCH : 100;
    int n = rate * seconds / size;
    List<String> bodies = new ArrayList<>(n);
    for (int i = 0; i < n; i++) bodies.add(Bench.ndjson(Bench.records(size)));
    long base = accepted(uri);
    long interval = 1_000_000_000L * size / rate;
    listeners.snaps.clear();
    OpenLoop sent = OpenLoop.send(uri, bodies, size, interval, base);
    Thread.sleep(1_500);
    long[] answered = sent.answered;
    long[] coveredBy = sent.covered;
    long[] planned = sent.planned;
    long[] sentAt = sent.sentAt;
    double achieved = sent.achieved(size);
    Histogram fromAnswer = new Histogram(60_000_000L, 3);
    Histogram fromPlan = new Histogram(60_000_000L, 3);
    // The same answer-to-screen values, recorded with HdrHistogram's correction for coordinated
    // omission: a value above the batch interval also stands for the batches that would have
    // waited behind it.
    Histogram corrected = new Histogram(60_000_000L, 3);
    List<Listeners.Snap> snaps = new ArrayList<>(listeners.snaps);
    int missing = 0;
    for (int k = 0; k < n; k++) {
      Listeners.Snap seen = null;
      for (Listeners.Snap s : snaps) {
        // A snapshot can reach the screen before the sender has read the answer: counted as 0.
        if (s.nanos() >= sentAt[k] && s.accepted() >= coveredBy[k]) {
          seen = s;
          break;
        }
      }
      if (seen == null) {
        missing++;
        continue;
      }
      long afterAnswer = Math.max(0, seen.nanos() - answered[k]) / 1000;
      fromAnswer.recordValue(afterAnswer);
      corrected.recordValueWithExpectedInterval(afterAnswer, interval / 1000);
      fromPlan.recordValue((seen.nanos() - planned[k]) / 1000);
    }
    if (missing > 0) throw new IllegalStateException(missing + " batches never seen on screen");
    double[] out = {achieved, ms(fromAnswer, 50), ms(fromAnswer, 99), ms(fromAnswer, 99.9),
        ms(fromPlan, 50), ms(fromPlan, 99), ms(fromPlan, 99.9), ms(corrected, 50),
        ms(corrected, 99), ms(corrected, 99.9)};
    System.out.printf("  %,d records/s planned, %,.0f achieved: answer->screen p50 %.0f p99 %.0f"
        + " p99.9 %.0f ms; corrected p50 %.0f p99 %.0f p99.9 %.0f ms; planned send->screen p50 %.0f"
        + " p99 %.0f p99.9 %.0f ms (%d batches of %,d)%n", rate, out[0], out[1], out[2], out[3],
        out[7], out[8], out[9], out[4], out[5], out[6], n, size);
    return out;
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static long accepted(URI events) throws Exception {
    URI kpis = events.resolve("/api/v1/kpis");
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(kpis).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    int ingest = body.indexOf("\"ingest\"");
    int at = body.indexOf("\"accepted\":", ingest) + "\"accepted\":".length();
    int stop = at;
    while (Character.isDigit(body.charAt(stop))) stop++;
    return Long.parseLong(body.substring(at, stop));
  }
}
