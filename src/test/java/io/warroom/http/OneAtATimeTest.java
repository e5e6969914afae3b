package io.warroom.http;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.warroom.TestApp;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Heavy work one at a time: a second request meanwhile gets 429 with Retry-After, then room again. */
@ExtendWith(VertxExtension.class)
class OneAtATimeTest {
  @Test
  void aSecondRequestWhileOneRunsIsToldToRetry(Vertx vertx) {
    OneAtATime reports = new OneAtATime("a report");
    AtomicReference<Promise<String>> running = new AtomicReference<>();
    AtomicReference<Context> loop = new AtomicReference<>();
    Router router = Router.router(vertx);
    router.get("/work").handler(ctx -> reports.run(ctx, () -> {
      Promise<String> p = Promise.promise();
      loop.set(Vertx.currentContext());
      running.set(p);
      return p.future();
    }, ar -> ctx.response().end(ar.result())));
    router.get("/failing").handler(ctx -> reports.run(ctx, () -> {
      throw new IllegalStateException("broken");
    }, ar -> ctx.response().setStatusCode(500).end(ar.cause().getMessage())));
    HttpServer server = TestApp.await(vertx.createHttpServer().requestHandler(router).listen(0));
    WebClient client = WebClient.create(vertx);
    int port = server.actualPort();
    try {
      Future<HttpResponse<Buffer>> first = client.get(port, "127.0.0.1", "/work").send();
      eventually(() -> running.get() != null, "the work started");
      HttpResponse<Buffer> second = TestApp.await(client.get(port, "127.0.0.1", "/work").send());
      assertEquals(429, second.statusCode());
      assertEquals("1", second.getHeader("Retry-After"));
      assertTrue(second.bodyAsString().contains("a report is being computed"), second.bodyAsString());

      loop.get().runOnContext(v -> running.get().complete("done"));
      assertEquals("done", TestApp.await(first).bodyAsString());
      // Work that throws frees the slot as well.
      assertEquals("broken", TestApp.await(client.get(port, "127.0.0.1", "/failing").send()).bodyAsString());
      running.set(null);
      Future<HttpResponse<Buffer>> third = client.get(port, "127.0.0.1", "/work").send();
      eventually(() -> running.get() != null, "the work started");
      loop.get().runOnContext(v -> running.get().complete("again"));
      assertEquals("again", TestApp.await(third).bodyAsString());
    } finally {
      client.close();
      TestApp.await(server.close());
    }
  }
}
