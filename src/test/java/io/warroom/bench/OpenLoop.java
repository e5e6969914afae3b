package io.warroom.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * NDJSON batches posted open-loop: each at its planned time, one interval after the last, whether
 * or not earlier ones were answered, so a slow server cannot slow the sender (no coordinated
 * omission). Per batch (System.nanoTime): when it was planned, sent and answered, and how many
 * records had been answered by then, counted from {@code base}.
 */
final class OpenLoop {
  final long t0;
  final long interval;
  final long[] planned;
  final long[] sentAt;
  final long[] answered;
  final long[] covered;

  private OpenLoop(int n, long interval) {
    this.t0 = System.nanoTime() + 50_000_000L;
    this.interval = interval;
    this.planned = new long[n];
    this.sentAt = new long[n];
    this.answered = new long[n];
    this.covered = new long[n];
  }

  /** Sends every body (of {@code size} records) and waits for all answers; each must be 200. */
  static OpenLoop send(URI uri, List<String> bodies, int size, long interval, long base)
      throws Exception {
    int n = bodies.size();
    OpenLoop o = new OpenLoop(n, interval);
    AtomicLong done = new AtomicLong();
    AtomicInteger failed = new AtomicInteger();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<?>> calls = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int k = i;
      o.planned[k] = o.t0 + k * interval;
      long wait;
      while ((wait = o.planned[k] - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
      o.sentAt[k] = System.nanoTime();
      calls.add(http.sendAsync(HttpRequest.newBuilder(uri)
              .header("Content-Type", "application/x-ndjson")
              .POST(HttpRequest.BodyPublishers.ofString(bodies.get(k))).build(),
          HttpResponse.BodyHandlers.ofString())
          .whenComplete((r, e) -> {
            if (e != null || r.statusCode() != 200) {
              failed.incrementAndGet();
              return;
            }
            synchronized (o) {
              o.answered[k] = System.nanoTime();
              o.covered[k] = base + done.addAndGet(size);
            }
          }));
    }
    CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).exceptionally(e -> null).get();
    if (failed.get() > 0) throw new IllegalStateException(failed.get() + " batches failed");
    return o;
  }

  /** Records sent per second over the time the sending took (one interval per batch). */
  double achieved(int size) {
    int n = sentAt.length;
    return (double) n * size / ((sentAt[n - 1] - t0 + interval) / 1e9);
  }
}
