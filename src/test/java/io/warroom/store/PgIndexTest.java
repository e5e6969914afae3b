package io.warroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.alert.PgAlertLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every query a node runs on a timer (tail mark, tail read, one transaction's rows, settling
 * appends in doubt, following the alert log) reads an index, whatever the statistics: on a
 * populated table, before ANALYZE and after, with the plan made for the parameters and the
 * generic plan. A sequential scan there reads the whole table every poll of every idle node.
 */
class PgIndexTest {
  static final int TRANSACTIONS = 200;
  static final int ROWS_EACH = 1_000;
  static final int TRANSITIONS_EACH = 100;

  static PgTestDb db;
  /** The newest xid among the records: the tail reads around it. */
  static long newest;
  /**
   * A tail step's arguments ($1 to $4 of TailCursor.step): the rows of the newest transaction,
   * seen running before, and the one before it.
   */
  static String STEP;
  /**
   * A tail step while the oldest transaction runs: its snapshot's xmin; it ran at the snapshot
   * seen before, whose xmax was the newest xid but one, and runs still (node 0: every row is
   * another node's), with the tail's node and page.
   */
  static String TAIL_STEP_HELD;

  @BeforeAll
  static void populate() throws SQLException {
    db = PgTestDb.create();
    PgDirect.migrate(db.url());
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      // One transaction per batch, as ingest writes them: rows share an xid per batch.
      for (int t = 0; t < TRANSACTIONS; t++) {
        s.execute("INSERT INTO records (type, id, ts, amount_cents, customer_id, channel, "
            + "new_customer, batch, node) SELECT 'order', 'o" + t + "-' || i, "
            + "timestamptz '2026-11-01' + (" + t + " * 1000 + i) * interval '1 minute', 100 + i, "
            + "'c' || (i * 7919 % 5000), 'tmall', i % 5 = 0, gen_random_uuid(), " + (t % 3 + 1)
            + " FROM generate_series(1, " + ROWS_EACH + ") i");
        s.execute("INSERT INTO alert_transitions (alert_id, rule, episode, state, severity, at, "
            + "body) SELECT 'a" + t + "-' || i, 'r' || (i % 7), i, 'firing', 'warning', "
            + "timestamptz '2026-11-01' + i * interval '1 second', '{}' "
            + "FROM generate_series(1, " + TRANSITIONS_EACH + ") i");
      }
    }
    newest = db.number("SELECT max(xid)::text::int8 FROM records");
    long oldest = db.number("SELECT min(xid)::text::int8 FROM records");
    STEP = step(newest - 3, (newest - 3) + ":" + (newest + 1) + ":", newest - 1, newest);
    TAIL_STEP_HELD = step(oldest, oldest + ":" + (newest + 1) + ":" + oldest, newest - 1, oldest) + ", 0, 20000";
  }

  /** A step from xid {@code from} with the snapshot {@code snapshot}, after one of xmax {@code seenXmax} that saw {@code running} run. */
  static String step(long from, String snapshot, long seenXmax, long running) {
    return "'" + from + "', '" + snapshot + "', '" + seenXmax + "', ARRAY['" + running + "']";
  }

  @AfterAll
  static void drop() {
    if (db != null) db.close();
  }

  @Test
  void timedQueriesReadIndexesWithoutStatisticsAndWithFreshOnes() throws SQLException {
    assertEquals(TRANSACTIONS * ROWS_EACH, db.number("SELECT count(*) FROM records"));
    List<String> before = scans(false);
    db.execute("ANALYZE records");
    db.execute("ANALYZE alert_transitions");
    List<String> after = scans(true);
    List<String> seq = new ArrayList<>();
    for (String s : before) if (s.contains("Seq Scan")) seq.add("no statistics: " + s);
    for (String s : after) if (s.contains("Seq Scan")) seq.add("analyzed: " + s);
    assertTrue(seq.isEmpty(), "sequential scans in timed queries: " + seq);
    assertTrue(before.stream().anyMatch(s -> s.startsWith("tail mark") && s.contains("records_xid")),
        "the tail mark reads the xid index: " + before);
  }

  /**
   * A transaction that began before all the others runs (a pg_dump, a long query): a tail step
   * reads the transactions committed since the last, not every row since the old one began; and
   * once the old one commits, its rows.
   */
  @Test
  void aTailStepWhileAnOldTransactionRunsReadsOnlyWhatIsNew() throws SQLException {
    db.execute("ANALYZE records");
    long oldest = db.number("SELECT min(xid)::text::int8 FROM records");
    long recent = db.number("SELECT count(*) FROM records WHERE xid >= '" + (newest - 1) + "'::xid8");
    String ended = step(oldest, (newest + 1) + ":" + (newest + 1) + ":", newest - 1, oldest) + ", 0, 20000";
    assertEquals(ROWS_EACH, recent);
    assertEquals(recent, tailStep(TAIL_STEP_HELD, "the old one runs"));
    assertEquals(recent + ROWS_EACH, tailStep(ended, "the old one committed"));
  }

  /** The rows a tail step reads, in fewer than 300 pages (every row since the oldest: thousands). */
  private static long tailStep(String params, String what) throws SQLException {
    long rows = -1;
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("PREPARE q AS " + PgSql.TAIL);
      for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
        s.execute("SET plan_cache_mode = " + mode);
        try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE q(" + params + ")")) {
          rs.next();
          JsonObject plan = new JsonArray(rs.getString(1)).getJsonObject(0).getJsonObject("Plan");
          rows = plan.getLong("Actual Rows");
          long pages = plan.getLong("Shared Hit Blocks") + plan.getLong("Shared Read Blocks", 0L);
          assertTrue(pages < 300, what + ", " + mode + ": " + pages + " pages read");
        }
      }
    }
    return rows;
  }

  /** For each timed query, custom and generic plan: "name plan: node on relation (index)". */
  private static List<String> scans(boolean analyzed) throws SQLException {
    String[][] queries = {
        {"tail mark", PgSql.TAIL_MARK, ""},
        {"tail read", PgSql.TAIL, STEP + ", 1, 20000"},
        {"tail read while the oldest transaction runs", PgSql.TAIL, TAIL_STEP_HELD},
        {"one transaction", PgSql.TAIL_ONE, "'" + newest + "', 1"},
        {"appends in doubt", PgSql.KEPT_BY, "ARRAY['order', 'order'], ARRAY['o1-1', 'o2-2'], "
            + "ARRAY[gen_random_uuid(), gen_random_uuid()]"},
        {"alert changes", PgAlertLog.CHANGES, STEP},
    };
    List<String> found = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      for (String[] q : queries) {
        s.execute("DEALLOCATE ALL");
        s.execute("PREPARE q AS " + q[1]);
        for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
          s.execute("SET plan_cache_mode = " + mode);
          try (ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE q" + (q[2].isEmpty() ? "" : "(" + q[2] + ")"))) {
            rs.next();
            JsonObject plan = new JsonArray(rs.getString(1)).getJsonObject(0).getJsonObject("Plan");
            walk(plan, q[0] + " (" + mode + (analyzed ? ", analyzed" : "") + ")", found);
          }
        }
      }
    }
    return found;
  }

  /** Notes every scan of records or alert_transitions in a plan and its sub-plans. */
  private static void walk(JsonObject node, String query, List<String> found) {
    String relation = node.getString("Relation Name");
    if (relation != null && (relation.equals("records") || relation.equals("alert_transitions"))) {
      String index = node.getString("Index Name");
      found.add(query + ": " + node.getString("Node Type") + " on " + relation
          + (index == null ? "" : " (" + index + ")"));
    }
    JsonArray children = node.getJsonArray("Plans");
    if (children == null) return;
    for (int i = 0; i < children.size(); i++) walk(children.getJsonObject(i), query, found);
  }
}
