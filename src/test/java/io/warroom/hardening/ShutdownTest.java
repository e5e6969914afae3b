package io.warroom.hardening;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warroom.Probe;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM: stop accepting, finish the batch under way, close the streams, exit 0. */
public class ShutdownTest {
  @Test
  void sigtermFinishesTheBatchUnderWayAndExitsZero() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        "io.warroom.Main");
    pb.environment().keySet().removeIf(k -> k.startsWith("WARROOM_"));
    pb.environment().put("WARROOM_HTTP_PORT", String.valueOf(port));
    pb.environment().put("WARROOM_HTTP_HOST", "127.0.0.1");
    pb.environment().put("WARROOM_MAX_ROWS", "1000000");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    StringBuilder log = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (log) {
            log.append(line).append('\n');
          }
        }
      } catch (Exception ignored) {
        // process ended
      }
    });
    reader.start();
    try {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2)).build();
      URI base = URI.create("http://127.0.0.1:" + port);
      eventually(() -> answers(http, base.resolve("/health")), 30_000,
          () -> "the server answering /health; its log:\n" + logOf(log));
      // A stream client, reading lines until the server ends the stream.
      CompletableFuture<List<String>> stream = http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/v1/stream")).build(),
          HttpResponse.BodyHandlers.ofLines()).thenApply(r -> r.body().toList());

      String now = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusMinutes(1).toString();
      StringBuilder body = new StringBuilder();
      int rows = 80_000;
      for (int i = 0; i < rows; i++) {
        body.append("{\"id\":\"o").append(i).append("\",\"ts\":\"").append(now)
            .append("\",\"customerId\":\"c").append(i % 997).append("\",\"amount\":12.5,\"channel\":\"jd\"}\n");
      }
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      CountDownLatch underWay = new CountDownLatch(1);
      // The signal comes once most of the body has left: the server is surely reading the request.
      InputStream sent = new ByteArrayInputStream(bytes) {
        @Override
        public synchronized int read(byte[] b, int off, int len) {
          if (pos > bytes.length * 3 / 4) underWay.countDown();
          return super.read(b, off, len);
        }
      };
      CompletableFuture<HttpResponse<String>> ingest = http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/v1/orders"))
          .header("Content-Type", "application/x-ndjson")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> sent)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(underWay.await(30, TimeUnit.SECONDS), "the batch is under way");
      p.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output

      HttpResponse<String> answer = ingest.get(30, TimeUnit.SECONDS);
      assertEquals(200, answer.statusCode(), answer.body());
      assertTrue(answer.body().startsWith("{\"accepted\":" + rows + ","), answer.body());
      List<String> lines = stream.get(30, TimeUnit.SECONDS);
      assertTrue(lines.contains("event: snapshot"), "the stream ended after its snapshots");
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      assertThrows(IOException.class, () -> http.send(HttpRequest.newBuilder(base.resolve("/health"))
          .build(), HttpResponse.BodyHandlers.discarding()), "no longer accepting");
      reader.join(5000);
      synchronized (log) {
        assertTrue(log.toString().contains("stopping on SIGTERM"), log.toString());
        assertTrue(log.toString().contains("stopped"), log.toString());
      }
    } finally {
      p.destroyForcibly();
    }
  }

  private static boolean answers(HttpClient http, URI uri) {
    return Probe.answers(http, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build());
  }


  private static String logOf(StringBuilder log) {
    synchronized (log) {
      return log.toString();
    }
  }
}
