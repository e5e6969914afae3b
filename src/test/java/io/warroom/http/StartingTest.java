package io.warroom.http;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import io.warroom.store.PgStore;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * While the store is read at start (minutes for millions of rows), /health answers, /ready and the
 * rest say 503 "starting" with Retry-After; a start that fails closes the port again.
 */
@ExtendWith(VertxExtension.class)
class StartingTest {
  @Test
  void healthAnswersWhileTheStoreIsReadAndAFailedStartClosesThePort(Vertx vertx) throws Exception {
    // A "database" that takes connections and never answers: the start waits on it.
    List<NetSocket> held = new CopyOnWriteArrayList<>();
    NetServer db = TestApp.await(vertx.createNetServer()
        .connectHandler(s -> {
          held.add(s);
          s.handler(b -> { });
        })
        .listen(0, "127.0.0.1"));
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Config config = Config.from(Map.of("WARROOM_HTTP_PORT", String.valueOf(port),
        "WARROOM_HTTP_HOST", "127.0.0.1"), new String[0]);
    String url = "postgresql://postgres@127.0.0.1:" + db.actualPort() + "/warroom";
    Future<String> deployed = vertx.deployVerticle(new WarroomVerticle(config,
        SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at("2026-11-11T12:00:00Z"),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), v -> new PgStore(v, url)));

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    String base = "http://127.0.0.1:" + port;
    eventually(() -> status(http, HttpRequest.newBuilder(URI.create(base + "/health"))) == 200,
        10_000, "/health answers while the store is read");
    eventually(() -> !held.isEmpty(), 10_000, "the start waits on the database");

    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("{\"status\":\"UP\"}", health.body());
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/ready"))
        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(503, ready.statusCode());
    assertTrue(ready.body().contains("\"status\":\"STARTING\""), ready.body());
    assertEquals("5", ready.headers().firstValue("Retry-After").orElse(null));
    HttpResponse<String> ingest = http.send(HttpRequest.newBuilder(URI.create(base
        + "/api/v1/orders")).timeout(Duration.ofSeconds(1)).header("Content-Type",
        "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(503, ingest.statusCode(), "nothing is kept before the store is up");
    assertTrue(ingest.body().contains("starting"), ingest.body());
    assertEquals(503, status(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/kpis"))));
    assertTrue(!deployed.isComplete(), "still starting");

    // The database goes away: the start fails, and nothing listens on the port any more.
    for (NetSocket s : held) s.close();
    TestApp.await(db.close());
    assertThrows(RuntimeException.class, () -> TestApp.await(deployed));
    eventually(() -> {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return false;
      } catch (ConnectException e) {
        return true;
      } catch (IOException e) {
        return false;
      }
    }, 10_000, "the port is closed after a failed start");
  }

  private static int status(HttpClient http, HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(1)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
