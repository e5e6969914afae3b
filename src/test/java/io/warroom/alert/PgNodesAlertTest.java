package io.warroom.alert;

import static io.warroom.Eventually.eventually;
import static io.warroom.alert.TestSupport.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.store.PgTestDb;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes on one database: only the one that holds the lease evaluates and posts; the other
 * shows the same alerts on its stream and API, and what is asked of it (acknowledge, silence) is
 * carried out by the alerting node. When the alerting node stops, the other takes over without
 * notifying again what was already notified.
 */
@ExtendWith(VertxExtension.class)
class PgNodesAlertTest {
  private final Traffic traffic = new Traffic();

  @Test
  void oneNodeAlertsTheOtherFollowsAndTakesOver(Vertx vertx) throws Exception {
    MutableClock clock = MutableClock.at(AlertApiTest.START);
    traffic.clock = clock;
    try (PgTestDb db = PgTestDb.create(); Receiver hook = new Receiver(vertx, 0)) {
      Config config = config(db, hook);
      TestApp a = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config));
      try (TestApp b = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config));
          SseClient stream = SseClient.connect(b.vertx, b.port, null, null)) {
        assertTrue(alerting(a));
        assertFalse(alerting(b));
        assertEquals("snapshot", stream.snapshot(8_000).event());

        traffic.send(b, 1000, 26); // 0.026 on the follower: the alerting node sees it and fires
        eventually(() -> hook.accepted.size() == 1, 30_000, "notified once, by the alerting node");
        SseClient.Event fired = nextAlert(stream);
        assertEquals("conv-1", fired.json().getString("id"));
        assertEquals("firing", fired.json().getString("state"));
        assertEquals(a.get("/api/v1/alerts").bodyAsJsonObject(),
            b.get("/api/v1/alerts").bodyAsJsonObject(), "both nodes list the same alerts");

        clock.advance(Duration.ofSeconds(5));
        HttpResponse<Buffer> ack = post(b, "/api/v1/alerts/conv-1/ack", "");
        assertEquals(200, ack.statusCode(), ack.bodyAsString());
        String ackedAt = clock.instant().toString();
        assertEquals(ackedAt, ack.bodyAsJsonObject().getString("acknowledgedAt"));
        assertEquals(ackedAt, activeOn(a).getString("acknowledgedAt"),
            "carried out by the alerting node");
        assertEquals(clock.instant().toString(), nextAlert(stream).json().getString("acknowledgedAt"),
            "the acknowledgement goes out on the follower's stream too");
        assertEquals(404, post(b, "/api/v1/alerts/nope-1/ack", "").statusCode());

        HttpResponse<Buffer> s = post(b, "/api/v1/alerts/silences",
            "{\"rule\":\"refunds-high\",\"for\":\"1h\",\"comment\":\"refund run\"}");
        assertEquals(201, s.statusCode(), s.bodyAsString());
        String silenceId = s.bodyAsJsonObject().getString("id");
        assertEquals(new JsonArray().add(s.bodyAsJsonObject()), silences(a),
            "the silence is the alerting node's");
        assertEquals(new JsonArray().add(s.bodyAsJsonObject()), silences(b));
        assertEquals(204, TestApp.await(b.client.delete("/api/v1/alerts/silences/" + silenceId)
            .send()).statusCode());
        assertEquals(new JsonArray(), silences(a));
        assertEquals(404, TestApp.await(b.client.delete("/api/v1/alerts/silences/" + silenceId)
            .send()).statusCode());

        a.close();
        eventually(() -> alerting(b), 10_000, "the follower takes over");
        JsonObject taken = activeOn(b);
        assertEquals("conv-1", taken.getString("id"));
        assertEquals(ackedAt, taken.getString("acknowledgedAt"), "its acknowledgement was kept");
        traffic.send(b, 1000, 20); // 46 / 2000 = 0.023: the same episode escalates, posted by b
        eventually(() -> hook.accepted.size() >= 2, 30_000, "escalation notified");
        // b's webhook queue is delivered in order: a notification on taking over would have come
        // before the escalation.
        assertEquals(List.of("conv-1 firing warning", "conv-1 firing critical"), hook.states(),
            "taking over does not notify again");
        assertEquals(2, new HashSet<>(hook.keys).size());
      } finally {
        a.close();
      }
    }
  }

  /**
   * A transaction left open on the database (a pg_dump, a forgotten psql session) holds back
   * neither the records nor the alerts: the follower lists the alert the alerting node fired and
   * counts the records sent to the other node, while it stays open.
   */
  @Test
  void aTransactionLeftOpenHoldsBackNeitherAlertsNorRecordsOnTheFollower(Vertx vertx) throws Exception {
    MutableClock clock = MutableClock.at(AlertApiTest.START);
    traffic.clock = clock;
    try (PgTestDb db = PgTestDb.create(); Receiver hook = new Receiver(vertx, 0);
        Connection open = db.connect(); Statement st = open.createStatement()) {
      Config config = config(db, hook);
      try (TestApp a = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config));
          TestApp b = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config))) {
        assertTrue(alerting(a));
        open.setAutoCommit(false);
        st.execute("SELECT pg_current_xact_id()"); // holds the cluster's xmin from now on
        traffic.send(a, 1000, 26);
        eventually(() -> hook.accepted.size() == 1, 30_000, "notified by the alerting node");
        eventually(() -> b.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active").size() == 1,
            30_000, "the follower lists the alert");
        JsonObject campaign = a.kpis().getJsonObject("windows").getJsonObject("campaign");
        assertEquals(1000, campaign.getLong("sessions"));
        eventually(() -> campaign.equals(b.kpis().getJsonObject("windows").getJsonObject("campaign")),
            30_000, "the follower counts the records sent to the other node");
        assertEquals(a.get("/api/v1/alerts").bodyAsJsonObject(), b.get("/api/v1/alerts").bodyAsJsonObject());
        open.rollback();
      }
    }
  }

  @Test
  void aCommandLeftByAStoppedAlertingNodeIsCarriedOutByTheNext(Vertx vertx) throws Exception {
    MutableClock clock = MutableClock.at(AlertApiTest.START);
    traffic.clock = clock;
    try (PgTestDb db = PgTestDb.create(); Receiver hook = new Receiver(vertx, 0)) {
      Config config = config(db, hook);
      TestApp a = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config));
      try (TestApp b = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config))) {
        traffic.send(a, 1000, 26);
        eventually(() -> hook.accepted.size() == 1, 30_000, "notified once");
        eventually(() -> b.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active").size() == 1,
            30_000, "the follower lists the alert");
        clock.advance(Duration.ofSeconds(5));
        // The alerting node stops; the follower queues the acknowledgement for it (or, if it has
        // already taken over, carries it out at once). Either way the caller gets its answer.
        a.close();
        HttpResponse<Buffer> ack = post(b, "/api/v1/alerts/conv-1/ack", "");
        assertEquals(200, ack.statusCode(), ack.bodyAsString());
        assertEquals(clock.instant().toString(), ack.bodyAsJsonObject().getString("acknowledgedAt"));
        assertTrue(alerting(b));
        assertEquals(clock.instant().toString(), activeOn(b).getString("acknowledgedAt"));
        assertEquals(0L, db.number("SELECT count(*) FROM alert_commands"), "no command left queued");
        // b's webhook queue is delivered in order: a notification on taking over would have come
        // before the escalation.
        traffic.send(b, 1000, 20); // 46 / 2000 = 0.023: critical, posted by b
        eventually(() -> hook.accepted.size() >= 2, 30_000, "escalation notified");
        assertEquals(List.of("conv-1 firing warning", "conv-1 firing critical"), hook.states(),
            "taking over does not notify again");
      } finally {
        a.close();
      }
    }
  }

  @Test
  void aLeaderCutOffFromItsLeaseStopsAndTheOtherAlertsOnceForEachTransition(Vertx vertx) throws Exception {
    MutableClock clock = MutableClock.at(AlertApiTest.START);
    traffic.clock = clock;
    try (PgTestDb db = PgTestDb.create(); Receiver hook = new Receiver(vertx, 0)) {
      Config config = config(db, hook);
      try (TestApp a = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config));
          TestApp b = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config))) {
        traffic.send(a, 1000, 26);
        eventually(() -> hook.accepted.size() == 1, 30_000, "notified once");
        assertTrue(alerting(a));

        // The server ends the session that holds the lock, and takes no new connection for a
        // while, as after a network cut: the process lives on and must stop alerting; the other
        // node, whose connections stay open, takes the duty.
        assertEquals(1L, db.number("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        PgTestDb.admin("ALTER DATABASE " + db.name + " WITH ALLOW_CONNECTIONS false");
        try {
          PgTestDb.admin("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
              + " AND granted AND database = (SELECT oid FROM pg_database WHERE datname = '" + db.name + "')");
          eventually(() -> alerting(b) && !alerting(a), 30_000, "the duty moves to the other node");
        } finally {
          PgTestDb.admin("ALTER DATABASE " + db.name + " WITH ALLOW_CONNECTIONS true");
        }
        traffic.send(a, 1000, 20); // 46 / 2000 = 0.023: the episode escalates, posted by b alone
        eventually(() -> hook.accepted.size() >= 2, 30_000, "escalation notified");
        assertFalse(alerting(a), "the cut-off node does not take it back while the other holds it");
        // b's queue is delivered in order, so a notification on the move would have come before
        // the escalation. a has a queue of its own: when b stops, a takes the duty back and posts
        // the resolution on that queue; anything a queued while cut off would have come first.
        b.close();
        eventually(() -> alerting(a), 30_000, "the cut-off node takes the duty back");
        traffic.send(a, 6000, 300); // 346 / 8000 = 0.043: resolved, posted by a
        eventually(() -> hook.accepted.size() >= 3, 30_000, "resolution notified");
        assertEquals(List.of("conv-1 firing warning", "conv-1 firing critical",
            "conv-1 resolved critical"), hook.states(),
            "the move does not notify again, and the escalation is posted once");
        assertEquals(3, new HashSet<>(hook.keys).size());
      }
    }
  }

  /**
   * A firing alert back past its threshold but not yet by its rule's margin is listed under the
   * snapshot's {@code recovering} by both nodes, as the alerting node judges it, without a
   * transition; and no longer once it resolves.
   */
  @Test
  void bothNodesListARecoveringAlert(Vertx vertx) throws Exception {
    MutableClock clock = MutableClock.at(AlertApiTest.START);
    traffic.clock = clock;
    Plan plan = PlanParser.parse("{\"id\":\"t\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\","
        + "\"timezone\":\"Asia/Shanghai\",\"staleFeedMinutes\":0,\"alerts\":[{\"id\":\"conv\","
        + "\"kpi\":\"conversion\",\"window\":\"last1h\",\"op\":\"<\",\"warn\":0.027,"
        + "\"critical\":0.024,\"clear\":0.003}]}");
    try (PgTestDb db = PgTestDb.create(); Receiver hook = new Receiver(vertx, 0)) {
      Config config = config(db, hook);
      try (TestApp a = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config));
          TestApp b = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
        assertTrue(alerting(a));
        traffic.send(b, 1000, 26); // 2.6 %: under 2.7, fires
        eventually(() -> hook.accepted.size() == 1, 30_000, "fired");
        assertEquals(new JsonArray(), recovering(a));
        assertEquals(new JsonArray(), recovering(b));
        traffic.send(b, 0, 2); // 2.8 %: back past 2.7, not yet past 3.0
        JsonArray conv = new JsonArray().add("conv");
        eventually(() -> conv.equals(recovering(a)) && conv.equals(recovering(b)), 10_000,
            "both nodes list it recovering");
        assertEquals("firing", activeOn(b).getString("state"), "still firing");
        traffic.send(b, 0, 3); // 3.1 %: past the margin, resolved
        eventually(() -> hook.accepted.size() == 2, 30_000, "resolved");
        eventually(() -> recovering(a).isEmpty() && recovering(b).isEmpty(), 10_000,
            "no longer listed on either node");
        assertEquals(List.of("conv-1 firing warning", "conv-1 resolved warning"), hook.states());
      }
    }
  }

  private static JsonArray recovering(TestApp n) {
    return n.get("/api/v1/kpis").bodyAsJsonObject().getJsonArray("recovering");
  }

  private static final Plan PLAN = PlanParser.parse("{\"id\":\"t\",\"start\":\"2026-11-01\","
      + "\"end\":\"2026-12-01\",\"timezone\":\"Asia/Shanghai\"," + PgAlertRestartTest.RULES + "}");

  private static Config config(PgTestDb db, Receiver hook) {
    return Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
        Config.INGEST_RATE, "0", Config.WEBHOOK_URLS, hook.url(), Config.TAIL_POLL_MS, "200"),
        new String[0]).withPgUrl(db.url());
  }

  private static SseClient.Event nextAlert(SseClient stream) {
    SseClient.Event e;
    do {
      e = stream.next(8_000);
    } while (!e.event().equals("alert"));
    return e;
  }

  private static JsonObject activeOn(TestApp n) {
    return n.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active").getJsonObject(0);
  }

  private static JsonArray silences(TestApp n) {
    return TestApp.await(n.client.get("/api/v1/alerts/silences").send()).bodyAsJsonObject()
        .getJsonArray("silences");
  }

  private static boolean alerting(TestApp n) {
    return n.get("/ready").bodyAsJsonObject().getBoolean("alerting");
  }

}
