package io.warroom.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.logging.Logger;

/**
 * Rows restored into another cluster (pg_dump and restore, an upgrade by dump, a logical copy)
 * keep the {@code xid} column they were written with, while the new cluster's transaction counter
 * may be far below it. Such rows are "from the future": the tail would wait for them for ever (lag
 * without end, /ready 503) and fold them in a second time once the counter passes them. No row a
 * transaction of this cluster wrote can carry an xid at or past the xmax of a snapshot that sees
 * it, so those rows are found exactly, and their xid is cleared: the rebuild reads rows by time
 * whatever their xid, and the tail never reads a row without one.
 */
final class PgRestore {
  private static final Logger LOG = Logger.getLogger(PgRestore.class.getName());

  /** Whether records and alert transitions hold xids past this snapshot's xmax (index reads). */
  static final String AHEAD = "SELECT coalesce((SELECT max(xid) FROM records) >= x, false), "
      + "coalesce((SELECT max(xid) FROM alert_transitions) >= x, false), "
      + "(SELECT coalesce(max(id), 0) FROM restore_repairs) "
      + "FROM pg_snapshot_xmax(pg_current_snapshot()) AS x";
  static final String CLEAR_RECORDS =
      "UPDATE records SET xid = NULL WHERE xid >= pg_snapshot_xmax(pg_current_snapshot())";
  static final String CLEAR_ALERTS =
      "UPDATE alert_transitions SET xid = NULL WHERE xid >= pg_snapshot_xmax(pg_current_snapshot())";
  static final String RECORD = "INSERT INTO restore_repairs (records, alert_transitions) VALUES ($1, $2) "
      + "RETURNING id";

  private PgRestore() {}

  /**
   * Clears the xids ahead of this cluster's counter; completes with the newest repair's number
   * (this one's when it cleared any), which the other nodes see and rebuild on.
   */
  static Future<Long> repair(Pool pool) {
    return pool.query(AHEAD).execute().compose(rows -> {
      Row r = rows.iterator().next();
      boolean records = r.getBoolean(0);
      boolean alerts = r.getBoolean(1);
      long newest = r.getLong(2);
      if (!records && !alerts) return Future.succeededFuture(newest);
      return pool.withTransaction(c -> clear(c, records, CLEAR_RECORDS)
          .compose(n -> clear(c, alerts, CLEAR_ALERTS).compose(m -> {
            if (n + m == 0) return Future.succeededFuture(newest); // another node was first
            LOG.warning(n + " records and " + m + " alert transitions carry transaction ids this"
                + " cluster has not reached (restored from another cluster?): their ids are"
                + " cleared; the rebuild reads them by time, the tail never again");
            return c.preparedQuery(RECORD).execute(Tuple.of(n, m)).map(ids -> ids.iterator().next().getLong(0));
          })));
    });
  }

  private static Future<Integer> clear(SqlConnection c, boolean needed, String sql) {
    return needed ? c.query(sql).execute().map(rows -> rows.rowCount()) : Future.succeededFuture(0);
  }
}
