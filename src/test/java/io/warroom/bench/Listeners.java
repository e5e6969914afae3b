package io.warroom.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stream clients of the benchmark in this JVM: plain listeners that only count the bytes they
 * read, and one probe that parses its events and notes when each snapshot arrived.
 */
final class Listeners implements AutoCloseable {
  /** One snapshot the probe received: arrival (System.nanoTime), ingest.accepted, frame bytes. */
  record Snap(long nanos, long accepted, int bytes) {}

  final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final HttpClientAgent client;
  private final int port;
  final AtomicLong bytes = new AtomicLong();
  final List<HttpClientResponse> open = new ArrayList<>();
  final List<Snap> snaps = new CopyOnWriteArrayList<>();

  Listeners(int port) {
    this.port = port;
    this.client = vertx.createHttpClient(new HttpClientOptions().setIdleTimeout(0),
        new PoolOptions().setHttp1MaxSize(100_000).setMaxWaitQueueSize(-1));
  }

  /**
   * Opens more plain listeners, 200 at a time, until there are n in all (probe included); with
   * {@code gzip} they ask for it as browsers do and count the compressed bytes.
   */
  void grow(int n, boolean gzip) throws Exception {
    RequestOptions options = options();
    if (gzip) options.putHeader("Accept-Encoding", "gzip, deflate, br");
    while (open.size() < n) {
      int k = Math.min(200, n - open.size());
      List<Future<HttpClientResponse>> batch = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        batch.add(client.request(options).compose(req -> req.send().map(resp -> {
          resp.handler(buf -> bytes.addAndGet(buf.length()));
          return resp;
        })));
      }
      for (Future<HttpClientResponse> f : batch) open.add(await(f));
    }
  }

  /** Opens the probe: a listener that parses its stream. */
  void probe() throws Exception {
    StringBuilder pending = new StringBuilder();
    open.add(await(client.request(options()).compose(req -> req.send().map(resp -> {
      resp.handler(buf -> {
        long now = System.nanoTime();
        pending.append(buf.toString(StandardCharsets.UTF_8));
        int end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
          String frame = pending.substring(0, end + 2);
          pending.delete(0, end + 2);
          if (frame.contains("\nevent: snapshot\n")) {
            int ingest = frame.indexOf("\"ingest\"");
            int at = frame.indexOf("\"accepted\":", ingest) + "\"accepted\":".length();
            int stop = at;
            while (Character.isDigit(frame.charAt(stop))) stop++;
            snaps.add(new Snap(now, Long.parseLong(frame.substring(at, stop)),
                frame.getBytes(StandardCharsets.UTF_8).length));
          }
        }
      });
      return resp;
    }))));
  }

  private RequestOptions options() {
    return new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI("/api/v1/stream");
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }
}
