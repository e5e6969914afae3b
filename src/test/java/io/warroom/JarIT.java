package io.warroom;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, as the README runs it: it starts, serves the page, takes an ingest, shows it in
 * the KPIs and metrics, and stops on SIGTERM with exit 0. Catches what the class-path tests cannot:
 * a dependency missing from the jar.
 */
public class JarIT {
  @Test
  void thePackagedJarRunsAsTheReadmeSays() throws Exception {
    Path jar = Path.of("target", "warroom.jar");
    assertTrue(Files.exists(jar), "mvn package makes target/warroom.jar");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString()).redirectErrorStream(true)
        .redirectOutput(Path.of("target", "jar-it.log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("WARROOM_"));
    pb.environment().put("WARROOM_HTTP_PORT", String.valueOf(port));
    pb.environment().put("WARROOM_HTTP_HOST", "127.0.0.1");
    // A typo in a setting's name is told at start, not silently ignored.
    pb.environment().put("WARROOM_ADMIN_TOKENS", "a-token-of-16-chars");
    Process p = pb.start();
    try {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2)).build();
      URI base = URI.create("http://127.0.0.1:" + port);
      // a 503 may come from the warm-up's own port, should the OS have given it this one meanwhile
      List<HttpResponse<String>> health = new ArrayList<>();
      eventually(() -> {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/health"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 503) return false;
          health.add(r);
          return true;
        } catch (IOException e) {
          return !p.isAlive(); // the jar stopped: said below
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }, 60_000, "an answer from /health");
      assertTrue(!health.isEmpty(), "the jar stopped: " + Files.readString(Path.of("target", "jar-it.log")));
      assertEquals(200, health.get(0).statusCode());
      assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("/")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      String ts = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusMinutes(2).toString();
      HttpResponse<String> ingest = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/orders"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"jar-1\",\"ts\":\"" + ts
              + "\",\"customerId\":\"c\",\"amount\":123.45,\"channel\":\"tmall\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("{\"accepted\":1,\"duplicates\":0,\"rejected\":[]}", ingest.body());
      String kpis = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/kpis")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(kpis.contains("\"today\":{\"revenue\":123.45,") || kpis.contains("\"last15m\":{\"revenue\":123.45,"),
          kpis);
      String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(metrics.contains("warroom_ingest_records_total{outcome=\"accepted\",source=\"loopback\",type=\"order\"} 1.0"),
          metrics);
      p.toHandle().destroy();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      String log = Files.readString(Path.of("target", "jar-it.log"));
      assertTrue(log.contains("WARROOM_ADMIN_TOKENS is not a setting and is ignored; did you mean "
          + "WARROOM_ADMIN_TOKEN?"), log);
      assertFalse(log.contains("a-token-of-16-chars"), "the value is not logged");
      assertTrue(log.contains("warmed up: 3000 streams and as many requests in "), log);
    } finally {
      p.destroyForcibly();
    }
  }
}
