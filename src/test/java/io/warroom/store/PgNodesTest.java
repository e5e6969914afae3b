package io.warroom.store;

import static io.warroom.Eventually.eventually;
import static io.warroom.store.PgTailTest.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.TestApp;
import io.warroom.plan.PlanParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes (each its own Vert.x) on one database: what one keeps the other shows, a plan put on
 * one is in force on both and after a restart, and exactly one of them alerts at a time.
 */
@ExtendWith(VertxExtension.class)
class PgNodesTest {
  @Test
  void whatOneNodeKeepsTheOtherShowsAndDuplicatesAcrossNodesCountOnce(Vertx vertx) throws Exception {
    try (PgTestDb db = PgTestDb.create(); TestApp a = PgTailTest.start(vertx, db, 200);
        TestApp b = PgTailTest.start(vertx, db, 200)) {
      assertNotEquals(a.get("/ready").bodyAsJsonObject().getInteger("node"),
          b.get("/ready").bodyAsJsonObject().getInteger("node"), "each start its own node number");
      JsonObject first = post(a, order("o-1", "12.34") + order("o-2", "0.66"));
      assertEquals(2, first.getInteger("accepted"));
      JsonObject again = post(b, order("o-2", "0.66") + order("o-3", "100.00"));
      assertEquals(1, again.getInteger("accepted"), "o-2 was kept by the other node");
      assertEquals(1, again.getInteger("duplicates"));
      for (TestApp n : List.of(a, b)) {
        eventually(() -> campaign(n).getLong("orders") == 3, "three orders on each node");
        assertEquals(113.00, campaign(n).getDouble("grossRevenue"));
      }
      // Each folded in what the other kept: a took o-3 from b, b took o-1 and o-2 from a.
      assertTrue(metrics(a).contains("warroom_replication_records_total 1.0"), metrics(a));
      assertTrue(metrics(b).contains("warroom_replication_records_total 2.0"), metrics(b));
      assertTrue(metrics(a).contains("warroom_alerting 1.0"), metrics(a));
      assertTrue(metrics(b).contains("warroom_alerting 0.0"));
      assertTrue(metrics(b).contains("warroom_replication_lag_seconds "));
      assertEquals(2, a.kpis().getJsonObject("ingest").getLong("accepted"));
      assertEquals(1, b.kpis().getJsonObject("ingest").getLong("accepted"));
      assertEquals(1, b.kpis().getJsonObject("ingest").getLong("duplicates"));
    }
  }

  @Test
  void aPlanPutOnOneNodeIsInForceOnEveryNodeAndAfterARestart(Vertx vertx) throws Exception {
    try (PgTestDb db = PgTestDb.create()) {
      JsonObject put = new JsonObject(PlanParser.toJson(PgTailTest.PLAN).toString());
      put.put("id", "tail-2").put("name", "edited").put("targets", new JsonObject().put("revenue", 5000));
      try (TestApp a = PgTailTest.start(vertx, db, 200); TestApp b = PgTailTest.start(vertx, db, 200)) {
        post(a, order("o-1", "10.00"));
        var r = TestApp.await(a.client.put("/api/v1/plan").sendJsonObject(put));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        eventually(() -> "tail-2".equals(b.kpis().getJsonObject("plan").getString("id")),
            "the other node took the plan");
        assertEquals("edited", b.get("/api/v1/plan").bodyAsJsonObject().getString("name"));
        JsonObject revenue = b.kpis().getJsonArray("kpis").getJsonObject(0);
        assertEquals(5000.0, revenue.getDouble("target"));
        assertEquals(10.0, revenue.getDouble("value"), "rebuilt under the new plan");
        // Records kept after the switch still reach both nodes.
        post(b, order("o-2", "5.00"));
        eventually(() -> campaign(a).getLong("orders") == 2, "the tail runs on after the switch");
      }
      try (TestApp restarted = PgTailTest.start(vertx, db, 200)) {
        assertEquals("tail-2", restarted.kpis().getJsonObject("plan").getString("id"),
            "the plan put through the API outlives a restart");
        assertEquals(15.0, campaign(restarted).getDouble("grossRevenue"));
      }
    }
  }

  @Test
  void exactlyOneNodeAlertsAndAnotherTakesOverWhenItStops(Vertx vertx) throws Exception {
    try (PgTestDb db = PgTestDb.create()) {
      TestApp a = PgTailTest.start(vertx, db, 200);
      try (TestApp b = PgTailTest.start(vertx, db, 200)) {
        assertTrue(alerting(a), "the first node takes the duty");
        assertFalse(alerting(b));
        a.close();
        eventually(() -> alerting(b), "the second node takes over within seconds");
        try (TestApp c = PgTailTest.start(vertx, db, 200)) {
          // A node starts once its first try for the lease is answered, then tries every second,
          // one try at a time: once two more have begun, the first of them was answered too.
          long first = lastLeaseTry(db);
          eventually(() -> lastLeaseTry(db) > first, "the newcomer tries again");
          long second = lastLeaseTry(db);
          eventually(() -> lastLeaseTry(db) > second, "and again");
          assertFalse(alerting(c), "a newcomer does not take it from a live node");
          assertTrue(alerting(b));
        }
      } finally {
        a.close();
      }
    }
  }

  /**
   * When the last try for the lease began (microseconds): only a node without the lease tries for
   * it; the one holding it checks its connection with another query.
   */
  private static long lastLeaseTry(PgTestDb db) {
    return db.number("SELECT coalesce(max((extract(epoch FROM query_start) * 1000000)::bigint), 0)"
        + " FROM pg_stat_activity WHERE application_name = 'warroom-lease'"
        + " AND datname = current_database() AND query LIKE '%pg_try_advisory_lock%'");
  }

  static String metrics(TestApp n) {
    return n.get("/metrics").bodyAsString();
  }

  static boolean alerting(TestApp n) {
    return n.get("/ready").bodyAsJsonObject().getBoolean("alerting");
  }

  static String order(String id, String amount) {
    return "{\"id\":\"" + id + "\",\"ts\":\"2026-11-11T10:00:00Z\",\"customerId\":\"c-" + id
        + "\",\"amount\":" + amount + ",\"channel\":\"tmall\"}\n";
  }

  static JsonObject post(TestApp n, String ndjson) {
    var r = n.post("/api/v1/orders", "application/x-ndjson", ndjson);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }
}
