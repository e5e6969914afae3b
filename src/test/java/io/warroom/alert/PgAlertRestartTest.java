package io.warroom.alert;

import static io.warroom.Eventually.eventually;
import static io.warroom.alert.TestSupport.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.store.PgTestDb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With PostgreSQL, active alerts, acknowledgements, history and silences survive a restart, the
 * records too, so a condition that still holds is not notified again.
 */
@ExtendWith(VertxExtension.class)
class PgAlertRestartTest {
  static final String RULES = "\"staleFeedMinutes\":0,\"alerts\":["
      + "{\"id\":\"conv\",\"kpi\":\"conversion\",\"window\":\"last1h\",\"op\":\"<\",\"warn\":0.027,"
      + "\"critical\":0.024},"
      + "{\"id\":\"refunds-high\",\"kpi\":\"refunds\",\"window\":\"last1h\",\"op\":\">\",\"warn\":1000,"
      + "\"critical\":5000}]";

  private final Traffic traffic = new Traffic();

  /** November, with the rules above. */
  static Plan plan() {
    return PlanParser.parse("{\"id\":\"t\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\","
        + "\"timezone\":\"Asia/Shanghai\"," + RULES + "}");
  }

  /** A node on {@code db} posting to {@code hook}. */
  static Config config(PgTestDb db, Receiver hook) {
    return Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
        Config.INGEST_RATE, "0", Config.WEBHOOK_URLS, hook.url()), new String[0])
        .withPgUrl(db.url());
  }

  @Test
  void alertStateSurvivesARestartAndNobodyIsNotifiedTwice(Vertx vertx) {
    MutableClock clock = MutableClock.at(AlertApiTest.START);
    traffic.clock = clock;
    Plan plan = plan();
    try (PgTestDb db = PgTestDb.create(); Receiver hook = new Receiver(vertx, 0)) {
      Config config = config(db, hook);
      JsonObject before;
      JsonObject silence;
      try (TestApp app = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
        traffic.send(app, 1000, 26); // 0.026: conv-1 firing warning
        eventually(() -> hook.accepted.size() == 1, 5_000, "first notification");
        clock.advance(Duration.ofSeconds(10));
        assertEquals(200, post(app, "/api/v1/alerts/conv-1/ack", "").statusCode());
        HttpResponse<Buffer> s = post(app, "/api/v1/alerts/silences",
            "{\"rule\":\"refunds-high\",\"for\":\"2h\",\"comment\":\"refund run\"}");
        assertEquals(201, s.statusCode(), s.bodyAsString());
        silence = s.bodyAsJsonObject();
        before = app.get("/api/v1/alerts").bodyAsJsonObject();
        eventually(() -> db.number("SELECT count(*) FROM alert_silences") == 1, 5_000, "silence kept");
      }
      assertEquals(1, db.number("SELECT count(*) FROM alert_transitions WHERE kind = 'transition'"));
      assertEquals(1, db.number("SELECT count(*) FROM alert_transitions WHERE kind = 'ack'"),
          "the acknowledgement, for other nodes to replay");
      assertEquals(1, db.number("SELECT count(*) FROM alert_active"));

      clock.advance(Duration.ofSeconds(10));
      try (TestApp app = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
        JsonObject after = app.get("/api/v1/alerts").bodyAsJsonObject();
        assertEquals(before, after, "active (acknowledged) and history as they were");
        assertEquals(new JsonArray().add(silence), TestApp.await(app.client
            .get("/api/v1/alerts/silences").send()).bodyAsJsonObject().getJsonArray("silences"));
        // The records came back too: conversion is still 0.026, so nothing new is said; the
        // webhook queue is delivered in order, so a second notification would come before the
        // escalation.
        traffic.send(app, 1000, 20); // 46 / 2000 = 0.023: the same episode escalates
        eventually(() -> hook.accepted.size() >= 2, 5_000, "escalation notified");
        assertEquals(List.of("conv-1 firing warning", "conv-1 firing critical"), hook.states(),
            "no second notification after the restart");
      }

      try (TestApp app = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
        traffic.send(app, 6000, 300); // 346 / 8000: resolved
        traffic.send(app, 10000, 0); // 346 / 18000 = 0.0192: a new episode numbered after the kept ones
        eventually(() -> hook.accepted.size() == 4, 5_000, "resolved and a new episode");
        assertEquals(List.of("conv-1 firing warning", "conv-1 firing critical",
            "conv-1 resolved critical", "conv-2 firing critical"), hook.states());
        JsonArray history = app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("history");
        assertEquals(4, history.size());
        assertEquals("conv-2", history.getJsonObject(0).getString("id"));
      }
      assertEquals(4, db.number("SELECT count(*) FROM alert_transitions WHERE kind = 'transition'"));
      assertEquals(1, db.number("SELECT count(*) FROM alert_active"));
      assertEquals(2, db.number("SELECT max(episode) FROM alert_transitions WHERE rule = 'conv'"));
    }
  }

}
