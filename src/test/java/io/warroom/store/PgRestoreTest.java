package io.warroom.store;

import static io.warroom.Eventually.eventually;
import static io.warroom.store.PgTailTest.campaign;
import static io.warroom.store.PgTailTest.insert;
import static io.warroom.store.PgTailTest.notifyNodes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A database restored into another cluster (pg_dump and restore, an upgrade by dump, a logical
 * copy) keeps the xid each row was written with, while the new cluster's transaction counter may
 * be far below. Here such rows are written as a restore writes them: the xid column given, a
 * billion transactions past this cluster's counter. Before the repair the node waited for them
 * for ever (lag without end, /ready 503); now each row counts once and the node is ready.
 */
@ExtendWith(VertxExtension.class)
class PgRestoreTest {
  static final String RESTORED = "INSERT INTO records (type, id, ts, amount_cents, customer_id, "
      + "channel, batch, node, xid) VALUES ('order', ?, ?, ?, ?, 'tmall', gen_random_uuid(), 1, "
      + "(pg_current_xact_id()::text::int8 + 1000000000)::text::xid8)";

  @Test
  void rowsRestoredAheadOfTheCounterCountOnceAndTheNodeIsReady(Vertx vertx) throws Exception {
    try (PgTestDb db = PgTestDb.create(); Connection writer = db.connect()) {
      start(vertx, db).close(); // makes the tables
      restored(writer, "r1", 100);
      restored(writer, "r2", 200);
      restored(writer, "r3", 300);
      try (TestApp node = start(vertx, db)) {
        assertEquals(3, campaign(node).getLong("orders"), "the rebuild reads restored rows by time");
        assertEquals(6.00, campaign(node).getDouble("grossRevenue"));
        assertEquals(0, db.number("SELECT count(*) FROM records WHERE xid IS NOT NULL"),
            "the xids from the other cluster are cleared");
        insert(writer, "new", 400); // another node, on this cluster's counter
        notifyNodes(writer);
        eventually(() -> campaign(node).getLong("orders") == 4, "a new row is folded in");
        assertEquals(10.00, campaign(node).getDouble("grossRevenue"));
        eventually(() -> ready(node), "ready and caught up");
      }
    }
  }

  @Test
  void rowsRestoredUnderARunningNodeAreRepairedAndRebuilt(Vertx vertx) throws Exception {
    try (PgTestDb db = PgTestDb.create(); TestApp node = start(vertx, db);
        Connection writer = db.connect()) {
      insert(writer, "before", 100);
      notifyNodes(writer);
      eventually(() -> campaign(node).getLong("orders") == 1, "the first row is folded in");
      restored(writer, "r1", 200);
      restored(writer, "r2", 300);
      notifyNodes(writer);
      eventually(() -> campaign(node).getLong("orders") == 3, "restored rows counted by a rebuild");
      assertEquals(6.00, campaign(node).getDouble("grossRevenue"));
      assertEquals(2, db.number("SELECT count(*) FROM records WHERE xid IS NULL"));
      insert(writer, "after", 400);
      notifyNodes(writer);
      eventually(() -> campaign(node).getLong("orders") == 4, "the tail reads on after the repair");
      assertEquals(10.00, campaign(node).getDouble("grossRevenue"), "each row once");
      eventually(() -> ready(node), "ready and caught up");
    }
  }

  @Test
  void rowsAnotherNodeRepairedAreCountedByARebuild(Vertx vertx) throws Exception {
    try (PgTestDb db = PgTestDb.create(); TestApp a = start(vertx, db); TestApp b = start(vertx, db);
        Connection writer = db.connect()) {
      insert(writer, "before", 100);
      notifyNodes(writer);
      eventually(() -> campaign(a).getLong("orders") == 1 && campaign(b).getLong("orders") == 1,
          "the first row on both");
      // A third node finds restored rows first and repairs them, as PgRestore does: their xids
      // are cleared before these two see them, so their tails never read them; only a rebuild does.
      writer.setAutoCommit(false);
      restored(writer, "r1", 200);
      restored(writer, "r2", 300);
      try (Statement s = writer.createStatement()) {
        assertEquals(2, s.executeUpdate(PgRestore.CLEAR_RECORDS));
        s.executeUpdate("INSERT INTO restore_repairs (records, alert_transitions) VALUES (2, 0)");
      }
      writer.commit();
      writer.setAutoCommit(true);
      notifyNodes(writer);
      eventually(() -> campaign(a).getLong("orders") == 3 && campaign(b).getLong("orders") == 3,
          "restored rows counted on both nodes");
      assertEquals(6.00, campaign(a).getDouble("grossRevenue"));
      assertEquals(6.00, campaign(b).getDouble("grossRevenue"));
      insert(writer, "after", 400);
      notifyNodes(writer);
      eventually(() -> campaign(a).getLong("orders") == 4 && campaign(b).getLong("orders") == 4,
          "both read on after the repair");
      assertEquals(10.00, campaign(a).getDouble("grossRevenue"), "each row once");
      assertEquals(10.00, campaign(b).getDouble("grossRevenue"), "each row once");
    }
  }

  /** Poll every 200 ms; /ready says 503 past 1 s of lag. */
  static TestApp start(Vertx vertx, PgTestDb db) {
    Config config = db.config().withNodes(new Config.Nodes(200, 1_000));
    return TestApp.deploy(vertx, config, PgTailTest.PLAN, MutableClock.at(PgTailTest.NOW),
        Stores.factory(config));
  }

  static boolean ready(TestApp node) {
    var r = node.get("/ready");
    JsonObject body = r.bodyAsJsonObject();
    return r.statusCode() == 200 && body.getDouble("lagSeconds") < 0.5;
  }

  static void restored(Connection c, String id, long cents) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RESTORED)) {
      ps.setString(1, id);
      ps.setTimestamp(2, Timestamp.from(Instant.parse("2026-11-11T10:00:00Z")));
      ps.setLong(3, cents);
      ps.setString(4, "c-" + id);
      ps.executeUpdate();
    }
  }
}
