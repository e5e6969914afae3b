package io.warroom.store;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.warroom.SseClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The load balancer of the compose profile "nodes" ({@code deploy/nginx.conf}), run for real with
 * Debian's nginx in front of two warroom processes on one database: ingest and the stream pass
 * through it, and when the node behind a screen dies the ingest moves on and the screen, once it
 * reconnects, shows everything from the other node.
 */
class LoadBalancerTest {
  static final Path NGINX = Path.of("/usr/sbin/nginx");
  static final String FEED = "lb-feed-0123456789";
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void ingestAndStreamPassThroughAndOutliveANode() throws Exception {
    assertTrue(Files.isExecutable(NGINX), "nginx is needed: apt-get install nginx-light");
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Path planFile = Files.createTempFile("warroom-plan-", ".json");
    Files.writeString(planFile, new JsonObject().put("id", "lb").put("timezone", "UTC")
        .put("start", today.minusDays(1).toString()).put("end", today.plusDays(2).toString())
        .put("staleFeedMinutes", 0).encode());
    Path dir = Files.createTempDirectory("warroom-nginx-");
    Process nginx = null;
    try (PgTestDb db = PgTestDb.create();
        ServerProcess one = ServerProcess.start(env(db, planFile));
        ServerProcess two = ServerProcess.start(env(db, planFile))) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path conf = dir.resolve("nginx.conf");
      Files.writeString(conf, Files.readString(Path.of("deploy/nginx.conf"))
          .replace("warroom:8080", "127.0.0.1:" + one.port)
          .replace("warroom-2:8080", "127.0.0.1:" + two.port)
          .replace("listen 8090;", "listen 127.0.0.1:" + port + ";"));
      Files.createDirectories(dir.resolve("logs"));
      nginx = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(),
          "-g", "daemon off; pid " + dir.resolve("nginx.pid") + "; error_log "
              + dir.resolve("logs/error.log") + ";")
          .redirectErrorStream(true).redirectOutput(dir.resolve("logs/out.log").toFile()).start();
      awaitListening(port, nginx, dir);

      try (SseClient screen = SseClient.connect(null, port, null, null)) {
        assertEquals("snapshot", screen.snapshot(8_000).event());
        HttpResponse<String> proxied = ingest(port, "x", 1, null);
        assertEquals(401, proxied.statusCode(), "a token is needed through the proxy: " + proxied.body());
        assertEquals(200, ingest(port, "a", 400).statusCode());
        awaitOrders(screen, 400);
        // The node behind this client (ip_hash: every request from here goes to it) dies.
        int node = new JsonObject(get(port, "/ready")).getInteger("node");
        ServerProcess behind = nodeOf(node, one, two);
        behind.kill();
        HttpResponse<String> moved = ingest(port, "b", 300);
        assertEquals(200, moved.statusCode(), moved.body());
        assertEquals(300, new JsonObject(moved.body()).getInteger("accepted"));
      }
      try (SseClient again = SseClient.connect(null, port, null, null)) { // EventSource reconnects
        awaitOrders(again, 700);
      }
      JsonObject campaign = new JsonObject(get(port, "/api/v1/kpis")).getJsonObject("windows")
          .getJsonObject("campaign");
      assertEquals(700, campaign.getLong("orders"));
      assertEquals(7000.0, campaign.getDouble("grossRevenue"));
      for (ServerProcess p : List.of(one, two)) {
        assertTrue(!p.output().contains("Thread blocked"), p.output());
      }
    } finally {
      if (nginx != null) {
        nginx.destroy();
        nginx.waitFor();
      }
      Files.deleteIfExists(planFile);
    }
  }

  private static ServerProcess nodeOf(int node, ServerProcess... candidates) throws Exception {
    for (ServerProcess p : candidates) {
      String ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(p.uri("/ready"))
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (new JsonObject(ready).getInteger("node") == node) return p;
    }
    throw new AssertionError("no process is node " + node);
  }

  private static void awaitOrders(SseClient screen, long orders) {
    long deadline = System.currentTimeMillis() + 15_000;
    while (true) {
      SseClient.Event e = screen.next(Math.max(1, deadline - System.currentTimeMillis()));
      if (e.event().equals("snapshot") && e.json().getJsonObject("windows")
          .getJsonObject("campaign").getLong("orders") == orders) {
        return;
      }
    }
  }

  private HttpResponse<String> ingest(int port, String prefix, int n) throws Exception {
    return ingest(port, prefix, n, FEED);
  }

  private HttpResponse<String> ingest(int port, String prefix, int n, String token) throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("{\"type\":\"order\",\"id\":\"").append(prefix).append(i).append("\",\"ts\":\"")
          .append(Instant.now()).append("\",\"customerId\":\"c").append(i)
          .append("\",\"amount\":10,\"channel\":\"tmall\"}\n");
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
        .header("Content-Type", "application/x-ndjson").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(b.toString()));
    if (token != null) req.header("Authorization", "Bearer " + token);
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static Map<String, String> env(PgTestDb db, Path plan) {
    return Map.of("WARROOM_PG_URL", db.url(), "WARROOM_PLAN", plan.toString(),
        "WARROOM_INGEST_RATE", "0", "WARROOM_TAIL_POLL_MS", "500", "WARROOM_INGEST_TOKENS", FEED);
  }

  private static void awaitListening(int port, Process nginx, Path dir) {
    eventually(() -> {
      if (!nginx.isAlive()) {
        try {
          throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("logs/out.log"))
              + Files.readString(dir.resolve("logs/error.log")));
        } catch (IOException e) {
          throw new AssertionError("nginx exited", e);
        }
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    }, 10_000, "nginx listening on " + port);
  }
}
