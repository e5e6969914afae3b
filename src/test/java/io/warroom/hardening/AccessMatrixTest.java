package io.warroom.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.warroom.Config;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every endpoint against no token, a wrong one, and the ingest, admin and view tokens. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class AccessMatrixTest {
  static final Map<String, String> TOKENS = Map.of("none", "", "wrong", "guess", "ingest", "feed-secret",
      "admin", "admin-secret", "view", "view-secret");
  static final String ORDER = "{\"id\":\"o%s\",\"ts\":\"2026-11-11T10:00:00+08:00\",\"customerId\":\"c\","
      + "\"amount\":1,\"channel\":\"jd\"}";
  static final String PLAN = PlanParser.toJson(SeedPlan.forMonth(LocalDate.of(2026, 11, 1))).toString();
  TestApp app;
  HttpClient raw;
  int n;

  @BeforeAll
  void start() {
    app = TestApp.start(Config.defaults().withTokens(List.of("shop:feed-secret"), "admin-secret", "view-secret"),
        SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at("2026-11-11T12:00:00+08:00"));
    raw = app.vertx.createHttpClient();
  }

  @AfterAll
  void stop() {
    raw.close();
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
    for (String p : List.of("/api/v1/kpis", "/api/v1/plan", "/api/v1/series", "/api/v1/stream", "/",
        "/index.html", "/metrics")) {
      rows.add(Arguments.of("GET", p, new int[] {401, 403, 403, 200, 200}));
    }
    for (String p : List.of("/health", "/ready", "/login", "/login.css")) {
      rows.add(Arguments.of("GET", p, new int[] {200, 200, 200, 200, 200}));
    }
    return rows;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("matrix")
  void access(String method, String path, int[] expected) {
    String[] who = {"none", "wrong", "ingest", "admin", "view"};
    for (int i = 0; i < who.length; i++) {
      String body = method.equals("PUT") ? PLAN : path.endsWith("kiosk") ? "" : String.format(ORDER, n++);
      assertEquals(expected[i], status(method, path, TOKENS.get(who[i]), body),
          method + " " + path + " with " + who[i] + " token");
    }
  }

  int status(String method, String path, String token, String body) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setHost("127.0.0.1")
        .setPort(app.port).setURI(path).putHeader("Content-Type", "application/json");
    if (!token.isEmpty()) o.putHeader("Authorization", "Bearer " + token);
    if (path.equals("/api/v1/stream")) {
      // The stream never ends by itself: take its status, then drop the connection with its client.
      HttpClient once = app.vertx.createHttpClient();
      try {
        return TestApp.await(once.request(o).compose(req -> req.send()).map(r -> r.statusCode()));
      } finally {
        TestApp.await(once.close());
      }
    }
    return TestApp.await(raw.request(o).compose(req -> method.equals("GET") ? req.send()
        : req.send(Buffer.buffer(body))).compose(r -> r.body().map(b -> r.statusCode())));
  }
}
