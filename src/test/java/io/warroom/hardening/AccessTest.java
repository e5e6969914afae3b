package io.warroom.hardening;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.http.WarroomVerticle;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14, item 6: a proxied request is never loopback, the start warns when loopback-only roles
 * are served beyond loopback, and failed authentications are throttled per client address (429 with
 * Retry-After) and logged without the secret, on every endpoint that checks one.
 */
@ExtendWith(VertxExtension.class)
public class AccessTest {
  static final String FEED = "feed-Zq8vK2mW9xR4tL7p", ADMIN = "boss-Hn3cV6bJ1yQ8sD5f",
      VIEW = "wall-Pw7eT2gU4kM9aX3z", WRONG = "oops-Gk5rN8hF2jC6vB1d";
  static final String ORDER = "{\"id\":\"o%d\",\"ts\":\"2026-11-11T10:00:00+08:00\",\"customerId\":\"c\","
      + "\"amount\":1,\"channel\":\"jd\"}";
  static final String PLAN = PlanParser.toJson(SeedPlan.forMonth(LocalDate.of(2026, 11, 1))).toString();

  final List<LogRecord> logs = new CopyOnWriteArrayList<>();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logs.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  final List<Logger> watched = List.of(Logger.getLogger("warroom.auth"),
      Logger.getLogger(WarroomVerticle.class.getName()));
  int n;

  @BeforeEach
  void watchLogs() {
    for (Logger l : watched) l.addHandler(capture);
  }

  @AfterEach
  void unwatch() {
    for (Logger l : watched) l.removeHandler(capture);
  }

  static TestApp start(Vertx vertx, Config config) {
    return TestApp.deploy(vertx, config, SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-11T12:00:00+08:00"));
  }

  static HttpResponse<Buffer> send(HttpRequest<Buffer> req, String body) {
    req.putHeader("Content-Type", "application/json");
    return TestApp.await(body == null ? req.send() : req.sendBuffer(Buffer.buffer(body)));
  }

  String order() {
    return String.format(ORDER, n++);
  }

  @Test
  void aRequestThroughAProxyIsNeverTrustedAsLoopback(Vertx vertx) {
    try (TestApp app = start(vertx, Config.defaults())) {
      WebClient c = app.client;
      for (String header : List.of("X-Forwarded-For", "Forwarded", "X-Real-IP")) {
        String value = header.equals("Forwarded") ? "for=127.0.0.1" : "127.0.0.1";
        HttpResponse<Buffer> ingest = send(c.post("/api/v1/orders").putHeader(header, value), order());
        assertEquals(403, ingest.statusCode(), ingest.bodyAsString());
        assertEquals("ingest is accepted from loopback only while WARROOM_INGEST_TOKENS is not set, and"
            + " this request came through a proxy (it carries " + header + ")",
            ingest.bodyAsJsonObject().getString("error"));
        assertEquals(403, send(c.put("/api/v1/plan").putHeader(header, value), PLAN).statusCode());
        assertEquals(403, send(c.post("/api/v1/kiosk").putHeader(header, value), null).statusCode());
        assertEquals(403, send(c.post("/api/v1/alerts/silences").putHeader(header, value),
            "{\"rule\":\"pace-revenue\",\"for\":\"1h\"}").statusCode());
      }
      // The same calls straight from loopback.
      assertEquals(200, send(c.post("/api/v1/orders"), order()).statusCode());
      assertEquals(200, send(c.put("/api/v1/plan"), PLAN).statusCode());
      assertEquals(200, send(c.post("/api/v1/kiosk"), null).statusCode());
      assertEquals(1, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
    }
  }

  /** The case: nginx on the same host, configured as deploy/nginx.conf, in front of warroom. */
  @Test
  void throughNginxOnTheSameHostNothingIsLoopback(Vertx vertx) throws Exception {
    Path nginxBin = Path.of("/usr/sbin/nginx");
    assertTrue(Files.isExecutable(nginxBin), "nginx is needed: apt-get install nginx-light");
    Path dir = Files.createTempDirectory("warroom-nginx-");
    Process nginx = null;
    try (TestApp app = start(vertx, Config.defaults())) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path conf = dir.resolve("nginx.conf");
      Files.writeString(conf, Files.readString(Path.of("deploy/nginx.conf"))
          .replace("warroom:8080", "127.0.0.1:" + app.port)
          .replace("warroom-2:8080", "127.0.0.1:" + app.port)
          .replace("listen 8090;", "listen 127.0.0.1:" + port + ";"));
      Files.createDirectories(dir.resolve("logs"));
      nginx = new ProcessBuilder(nginxBin.toString(), "-p", dir.toString(), "-c", conf.toString(),
          "-g", "daemon off; pid " + dir.resolve("nginx.pid") + "; error_log "
              + dir.resolve("logs/error.log") + ";")
          .redirectErrorStream(true).redirectOutput(dir.resolve("logs/out.log").toFile()).start();
      awaitListening(port, nginx);
      WebClient proxied = WebClient.create(app.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(port));
      HttpResponse<Buffer> ingest = send(proxied.post("/api/v1/orders"), order());
      assertEquals(403, ingest.statusCode(), ingest.bodyAsString());
      assertTrue(ingest.bodyAsJsonObject().getString("error").endsWith("(it carries X-Forwarded-For)"));
      assertEquals(403, send(proxied.put("/api/v1/plan"), PLAN).statusCode());
      assertEquals(403, send(proxied.post("/api/v1/kiosk"), null).statusCode());
      assertEquals(200, send(proxied.get("/api/v1/kpis"), null).statusCode(), "reading stays open");
      assertEquals(0, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
      proxied.close();
    } finally {
      if (nginx != null) {
        nginx.destroy();
        nginx.waitFor();
      }
    }
  }

  @Test
  void theStartWarnsWhenLoopbackOnlyRolesAreServedBeyondLoopback(Vertx vertx) {
    Function<Map<String, String>, Config> config = env -> Config.from(env, new String[0]);
    try (TestApp app = start(vertx, config.apply(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST", "0.0.0.0")))) {
      assertEquals(List.of("serving on 0.0.0.0, which is not loopback, without WARROOM_INGEST_TOKENS or"
          + " WARROOM_ADMIN_TOKEN: ingest and admin calls (plan, alerts, kiosk links) are accepted from"
          + " loopback clients only (never through a proxy); set the tokens to accept them from elsewhere"),
          warnings());
    }
    logs.clear();
    try (TestApp app = start(vertx, config.apply(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST", "0.0.0.0",
        "WARROOM_INGEST_TOKENS", "shop:" + FEED)))) {
      assertEquals(List.of("serving on 0.0.0.0, which is not loopback, without WARROOM_ADMIN_TOKEN:"
          + " admin calls (plan, alerts, kiosk links) are accepted from loopback clients only (never"
          + " through a proxy); set the tokens to accept them from elsewhere"), warnings());
    }
    logs.clear();
    try (TestApp app = start(vertx, config.apply(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST", "0.0.0.0",
        "WARROOM_INGEST_TOKENS", FEED, "WARROOM_ADMIN_TOKEN", ADMIN)))) {
      assertEquals(List.of(), warnings());
    }
    try (TestApp app = start(vertx, config.apply(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST", "127.0.0.1")))) {
      assertEquals(List.of(), warnings());
    }
  }

  List<String> warnings() {
    List<String> out = new ArrayList<>();
    for (LogRecord r : logs) {
      if (r.getLoggerName().equals(WarroomVerticle.class.getName())) out.add(r.getMessage());
    }
    return out;
  }

  /** One endpoint that checks a secret: a request from a client with the wrong or the right one. */
  record Endpoint(String name, Call call, int wrongStatus, int rightStatus) {}

  interface Call {
    HttpResponse<Buffer> send(WebClient from, boolean wrong);
  }

  static WebClient from(TestApp app, String address) {
    return WebClient.create(app.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(app.port).setLocalAddress(address));
  }

  @Test
  void failedAuthenticationsAreThrottledPerAddressOnEveryEndpointThatChecksASecret(Vertx vertx) throws Exception {
    Config config = Config.defaults().withTokens(List.of("shop:" + FEED), ADMIN, VIEW);
    try (TestApp app = start(vertx, config)) {
      WebClient other = from(app, "127.0.0.2");
      String cookie = cookie(other);
      String[] link = {null};
      List<Endpoint> endpoints = List.of(
          new Endpoint("ingest", (c, wrong) -> bearer(c.post("/api/v1/orders"), wrong ? WRONG : FEED, order()),
              403, 200),
          new Endpoint("admin", (c, wrong) -> bearer(c.put("/api/v1/plan"), wrong ? WRONG : ADMIN, PLAN),
              403, 200),
          new Endpoint("view", (c, wrong) -> bearer(c.get("/api/v1/kpis"), wrong ? WRONG : VIEW, null),
              403, 200),
          new Endpoint("cookie", (c, wrong) -> send(c.get("/api/v1/kpis").putHeader("Cookie",
              "warroom_view=" + (wrong ? WRONG : cookie)), null), 403, 200),
          new Endpoint("login", (c, wrong) -> TestApp.await(c.post("/login").followRedirects(false)
              .putHeader("Content-Type", "application/x-www-form-urlencoded")
              .sendBuffer(Buffer.buffer("token=" + (wrong ? WRONG : VIEW)))), 303, 303),
          new Endpoint("kiosk", (c, wrong) -> TestApp.await(c.get(wrong ? "/kiosk/" + WRONG : link[0])
              .followRedirects(false).send()), 403, 303));
      List<String> addresses = new ArrayList<>();
      for (int k = 0; k < endpoints.size(); k++) {
        Endpoint e = endpoints.get(k);
        // Each endpoint from an address of its own (all of 127/8 is loopback), counted on its own.
        String address = "127.0.0." + (10 + k);
        addresses.add(address);
        WebClient here = from(app, address);
        link[0] = bearer(other.post("/api/v1/kiosk"), ADMIN, null).bodyAsJsonObject().getString("url");
        for (int i = 0; i < 10; i++) {
          assertEquals(e.wrongStatus(), e.call().send(here, true).statusCode(), e.name() + " failure " + (i + 1));
        }
        HttpResponse<Buffer> refused = e.call().send(here, true);
        assertEquals(429, refused.statusCode(), e.name());
        long wait = Long.parseLong(refused.getHeader("Retry-After"));
        assertTrue(wait >= 1 && wait <= 2, "Retry-After " + wait);
        assertTrue(refused.bodyAsJsonObject().getString("error")
            .startsWith("too many failed authentications from this address"), refused.bodyAsString());
        // The right secret from the same address is not even looked at now...
        assertEquals(429, e.call().send(here, false).statusCode(), e.name() + " while throttled");
        // ...while another address gets in with it.
        assertEquals(e.rightStatus(), e.call().send(other, false).statusCode(), e.name() + " from elsewhere");
        if (k == 0) {
          // One failure a second comes back.
          Thread.sleep(wait * 1000 + 100);
          assertEquals(e.rightStatus(), e.call().send(here, false).statusCode(), e.name() + " after the wait");
        }
        here.close();
      }
      other.close();

      List<String> lines = new ArrayList<>();
      for (LogRecord r : logs) {
        if (r.getLoggerName().equals("warroom.auth") && r.getMessage().startsWith("auth failure ")) {
          lines.add(r.getMessage());
        }
      }
      String all = String.join("\n", lines);
      assertEquals(endpoints.size() * 10, lines.size(), all);
      for (String secret : List.of(FEED, ADMIN, VIEW, WRONG, cookie, link[0].substring(7))) {
        for (String line : lines) {
          assertFalse(line.contains(secret.substring(0, 4)) || line.contains(secret.substring(secret.length() - 4)),
              "no part of a secret in: " + line);
        }
      }
      String[] expected = {"endpoint=POST /api/v1/orders reason=wrong bearer token for ingest",
          "endpoint=PUT /api/v1/plan reason=wrong bearer token for admin",
          "endpoint=GET /api/v1/kpis reason=wrong bearer token for viewing",
          "endpoint=GET /api/v1/kpis reason=wrong login cookie",
          "endpoint=POST /login reason=wrong token",
          "endpoint=GET /kiosk/... reason=unknown, used or expired kiosk code"};
      for (int k = 0; k < expected.length; k++) {
        String line = "auth failure address=" + addresses.get(k) + " " + expected[k];
        assertEquals(9, lines.stream().filter(line::equals).count(), line + " in\n" + all);
        assertTrue(lines.contains(line + "; further attempts from this address answer 429 for a while"), all);
      }
    }
  }

  @Test
  void aLoginFormThatCannotBeReadIsAnsweredAndCountsNothing(Vertx vertx) {
    try (TestApp app = start(vertx, Config.defaults().withTokens(List.of(), null, VIEW))) {
      for (String body : List.of("token=%zz", "token=%", "token=%e4%b8")) {
        HttpResponse<Buffer> r = TestApp.await(app.client.post("/login").followRedirects(false)
            .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer(body)));
        assertTrue(r.statusCode() == 400 || r.statusCode() == 303, body + " -> " + r.statusCode());
      }
      HttpResponse<Buffer> bad = TestApp.await(app.client.post("/login").followRedirects(false)
          .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("token=%zz")));
      assertEquals(400, bad.statusCode());
      assertEquals("the login form cannot be read: a '%' not followed by two hex digits",
          bad.bodyAsJsonObject().getString("error"));
      assertNull(bad.getHeader("Set-Cookie"));
      assertEquals("/", TestApp.await(app.client.post("/login").followRedirects(false)
          .putHeader("Content-Type", "application/x-www-form-urlencoded")
          .sendBuffer(Buffer.buffer("token=" + VIEW))).getHeader("Location"));
    }
  }

  @Test
  void aFloodOfFailuresLogsABurstThenASummary(Vertx vertx) throws Exception {
    try (TestApp app = start(vertx, Config.defaults().withTokens(List.of(FEED), null, null))) {
      for (int i = 0; i < 300; i++) bearer(app.client.post("/api/v1/orders"), WRONG + i, order());
      eventually(() -> logs.stream().anyMatch(r -> r.getMessage().startsWith("auth: ")), 15_000,
          "the summary line logged");
      List<String> lines = new ArrayList<>();
      for (LogRecord r : logs) if (r.getLoggerName().equals("warroom.auth")) lines.add(r.getMessage());
      // A burst of ten failures (plus one a second while the requests went on), each on its own
      // line; the others answered 429 without a look at the secret, counted in one summary line.
      long single = lines.stream().filter(l -> l.startsWith("auth failure ")).count();
      assertTrue(single >= 10 && single <= 15, single + " failures");
      long refused = 0;
      for (String l : lines) {
        if (l.startsWith("auth failure ")) continue;
        Matcher m = Pattern.compile("auth: 0 more failures not logged one"
            + " by one, and (\\d+) requests answered 429 without checking their secret, from 1 address"
            + " \\[127.0.0.1]").matcher(l);
        assertTrue(m.matches(), l);
        refused += Long.parseLong(m.group(1));
      }
      assertEquals(300 - single, refused, String.join("\n", lines));
    }
  }

  /** The login cookie's value. */
  static String cookie(WebClient c) {
    HttpResponse<Buffer> r = TestApp.await(c.post("/login").followRedirects(false)
        .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("token=" + VIEW)));
    return cookieValue(r.getHeader("Set-Cookie").split(";", 2)[0]);
  }

  static String cookieValue(String cookie) {
    return cookie.contains("=") ? cookie.substring(cookie.indexOf('=') + 1) : cookie;
  }

  static HttpResponse<Buffer> bearer(HttpRequest<Buffer> req, String token, String body) {
    req.putHeader("Authorization", "Bearer " + token);
    return send(req, body);
  }

  static void awaitListening(int port, Process nginx) {
    eventually(() -> {
      assertTrue(nginx.isAlive(), "nginx exited");
      return listening(port);
    }, 10_000, "nginx listening on " + port);
  }

  static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
