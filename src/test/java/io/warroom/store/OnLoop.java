package io.warroom.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warroom.TestApp;
import java.util.function.Supplier;

/**
 * Runs store calls on one event loop, as the service does, and waits for them on the test thread.
 * Each is a context of its own on the test's Vert.x (VertxExtension's, which closes it).
 */
final class OnLoop {
  final Vertx vertx;
  private final Context context;

  OnLoop(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
  }

  <T> T call(Supplier<Future<T>> call) {
    return TestApp.await(start(call));
  }

  /** Starts the call on the loop without waiting. */
  <T> Future<T> start(Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> {
      try {
        call.get().onComplete(p);
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  /** A started PgStore on {@code url}. */
  PgStore store(String url) {
    return call(() -> {
      PgStore s = new PgStore(vertx, url);
      return s.start().map(v -> s);
    });
  }
}
