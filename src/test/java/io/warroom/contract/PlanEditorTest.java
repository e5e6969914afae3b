package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.warroom.MutableClock;
import io.warroom.RandomRecords;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.ingest.Rec;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The plan editor's server side (issue 17 item 5): admin login by cookie with a CSRF token, the
 * field a refused plan names, and the preview of a candidate plan's KPIs.
 */
public class PlanEditorTest extends AppTest {
  static final String FEED = "feed-a-0123456789", ADMIN = "boss-0123456789abc",
      VIEW = "wall-0123456789abc";
  static final String NOW = "2026-11-16T10:30:00+08:00";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Plan SEED = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));

  TestApp startWith(Config config) {
    return start(config, SEED, MutableClock.at(NOW));
  }

  static JsonObject seedJson() {
    return new JsonObject(PlanParser.toJson(SEED).toString());
  }

  /** The cookies a login sets, by name: the value and the whole Set-Cookie line. */
  static Map<String, String[]> login(TestApp app, String token, String forwardedProto) {
    HttpRequest<Buffer> req = app.client.post("/login").followRedirects(false)
        .putHeader("Content-Type", "application/x-www-form-urlencoded");
    if (forwardedProto != null) req.putHeader("X-Forwarded-Proto", forwardedProto);
    HttpResponse<Buffer> r = TestApp.await(req.sendBuffer(Buffer.buffer("token=" + token)));
    assertEquals(303, r.statusCode());
    assertEquals("/", r.getHeader("Location"));
    Map<String, String[]> out = new HashMap<>();
    for (String line : r.cookies()) {
      String pair = line.split(";", 2)[0];
      out.put(pair.substring(0, pair.indexOf('=')), new String[] {pair, line});
    }
    return out;
  }

  static String cookieHeader(Map<String, String[]> cookies) {
    List<String> pairs = new ArrayList<>();
    for (String[] c : cookies.values()) pairs.add(c[0]);
    return String.join("; ", pairs);
  }

  static HttpResponse<Buffer> put(TestApp app, String cookie, String csrf, String bearer, JsonObject plan) {
    return send(app.client.put("/api/v1/plan"), cookie, csrf, bearer, plan);
  }

  static HttpResponse<Buffer> preview(TestApp app, String cookie, String csrf, String bearer,
      JsonObject plan) {
    return send(app.client.post("/api/v1/plan/preview"), cookie, csrf, bearer, plan);
  }

  static HttpResponse<Buffer> send(HttpRequest<Buffer> req, String cookie, String csrf, String bearer,
      JsonObject body) {
    if (cookie != null) req.putHeader("Cookie", cookie);
    if (csrf != null) req.putHeader("X-CSRF-Token", csrf);
    if (bearer != null) req.putHeader("Authorization", "Bearer " + bearer);
    req.putHeader("Content-Type", "application/json");
    return TestApp.await(body == null ? req.send() : req.sendBuffer(Buffer.buffer(body.encode())));
  }

  static JsonObject session(TestApp app, String cookie) {
    HttpResponse<Buffer> r = send(app.client.get("/api/v1/session"), cookie, null, null, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  String planId(TestApp app) {
    return send(app.client.get("/api/v1/plan"), null, null, VIEW, null).bodyAsJsonObject().getString("id");
  }

  @Test
  void anAdminLogsInByCookieAndEveryChangeNeedsTheCsrfToken() {
    try (TestApp app = startWith(Config.defaults().withTokens(List.of(FEED), ADMIN, VIEW))) {
      Map<String, String[]> viewer = login(app, VIEW, null);
      assertEquals(Set.of("warroom_view"), viewer.keySet());
      JsonObject asViewer = session(app, cookieHeader(viewer));
      assertEquals(false, asViewer.getBoolean("admin"));
      assertEquals(true, asViewer.getBoolean("adminLogin"));
      assertNull(asViewer.getString("csrf"));

      Map<String, String[]> admin = login(app, ADMIN, null);
      assertEquals(Set.of("warroom_view", "warroom_admin"), admin.keySet());
      String line = admin.get("warroom_admin")[1];
      assertTrue(line.toLowerCase().contains("; httponly") && line.contains("SameSite=Strict"), line);
      assertFalse(line.toLowerCase().contains("; secure"), "plain http: " + line);
      assertFalse(admin.get("warroom_admin")[0].contains(ADMIN), "the cookie is not the token");
      assertTrue(login(app, ADMIN, "https").get("warroom_admin")[1].toLowerCase().contains("; secure"),
          "behind an https proxy the cookie is Secure");

      String cookie = cookieHeader(admin);
      JsonObject s = session(app, cookie);
      assertEquals(true, s.getBoolean("admin"));
      String csrf = s.getString("csrf");
      assertNotNull(csrf);

      JsonObject plan = seedJson().put("id", "edited");
      // Cookie without the CSRF header, or with a wrong one: refused, nothing changes.
      HttpResponse<Buffer> r = put(app, cookie, null, null, plan);
      assertEquals(403, r.statusCode(), r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().getString("error").contains("X-CSRF-Token"), r.bodyAsString());
      assertEquals(403, put(app, cookie, csrf.substring(1) + "0", null, plan).statusCode());
      assertEquals(403, preview(app, cookie, null, null, plan).statusCode());
      // The token of another login does not fit this one.
      String other = session(app, cookieHeader(login(app, ADMIN, null))).getString("csrf");
      assertNotEquals(csrf, other);
      assertEquals(403, put(app, cookie, other, null, plan).statusCode());
      // The view token or the view login cannot edit.
      assertEquals(403, put(app, null, null, VIEW, plan).statusCode());
      assertEquals(401, put(app, cookieHeader(viewer), null, null, plan).statusCode());
      assertEquals(401, preview(app, cookieHeader(viewer), null, null, plan).statusCode());
      // A forged admin cookie.
      String forged = admin.get("warroom_admin")[0];
      forged = forged.substring(0, forged.length() - 1) + (forged.endsWith("0") ? "1" : "0");
      assertEquals(403, put(app, forged + "; " + viewer.get("warroom_view")[0], csrf, null, plan)
          .statusCode());
      assertEquals(SEED.id(), planId(app));

      assertEquals(200, preview(app, cookie, csrf, null, plan).statusCode());
      assertEquals(SEED.id(), planId(app), "a preview puts nothing in force");
      r = put(app, cookie, csrf, null, plan);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals("edited", planId(app));
      // Bearer requests work as before, without a CSRF token.
      assertEquals(200, put(app, null, null, ADMIN, plan.copy().put("id", "by-bearer")).statusCode());
      assertEquals("by-bearer", planId(app));

      HttpResponse<Buffer> out = TestApp.await(app.client.post("/logout").followRedirects(false)
          .putHeader("Cookie", cookie).send());
      assertEquals(303, out.statusCode());
      for (String c : out.cookies()) assertTrue(c.contains("Max-Age=0"), c);
      assertEquals(2, out.cookies().size());
    }
  }

  @Test
  void withoutAnAdminTokenLoopbackEditsAsBefore() {
    try (TestApp app = startWith(Config.defaults())) {
      JsonObject s = session(app, null);
      assertEquals(true, s.getBoolean("admin"));
      assertEquals(false, s.getBoolean("adminLogin"));
      assertEquals(200, put(app, null, null, null, seedJson().put("id", "local")).statusCode());
      // A proxied request is never loopback.
      HttpResponse<Buffer> r = TestApp.await(app.client.get("/api/v1/session")
          .putHeader("X-Forwarded-For", "203.0.113.9").send());
      assertEquals(false, r.bodyAsJsonObject().getBoolean("admin"));
      r = TestApp.await(app.client.post("/api/v1/plan/preview").putHeader("X-Forwarded-For", "203.0.113.9")
          .sendJsonObject(seedJson()));
      assertEquals(403, r.statusCode());
    }
  }

  @Test
  void aRefusedPlanNamesItsFieldInTheAnswer() {
    try (TestApp app = startWith(Config.defaults())) {
      JsonObject bad = seedJson();
      bad.getJsonArray("weeks").getJsonObject(1).put("end", "2026-11-01");
      for (HttpResponse<Buffer> r : List.of(put(app, null, null, null, bad),
          preview(app, null, null, null, bad))) {
        assertEquals(400, r.statusCode(), r.bodyAsString());
        JsonObject body = r.bodyAsJsonObject();
        assertEquals("weeks[1].end: must be after start", body.getString("error"));
        assertEquals("weeks[1].end", body.getString("field"));
        // The reason alone, in English and in Chinese, for a form to show in its language.
        assertEquals(new JsonObject().put("en", "must be after start").put("zh-CN", "必须晚于开始时间"),
            body.getJsonObject("reason"));
        assertEquals(Set.of("error", "field", "reason", "requestId"), body.fieldNames());
      }
      JsonObject target = seedJson();
      target.getJsonObject("targets").put("aov", new JsonObject().put("growth", 500));
      JsonObject body = put(app, null, null, null, target).bodyAsJsonObject();
      assertEquals("targets.aov.growth", body.getString("field"));
      assertEquals(new JsonObject().put("en", "must be from -1 to 100").put("zh-CN", "必须在 -1 到 100 之间"),
          body.getJsonObject("reason"));
      JsonObject cents = seedJson();
      cents.getJsonObject("budget").put("ads", 1.001);
      body = preview(app, null, null, null, cents).bodyAsJsonObject();
      assertEquals("budget.ads: at most 2 decimals", body.getString("error"));
      assertEquals(new JsonObject().put("en", "at most 2 decimals").put("zh-CN", "最多两位小数"),
          body.getJsonObject("reason"));
      body = put(app, null, null, null, seedJson().putNull("id")).bodyAsJsonObject();
      assertEquals("id: is required", body.getString("error"));
      assertEquals(new JsonObject().put("en", "is required").put("zh-CN", "必填"), body.getJsonObject("reason"));
      JsonObject owner = seedJson();
      owner.getJsonArray("alerts").getJsonObject(0).put("owner", "nobody");
      body = put(app, null, null, null, owner).bodyAsJsonObject();
      assertEquals("alerts[0].owner", body.getString("field"));
      assertEquals(new JsonObject().put("en", "no team 'nobody'").put("zh-CN", "不存在团队“nobody”"),
          body.getJsonObject("reason"));
      body = TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer("{\"id\":"))).bodyAsJsonObject();
      assertEquals("plan", body.getString("field"));
      assertTrue(body.getJsonObject("reason").getString("zh-CN").startsWith("不是有效的 JSON（"),
          body.encode());
      assertEquals(SEED.id(), planId(app));
    }
  }

  @Test
  void thePreviewAnswersTheCandidatesKpisFromTheKeptRecords() throws Exception {
    try (TestApp app = startWith(Config.defaults())) {
      long now = app.clock.millis();
      List<Rec> records = new RandomRecords(1717, SEED, now).list(3000);
      HttpResponse<Buffer> in = app.post("/api/v1/events", "application/x-ndjson",
          RandomRecords.ndjson(records, SEED));
      assertEquals(200, in.statusCode(), in.bodyAsString());
      assertEquals(0, in.bodyAsJsonObject().getJsonArray("rejected").size(), in.bodyAsString());
      List<Oracle.R> sent = new ArrayList<>();
      for (Rec r : records) sent.add(Expect.of(r));
      String before = app.get("/api/v1/kpis").bodyAsJsonObject().getJsonObject("windows").encode();

      JsonObject candidate = seedJson().put("id", "mid-month").put("start", "2026-11-05")
          .put("end", "2026-11-25").put("alerts", new JsonArray())
          .put("onlineChannels", new JsonArray().add("tmall").add("website"))
          .put("weeks", new JsonArray().add(new JsonObject().put("start", "2026-11-05")
              .put("end", "2026-11-25").put("activities", new JsonArray().add("all in"))))
          .put("targets", new JsonObject().put("revenue", 250000).put("newCustomers", 30)
              .put("repurchaseRate", 0.5).put("conversion", 0.02).put("aov", 1800).put("roi", 1.5)
              .put("nps", 20).put("onlineShare", 0.3));
      HttpResponse<Buffer> r = preview(app, null, null, null, candidate);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      JsonNode s = JSON.readTree(r.bodyAsString());
      Plan plan = PlanParser.parse(candidate.encode());

      assertEquals("mid-month", s.at("/plan/id").asText());
      Expect.campaign(s, sent, plan);
      Oracle.Window c = Oracle.window(sent, plan.startMillis(), plan.endMillis(),
          Set.copyOf(plan.onlineChannels()));
      double elapsed = (double) (now - plan.startMillis()) / (plan.endMillis() - plan.startMillis());
      assertEquals(elapsed, s.at("/plan/elapsed").doubleValue());
      Map<String, JsonNode> kpis = new HashMap<>();
      s.get("kpis").forEach(k -> {
        if (!k.path("focus").asBoolean()) kpis.put(k.get("id").asText(), k); // FocusTest's
      });
      assertEquals(plan.targets().keySet(), kpis.keySet());

      JsonNode revenue = kpis.get("revenue");
      Expect.money(c.revenue(), revenue.get("value"), "revenue");
      BigDecimal expected = new BigDecimal(25_000_000L).multiply(new BigDecimal(elapsed))
          .setScale(0, RoundingMode.HALF_UP).movePointLeft(2);
      Expect.money(expected, revenue.get("expected"), "expected revenue");
      assertEquals(status(c.revenue().doubleValue(), expected.doubleValue()), revenue.get("status").asText());
      JsonNode nc = kpis.get("newCustomers");
      assertEquals(c.newCustomers.size(), nc.get("value").asLong());
      assertEquals(status(c.newCustomers.size(), 30 * elapsed), nc.get("status").asText());
      ratio(kpis.get("repurchaseRate"), c.repurchaseRate(), 0.5);
      ratio(kpis.get("conversion"), c.conversion(), 0.02);
      Expect.ratio(c.aov(), kpis.get("aov").get("value"), "aov");
      assertEquals(status(c.aov(), 1800), kpis.get("aov").get("status").asText());
      ratio(kpis.get("roi"), c.roi(), 1.5);
      ratio(kpis.get("nps"), c.nps(), 20);
      ratio(kpis.get("onlineShare"), c.onlineShare(), 0.3);

      // Nothing changed in force: the same plan, the same figures.
      assertEquals(SEED.id(), planId(app));
      assertEquals(before, app.get("/api/v1/kpis").bodyAsJsonObject().getJsonObject("windows").encode());
      // Put in force, the candidate gives what the preview showed.
      assertEquals(200, put(app, null, null, null, candidate).statusCode());
      JsonNode after = JSON.readTree(app.get("/api/v1/kpis").bodyAsString());
      assertEquals(s.get("kpis"), after.get("kpis"));
      assertEquals(s.get("windows").get("campaign"), after.get("windows").get("campaign"));
    }
  }

  static void ratio(JsonNode k, Double value, double target) {
    Expect.ratio(value, k.get("value"), k.get("id").asText());
    assertEquals(target, k.get("target").doubleValue());
    assertEquals(status(value, target), k.get("status").asText(), "status of " + k.get("id"));
  }

  static String status(double value, double reference) {
    if (value >= 0.9 * reference) return "ok";
    if (value >= 0.8 * reference) return "warning";
    return "critical";
  }
}
