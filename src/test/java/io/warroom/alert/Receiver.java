package io.warroom.alert;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.warroom.TestApp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real HTTP server standing in for a webhook target: it answers 503 to its first
 * {@code failFirst} requests and while {@link #failing} is set, then 200, and keeps what it accepted.
 */
final class Receiver implements AutoCloseable {
  final Vertx vertx;
  /** Told of each body accepted, on the receiver's event loop. */
  volatile Consumer<JsonObject> onAccepted = body -> { };
  final List<JsonObject> accepted = Collections.synchronizedList(new ArrayList<>());
  final List<String> keys = Collections.synchronizedList(new ArrayList<>());
  /** The path and query each accepted body was posted to. */
  final List<String> uris = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger requests = new AtomicInteger();
  volatile boolean failing;
  /** Answers this status (a 4xx) to bodies whose "id" is this, when set. */
  volatile String refuseId;
  final int port;
  private final int failFirst;
  private final HttpServer server;

  /** A receiver on a test's own {@code vertx} (VertxExtension's, which closes it). */
  Receiver(Vertx vertx, int failFirst) {
    this.vertx = vertx;
    this.failFirst = failFirst;
    server = TestApp.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      int n = requests.incrementAndGet();
      JsonObject body = b.toJsonObject();
      if (n <= failFirst || failing) {
        req.response().setStatusCode(503).end();
      } else if (refuseId != null && refuseId.equals(body.getString("id"))) {
        req.response().setStatusCode(400).end();
      } else {
        accepted.add(body);
        keys.add(req.getHeader("Idempotency-Key"));
        uris.add(req.uri());
        req.response().setStatusCode(204).end();
        onAccepted.accept(body);
      }
    })).listen(0, "127.0.0.1"));
    port = server.actualPort();
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hook?key=secret-part";
  }

  List<String> states() {
    synchronized (accepted) {
      return accepted.stream().map(a -> a.getString("id") + " " + a.getString("state") + " "
          + a.getString("severity")).toList();
    }
  }

  @Override
  public void close() {
    TestApp.await(server.close());
  }
}
