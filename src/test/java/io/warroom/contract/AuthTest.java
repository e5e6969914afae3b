package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Bearer tokens for ingest, admin and viewing; loopback-only when a role has no token. */
public class AuthTest extends AppTest {
  static final String FEED_A = "feed-a-0123456789", FEED_B = "feed-b-0123456789",
      ADMIN = "boss-0123456789abc", VIEW = "wall-0123456789abc";
  static final String ORDER = "{\"id\":\"o1\",\"ts\":\"2026-11-11T10:00:00+08:00\",\"customerId\":\"c\","
      + "\"amount\":1,\"channel\":\"jd\"}";

  TestApp startWith(Config config) {
    return start(config, SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-11T12:00:00+08:00"));
  }

  static HttpResponse<Buffer> send(HttpRequest<Buffer> req, String token, String body) {
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    req.putHeader("Content-Type", "application/json");
    return TestApp.await(body == null ? req.send() : req.sendBuffer(Buffer.buffer(body)));
  }

  static void assertStatus(int status, HttpResponse<Buffer> r) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    if (status >= 400) {
      assertEquals(Set.of("error", "requestId"), r.bodyAsJsonObject().fieldNames());
    }
  }

  @Test
  void ingestAndAdminTokens() {
    try (TestApp app = startWith(Config.defaults().withTokens(List.of(FEED_A, FEED_B), ADMIN, null))) {
      var c = app.client;
      assertStatus(401, send(c.post("/api/v1/orders"), null, ORDER));
      assertStatus(403, send(c.post("/api/v1/orders"), "feed-c-0123456789", ORDER));
      assertStatus(403, send(c.post("/api/v1/orders"), ADMIN, ORDER));
      assertStatus(200, send(c.post("/api/v1/orders"), FEED_B, ORDER));
      assertStatus(200, send(c.post("/api/v1/events"), FEED_A, "[]"));
      String plan = PlanParser.toJson(SeedPlan.forMonth(LocalDate.of(2026, 11, 1))).toString();
      assertStatus(401, send(c.put("/api/v1/plan"), null, plan));
      assertStatus(403, send(c.put("/api/v1/plan"), FEED_A, plan));
      assertStatus(200, send(c.put("/api/v1/plan"), ADMIN, plan));
      assertEquals("Bearer", send(c.post("/api/v1/orders"), null, ORDER).getHeader("WWW-Authenticate"));
      assertEquals(1, app.kpis().getJsonObject("ingest").getInteger("accepted"));
    }
  }

  @Test
  void viewTokenByBearerOrCookie() {
    try (TestApp app = startWith(Config.defaults().withTokens(List.of(), ADMIN, VIEW))) {
      var c = app.client;
      for (String path : List.of("/api/v1/kpis", "/api/v1/plan", "/api/v1/series", "/api/v1/stream", "/")) {
        assertStatus(401, send(c.get(path), null, null));
        assertStatus(403, send(c.get(path), "nope", null));
      }
      assertStatus(200, send(c.get("/api/v1/kpis"), VIEW, null));
      assertStatus(200, send(c.get("/api/v1/kpis"), ADMIN, null));
      String cookie = login(app, VIEW);
      assertStatus(200, TestApp.await(c.get("/api/v1/kpis").putHeader("Cookie", cookie).send()));
      assertStatus(403, TestApp.await(c.get("/api/v1/kpis").putHeader("Cookie", "warroom_view=wall").send()));
      assertStatus(200, send(c.get("/health"), null, null));
      // Ingest from loopback needs no token when none is configured, and no view token either.
      assertStatus(200, send(c.post("/api/v1/orders"), null, ORDER));
    }
  }

  /** Logs in through the form; answers the cookie to send back ("warroom_view=..."). */
  static String login(TestApp app, String token) {
    HttpResponse<Buffer> r = TestApp.await(app.client.post("/login").followRedirects(false)
        .putHeader("Content-Type", "application/x-www-form-urlencoded")
        .sendBuffer(Buffer.buffer("token=" + token)));
    assertEquals(303, r.statusCode());
    assertEquals("/", r.getHeader("Location"));
    String set = r.getHeader("Set-Cookie");
    Assertions.assertTrue(set.toLowerCase().contains("httponly") && set.contains("SameSite=Strict"), set);
    return set.split(";", 2)[0];
  }

  @Test
  void aBrowserThrottledAtTheLoginGetsTheFormBackSayingHowLong() {
    try (TestApp app = startWith(Config.defaults().withTokens(List.of(), ADMIN, VIEW))) {
      String wrong = "token=wrong-0123456789abcdef&tv=1&lang=zh-CN";
      for (int i = 0; i < 10; i++) {
        assertEquals(303, loginForm(app, wrong, "text/html,*/*;q=0.8").statusCode(), "failure " + (i + 1));
      }
      HttpResponse<Buffer> r = loginForm(app, wrong, "text/html,*/*;q=0.8");
      assertEquals(429, r.statusCode());
      long wait = Long.parseLong(r.getHeader("Retry-After"));
      Assertions.assertTrue(wait >= 1 && wait <= 2, "Retry-After " + wait);
      Assertions.assertTrue(r.getHeader("Content-Type").startsWith("text/html"), r.getHeader("Content-Type"));
      String page = r.bodyAsString();
      Assertions.assertTrue(page.contains("<html lang=\"zh-CN\">"), page);
      Assertions.assertTrue(page.contains("<p class=\"error\" role=\"alert\">此地址输错令牌次数过多，请 "
          + wait + " 秒后再试。</p>"), page);
      Assertions.assertTrue(page.contains("name=\"tv\" value=\"1\"") && page.contains("name=\"lang\" value=\"zh-CN\""),
          "the form keeps the wall's settings: " + page);
      // The right token is not looked at meanwhile, and a script gets the JSON answer.
      HttpResponse<Buffer> right = loginForm(app, "token=" + VIEW, "text/html");
      assertEquals(429, right.statusCode());
      assertEquals(null, right.getHeader("Set-Cookie"));
      HttpResponse<Buffer> script = loginForm(app, "token=" + VIEW, null);
      assertEquals(429, script.statusCode());
      Assertions.assertTrue(script.bodyAsJsonObject().getString("error")
          .startsWith("too many failed authentications from this address"), script.bodyAsString());
    }
  }

  private static HttpResponse<Buffer> loginForm(TestApp app, String body, String accept) {
    HttpRequest<Buffer> req = app.client.post("/login").followRedirects(false)
        .putHeader("Content-Type", "application/x-www-form-urlencoded");
    if (accept != null) req.putHeader("Accept", accept);
    return TestApp.await(req.sendBuffer(Buffer.buffer(body)));
  }

  @Test
  void theLoginPageAndKioskLinksSetTheViewCookie() {
    try (TestApp app = startWith(Config.defaults().withTokens(List.of(), ADMIN, VIEW))) {
      var c = app.client;
      HttpResponse<Buffer> page = TestApp.await(c.get("/").followRedirects(false)
          .putHeader("Accept", "text/html").send());
      assertEquals(303, page.statusCode());
      assertEquals("/login", page.getHeader("Location"));
      HttpResponse<Buffer> form = send(c.get("/login"), null, null);
      assertEquals(200, form.statusCode());
      Assertions.assertTrue(form.bodyAsString().contains("name=\"token\""));
      HttpResponse<Buffer> wrong = TestApp.await(c.post("/login").followRedirects(false)
          .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("token=no")));
      assertEquals("/login?failed=1", wrong.getHeader("Location"));
      assertEquals(null, wrong.getHeader("Set-Cookie"));
      String cookie = login(app, VIEW);
      Assertions.assertFalse(cookie.contains(VIEW), "the cookie is not the token");
      assertStatus(200, TestApp.await(c.get("/").putHeader("Cookie", cookie).send()));

      // Kiosk: an admin makes a one-time link; opening it logs the screen in, once.
      assertStatus(401, send(c.post("/api/v1/kiosk"), null, null));
      HttpResponse<Buffer> link = send(c.post("/api/v1/kiosk"), ADMIN, null);
      assertEquals(200, link.statusCode());
      String url = link.bodyAsJsonObject().getString("url");
      HttpResponse<Buffer> open = TestApp.await(c.get(url).followRedirects(false).send());
      assertEquals(303, open.statusCode());
      assertEquals("/?tv=1", open.getHeader("Location"));
      assertEquals(cookie, open.getHeader("Set-Cookie").split(";", 2)[0]);
      assertStatus(403, TestApp.await(c.get(url).followRedirects(false).send()));
    }
  }

  @Test
  void withoutTokensOnlyLoopbackMayIngestOrChangeThePlan() throws Exception {
    InetAddress external = null;
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!ni.isUp() || ni.isLoopback()) continue;
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        if (a instanceof Inet4Address) external = a;
      }
    }
    assumeTrue(external != null, "this machine has a non-loopback address");
    Config config = Config.from(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST", "0.0.0.0"),
        new String[0]);
    try (TestApp app = startWith(config)) {
      WebClient remote = WebClient.create(app.vertx, new WebClientOptions()
          .setDefaultHost(external.getHostAddress()).setDefaultPort(app.port));
      HttpResponse<Buffer> r = send(remote.post("/api/v1/orders"), null, ORDER);
      assertStatus(403, r);
      assertEquals("ingest is accepted from loopback only while WARROOM_INGEST_TOKENS is not set",
          r.bodyAsJsonObject().getString("error"));
      assertStatus(403, send(remote.put("/api/v1/plan"), null, "{}"));
      assertStatus(200, send(remote.get("/api/v1/kpis"), null, null));
      assertStatus(200, send(app.client.post("/api/v1/orders"), null, ORDER));
      remote.close();
    }
  }
}
