package io.warroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.TestApp;
import io.warroom.ingest.Rec;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL store itself: what it writes, what it answers, how it migrates. */
@ExtendWith(VertxExtension.class)
class PgStoreTest {
  private static final long T = Instant.parse("2026-11-11T02:03:04.567Z").toEpochMilli();
  private static PgTestDb db;
  private static OnLoop loop;
  private static PgStore store;

  @BeforeAll
  static void start(Vertx vertx) {
    db = PgTestDb.create();
    loop = new OnLoop(vertx);
    store = loop.store(db.url());
  }

  @AfterAll
  static void stop() {
    if (loop != null) {
      loop.call(() -> store.close());
    }
    if (db != null) db.close();
  }

  @Test
  void keepsEveryFieldOfEveryTypeAsSent() throws SQLException {
    List<Rec> records = List.of(
        Rec.order("f-o1", T, "c-1", 29_999, "tmall", true, "search", 12_000L, 500L),
        Rec.order("f-o2", T + 1, "c-2", 1, "store", null, null, null, null),
        Rec.order("f-o3", T + 2, "c-3", 100, "jd", false, null, 0L, 0L),
        Rec.refund("f-r1", T + 3, "f-o1", 9_999),
        Rec.spend("f-s1", T + 4, "ads", 500_000, "feed", 120_000L, 3_400L),
        Rec.spend("f-s2", T + 5, "crm", 0, null, null, null),
        Rec.visit("f-v1", T + 6, "website", 42),
        Rec.nps("f-n1", T + 7, 10, "c-1"),
        Rec.nps("f-n2", T + 8, 0, null));
    List<Rec> fresh = loop.call(() -> store.append(records));
    assertEquals(records, fresh);

    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT (extract(epoch FROM ts) * 1000)::bigint, amount_cents, customer_id, channel,"
            + " new_customer, ad_channel, cost_cents, discount_cents, order_id, category,"
            + " impressions, clicks, sessions, score FROM records WHERE type = ? AND id = ?")) {
      for (Rec r : records) {
        ps.setString(1, r.type.wire);
        ps.setString(2, r.id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          String what = r.toString();
          assertEquals(r.ts, rs.getLong(1), what);
          assertEquals(r.amountCents, rs.getLong(2), what);
          assertEquals(r.customerId, rs.getString(3), what);
          assertEquals(r.channel, rs.getString(4), what);
          assertEquals(r.newCustomer, (Boolean) rs.getObject(5), what);
          assertEquals(r.adChannel, rs.getString(6), what);
          assertEquals(r.costCents, (Long) rs.getObject(7), what);
          assertEquals(r.discountCents, (Long) rs.getObject(8), what);
          assertEquals(r.orderId, rs.getString(9), what);
          assertEquals(r.category, rs.getString(10), what);
          assertEquals(r.impressions, (Long) rs.getObject(11), what);
          assertEquals(r.clicks, (Long) rs.getObject(12), what);
          Object sessions = rs.getObject(13);
          Object score = rs.getObject(14);
          switch (r.type) {
            case VISIT -> assertEquals(r.sessions, sessions, what);
            case NPS -> assertEquals(r.score, ((Number) score).intValue(), what);
            default -> {
              assertNull(sessions, what);
              assertNull(score, what);
            }
          }
        }
      }
    }
  }

  @Test
  void duplicatesAreWhatTheDatabaseDidNotReturnAndTheNewComeInInputOrder() {
    Rec a = Rec.visit("d-a", T, "jd", 1);
    Rec b = Rec.visit("d-b", T, "jd", 2);
    Rec c = Rec.visit("d-c", T, "jd", 3);
    Rec sameIdOtherType = Rec.nps("d-a", T, 9, null);
    assertEquals(List.of(b, a), loop.call(() -> store.append(List.of(b, a))));
    // The second b (same type and id, other content) is a duplicate, and so is the repeat of c.
    Rec b2 = Rec.visit("d-b", T + 99, "tmall", 50);
    List<Rec> fresh = loop.call(() -> store.append(List.of(c, b2, sameIdOtherType, a, c)));
    assertEquals(List.of(c, sameIdOtherType), fresh);
    assertEquals(4, db.number("SELECT count(*) FROM records WHERE id LIKE 'd-%'"));
    assertEquals(2, db.number("SELECT sessions FROM records WHERE type = 'visit' AND id = 'd-b'"));
    assertEquals(List.of(), loop.call(() -> store.append(List.of())));
  }

  /**
   * Batches that share keys, sent at once in different orders, must not deadlock (each takes its
   * key locks in one order) and must hand every key over as new exactly once.
   */
  @Test
  void overlappingBatchesAtOnceKeepEachRecordOnce() {
    List<Rec> all = new ArrayList<>();
    for (int i = 0; i < 3000; i++) all.add(Rec.visit("ov-" + i, T, "tmall", 1));
    Random rnd = new Random(7);
    List<Future<List<Rec>>> results = loop.call(() -> {
      List<Future<List<Rec>>> started = new ArrayList<>();
      for (int k = 0; k < 12; k++) {
        List<Rec> batch = new ArrayList<>(all);
        Collections.shuffle(batch, rnd);
        started.add(store.append(batch.subList(0, 1500)));
      }
      return Future.succeededFuture(started);
    });
    Set<String> seen = new HashSet<>();
    int fresh = 0;
    for (Future<List<Rec>> f : results) {
      for (Rec r : TestApp.await(f)) {
        fresh++;
        if (!seen.add(r.id)) throw new AssertionError(r.id + " was new twice");
      }
    }
    long kept = db.number("SELECT count(*) FROM records WHERE id LIKE 'ov-%'");
    assertEquals(kept, fresh);
    assertEquals(kept, seen.size());
  }

  @Test
  void commitsWaitForTheWalEvenWhenTheDatabaseDefaultIsOff() {
    db.execute("ALTER DATABASE " + db.name + " SET synchronous_commit = off");
    PgStore other = loop.store(db.url());
    try {
      List<String> seen = new ArrayList<>();
      IntStream.range(0, PgStore.POOL_SIZE).forEach(i -> seen.add(loop.call(() -> other.pool()
          .query("SHOW synchronous_commit").execute().map(rs -> rs.iterator().next().getString(0)))));
      assertEquals(List.of("on", "on", "on", "on"), seen);
    } finally {
      loop.call(() -> other.close());
      db.execute("ALTER DATABASE " + db.name + " RESET synchronous_commit");
    }
  }

  @Test
  void theSchemaIsVersionedMigrationsAppliedOnce() {
    // a second start on the same database migrates nothing, and says nothing to warn of
    List<String> warnings = new ArrayList<>();
    Handler watch = new Handler() {
      @Override
      public void publish(LogRecord r) {
        String from = String.valueOf(r.getLoggerName());
        if (r.getLevel().intValue() >= Level.WARNING.intValue()
            && (from.startsWith("org.flywaydb") || from.startsWith("io.warroom.store"))) {
          synchronized (warnings) {
            warnings.add(from + ": " + r.getMessage());
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger.getLogger("").addHandler(watch);
    PgStore again;
    try {
      again = loop.store(db.url());
    } finally {
      Logger.getLogger("").removeHandler(watch);
    }
    loop.call(() -> again.close());
    assertEquals(List.of(), warnings);
    String[] versions = {"1", "2", "3", "4", "5", "7", "8", "9", "10", "11", "12", "13"};
    assertEquals(versions.length, db.number("SELECT count(*) FROM flyway_schema_history WHERE success"));
    for (String v : versions) {
      assertEquals(1, db.number("SELECT count(*) FROM flyway_schema_history WHERE version = '" + v
          + "'"));
    }
    assertEquals(1, db.number("SELECT count(*) FROM pg_constraint WHERE conname = 'records_pkey'"
        + " AND contype = 'p'"));
  }

  @Test
  void withoutPostgresTheStartStopsWithAMessageNamingTheDatabase() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // nothing listens here once closed
    }
    String url = "postgresql://postgres@127.0.0.1:" + port + "/nowhere";
    RuntimeException e = assertThrows(RuntimeException.class, () -> loop.store(url));
    assertTrue(e.getMessage().contains("cannot prepare the schema of database 'nowhere' at 127.0.0.1:"
        + port), e.getMessage());

    IllegalStateException exited = assertThrows(IllegalStateException.class,
        () -> ServerProcess.start(Map.of("WARROOM_PG_URL", url)));
    assertTrue(exited.getMessage().contains("warroom: cannot start: cannot prepare the schema of"
        + " database 'nowhere'"), exited.getMessage());
  }
}
