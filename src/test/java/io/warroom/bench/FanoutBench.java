package io.warroom.bench;

import io.warroom.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Section 3: fan-out. Stream clients are added in steps while a trickle of 10 new records every
 * 100 ms changes the KPIs before every push. At each step, over a 10 s window: pushes are the
 * snapshots one parsing client (the probe) received; the server's counters give the events written
 * (warroom_stream_events_sent_total, against clients x pushes) and the snapshots skipped for slow
 * clients (warroom_stream_snapshots_skipped_total). Heap per client: heap after full GC with N clients minus with none,
 * over N, read from the server process with jcmd.
 */
final class FanoutBench {
  static final int WINDOW_S = 10;
  /** The listeners ask for gzip as browsers do; BENCH_FANOUT_PLAIN=1 for the plain stream. */
  static final boolean GZIP = !"1".equals(System.getenv("BENCH_FANOUT_PLAIN"));

  private FanoutBench() {}

  static void run() throws Exception {
    long fdLimit = fdLimit();
    // Each client costs one descriptor here and one in the server; keep room for jars and pipes.
    // The server caps its stream clients below what its own descriptors hold (the same limit).
    int max = (int) Math.min(Config.from(Map.of(), new String[0], fdLimit).limits()
        .maxStreamClients(), fdLimit - 400);
    int[] steps = {1_000, 5_000, 10_000, 15_000, max};
    System.out.printf("  open files limit %,d per process: at most %,d clients; listeners %s%n",
        fdLimit, max, GZIP ? "ask for gzip, as browsers do" : "read the plain stream");
    AtomicBoolean stop = new AtomicBoolean();
    try (Proc server = Proc.warroom("3g", Map.of()); Listeners listeners = new Listeners(server.port)) {
      listeners.probe();
      Thread trickle = new Thread(() -> trickle(server.uri("/api/v1/events"), stop));
      trickle.start();
      try {
        Thread.sleep(2_000);
        long heap0 = server.heapAfterGc();
        long t0 = System.nanoTime();
        System.out.printf("  heap after GC with 0 clients: %s%n", Bench.mib(heap0));
        List<Object[]> rows = new ArrayList<>();
        int kept = 0;
        for (int n : steps) {
          if (n > max || n <= listeners.open.size()) continue;
          try {
            listeners.grow(n, GZIP);
          } catch (Exception e) {
            Bench.result("| " + n + " | could not connect: " + e + " | | | | | |");
            break;
          }
          Thread.sleep(3_000);
          Map<String, Double> m0 = metrics(server);
          long b0 = listeners.bytes.get();
          int p0 = listeners.snaps.size();
          Thread.sleep(WINDOW_S * 1000L);
          double pushes = listeners.snaps.size() - p0;
          Map<String, Double> m1 = metrics(server);
          long b1 = listeners.bytes.get();
          double sent = m1.get("sent") - m0.get("sent");
          double skipped = m1.get("skipped") - m0.get("skipped");
          double clients = m1.get("clients");
          double ratio = sent / (clients * pushes);
          long heap = server.heapAfterGc();
          String line = String.format("| %,d (server counts %,.0f) | %.1f | %.3f | %,.0f | %.1f | %s |",
              n, clients, pushes / WINDOW_S, ratio, skipped, (b1 - b0) / 1e6 / WINDOW_S,
              Bench.mib(heap));
          System.out.println("  " + line);
          rows.add(new Object[] {line, n, heap, System.nanoTime()});
          if (clients == n && skipped == 0 && ratio >= 0.99 && pushes / WINDOW_S >= 3.6) kept = n;
        }
        // The trickle's records grow the heap too: measure that growth with the clients gone and
        // take it out of each step in proportion to the time elapsed.
        listeners.close();
        Thread.sleep(3_000);
        long heapEnd = server.heapAfterGc();
        double growthPerNano = (double) (heapEnd - heap0) / (System.nanoTime() - t0);
        System.out.printf("  heap after GC with 0 clients again: %s%n", Bench.mib(heapEnd));
        Bench.result("");
        Bench.result("| stream clients | pushes/s | events written / (clients x pushes) | snapshots"
            + " skipped | client MB/s read | heap after GC | heap per client |");
        Bench.result("| --- | --- | --- | --- | --- | --- | --- |");
        for (Object[] r : rows) {
          long base = heap0 + (long) (growthPerNano * ((Long) r[3] - t0));
          Bench.result(String.format("%s %,.0f B |", r[0], (double) ((Long) r[2] - base) / (Integer) r[1]));
        }
        Bench.result(String.format("Most clients kept with every client receiving every snapshot"
            + " at the default 250 ms push (>= 3.6 pushes/s, none skipped): %,d (the largest"
            + " step that passed; bound on clients: %,d open files per process). Goal: >= 20,000 under 10 KB each.",
            kept, fdLimit));
        Bench.result("");
      } finally {
        stop.set(true);
        trickle.join();
      }
    }
  }

  private static void trickle(URI uri, AtomicBoolean stop) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    while (!stop.get()) {
      try {
        http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(Bench.ndjson(Bench.records(10)))).build(),
            HttpResponse.BodyHandlers.discarding());
        Thread.sleep(100);
      } catch (Exception e) {
        if (!stop.get()) System.out.println("  trickle: " + e);
      }
    }
  }

  static Map<String, Double> metrics(Proc server) throws Exception {
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    return Map.of("sent", metric(text, "warroom_stream_events_sent_total"),
        "skipped", metric(text, "warroom_stream_snapshots_skipped_total"),
        "clients", metric(text, "warroom_stream_clients"));
  }

  private static double metric(String text, String name) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    if (!found) throw new IllegalStateException("no metric " + name);
    return sum;
  }

  private static long fdLimit() {
    try {
      Process p = new ProcessBuilder("sh", "-c", "ulimit -n").start();
      return Long.parseLong(new String(p.getInputStream().readAllBytes()).trim());
    } catch (Exception e) {
      return 1024;
    }
  }
}
