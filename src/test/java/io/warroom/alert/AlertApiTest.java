package io.warroom.alert;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.SseClient;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Alerts through the real server: the stream, GET /api/v1/alerts, ack, silences, timers, metrics. */
@ExtendWith(VertxExtension.class)
class AlertApiTest {
  static final String START = "2026-11-11T02:00:00+08:00";
  static final String ADMIN = "adm-s3cret-0123456789";

  private TestApp app;
  private SseEvents sse;
  private final Traffic traffic = new Traffic();

  @AfterEach
  void close() {
    if (sse != null) sse.close();
    if (app != null) app.close();
  }

  static String plan(String extra) {
    return "{\"id\":\"t\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\",\"timezone\":\"Asia/Shanghai\","
        + "\"alerts\":[{\"id\":\"conv\",\"kpi\":\"conversion\",\"window\":\"last1h\",\"op\":\"<\","
        + "\"warn\":0.027,\"critical\":0.024}]," + extra + "}";
  }

  private void start(Vertx vertx, Config config, String extraPlan) {
    start(vertx, config, PlanParser.parse(plan(extraPlan)));
  }

  private void start(Vertx vertx, Config config, Plan plan) {
    MutableClock clock = MutableClock.at(START);
    app = TestApp.deploy(vertx, config, plan, clock);
    traffic.clock = clock;
  }

  private void ingest(int sessions, int orders) {
    HttpResponse<Buffer> r = app.post("/api/v1/events", "application/x-ndjson",
        traffic.ndjson(sessions, orders));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  @Test
  void aCrossingIngestYieldsAnAlertEventOnTheStreamAndTheList(Vertx vertx) {
    start(vertx, Config.defaults(), "\"staleFeedMinutes\":0");
    sse = SseEvents.open(app.vertx, app.port, null);
    sse.next("snapshot", 5_000);

    ingest(1000, 30); // 30 / 1000 = 0.03: fine
    ingest(200, 0); // 30 / 1200 = 0.025 < 0.027
    SseEvents.Event fired = sse.next("alert", 5_000);
    JsonObject a = fired.json();
    String now = Instant.parse(app.clock.instant().toString()).toString();
    assertEquals(new JsonObject().put("id", "conv-1").put("rule", "conv").put("kpi", "conversion")
        .put("window", "last1h").put("severity", "warning").put("state", "firing")
        .put("value", 0.025).put("threshold", 0.027).put("since", now).putNull("resolvedAt")
        .put("at", now).putNull("acknowledgedAt").put("silenced", false)
        .putNull("owner").putNull("runbook").putNull("risk"), withoutMessage(a));
    assertEquals("conversion over last1h is 0.025, below the warning threshold 0.027",
        a.getString("message"));
    long kpiSeq = app.kpis().getLong("seq");
    assertTrue(fired.id() > 1 && fired.id() <= kpiSeq, "alert id " + fired.id() + " is a seq");

    JsonObject list = app.get("/api/v1/alerts").bodyAsJsonObject();
    assertEquals(new JsonArray().add(a), list.getJsonArray("active"));
    assertEquals(new JsonArray().add(a), list.getJsonArray("history"));

    app.clock.advance(Duration.ofSeconds(30));
    ingest(800, 30); // 60 / 2000 = 0.03
    SseEvents.Event resolved = sse.next("alert", 5_000);
    JsonObject r = resolved.json();
    String later = app.clock.instant().toString();
    assertEquals("resolved", r.getString("state"));
    assertEquals("warning", r.getString("severity"));
    assertEquals(new BigDecimal("0.03"), new BigDecimal(r.getValue("value").toString()));
    assertEquals(now, r.getString("since"));
    assertEquals(later, r.getString("resolvedAt"));
    assertTrue(resolved.id() > fired.id());

    list = app.get("/api/v1/alerts").bodyAsJsonObject();
    assertEquals(0, list.getJsonArray("active").size());
    assertEquals(new JsonArray().add(r).add(a), list.getJsonArray("history"), "newest first");
    assertEquals(1, app.get("/api/v1/alerts?limit=1").bodyAsJsonObject().getJsonArray("history").size());
    assertEquals(400, app.get("/api/v1/alerts?limit=x").statusCode());

    // A client that missed both resumes with the Last-Event-ID it had and gets them, in order.
    try (SseEvents again = SseEvents.open(app.vertx, app.port, fired.id() - 1)) {
      assertEquals(fired.id(), again.next("alert", 2_000).id());
      assertEquals(resolved.id(), again.next("alert", 2_000).id());
    }
    // One that saw the first gets only the second.
    try (SseEvents again = SseEvents.open(app.vertx, app.port, fired.id())) {
      assertEquals(resolved.id(), again.next("alert", 2_000).id());
    }
  }

  /**
   * The snapshot whose status an alert raises reaches a screen before the alert event, whatever
   * the push interval: a tile is never below an alert the screen shows firing.
   */
  @Test
  void theSnapshotAnAlertRaisesComesBeforeTheAlertEvent(Vertx vertx) {
    // the campaign's conversion on target (0.025 against 0.0255): ok until the last hour's alert
    start(vertx, Config.defaults().withPushIntervalMs(60_000),
        "\"staleFeedMinutes\":0,\"targets\":{\"conversion\":0.0255}");
    try (SseClient stream = SseClient.connect(app.vertx, app.port, null, null)) {
      assertEquals("snapshot", stream.next(5_000).event());
      ingest(1000, 30);
      ingest(200, 0); // 30 / 1200 = 0.025 < 0.027 over the last hour
      JsonObject last = null;
      while (true) {
        SseClient.Event e = stream.next(5_000);
        if (e.event().equals("alert")) break;
        if (e.event().equals("snapshot")) last = e.json();
      }
      assertTrue(last != null, "a snapshot before the alert, 60 s before the next push");
      JsonObject conversion = last.getJsonArray("kpis").stream().map(o -> (JsonObject) o)
          .filter(k -> k.getString("id").equals("conversion")).findFirst().orElseThrow();
      assertEquals("warning", conversion.getString("status"), conversion.encode());
      assertEquals(0.025, conversion.getDouble("value"));
    }
  }

  @Test
  void anIngestAnswerComesAfterItsRecordsWereJudgedEvenInANewMinute(Vertx vertx) {
    start(vertx, Config.defaults(), "\"staleFeedMinutes\":0");
    int sessions = 1000;
    int orders = 30;
    ingest(sessions, orders);
    for (int i = 0; i < 10; i++) {
      // Each batch lands in a minute the windows have not reached yet; the answer still waits
      // until it was judged, so the list right after it shows the crossing.
      app.clock.advance(Duration.ofSeconds(61));
      int more = (int) Math.ceil(orders / 0.026) - sessions; // down to about 0.026
      ingest(more, 0);
      sessions += more;
      assertEquals(1, active().size(), "fired by batch " + i);
      app.clock.advance(Duration.ofSeconds(61));
      int up = (int) Math.ceil(sessions * 0.028) - orders; // up to about 0.028
      ingest(0, up);
      orders += up;
      assertEquals(0, active().size(), "resolved by batch " + i);
    }
  }

  private JsonArray active() {
    return app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active");
  }

  @Test
  void timeConditionsFireWithNoNewData(Vertx vertx) {
    // Besides the stale feed, a barrier: a rule that holds from the first visit and fires once
    // it has held for 4m59s, so its firing shows that the rules were judged at 4m59s.
    start(vertx, Config.defaults(), PlanParser.parse("{\"id\":\"t\",\"start\":\"2026-11-01\","
        + "\"end\":\"2026-12-01\",\"timezone\":\"Asia/Shanghai\",\"staleFeedMinutes\":5,"
        + "\"alerts\":[{\"id\":\"visited\",\"kpi\":\"sessions\",\"window\":\"last1h\","
        + "\"op\":\">\",\"warn\":0,\"critical\":1000000,\"for\":\"299s\"}]}"));
    sse = SseEvents.open(app.vertx, app.port, null);
    ingest(10, 0);
    assertEquals("visited-1 pending", idAndState(sse.next("alert", 3_000).json()));
    app.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
    // The stream is ordered: a stale feed judged at 4m59s would come before the barrier or,
    // judged with it, be the next alert after it, at 4m59s.
    JsonObject barrier = sse.next("alert", 3_000).json();
    assertEquals("visited-1 firing", idAndState(barrier), "4m59s without records is not stale yet");
    assertEquals(app.clock.instant().toString(), barrier.getString("at"));
    app.clock.advance(Duration.ofSeconds(1));
    JsonObject a = sse.next("alert", 3_000).json();
    assertEquals(app.clock.instant().toString(), a.getString("at"),
        "4m59s without records is not stale yet");
    assertEquals("feed-stale-1", a.getString("id"));
    assertEquals("firing", a.getString("state"));
    assertEquals("warning", a.getString("severity"));
    assertEquals(5, a.getInteger("value"));
    app.clock.advance(Duration.ofMinutes(5));
    JsonObject c = sse.next("alert", 3_000).json();
    assertEquals("critical", c.getString("severity"));
    assertEquals(10, c.getInteger("value"));
    ingest(1, 0);
    JsonObject r = sse.next("alert", 5_000).json();
    assertEquals("resolved", r.getString("state"));
    assertEquals(0, r.getInteger("value"));
  }

  @Test
  void acknowledgeAndSilenceNeedTheAdminToken(Vertx vertx) {
    start(vertx, Config.defaults().withTokens(List.of(), ADMIN, null), "\"staleFeedMinutes\":0");
    sse = SseEvents.open(app.vertx, app.port, null);
    ingest(1000, 26);
    assertEquals("conv-1", sse.next("alert", 5_000).json().getString("id"));

    assertEquals(401, post("/api/v1/alerts/conv-1/ack", null, "").statusCode());
    assertEquals(403, post("/api/v1/alerts/conv-1/ack", "wrong", "").statusCode());
    app.clock.advance(Duration.ofSeconds(42));
    HttpResponse<Buffer> ok = post("/api/v1/alerts/conv-1/ack", ADMIN, "");
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    String ackedAt = app.clock.instant().toString();
    assertEquals(ackedAt, ok.bodyAsJsonObject().getString("acknowledgedAt"));
    JsonObject event = sse.next("alert", 5_000).json();
    assertEquals("firing", event.getString("state"));
    assertEquals(ackedAt, event.getString("acknowledgedAt"));
    assertEquals(ackedAt, app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active")
        .getJsonObject(0).getString("acknowledgedAt"));
    app.clock.advance(Duration.ofSeconds(1));
    assertEquals(ackedAt, post("/api/v1/alerts/conv-1/ack", ADMIN, "").bodyAsJsonObject()
        .getString("acknowledgedAt"), "a second ack keeps the first time");
    assertEquals(404, post("/api/v1/alerts/nope-1/ack", ADMIN, "").statusCode());

    // Escalation to critical needs a new acknowledgement.
    ingest(1000, 20); // 46 / 2000 = 0.023
    JsonObject crit = sse.next("alert", 5_000).json();
    assertEquals("critical", crit.getString("severity"));
    assertNull(crit.getValue("acknowledgedAt"));

    // Silences: admin only, validated, listed, removable.
    assertEquals(401, post("/api/v1/alerts/silences", null, "{\"rule\":\"conv\",\"for\":\"1h\"}")
        .statusCode());
    assertEquals(401, app.get("/api/v1/alerts/silences").statusCode());
    HttpResponse<Buffer> bad = post("/api/v1/alerts/silences", ADMIN, "{\"rule\":\"nope\",\"for\":\"1h\"}");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.bodyAsJsonObject().getString("error").startsWith("rule: unknown rule 'nope'"),
        bad.bodyAsString());
    bad = post("/api/v1/alerts/silences", ADMIN, "{\"rule\":\"conv\"}");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.bodyAsJsonObject().getString("error").startsWith("for: "), bad.bodyAsString());
    bad = post("/api/v1/alerts/silences", ADMIN, "{\"rule\":\"conv\",\"until\":\"2026-11-10T00:00:00Z\"}");
    assertEquals("until: must be in the future", bad.bodyAsJsonObject().getString("error"));
    assertEquals("until", bad.bodyAsJsonObject().getString("field"));
    assertEquals(new JsonObject().put("en", "must be in the future").put("zh-CN", "必须是将来的时间"),
        bad.bodyAsJsonObject().getJsonObject("reason"));
    bad = post("/api/v1/alerts/silences", ADMIN, "{\"rule\":\"conv\",\"for\":\"31d\"}");
    assertEquals("for: a silence lasts at most 30 days", bad.bodyAsJsonObject().getString("error"));
    assertEquals(new JsonObject().put("en", "a silence lasts at most 30 days").put("zh-CN", "静默最长 30 天"),
        bad.bodyAsJsonObject().getJsonObject("reason"));
    assertEquals(400, post("/api/v1/alerts/silences", ADMIN, "[1]").statusCode());

    HttpResponse<Buffer> created = post("/api/v1/alerts/silences", ADMIN,
        "{\"rule\":\"conv\",\"for\":\"1h\",\"comment\":\"campaign page deploy\"}");
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject s = created.bodyAsJsonObject();
    assertEquals("conv", s.getString("rule"));
    assertEquals(app.clock.instant().plus(Duration.ofHours(1)).toString(), s.getString("endsAt"));
    assertEquals("campaign page deploy", s.getString("comment"));
    JsonObject listed = getAdmin("/api/v1/alerts/silences").bodyAsJsonObject();
    assertEquals(new JsonArray().add(s), listed.getJsonArray("silences"));
    assertEquals(true, app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active")
        .getJsonObject(0).getBoolean("silenced"));

    assertEquals(204, delete("/api/v1/alerts/silences/" + s.getString("id")).statusCode());
    assertEquals(404, delete("/api/v1/alerts/silences/" + s.getString("id")).statusCode());
    assertEquals(0, getAdmin("/api/v1/alerts/silences").bodyAsJsonObject().getJsonArray("silences").size());
    assertEquals(false, app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active")
        .getJsonObject(0).getBoolean("silenced"));

    // A silence ends by itself at its expiry.
    post("/api/v1/alerts/silences", ADMIN, "{\"rule\":\"conv\",\"for\":\"2m\"}");
    app.clock.advance(Duration.ofMinutes(2));
    eventually(() -> getAdmin("/api/v1/alerts/silences").bodyAsJsonObject()
        .getJsonArray("silences").isEmpty(), 3_000, "expired silence removed");

    // Resolved alerts cannot be acknowledged.
    ingest(6000, 300); // 346 / 8000 = 0.04325
    assertEquals("resolved", sse.next("alert", 5_000).json().getString("state"));
    assertEquals(409, post("/api/v1/alerts/conv-1/ack", ADMIN, "").statusCode());
  }

  @Test
  void aNewPlanWithoutTheRuleResolvesItsAlertAndBringsItsOwn(Vertx vertx) {
    start(vertx, Config.defaults(), "\"staleFeedMinutes\":0");
    sse = SseEvents.open(app.vertx, app.port, null);
    ingest(1000, 26);
    assertEquals("firing", sse.next("alert", 5_000).json().getString("state"));
    String newPlan = "{\"id\":\"t2\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\","
        + "\"timezone\":\"Asia/Shanghai\",\"staleFeedMinutes\":0,\"targets\":{\"aov\":150}}";
    HttpResponse<Buffer> put = TestApp.await(app.client.put("/api/v1/plan")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(newPlan)));
    assertEquals(200, put.statusCode(), put.bodyAsString());
    JsonObject gone = sse.next("alert", 5_000).json();
    assertEquals("conv-1", gone.getString("id"));
    assertEquals("resolved", gone.getString("state"));
    assertEquals("resolved: the rule is no longer in the plan", gone.getString("message"));
    // The new plan's AOV target brings a default rule: 100 against 150, below 0.8 of it; the 26
    // orders are short of the 30 it needs.
    ingest(0, 4);
    JsonObject aov = sse.next("alert", 5_000).json();
    assertEquals("target-aov-1", aov.getString("id"));
    assertEquals("pending", aov.getString("state"));
    assertEquals("critical", aov.getString("severity"));
    assertEquals(120, aov.getInteger("threshold"));
  }

  @Test
  void transitionsAreCountedInMetrics(Vertx vertx) {
    start(vertx, Config.defaults(), "\"staleFeedMinutes\":0");
    ingest(1000, 26);
    ingest(1000, 20);
    ingest(6000, 300);
    String metrics = app.get("/metrics").bodyAsString();
    assertTrue(metrics.contains(
        "warroom_alert_transitions_total{rule=\"conv\",severity=\"warning\",state=\"firing\"} 1.0"),
        metrics);
    assertTrue(metrics.contains(
        "warroom_alert_transitions_total{rule=\"conv\",severity=\"critical\",state=\"firing\"} 1.0"));
    assertTrue(metrics.contains(
        "warroom_alert_transitions_total{rule=\"conv\",severity=\"critical\",state=\"resolved\"} 1.0"));
    assertTrue(metrics.contains("warroom_alerts_firing{severity=\"critical\"} 0.0"));
  }

  private HttpResponse<Buffer> post(String path, String token, String body) {
    var req = app.client.post(path).putHeader("Content-Type", "application/json");
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    return TestApp.await(req.sendBuffer(Buffer.buffer(body)));
  }

  private HttpResponse<Buffer> getAdmin(String path) {
    return TestApp.await(app.client.get(path).putHeader("Authorization", "Bearer " + ADMIN).send());
  }

  private HttpResponse<Buffer> delete(String path) {
    return TestApp.await(app.client.delete(path).putHeader("Authorization", "Bearer " + ADMIN).send());
  }

  private static String idAndState(JsonObject a) {
    return a.getString("id") + " " + a.getString("state");
  }

  static JsonObject withoutMessage(JsonObject a) {
    JsonObject c = a.copy();
    c.remove("message");
    return c;
  }
}
