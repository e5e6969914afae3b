package io.warroom.store;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.SseClient;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node folds in the records that other writers commit to its database, read in commit-safe
 * order: a row whose transaction commits late is waited for, never skipped; a notification wakes
 * the node, and one lost while its listening connection was down is made up for on reconnect.
 * The other writers here are plain JDBC transactions, so their timing is the test's to choose.
 */
@ExtendWith(VertxExtension.class)
class PgTailTest {
  static final String NOW = "2026-11-11T12:00:00Z";
  static final Plan PLAN = PlanParser.parse("{\"id\":\"tail\",\"start\":\"2026-11-01\","
      + "\"end\":\"2026-12-01\",\"timezone\":\"UTC\",\"staleFeedMinutes\":0}");
  static final String INSERT = "INSERT INTO records (type, id, ts, amount_cents, customer_id, "
      + "channel, batch, node) VALUES ('order', ?, ?, ?, ?, 'tmall', gen_random_uuid(), 0)";

  /**
   * A transaction that stays open (a pg_dump, a long query, here an order not yet committed)
   * holds back none of the rows committed after it began: another writer's row is folded in at
   * once, the node's own ingest too, and the node stays ready, however long it stays open (the
   * lag limit is 0.4 s here). Its own row comes when it commits, and nothing comes twice.
   */
  @Test
  void aTransactionLeftOpenHoldsBackNoOtherRowAndItsOwnComesWhenItCommits(Vertx vertx) throws Exception {
    try (PgTestDb db = PgTestDb.create(); TestApp node = start(vertx, db, 200, 400)) {
      try (Connection early = db.connect(); Connection late = db.connect()) {
        early.setAutoCommit(false);
        insert(early, "early", 1_000);          // its transaction began first: the lower xid
        insert(late, "late", 20);               // commits first, with a higher xid
        notifyNodes(late);
        eventually(() -> campaign(node).getLong("orders") == 1, "'late' folded in while 'early' is open");
        assertEquals(0.20, campaign(node).getDouble("grossRevenue"));
        // the node's own ingest, and a second of polls with 'early' still open
        var own = node.post("/api/v1/orders", "application/json", "{\"id\":\"own\",\"ts\":\"" + NOW
            + "\",\"customerId\":\"c-own\",\"amount\":3,\"channel\":\"tmall\"}");
        assertEquals(200, own.statusCode(), own.bodyAsString());
        for (int i = 0; i < 10; i++) {
          var r = node.get("/ready");
          assertEquals(200, r.statusCode(), r.bodyAsString());
          assertTrue(r.bodyAsJsonObject().getDouble("lagSeconds") < 0.4, r.bodyAsString());
          Thread.sleep(150);
        }
        assertEquals(2, campaign(node).getLong("orders"));
        insert(late, "later", 5);               // a second step past the same open transaction
        notifyNodes(late);
        eventually(() -> campaign(node).getLong("orders") == 3, "'later' folded in");
        early.commit();
        notifyNodes(late);
      }
      eventually(() -> campaign(node).getLong("orders") == 4, "'early' folded in once committed");
      assertEquals(13.25, campaign(node).getDouble("grossRevenue"));
      try (Connection c = db.connect()) {
        insert(c, "barrier", 1);
        notifyNodes(c);
      }
      eventually(() -> campaign(node).getLong("orders") >= 5, "a later row folded in");
      assertEquals(5, campaign(node).getLong("orders"), "no row counted twice");
      assertEquals(13.26, campaign(node).getDouble("grossRevenue"));
      assertEquals(200, node.get("/ready").statusCode());
    }
  }

  @Test
  void aNodeThatLoadsWhileATransactionIsOpenCountsEachRowOnce(Vertx vertx) throws Exception {
    try (PgTestDb db = PgTestDb.create(); Connection early = db.connect();
        Connection late = db.connect()) {
      start(vertx, db, 200).close(); // makes the tables
      early.setAutoCommit(false);
      insert(early, "early", 1_000);
      insert(late, "late", 20);
      // The load at start sees "late" but not "early", which began before it and is still open.
      try (TestApp node = start(vertx, db, 200)) {
        assertEquals(1, campaign(node).getLong("orders"), "the load sees the committed row");
        assertEquals(0.20, campaign(node).getDouble("grossRevenue"));
        early.commit();
        notifyNodes(late);
        eventually(() -> campaign(node).getLong("orders") == 2, "the late commit folded in");
        // "late" lies past the cursor too, and must not come again: a row committed after it is
        // read in xid order, so once that is in, "late" would have come with it or before.
        insert(late, "barrier", 5);
        notifyNodes(late);
        eventually(() -> campaign(node).getLong("orders") >= 3, "a later row folded in");
        assertEquals(3, campaign(node).getLong("orders"), "no row counted twice");
        assertEquals(10.25, campaign(node).getDouble("grossRevenue"));

        // The same across a reload for a new plan (PUT /api/v1/plan), with the tail under way.
        early.setAutoCommit(false);
        insert(early, "early2", 3_000);
        insert(late, "late2", 400);
        notifyNodes(late);
        String plan = "{\"id\":\"tail-2\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\","
            + "\"timezone\":\"UTC\",\"staleFeedMinutes\":0}";
        assertEquals(200, TestApp.await(node.client.put("/api/v1/plan")
            .putHeader("Content-Type", "application/json").sendBuffer(
                Buffer.buffer(plan))).statusCode());
        eventually(() -> campaign(node).getLong("orders") == 4, "the reload sees late2");
        early.commit();
        notifyNodes(late);
        eventually(() -> campaign(node).getLong("orders") == 5, "early2 folded in");
        insert(late, "barrier2", 5);
        notifyNodes(late);
        eventually(() -> campaign(node).getLong("orders") >= 6, "a later row folded in");
        assertEquals(6, campaign(node).getLong("orders"), "no row counted twice after the reload");
        assertEquals(44.30, campaign(node).getDouble("grossRevenue"));
      }
    }
  }

  @Test
  void concurrentWritersAndOwnIngestAreEachFoldedInOnce(Vertx vertx) throws Exception {
    try (PgTestDb db = PgTestDb.create(); TestApp node = start(vertx, db, 200)) {
      AtomicInteger failures = new AtomicInteger();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        Thread t = new Thread(() -> {
          Random rnd = new Random(writer);
          try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            for (int tx = 0; tx < 40; tx++) {
              int rows = 1 + rnd.nextInt(30);
              for (int i = 0; i < rows; i++) {
                insert(c, "w" + writer + "-" + tx + "-" + i, 1 + rnd.nextInt(100_000));
              }
              Thread.sleep(rnd.nextInt(15)); // commits interleave with the other writers'
              c.commit();
              if (tx % 5 == 0) notifyNodes(c);
            }
          } catch (Exception e) {
            failures.incrementAndGet();
            throw new IllegalStateException(e);
          }
        });
        t.start();
        writers.add(t);
      }
      StringBuilder own = new StringBuilder();
      for (int i = 0; i < 300; i++) {
        own.append("{\"id\":\"own-").append(i).append("\",\"ts\":\"2026-11-11T11:00:00Z\",")
            .append("\"customerId\":\"c").append(i).append("\",\"amount\":1.01,\"channel\":\"jd\"}\n");
        if (i % 50 == 49) {
          assertEquals(200, node.post("/api/v1/orders", "application/x-ndjson", own.toString())
              .statusCode());
          own.setLength(0);
        }
      }
      for (Thread t : writers) t.join(60_000);
      assertEquals(0, failures.get());
      long rows = db.number("SELECT count(*) FROM records");
      long cents = db.number("SELECT sum(amount_cents) FROM records");
      assertEquals(300 + db.number("SELECT count(*) FROM records WHERE node = 0"), rows);
      eventually(() -> campaign(node).getLong("orders") == rows, "every committed row folded in");
      assertEquals(cents, Math.round(campaign(node).getDouble("grossRevenue") * 100));
      assertEquals(300, node.kpis().getJsonObject("ingest").getLong("accepted"),
          "ingest counts what this node answered");
      // A node started now rebuilds the same figures from the table.
      try (TestApp fresh = start(vertx, db, 200)) {
        assertEquals(campaign(node), campaign(fresh));
      }
    }
  }

  @Test
  void readsPageThroughLargeAndSmallTransactionsWithoutSplittingOne(Vertx vertx) throws Exception {
    // Small transactions, one larger than a page, small ones again: one wake reads them all.
    try (PgTestDb db = PgTestDb.create(); TestApp node = start(vertx, db, 600_000);
        Connection writer = db.connect(); Statement s = writer.createStatement()) {
      String rows = "INSERT INTO records (type, id, ts, amount_cents, customer_id, channel, batch,"
          + " node) SELECT 'order', '%s-' || g, TIMESTAMPTZ '2026-11-11 10:00Z', g %% 1000 + 1,"
          + " 'c-' || g %% 5000, 'tmall', gen_random_uuid(), 0 FROM generate_series(1, %d) g";
      for (int t = 0; t < 15; t++) s.execute(String.format(rows, "before" + t, 1_500));
      s.execute(String.format(rows, "big", PgTail.PAGE + 7_000));
      for (int t = 0; t < 15; t++) s.execute(String.format(rows, "after" + t, 1_500));
      long count = db.number("SELECT count(*) FROM records");
      long cents = db.number("SELECT sum(amount_cents) FROM records");
      assertEquals(30 * 1_500 + PgTail.PAGE + 7_000, count);
      // Every count a screen may show: whole transactions only.
      Set<Long> whole = new HashSet<>();
      for (int k = 0; k <= 15; k++) {
        whole.add(k * 1_500L);
        whole.add(15 * 1_500L + PgTail.PAGE + 7_000 + k * 1_500L);
      }
      try (SseClient screen = SseClient.connect(node.vertx, node.port, null, null)) {
        assertEquals(0, screen.snapshot(8_000).json().getJsonObject("windows").getJsonObject("campaign")
            .getLong("orders"));
        notifyNodes(writer);
        long shown = 0;
        while (shown != count) {
          SseClient.Event e = screen.next(30_000);
          if (!e.event().equals("snapshot")) continue;
          shown = e.json().getJsonObject("windows").getJsonObject("campaign").getLong("orders");
          assertTrue(whole.contains(shown), "a screen showed part of a transaction: " + shown);
        }
      }
      // A row committed after them is read after them: once it is in, none came twice.
      insert(writer, "barrier", 5);
      notifyNodes(writer);
      eventually(() -> campaign(node).getLong("orders") >= count + 1, "a later row folded in");
      assertEquals(count + 1, campaign(node).getLong("orders"), "and none twice");
      assertEquals(cents + 5, Math.round(campaign(node).getDouble("grossRevenue") * 100));
      assertEquals(db.number("SELECT count(DISTINCT customer_id) FROM records"),
          campaign(node).getLong("customers"));
    }
  }

  @Test
  void aNotificationLostWhileTheListenerWasDownIsMadeUpOnReconnect(Vertx vertx) throws Exception {
    // Polling is off (every 10 minutes): only notifications and reconnects bring rows in.
    try (PgTestDb db = PgTestDb.create(); TestApp node = start(vertx, db, 600_000);
        Connection writer = db.connect()) {
      insert(writer, "first", 100);
      notifyNodes(writer);
      eventually(() -> campaign(node).getLong("orders") == 1, "woken by the notification");

      PgTestDb.admin("ALTER DATABASE " + db.name + " WITH ALLOW_CONNECTIONS false");
      try {
        try (Statement s = writer.createStatement()) {
          s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE application_name = 'warroom-listen' AND datname = current_database()");
        }
        eventually(() -> listeners(writer) == 0, "the listener is gone");
        insert(writer, "second", 200);
        // No listening session is left (checked above) and polling is off: this one is lost.
        notifyNodes(writer);
      } finally {
        PgTestDb.admin("ALTER DATABASE " + db.name + " WITH ALLOW_CONNECTIONS true");
      }
      eventually(() -> campaign(node).getLong("orders") == 2, "caught up after reconnecting");
      assertEquals(3.00, campaign(node).getDouble("grossRevenue"));
    }
  }

  static TestApp start(Vertx vertx, PgTestDb db, long pollMs) {
    return start(vertx, db, pollMs, 60_000);
  }

  static TestApp start(Vertx vertx, PgTestDb db, long pollMs, long maxLagMs) {
    Config config = db.config().withNodes(new Config.Nodes(pollMs, maxLagMs));
    return TestApp.deploy(vertx, config, PLAN, MutableClock.at(NOW), Stores.factory(config));
  }

  static JsonObject campaign(TestApp node) {
    return node.kpis().getJsonObject("windows").getJsonObject("campaign");
  }

  static void insert(Connection c, String id, long cents) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setString(1, id);
      ps.setTimestamp(2, Timestamp.from(Instant.parse("2026-11-11T10:00:00Z")));
      ps.setLong(3, cents);
      ps.setString(4, "c-" + id);
      ps.executeUpdate();
    }
  }

  static long listeners(Connection c) {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM "
        + "pg_stat_activity WHERE application_name = 'warroom-listen' AND datname = current_database()")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a node does after it keeps rows: wakes the others (payload "kpis:<node>"). */
  static void notifyNodes(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT pg_notify('warroom', 'kpis:0')")) {
      rs.next();
    }
    if (!c.getAutoCommit()) c.commit();
  }
}
