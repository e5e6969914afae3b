package io.warroom.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.warroom.TestApp;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The warm-up port answers the warm-up only: a client that reached it by chance (a test told a
 * port was free, which the warm-up's own listener then took) gets 503, never the server's routes;
 * the warm-up itself gets through.
 */
@ExtendWith(VertxExtension.class)
class WarmUpTest {
  @Test
  void onlyTheWarmUpGetsThroughItsPort(Vertx vertx) {
    String key = WarmUp.key();
    AtomicInteger routed = new AtomicInteger();
    HttpServer server = TestApp.await(vertx.createHttpServer()
        .requestHandler(WarmUp.gate(key, req -> {
          routed.incrementAndGet();
          // as much as a stream's first event, which the warm-up reads before it goes
          req.response().end("routed ".repeat(100));
        })).listen(0, "127.0.0.1"));
    WebClient client = WebClient.create(vertx);
    try {
      var stranger = TestApp.await(client.get(server.actualPort(), "127.0.0.1", "/health").send());
      assertEquals(503, stranger.statusCode());
      assertEquals("close", stranger.getHeader("Connection"));
      var wrongKey = TestApp.await(client.get(server.actualPort(), "127.0.0.1", "/health")
          .putHeader(WarmUp.HEADER, WarmUp.key()).send());
      assertEquals(503, wrongKey.statusCode());
      assertEquals(0, routed.get());

      String done = TestApp.await(WarmUp.run(vertx, "127.0.0.1", server.actualPort(), key, null, 8, 4));
      assertTrue(done.startsWith("8 streams and as many requests"), done);
      assertEquals(16, routed.get(), "every warm-up request reached the routes");
    } finally {
      client.close();
      TestApp.await(server.close());
    }
  }
}
