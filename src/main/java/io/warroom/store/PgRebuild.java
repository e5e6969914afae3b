package io.warroom.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.warroom.ingest.RecordType;
import io.warroom.kpi.Aggregator;
import io.warroom.plan.Plan;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.Collector;

/**
 * Rebuilds the aggregates from what PostgreSQL holds, with five GROUP BY queries in one read-only
 * snapshot: plan-period sums per hour, per customer and per breakdown key, and per-minute sums and customer counts
 * for the minutes the windows and charts keep. Java folds in rollups, never single records, so the
 * work grows with hours, minutes and customers rather than with records. Rows are folded as they
 * arrive, without holding a result set. The snapshot's id goes with the aggregates, so that the
 * tail of other nodes' records ({@link PgTail}) starts exactly where the rebuild ended.
 */
final class PgRebuild {
  private static final Logger LOG = Logger.getLogger(PgRebuild.class.getName());

  private PgRebuild() {}

  /** The aggregates, and the snapshot they were read from (where the tail takes over). */
  record Rebuilt(Aggregator agg, String snapshot) {}

  static Future<Rebuilt> run(Pool pool, Plan plan, long nowMillis) {
    Aggregator agg = new Aggregator(plan, nowMillis);
    String[] snapshot = new String[1];
    Tuple period = Tuple.of(PgSql.time(plan.startMillis()), PgSql.time(plan.endMillis()));
    Tuple recent = Tuple.of(PgSql.time(agg.recentFromMillis()),
        PgSql.time(agg.secondsFromMillis()));
    Tuple previous = Tuple.of(PgSql.time(agg.previous().fromMillis()),
        PgSql.time(agg.previous().toMillis()));
    StringBuilder took = new StringBuilder();
    long t0 = System.nanoTime();
    return pool.withTransaction(conn -> conn.query(PgSql.READ_ONE_SNAPSHOT).execute()
        .compose(v -> conn.query(TailCursor.SNAPSHOT).execute())
        .compose(rows -> {
          snapshot[0] = rows.iterator().next().getString(0);
          // first, so that the age is measured at nowMillis, not after the rollups
          return conn.query(PgSql.KEPT_AGO).execute();
        })
        .compose(rows -> {
          Long ago = rows.iterator().next().getLong(0);
          if (ago != null) agg.keptAt(nowMillis - Math.max(0, ago));
          return conn.preparedQuery(PgSql.NEWEST).execute(Tuple.of(PgSql.time(plan.startMillis()),
              PgSql.time(plan.endMillis()), PgSql.time(agg.newestFromMillis())));
        })
        .compose(rows -> {
          Row newest = rows.iterator().next();
          for (int i = 0; i < 2; i++) if (newest.getValue(i) != null) agg.loadNewest(PgSql.millis(newest, i));
          return conn.query(PgSql.REBUILD_MEMORY).execute();
        })
        // in the order their first records were kept: new channels are told apart as ingest did
        .compose(v -> fold(conn, PgSql.CAMPAIGN_ROLLUPS, period, took.append("campaign sums"),
            row -> agg.loadCampaign(PgSql.millis(row, 0), PgSql.rollup(row, 1))))
        .compose(v -> fold(conn, PgSql.CAMPAIGN_CUSTOMERS, period, took.append(", customers"),
            row -> agg.loadCampaignCustomer(row.getString(0), count(row, 1), count(row, 2))))
        .compose(v -> !agg.experiments().any() ? Future.<Void>succeededFuture()
            : fold(conn, PgSql.EXPERIMENT_ROLLUPS, experiments(plan), took.append(", experiments"),
                row -> agg.experiments().load(row.getString(0), row.getString(1),
                    RecordType.ofWire(row.getString(2)), row.getLong(3), PgSql.sum(row, 4),
                    PgSql.sum(row, 5))))
        .compose(v -> fold(conn, PgSql.BREAKDOWN_ROLLUPS, breakdownParams(plan),
            took.append(", breakdowns"), row -> agg.breakdowns().load(row.getString(0),
                row.getString(1), row.getLong(2), PgSql.sum(row, 3), PgSql.sum(row, 4),
                PgSql.sum(row, 5))))
        .compose(v -> fold(conn, PgSql.RECENT_ROLLUPS, recent, took.append(", recent sums"),
            row -> agg.loadRecent(PgSql.millis(row, 0), PgSql.rollup(row, 1))))
        .compose(v -> fold(conn, PgSql.RECENT_CUSTOMERS, recent, took.append(", recent customers"),
            row -> agg.loadRecentCustomer(PgSql.millis(row, 0), row.getString(1), count(row, 2),
                count(row, 3))))
        .compose(v -> {
          // Distinct customers over the periods milestones measure them in (none for the seed).
          Future<Void> all = Future.succeededFuture();
          for (Aggregator.CustomerWindow w : agg.customerWindows()) {
            Tuple bounds = Tuple.of(PgSql.time(w.from()), PgSql.time(w.to()));
            all = all.compose(x -> fold(conn, PgSql.CAMPAIGN_CUSTOMERS, bounds,
                took.append(", milestone customers"),
                row -> agg.loadWindowCustomer(w, row.getString(0), count(row, 1), count(row, 2))));
          }
          return all;
        })
        .compose(v -> fold(conn, PgSql.PREVIOUS_ROLLUPS, previous, took.append(", previous sums"),
            row -> agg.loadPrevious(minute(row), PgSql.rollup(row, 1))))
        .compose(v -> plan.focus().isEmpty() ? Future.<Void>succeededFuture()
            : fold(conn, PgSql.FOCUS_ROLLUPS, focusKeys(plan.startMillis(), plan.endMillis(), plan)
                    .addInteger(60), took.append(", focus sums"),
                row -> agg.loadFocus(row.getString(1), row.getString(2), PgSql.millis(row, 0),
                    row.getLong(3), PgSql.sum(row, 4), PgSql.sum(row, 5))))
        .compose(v -> plan.focus().isEmpty() ? Future.<Void>succeededFuture()
            : fold(conn, PgSql.FOCUS_ROLLUPS, focusKeys(agg.previous().fromMillis(),
                    agg.previous().toMillis(), plan).addInteger(1),
                took.append(", previous focus sums"),
                row -> agg.loadPreviousFocus(row.getString(1), row.getString(2), minute(row),
                    row.getLong(3), PgSql.sum(row, 4), PgSql.sum(row, 5))))
        .compose(v -> fold(conn, PgSql.PREVIOUS_CUSTOMERS, previous,
            took.append(", previous customers"),
            row -> agg.loadPreviousCustomer(row.getString(0), PgSql.millis(row, 1),
                row.getValue(2) == null ? null : PgSql.millis(row, 2),
                row.getValue(3) == null ? null : PgSql.millis(row, 3))))
        .compose(v -> fold(conn, PgSql.CAMPAIGN_COUNTS, period, took.append(", counters"),
            row -> agg.loadCampaignCount(PgSql.millis(row, 0), row.getString(1), PgSql.sum(row, 2))))
        .compose(v -> fold(conn, PgSql.RECENT_COUNTS, recent, took.append(", recent counters"),
            row -> agg.loadRecentCount(PgSql.millis(row, 0), row.getString(1), PgSql.sum(row, 2))))
        .map(v -> new Rebuilt(agg, snapshot[0])))
        .onSuccess(a -> LOG.info(String.format("aggregates rebuilt from PostgreSQL in %.2f s (%s)",
            (System.nanoTime() - t0) / 1e9, took)));
  }

  /** The plan's period and the focus targets' dimensions and keys. */
  private static Tuple breakdownParams(Plan plan) {
    return focusKeys(plan.startMillis(), plan.endMillis(), plan);
  }

  /** A period and the focus targets' dimensions and keys. */
  private static Tuple focusKeys(long from, long to, Plan plan) {
    String[] dims = plan.focus().stream().map(Plan.Focus::dimension).toArray(String[]::new);
    String[] keys = plan.focus().stream().map(Plan.Focus::key).toArray(String[]::new);
    return Tuple.of(PgSql.time(from), PgSql.time(to), dims, keys);
  }

  /** Runs a query, folding each row in as it arrives; notes the rows and time in {@code took}. */
  private static Future<Void> fold(SqlConnection conn, String sql, Tuple params, StringBuilder took,
      Consumer<Row> f) {
    long t0 = System.nanoTime();
    long[] rows = new long[1];
    Collector<Row, ?, Void> folder = Collector.of(Object::new, (a, row) -> {
      f.accept(row);
      rows[0]++;
    }, (a, b) -> a, a -> null);
    return conn.preparedQuery(sql).collecting(folder).execute(params)
        .map(r -> {
          took.append(String.format(": %,d rows %.2f s", rows[0], (System.nanoTime() - t0) / 1e9));
          return null;
        });
  }

  /** The plan period and the ids of its experiments. */
  private static Tuple experiments(Plan plan) {
    return Tuple.of(PgSql.time(plan.startMillis()), PgSql.time(plan.endMillis()),
        plan.experiments().stream().map(Plan.Experiment::id).toArray(String[]::new));
  }

  private static long minute(Row row) {
    return Math.floorDiv(PgSql.millis(row, 0), 60_000L);
  }

  private static int count(Row row, int column) {
    return Math.toIntExact(row.getLong(column));
  }
}
