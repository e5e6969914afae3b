package io.warroom.bench;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Section "stream": what one screen costs on the wire on a busy day. The server plays the demo
 * (every optional field, experiments, a fast clock) and a trickle adds 3 orders every 100 ms with
 * a sku, category, region, segment, tag and variant, so every section changes before every push:
 * the worst case for the section events. Two clients read the stream for {@link #WINDOW_S} s, one
 * plain and one asking for gzip as browsers do; bytes a second each, and events a second and bytes
 * per event by name from the plain one.
 */
final class StreamBytesBench {
  static final int WINDOW_S = 20;

  private StreamBytesBench() {}

  /** Bytes read and, by event name, how many events and their bytes. */
  private static final class Reader extends Thread {
    final AtomicLong wire = new AtomicLong();
    final Map<String, long[]> events = new TreeMap<>();
    final InputStream body;
    final boolean gzip;

    Reader(InputStream body, boolean gzip) {
      this.body = body;
      this.gzip = gzip;
      setDaemon(true);
    }

    @Override
    public void run() {
      InputStream counted = new FilterInputStream(body) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) wire.addAndGet(n);
          return n;
        }
      };
      try {
        InputStream in = gzip ? new GZIPInputStream(counted, 512) : counted;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String name = null;
        long bytes = 0;
        for (String line; (line = r.readLine()) != null; ) {
          bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
          if (line.startsWith("event: ")) name = line.substring(7);
          if (line.isEmpty()) {
            if (name != null) {
              synchronized (events) {
                long[] c = events.computeIfAbsent(name, k -> new long[2]);
                c[0]++;
                c[1] += bytes;
              }
            }
            name = null;
            bytes = 0;
          }
        }
      } catch (IOException e) {
        // closed
      }
    }
  }

  static void run() throws Exception {
    try (Proc server = Proc.warroom("2g", Map.of("WARROOM_DEMO", "true"))) {
      Thread.sleep(5_000);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String asOf = new JsonObject(http.send(HttpRequest.newBuilder(
          server.uri("/api/v1/kpis")).build(), HttpResponse.BodyHandlers.ofString()).body())
          .getString("asOf");
      AtomicBoolean stop = new AtomicBoolean();
      Thread trickle = new Thread(() -> {
        int n = 0;
        while (!stop.get()) {
          StringBuilder b = new StringBuilder();
          for (int i = 0; i < 3; i++, n++) {
            b.append("{\"type\":\"order\",\"id\":\"bench-").append(n).append("\",\"ts\":\"")
                .append(asOf).append("\",\"customerId\":\"bench-c-").append(n % 500)
                .append("\",\"amount\":").append(100 + n % 400).append(",\"channel\":\"tmall\"")
                .append(",\"sku\":\"bench-sku-").append(n % 30).append("\",\"productCategory\":\"cat-")
                .append(n % 6).append("\",\"region\":\"region-").append(n % 12)
                .append("\",\"segment\":\"seg-").append(n % 4).append("\",\"tags\":[\"tag-")
                .append(n % 5).append("\"],\"experiment\":\"checkout-v2\",\"variant\":\"")
                .append(n % 2 == 0 ? "A" : "B").append("\"}\n");
          }
          try {
            http.send(HttpRequest.newBuilder(server.uri("/api/v1/events"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(),
                HttpResponse.BodyHandlers.discarding());
            Thread.sleep(100);
          } catch (Exception e) {
            if (!stop.get()) System.out.println("  trickle: " + e);
          }
        }
      });
      trickle.start();
      Reader plain = open(http, server, false);
      Reader gzip = open(http, server, true);
      Thread.sleep(2_000);
      long p0 = plain.wire.get();
      long g0 = gzip.wire.get();
      Map<String, long[]> e0 = copy(plain.events);
      Thread.sleep(WINDOW_S * 1000L);
      long p1 = plain.wire.get();
      long g1 = gzip.wire.get();
      Map<String, long[]> e1 = copy(plain.events);
      stop.set(true);
      trickle.join();
      Bench.result("");
      Bench.result("| event | events/s | bytes each (plain) | plain bytes/s |");
      Bench.result("| --- | --- | --- | --- |");
      for (Map.Entry<String, long[]> e : e1.entrySet()) {
        long[] before = e0.getOrDefault(e.getKey(), new long[2]);
        long n = e.getValue()[0] - before[0];
        long b = e.getValue()[1] - before[1];
        Bench.result(String.format("| %s | %.2f | %,.0f | %,.0f |", e.getKey(), (double) n / WINDOW_S,
            n == 0 ? 0.0 : (double) b / n, (double) b / WINDOW_S));
      }
      Bench.result(String.format("| one client, plain | | | %,.0f |", (double) (p1 - p0) / WINDOW_S));
      Bench.result(String.format("| one client, gzip (Accept-Encoding: gzip, as browsers) | | | %,.0f |",
          (double) (g1 - g0) / WINDOW_S));
      Bench.result("");
    }
  }

  private static Reader open(HttpClient http, Proc server, boolean gzip) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/api/v1/stream"));
    if (gzip) b.header("Accept-Encoding", "gzip");
    HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    String enc = r.headers().firstValue("Content-Encoding").orElse("identity");
    if (gzip != enc.equals("gzip")) throw new IllegalStateException("Content-Encoding " + enc);
    Reader reader = new Reader(r.body(), gzip);
    reader.start();
    return reader;
  }

  private static Map<String, long[]> copy(Map<String, long[]> m) {
    synchronized (m) {
      Map<String, long[]> c = new TreeMap<>();
      for (Map.Entry<String, long[]> e : m.entrySet()) c.put(e.getKey(), e.getValue().clone());
      return c;
    }
  }
}
