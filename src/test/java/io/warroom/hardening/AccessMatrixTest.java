package io.warroom.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every endpoint against no token, a wrong one, and the ingest, admin and view tokens. */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class AccessMatrixTest {
  static final Map<String, String> TOKENS = Map.of("none", "", "wrong", "guess",
      "ingest", "feed-secret-0123456789", "admin", "admin-secret-0123456789", "view",
      "view-secret-0123456789");
  static final String ORDER = "{\"id\":\"o%s\",\"ts\":\"2026-11-11T10:00:00+08:00\",\"customerId\":\"c\","
      + "\"amount\":1,\"channel\":\"jd\"}";
  static final String PLAN = PlanParser.toJson(SeedPlan.forMonth(LocalDate.of(2026, 11, 1))).toString();
  TestApp app;
  HttpClient http;
  int n;

  @BeforeAll
  void start(Vertx vertx) {
    // Every row tries wrong tokens from this one address: the throttle of failed authentications
    // (AuthThrottleTest) would answer 429 after the first ten, so it gets room here.
    Config base = Config.from(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST", "127.0.0.1",
        "WARROOM_AUTH_FAILURE_BURST", "1000"), new String[0]);
    app = TestApp.deploy(vertx, base.withTokens(List.of("shop:" + TOKENS.get("ingest")), TOKENS.get("admin"),
        TOKENS.get("view")),
        SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at("2026-11-11T12:00:00+08:00"));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  void stop() {
    app.close();
  }

  /** method, path, and the expected status for none, wrong, ingest, admin, view. */
  static List<Arguments> matrix() {
    List<Arguments> rows = new ArrayList<>();
    for (String p : List.of("orders", "refunds", "spend", "visits", "nps", "events")) {
      rows.add(Arguments.of("POST", "/api/v1/" + p, new int[] {401, 403, 200, 403, 403}));
    }
    rows.add(Arguments.of("PUT", "/api/v1/plan", new int[] {401, 403, 403, 200, 403}));
    rows.add(Arguments.of("POST", "/api/v1/kiosk", new int[] {401, 403, 403, 200, 403}));
    rows.add(Arguments.of("PUT", "/api/v1/campaigns/" + SeedPlan.forMonth(LocalDate.of(2026, 11, 1)).id(),
        new int[] {401, 403, 403, 200, 403}));
    rows.add(Arguments.of("GET", "/api/v1/alerts/silences", new int[] {401, 403, 403, 200, 403}));
    for (String p : List.of("/api/v1/kpis", "/api/v1/plan", "/api/v1/series", "/api/v1/stream", "/",
        "/index.html", "/metrics", "/api/v1/alerts", "/api/v1/campaigns")) {
      rows.add(Arguments.of("GET", p, new int[] {401, 403, 403, 200, 200}));
    }
    for (String p : List.of("/health", "/ready", "/login", "/login.css")) {
      rows.add(Arguments.of("GET", p, new int[] {200, 200, 200, 200, 200}));
    }
    // load balancers' health checks may ask with HEAD
    for (String p : List.of("/health", "/ready")) {
      rows.add(Arguments.of("HEAD", p, new int[] {200, 200, 200, 200, 200}));
    }
    return rows;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("matrix")
  void access(String method, String path, int[] expected) throws Exception {
    String[] who = {"none", "wrong", "ingest", "admin", "view"};
    for (int i = 0; i < who.length; i++) {
      String body = method.equals("PUT") ? PLAN : path.endsWith("kiosk") ? "" : String.format(ORDER, n++);
      assertEquals(expected[i], status(method, path, TOKENS.get(who[i]), body),
          method + " " + path + " with " + who[i] + " token");
    }
  }

  int status(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + app.port + path))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .method(method, method.equals("GET") || method.equals("HEAD") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (!token.isEmpty()) b.header("Authorization", "Bearer " + token);
    // The stream never ends by itself: read the status, then close it.
    HttpResponse<InputStream> r = http.send(b.build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      if (!path.equals("/api/v1/stream") || r.statusCode() != 200) in.readAllBytes();
    }
    return r.statusCode();
  }
}
