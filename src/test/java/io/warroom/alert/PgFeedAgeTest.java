package io.warroom.alert;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.store.PgTestDb;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On PostgreSQL the feed's silence is measured from when the newest record was kept, also right
 * after a restart and on a node that started later: the wall's "last record" age, its status and
 * the stale-feed alert agree, on every node.
 */
@ExtendWith(VertxExtension.class)
class PgFeedAgeTest {
  static final Plan PLAN = PlanParser.parse("{\"id\":\"t\",\"start\":\"2026-11-01\","
      + "\"end\":\"2026-12-01\",\"timezone\":\"Asia/Shanghai\",\"staleFeedMinutes\":10}");

  private final Traffic traffic = new Traffic();

  static JsonObject ingest(TestApp app) {
    return app.get("/api/v1/kpis").bodyAsJsonObject().getJsonObject("ingest");
  }

  /** Minutes between {@code at} and the instant the snapshot names {@code field}. */
  static double minutesBefore(Instant at, JsonObject ingest, String field) {
    return Duration.between(Instant.parse(ingest.getString(field)), at).toMillis() / 60_000.0;
  }

  @Test
  void aRestartDoesNotRestartTheFeedsSilence(Vertx vertx) {
    MutableClock clock = MutableClock.at(AlertApiTest.START);
    traffic.clock = clock;
    try (PgTestDb db = PgTestDb.create()) {
      Config config = Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
          Config.INGEST_RATE, "0"), new String[0]).withPgUrl(db.url());
      try (TestApp app = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config))) {
        traffic.send(app, 10, 2);
        JsonObject in = ingest(app);
        assertEquals(clock.instant().toString(), in.getString("lastFedAt"));
        assertEquals(0.0, in.getDouble("idleMinutes"));
      }
      // The records arrived 25 minutes ago by the database's clock; the node's clock says now.
      db.execute("UPDATE records SET kept_at = now() - interval '25 minutes'");

      try (TestApp a = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config));
          TestApp b = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config))) {
        for (TestApp app : new TestApp[] {a, b}) {
          JsonObject in = ingest(app);
          double ago = minutesBefore(clock.instant(), in, "lastFedAt");
          // real time passes between the update and the rebuild: at most a minute here
          assertTrue(ago >= 25 && ago < 26, "last fed 25 minutes ago, not at the restart: " + in);
          double idle = in.getDouble("idleMinutes");
          assertTrue(idle >= 25 && idle < 26, "idle as long as the last record is old: " + in);
          assertEquals("critical", in.getString("status"), "twice the 10 stale minutes: " + in);
        }
        eventually(() -> a.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active")
            .stream().map(JsonObject.class::cast).anyMatch(x -> x.getString("rule")
                .equals("feed-stale") && x.getString("severity").equals("critical")),
            5_000, "the stale-feed alert fires at once, critical");

        clock.advance(Duration.ofSeconds(30));
        traffic.send(a, 1, 0);
        for (TestApp app : new TestApp[] {a, b}) {
          TestApp other = app;
          eventually(() -> ingest(other).getDouble("idleMinutes") == 0.0, 5_000,
              "a new record ends the silence on every node");
        }
        assertEquals(clock.instant().toString(), ingest(a).getString("lastFedAt"));
      }

      // Rows kept before the column existed say nothing: the silence counts from the start.
      db.execute("UPDATE records SET kept_at = NULL");
      try (TestApp app = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config))) {
        JsonObject in = ingest(app);
        assertNull(in.getValue("lastFedAt"), in.encode());
        assertEquals(0.0, in.getDouble("idleMinutes"));
        assertEquals("ok", in.getString("status"));
      }
    }
  }
}
