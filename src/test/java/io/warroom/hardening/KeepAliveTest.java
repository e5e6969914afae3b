package io.warroom.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One keep-alive connection, as a feed would use it: refusals (which answer before reading the
 * body) and answers that never read a body must not leave the connection stuck.
 */
@ExtendWith(VertxExtension.class)
public class KeepAliveTest {
  static final String FEED = "feed-0123456789abc", ADMIN = "boss-0123456789abc";
  static final String ORDER = "{\"id\":\"o%d\",\"ts\":\"2026-11-11T10:00:00+08:00\",\"customerId\":\"c\","
      + "\"amount\":1,\"channel\":\"jd\"}";

  /** Sends one request on the socket and reads exactly one response; answers status and headers. */
  static String[] exchange(Socket s, String method, String path, String token, String body) throws Exception {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    String head = method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
        + (body == null ? "" : "Content-Length: " + b.length + "\r\n") + "\r\n";
    OutputStream out = s.getOutputStream();
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(b);
    out.flush();
    InputStream in = s.getInputStream();
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    while (!headers.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) throw new AssertionError("connection closed before an answer to " + method + " " + path);
      headers.write(c);
    }
    String h = headers.toString(StandardCharsets.ISO_8859_1);
    int len = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) len = Integer.parseInt(line.substring(15).trim());
    }
    in.readNBytes(len);
    return new String[] {h.substring(9, 12), h.toLowerCase()};
  }

  @Test
  void aConnectionSurvivesAnswersThatDidNotReadTheRequest(Vertx vertx) throws Exception {
    // 20 wrong tokens from one address: room for them past the throttle of failures (AuthThrottleTest).
    Config config = Config.from(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST",
        "127.0.0.1", "WARROOM_AUTH_FAILURE_BURST", "100"), new String[0]);
    try (TestApp app = TestApp.deploy(vertx, config.withTokens(List.of(FEED), ADMIN, null),
        SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at("2026-11-11T12:00:00+08:00"))) {
      int n = 0;
      for (int round = 0; round < 20; round++) {
        try (Socket s = new Socket("127.0.0.1", app.port)) {
          s.setSoTimeout(5000);
          String[] health = exchange(s, "GET", "/health", null, null);
          assertEquals("200", health[0]);
          // The default head deadline is 10 s: a pool keeps an idle connection 9 s at most.
          assertTrue(health[1].contains("\r\nkeep-alive: timeout=9\r\n"), health[1]);
          assertEquals("200", exchange(s, "POST", "/api/v1/kiosk", ADMIN, "")[0]);
          assertEquals("200", exchange(s, "GET", "/api/v1/kpis", null, null)[0]);
          assertEquals("200", exchange(s, "POST", "/api/v1/orders", FEED, String.format(ORDER, n++))[0]);
          // A refusal answers before the body is read; the small body is drained, the connection kept.
          assertEquals("403", exchange(s, "POST", "/api/v1/orders", "nope", String.format(ORDER, n++))[0]);
          assertEquals("401", exchange(s, "POST", "/api/v1/events", null, String.format(ORDER, n++))[0]);
          assertEquals("200", exchange(s, "GET", "/health", null, null)[0]);
        }
      }
      assertEquals(20, app.kpis().getJsonObject("ingest").getInteger("accepted"));
    }
  }
}
