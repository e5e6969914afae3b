package io.warroom.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.SseClient;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each limit answers its status, and nothing over a limit is kept. */
@ExtendWith(VertxExtension.class)
public class LimitsTest {
  static final String ORDER = "{\"id\":\"o%d\",\"ts\":\"2026-11-11T10:00:00+08:00\",\"customerId\":\"c\","
      + "\"amount\":1,\"channel\":\"jd\"}";

  static TestApp start(Vertx vertx, Config.Limits limits) {
    return TestApp.deploy(vertx, Config.defaults().withLimits(limits),
        SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at("2026-11-11T12:00:00+08:00"));
  }

  static String orders(int from, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < from + n; i++) b.append(String.format(ORDER, i)).append('\n');
    return b.toString();
  }

  @Test
  void rowsPerRequest(Vertx vertx) {
    try (TestApp app = start(vertx, new Config.Limits(100, 0, 1, 10))) {
      assertEquals(200, app.post("/api/v1/orders", "application/x-ndjson", orders(0, 100)).statusCode());
      HttpResponse<Buffer> r = app.post("/api/v1/orders", "application/x-ndjson", orders(100, 101));
      assertEquals(413, r.statusCode());
      assertEquals("more than 100 rows in one request; split the body",
          r.bodyAsJsonObject().getString("error"));
      assertEquals(100, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
    }
  }

  @Test
  void ratePerCallerWithRetryAfter(Vertx vertx) {
    try (TestApp app = TestApp.deploy(vertx, Config.defaults().withTokens(List.of("a:secret-a-0123456789", "b:secret-b-0123456789"), null, null)
        .withLimits(new Config.Limits(1000, 0.5, 3, 10)), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-11T12:00:00+08:00"))) {
      for (int i = 0; i < 3; i++) assertEquals(200, post(app, "secret-a-0123456789", i).statusCode());
      HttpResponse<Buffer> over = post(app, "secret-a-0123456789", 3);
      assertEquals(429, over.statusCode());
      assertEquals("2", over.getHeader("Retry-After"));
      assertTrue(over.bodyAsJsonObject().getString("error").startsWith("over the ingest rate limit"));
      assertEquals(200, post(app, "secret-b-0123456789", 4).statusCode(), "another caller has its own budget");
      assertEquals(4, app.kpis().getJsonObject("ingest").getInteger("accepted"));
    }
  }

  static HttpResponse<Buffer> post(TestApp app, String token, int i) {
    return TestApp.await(app.client.post("/api/v1/orders").putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(String.format(ORDER, i))));
  }

  @Test
  void streamClientsAreCapped(Vertx vertx) {
    try (TestApp app = start(vertx, new Config.Limits(1000, 0, 1, 2));
        SseClient a = SseClient.connect(app.vertx, app.port, null, null);
        SseClient b = SseClient.connect(app.vertx, app.port, null, null)) {
      a.next(2000);
      b.next(2000);
      HttpResponse<Buffer> third = app.get("/api/v1/stream");
      assertEquals(503, third.statusCode());
      assertEquals("5", third.getHeader("Retry-After"));
      assertEquals("too many stream clients (2)", third.bodyAsJsonObject().getString("error"));
    }
  }

  @Test
  void nestingHeadersAndUrls(Vertx vertx) {
    try (TestApp app = start(vertx, new Config.Limits(1000, 0, 1, 10))) {
      String deep = "[{\"id\":\"x\",\"extra\":" + "[".repeat(200) + "]".repeat(200) + "}]";
      HttpResponse<Buffer> nested = app.post("/api/v1/orders", "application/json", deep);
      assertEquals(400, nested.statusCode());
      assertTrue(nested.bodyAsJsonObject().getString("error").contains("nesting depth"),
          nested.bodyAsString());
      HttpClient raw = app.vertx.createHttpClient();
      HttpClientResponse longUrl = TestApp.await(raw.request(new RequestOptions().setMethod(HttpMethod.GET)
          .setHost("127.0.0.1").setPort(app.port).setURI("/api/v1/kpis?x=" + "a".repeat(5000)))
          .compose(r -> r.send()));
      assertEquals(414, longUrl.statusCode());
      HttpClientResponse bigHeader = TestApp.await(raw.request(new RequestOptions().setMethod(HttpMethod.GET)
          .setHost("127.0.0.1").setPort(app.port).setURI("/api/v1/kpis")
          .putHeader("X-Big", "b".repeat(20_000))).compose(r -> r.send()));
      assertEquals(431, bigHeader.statusCode());
      raw.close();
      assertEquals(200, app.get("/health").statusCode());
    }
  }

  @Test
  void securityHeadersOnThePage(Vertx vertx) {
    try (TestApp app = start(vertx, new Config.Limits(1000, 0, 1, 10))) {
      HttpResponse<Buffer> page = app.get("/");
      assertEquals(200, page.statusCode());
      String csp = page.getHeader("Content-Security-Policy");
      assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
      assertTrue(csp.contains("frame-ancestors 'none'"), csp);
      assertEquals("nosniff", page.getHeader("X-Content-Type-Options"));
      assertEquals("no-referrer", page.getHeader("Referrer-Policy"));
      assertTrue(page.getHeader("X-Request-Id").matches("[0-9a-f]{16}"));
    }
  }
}
