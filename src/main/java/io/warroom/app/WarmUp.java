package io.warroom.app;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Runs the server's HTTP path a few thousand times at start, over loopback, before screens and
 * feeds come: the first burst of thousands of stream clients met code not yet compiled and held the
 * event loop 1.5 to 3 s (a health check waited as long), against 0.2 to 0.5 s once compiled. Each
 * stream reads its first event and goes; /health and /api/v1/kpis are asked too. Nothing is
 * ingested. Its requests carry a key of this start: the port is the server's only while it warms,
 * and a client that reached it by chance (a port it was told was free) is answered 503.
 */
public final class WarmUp {
  /** The header that carries the key. */
  static final String HEADER = "X-Warroom-Warm-Up";
  /** Time one connection may take before it is given up. */
  private static final long CONNECTION_MS = 5_000;

  private WarmUp() {}

  /** A new key for one warm-up. */
  public static String key() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The warm-up port's handler: a request with {@code key} goes to {@code routes}, others get 503. */
  public static Handler<HttpServerRequest> gate(String key, Handler<HttpServerRequest> routes) {
    return req -> {
      if (key.equals(req.getHeader(HEADER))) {
        routes.handle(req);
      } else {
        req.response().setStatusCode(503).putHeader("Retry-After", "1")
            .putHeader("Connection", "close").putHeader("Content-Type", "application/json")
            .end("{\"error\":\"starting: this port is the server's warm-up, not its own\"}");
      }
    };
  }

  /**
   * {@code streams} stream clients and as many other requests, {@code batch} at a time, to the
   * server at {@code host}:{@code port} with {@code key} (see {@link #gate}); {@code token} (null:
   * none) goes as a bearer token. Completes with what was done, whatever the answers.
   */
  public static Future<String> run(Vertx vertx, String host, int port, String key, String token,
      int streams, int batch) {
    NetClient net = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) CONNECTION_MS));
    String auth = HEADER + ": " + key + "\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n");
    long start = System.nanoTime();
    Future<Void> done = Future.succeededFuture();
    // a server that takes few streams at once is warmed a little less, not for longer
    int rounds = Math.min(40, Math.max(1, streams / batch));
    for (int r = 0; r < rounds; r++) {
      // every other round asks for gzip, as browsers do
      String stream = "GET /api/v1/stream HTTP/1.1\r\nHost: warm-up\r\n" + auth
          + (r % 2 == 0 ? "Accept-Encoding: gzip\r\n" : "") + "\r\n";
      String get = "GET " + (r % 4 == 3 ? "/api/v1/kpis" : "/health") + " HTTP/1.1\r\nHost: warm-up\r\n"
          + auth + "Connection: close\r\n\r\n";
      done = done.compose(v -> round(vertx, net, host, port, stream, 600, batch))
          .compose(v -> round(vertx, net, host, port, get, Integer.MAX_VALUE, batch));
    }
    return done.eventually(() -> net.close()).map(v -> rounds * batch + " streams and as many "
        + "requests in " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  /**
   * {@code n} connections at once, each sending {@code request} and closed once {@code enough}
   * bytes came back or the server closed it.
   */
  private static Future<Void> round(Vertx vertx, NetClient net, String host, int port,
      String request, int enough, int n) {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Promise<Void> p = Promise.promise();
      all.add(p.future());
      net.connect(port, host).onFailure(e -> p.tryComplete()).onSuccess(s -> {
        long timer = vertx.setTimer(CONNECTION_MS, id -> s.close());
        int[] got = {0};
        s.closeHandler(v -> {
          vertx.cancelTimer(timer);
          p.tryComplete();
        });
        s.handler(b -> {
          got[0] += b.length();
          if (got[0] >= enough) s.close();
        });
        s.write(request);
      });
    }
    return Future.join(all).mapEmpty();
  }
}
