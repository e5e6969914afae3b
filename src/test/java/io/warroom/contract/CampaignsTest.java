package io.warroom.contract;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.warroom.MutableClock;
import io.warroom.SseClient;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.HiddenHooks;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The calendar of campaigns (CONTRACT section 13): puts of past, current and upcoming plans,
 * their states, overlaps, deletes and access; the plan in force following the clock, with the
 * next campaign taking over at a period's end without a restart (KPIs and the previous period
 * exact, the stream following); the report of a past campaign from its stored records.
 */
public class CampaignsTest extends AppTest {
  static final String ADMIN = "admin-secret-0123456789";
  static final String VIEW = "view-secret-0123456789";
  static final long MINUTE = 60_000L;
  protected TestApp app;
  /** Sends records and checks windows against the oracle (the previous-period tests' feeder). */
  protected PreviousTest feed;

  @AfterEach
  void stop() {
    if (app != null) app.close();
  }

  static Plan month(String id, LocalDate first) {
    return SeedPlan.forMonth(first).toBuilder().id(id).build();
  }

  static final Plan NOV = month("2026-11", LocalDate.of(2026, 11, 1));
  static final Plan DEC = month("2026-12", LocalDate.of(2026, 12, 1));
  static final Plan JAN = month("2027-01", LocalDate.of(2027, 1, 1));

  protected void startAt(Config config, String iso) {
    app = start(config, SeedPlan.forMonth(LocalDate.of(2026, 10, 1)), MutableClock.at(iso));
    feed = new PreviousTest();
    feed.app = app;
  }

  static HttpResponse<Buffer> send(TestApp app, HttpMethod method, String path, String token,
      String body) {
    HttpRequest<Buffer> req = app.client.request(method, path);
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    if (body == null) return TestApp.await(req.send());
    return TestApp.await(req.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
  }

  static HttpResponse<Buffer> put(TestApp app, String id, Plan plan, String token) {
    return send(app, HttpMethod.PUT, "/api/v1/campaigns/" + id, token, PlanParser.toJson(plan).toString());
  }

  static JsonArray list(TestApp app, String token) {
    HttpResponse<Buffer> r = send(app, HttpMethod.GET, "/api/v1/campaigns", token, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonArray();
  }

  /** What GET /api/v1/campaigns answers for these plans and states, by start. */
  static JsonArray expected(Object... planAndState) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < planAndState.length; i += 2) {
      Plan p = (Plan) planAndState[i];
      out.add(new JsonObject().put("id", p.id())
          .put("name", new JsonObject(Map.of("zh-CN", p.name().byLanguage().get("zh-CN"),
              "en", p.name().byLanguage().get("en"))))
          .put("start", p.start().toString()).put("end", p.end().toString())
          .put("state", planAndState[i + 1]));
    }
    return out;
  }

  static String planInForce(TestApp app, String token) {
    HttpResponse<Buffer> r = send(app, HttpMethod.GET, "/api/v1/kpis", token, null);
    return r.bodyAsJsonObject().getJsonObject("plan").getString("id");
  }

  @Test
  void pastCurrentAndUpcomingCampaignsOverlapsDeletesAndAccess() {
    startAt(Config.defaults().withTokens(List.of(), ADMIN, VIEW), "2026-12-10T12:00:00+08:00");
    assertEquals(new JsonArray(), list(app, VIEW));
    HttpResponse<Buffer> r0;
    // No campaign yet: the configured plan is in force.
    Plan configured = SeedPlan.forMonth(LocalDate.of(2026, 10, 1));
    assertEquals(configured.id(), planInForce(app, VIEW));
    // ... and answers by its id too, plan and report, as the report of the wall does.
    r0 = send(app, HttpMethod.GET, "/api/v1/campaigns/" + configured.id(), VIEW, null);
    assertEquals(200, r0.statusCode(), r0.bodyAsString());
    assertEquals(new JsonObject(HiddenHooks.publicJson(configured).toString()), r0.bodyAsJsonObject());
    r0 = send(app, HttpMethod.GET, "/api/v1/campaigns/" + configured.id() + "/report", VIEW, null);
    assertEquals(200, r0.statusCode(), r0.bodyAsString());
    assertEquals(send(app, HttpMethod.GET, "/api/v1/report", VIEW, null).bodyAsJsonObject(),
        r0.bodyAsJsonObject());

    // Access: only the admin puts and deletes.
    assertEquals(403, put(app, "2027-01", JAN, VIEW).statusCode());
    assertEquals(401, put(app, "2027-01", JAN, null).statusCode());
    assertEquals(401, send(app, HttpMethod.GET, "/api/v1/campaigns", null, null).statusCode());

    HttpResponse<Buffer> r = put(app, "2027-01", JAN, ADMIN);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("upcoming", r.bodyAsJsonObject().getString("state"));
    // Only upcoming: the configured plan stays in force.
    assertEquals(SeedPlan.forMonth(LocalDate.of(2026, 10, 1)).id(), planInForce(app, VIEW));
    assertEquals("past", put(app, "2026-11", NOV, ADMIN).bodyAsJsonObject().getString("state"));
    // A past one and no current one: the latest past one is in force.
    eventually(() -> planInForce(app, VIEW).equals("2026-11"), "the past campaign in force");
    // The configured plan, out of force and never put, is no campaign.
    assertEquals(404, send(app, HttpMethod.GET, "/api/v1/campaigns/" + configured.id(), VIEW, null)
        .statusCode());
    assertEquals(404, send(app, HttpMethod.GET, "/api/v1/campaigns/" + configured.id() + "/report",
        VIEW, null).statusCode());
    assertEquals("current", put(app, "2026-12", DEC, ADMIN).bodyAsJsonObject().getString("state"));
    assertEquals("2026-12", planInForce(app, VIEW));
    assertEquals(expected(NOV, "past", DEC, "current", JAN, "upcoming"), list(app, VIEW));

    // Overlaps are refused, naming the campaign overlapped.
    Plan across = DEC.toBuilder().id("mid").period(LocalDate.of(2026, 12, 20), LocalDate.of(2027, 1, 5))
        .weeks(List.of()).build();
    r = put(app, "mid", across, ADMIN);
    assertEquals(409, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("'2026-12'"), r.bodyAsString());
    Plan longer = NOV.toBuilder().period(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 12, 2))
        .weeks(List.of()).build();
    r = put(app, "2026-11", longer, ADMIN);
    assertEquals(409, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("'2026-12'"), r.bodyAsString());

    // Bad ids and bodies: 400 naming the field.
    r = put(app, "2026-12", JAN, ADMIN);
    assertEquals(400, r.statusCode());
    assertEquals("id", r.bodyAsJsonObject().getString("field"));
    r = put(app, "Bad!", JAN.toBuilder().id("Bad!").build(), ADMIN);
    assertEquals(400, r.statusCode());
    assertEquals("id", r.bodyAsJsonObject().getString("field"));
    r = put(app, "x".repeat(65), JAN.toBuilder().id("x".repeat(65)).build(), ADMIN);
    assertEquals(400, r.statusCode());
    assertEquals("id", r.bodyAsJsonObject().getString("field"));
    r = send(app, HttpMethod.PUT, "/api/v1/campaigns/feb", ADMIN,
        PlanParser.toJson(JAN.toBuilder().id("feb").build()).put("end", "2026-12-01").toString());
    assertEquals(400, r.statusCode());
    assertEquals("end", r.bodyAsJsonObject().getString("field"));
    r = send(app, HttpMethod.PUT, "/api/v1/campaigns/feb", ADMIN, "{");
    assertEquals(400, r.statusCode());
    assertEquals(expected(NOV, "past", DEC, "current", JAN, "upcoming"), list(app, VIEW));

    // The plan of a campaign; unknown ones are 404.
    r = send(app, HttpMethod.GET, "/api/v1/campaigns/2027-01", VIEW, null);
    assertEquals(200, r.statusCode());
    assertEquals(new JsonObject(HiddenHooks.publicJson(JAN).toString()), r.bodyAsJsonObject());
    assertEquals(404, send(app, HttpMethod.GET, "/api/v1/campaigns/nope", VIEW, null).statusCode());
    for (String odd : List.of("%00", "%ED%A0%80", "A", "x".repeat(300), "%E2%82%AC")) {
      assertEquals(404, send(app, HttpMethod.GET, "/api/v1/campaigns/" + odd, VIEW, null).statusCode(), odd);
      assertEquals(404, send(app, HttpMethod.GET, "/api/v1/campaigns/" + odd + "/report", VIEW, null)
          .statusCode(), odd);
      assertEquals(404, send(app, HttpMethod.DELETE, "/api/v1/campaigns/" + odd, ADMIN, null).statusCode(), odd);
      assertEquals(400, send(app, HttpMethod.PUT, "/api/v1/campaigns/" + odd, ADMIN, "{}").statusCode(), odd);
    }

    // The report of an upcoming campaign: nothing yet; the forms of GET /api/v1/report.
    r = send(app, HttpMethod.GET, "/api/v1/campaigns/2027-01/report", VIEW, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(false, r.bodyAsJsonObject().getBoolean("final"));
    r = send(app, HttpMethod.GET, "/api/v1/campaigns/2027-01/report?format=csv", VIEW, null);
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("text/csv"));
    assertTrue(r.getHeader("Content-Disposition").contains("report-2027-01.csv"));
    assertEquals(400, send(app, HttpMethod.GET, "/api/v1/campaigns/2027-01/report?format=xls", VIEW, null)
        .statusCode());

    // Deletes: upcoming only.
    assertEquals(403, send(app, HttpMethod.DELETE, "/api/v1/campaigns/2027-01", VIEW, null).statusCode());
    assertEquals(409, send(app, HttpMethod.DELETE, "/api/v1/campaigns/2026-12", ADMIN, null).statusCode());
    assertEquals(409, send(app, HttpMethod.DELETE, "/api/v1/campaigns/2026-11", ADMIN, null).statusCode());
    assertEquals(404, send(app, HttpMethod.DELETE, "/api/v1/campaigns/nope", ADMIN, null).statusCode());
    assertEquals(204, send(app, HttpMethod.DELETE, "/api/v1/campaigns/2027-01", ADMIN, null).statusCode());
    assertEquals(expected(NOV, "past", DEC, "current"), list(app, VIEW));

    // Put again under its id: replaced, and in force at once.
    Map<String, BigDecimal> targets = new LinkedHashMap<>(DEC.targets());
    targets.put("revenue", new BigDecimal("7000000"));
    Plan dec2 = DEC.toBuilder().targets(targets).build();
    assertEquals(200, put(app, "2026-12", dec2, ADMIN).statusCode());
    JsonObject inForce = send(app, HttpMethod.GET, "/api/v1/plan", VIEW, null).bodyAsJsonObject();
    assertEquals(0, new BigDecimal("7000000").compareTo(
        new BigDecimal(inForce.getJsonObject("targets").getValue("revenue").toString())));

    // A milestone signed off is kept with the campaign in force.
    r = send(app, HttpMethod.POST, "/api/v1/plan/milestones", ADMIN,
        "{\"week\": 1, \"index\": 0, \"done\": true, \"by\": \"王经理\"}");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject kept = send(app, HttpMethod.GET, "/api/v1/campaigns/2026-12", VIEW, null).bodyAsJsonObject();
    assertEquals("王经理", kept.getJsonArray("weeks").getJsonObject(0).getJsonArray("milestones")
        .getJsonObject(0).getJsonObject("done").getString("by"), kept.encode());
    assertEquals(expected(NOV, "past", DEC, "current"), list(app, VIEW));

    // PUT /api/v1/plan replaces the campaign in force, in the calendar too.
    Plan renamed = dec2.toBuilder().id("december").build();
    r = send(app, HttpMethod.PUT, "/api/v1/plan", ADMIN, PlanParser.toJson(renamed).toString());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("december", planInForce(app, VIEW));
    assertEquals(expected(NOV, "past", renamed, "current"), list(app, VIEW));
    // ... and is refused when its period would leave it out of force.
    r = send(app, HttpMethod.PUT, "/api/v1/plan", ADMIN, PlanParser.toJson(JAN).toString());
    assertEquals(409, r.statusCode(), r.bodyAsString());
    assertEquals("december", planInForce(app, VIEW));
    assertEquals(expected(NOV, "past", renamed, "current"), list(app, VIEW));
  }

  @Test
  void theNextCampaignTakesOverAtThePeriodsEnd() throws Exception {
    startAt(Config.defaults(), "2026-11-30T23:50:00+08:00");
    assertEquals(200, put(app, "2026-11", NOV, null).statusCode());
    assertEquals(200, put(app, "2026-12", DEC, null).statusCode());
    assertEquals("2026-11", planInForce(app, null));
    long end = NOV.endMillis();
    try (SseClient stream = SseClient.connect(app.vertx, app.port, null, null)) {
      assertEquals("2026-11", stream.snapshot(10_000).json().getJsonObject("plan").getString("id"));
      feed.plan = NOV;
      feed.send(times(NOV.startMillis(), end, 150));
      app.clock.set(Instant.ofEpochMilli(end - 2 * MINUTE));
      feed.send(List.of(end - 1, end - MINUTE, end, end + 1, end + 3 * MINUTE)); // ahead by < 5 min
      JsonNode s = feed.check();
      Expect.campaign(s, feed.sent, NOV);

      // The period ends: December takes over on the clock alone, and the stream follows.
      app.clock.set(Instant.ofEpochMilli(end));
      waitForPlan(stream, "2026-12");
      assertEquals("2026-12", planInForce(app, null));
      feed.plan = DEC;
      s = feed.check(); // December's previous period is November, exact
      assertEquals("2026-11-01", s.at("/plan/previous/start").asText());
      assertEquals("2026-12-01", s.at("/plan/previous/end").asText());
      Expect.windowsAndBreakdowns(s, feed.sent, DEC);

      // Records on both sides of the edge after the switch: late November ones count in the
      // previous period, December ones in the campaign.
      app.clock.advance(Duration.ofMinutes(7).plusMillis(123));
      feed.send(List.of(end - 1, end - 30 * MINUTE, end, end + 1, end + 5 * MINUTE,
          end + 7 * MINUTE + 100));
      feed.send(times(NOV.startMillis(), end, 40));
      s = feed.check();
      Expect.windowsAndBreakdowns(s, feed.sent, DEC);
      assertTrue(s.at("/windows/previous/orders").asLong() > 50);
    }
    // The report of the past campaign, from its records, final as of its end.
    HttpResponse<Buffer> r = send(app, HttpMethod.GET, "/api/v1/campaigns/2026-11/report", null, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    checkReport(r.bodyAsJsonObject(), NOV, feed.sent);
    assertEquals(404, send(app, HttpMethod.GET, "/api/v1/campaigns/nope/report", null, null).statusCode());
    // The report of the campaign in force is GET /api/v1/report.
    r = send(app, HttpMethod.GET, "/api/v1/campaigns/2026-12/report", null, null);
    JsonObject live = send(app, HttpMethod.GET, "/api/v1/report", null, null).bodyAsJsonObject();
    assertEquals(live.getJsonArray("kpis"), r.bodyAsJsonObject().getJsonArray("kpis"));
    assertEquals("2026-12", r.bodyAsJsonObject().getJsonObject("plan").getString("id"));
  }

  @Test
  void theCalendarKeepsAtMost500Campaigns() {
    startAt(Config.defaults(), "2026-12-10T12:00:00+08:00");
    LocalDate day = LocalDate.of(2027, 1, 1);
    for (int i = 0; i < 500; i++) {
      Plan p = DEC.toBuilder().id("d" + i).period(day.plusDays(i), day.plusDays(i + 1))
          .weeks(List.of()).build();
      HttpResponse<Buffer> r = put(app, p.id(), p, null);
      assertEquals(200, r.statusCode(), r.bodyAsString());
    }
    // Put again under a kept id is still a replacement, with the calendar full.
    assertEquals(200, put(app, "d7", DEC.toBuilder().id("d7").period(day.plusDays(7), day.plusDays(8))
        .weeks(List.of()).build(), null).statusCode());
    theCalendarIsFull(day);
  }

  /**
   * With campaigns d0 to d499 a day each from {@code day}: a 501st is refused (409, naming the
   * limit) until one is deleted.
   */
  void theCalendarIsFull(LocalDate day) {
    Plan extra = DEC.toBuilder().id("d500").period(day.plusDays(500), day.plusDays(501))
        .weeks(List.of()).build();
    HttpResponse<Buffer> r = put(app, "d500", extra, null);
    assertEquals(409, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getString("error").contains("500"), r.bodyAsString());
    assertEquals(204, send(app, HttpMethod.DELETE, "/api/v1/campaigns/d0", null, null).statusCode());
    assertEquals(200, put(app, "d500", extra, null).statusCode());
    JsonArray all = list(app, null);
    assertEquals(500, all.size());
    assertEquals("d1", all.getJsonObject(0).getString("id"));
    assertEquals("d500", all.getJsonObject(499).getString("id"));
  }

  /** Random times in [from, min(to, now)]. */
  List<Long> times(long from, long to, int n) {
    long last = Math.min(to, app.clock.millis() + 1);
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(from + (long) (feed.rnd.nextDouble() * (last - from)));
    return out;
  }

  static void waitForPlan(SseClient stream, String id) {
    long deadline = System.currentTimeMillis() + 15_000;
    while (true) {
      JsonObject snap = stream.snapshot(Math.max(1, deadline - System.currentTimeMillis())).json();
      if (snap.getJsonObject("plan").getString("id").equals(id)) return;
    }
  }

  /** A past campaign's report: its KPIs exact from the records of its period, final. */
  static void checkReport(JsonObject report, Plan plan, List<Oracle.R> sent) {
    assertEquals(plan.id(), report.getJsonObject("plan").getString("id"));
    assertEquals(Instant.ofEpochMilli(plan.endMillis()).toString(), report.getString("asOf"));
    assertEquals(true, report.getBoolean("final"));
    Oracle.Window w = Oracle.window(sent, plan.startMillis(), plan.endMillis(),
        Set.copyOf(plan.onlineChannels()));
    int checked = 0;
    for (Object o : report.getJsonArray("kpis")) {
      JsonObject k = (JsonObject) o;
      if (k.getBoolean("focus", false)) continue;
      Object expected = Oracle.value(w, k.getString("id"));
      Object actual = k.getValue("value");
      String what = plan.id() + " report " + k.getString("id");
      if (expected == null) {
        assertEquals(null, actual, what);
      } else if (expected instanceof BigDecimal d) {
        assertEquals(0, d.compareTo(new BigDecimal(actual.toString())), what + ": " + actual);
      } else if (expected instanceof Long l) {
        assertEquals(l.longValue(), ((Number) actual).longValue(), what);
      } else {
        assertEquals((Double) expected, ((Number) actual).doubleValue(), 1e-9, what);
      }
      checked++;
    }
    assertTrue(checked >= 5, "KPIs checked: " + checked);
  }
}
