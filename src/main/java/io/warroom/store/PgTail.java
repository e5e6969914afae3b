package io.warroom.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.warroom.ingest.Rec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Folds in what other nodes keep: reads the records they wrote, in the order of the transactions
 * that wrote them, each step the rows committed since the last ({@link TailCursor}), and hands
 * them over a page at a time, never splitting a transaction. Runs on the store's event loop; one
 * read at a time.
 *
 * <p>Lag: a step reads everything committed before it began. The lag is how much longer than the
 * poll interval ago the last whole step began.
 */
final class PgTail {
  static final int PAGE = 20_000;

  private final Pool pool;
  private final int node;
  private final long pollMs;
  private final TailCursor cursor = new TailCursor();
  /** Reads begun before a load hand nothing over. */
  private long generation;
  private boolean started;
  /** Takes the records of a read, one list per transaction, in the order of their ids. */
  private Consumer<List<List<Rec>>> handler = records -> { };
  private Runnable ahead = () -> { };

  private long caughtUpNanos = System.nanoTime();
  /** When the step under way began (nanoTime). */
  private long stepBegan;
  private long folded;

  PgTail(Pool pool, int node, long pollMs) {
    this.pool = pool;
    this.node = node;
    this.pollMs = pollMs;
  }

  void onRecords(Consumer<List<List<Rec>>> h) {
    this.handler = h;
  }

  /**
   * Called, with reading held until the next {@link #reset}, when the database holds xids past
   * its own counter or the cursor is past it: restored from another cluster.
   */
  void onAhead(Runnable r) {
    this.ahead = r;
  }

  /** Takes up reading again after {@link #onAhead} without a load (the repair failed). */
  void resume() {
    generation++;
    started = true;
  }

  /** Starts after a load that read {@code snapshot}; reads begun before hand nothing over. */
  void reset(String snapshot) {
    generation++;
    cursor.reset(snapshot);
    caughtUpNanos = System.nanoTime();
    started = true;
  }

  /** A load is under way: reads begun now hand nothing over. */
  void hold() {
    generation++;
    started = false;
  }

  /** Reads and hands over everything committed by other nodes since the last read. */
  Future<Void> read() {
    if (!started) return Future.succeededFuture();
    long gen = generation;
    long began = System.nanoTime();
    return pool.preparedQuery(PgSql.TAIL_MARK).execute().compose(mark -> {
      Row m = mark.iterator().next();
      String snapshot = m.getString(0);
      TailCursor.Snapshot now = TailCursor.Snapshot.parse(snapshot);
      String max = m.getString(1);
      long newest = max == null ? 0 : Long.parseLong(max);
      if (gen == generation && (newest >= now.xmax() || cursor.from() > now.xmin())) {
        // Rows from another cluster's counter, or this cursor from another cluster (a restore).
        hold();
        ahead.run();
        return Future.succeededFuture();
      }
      if (gen != generation) return Future.succeededFuture();
      // a step that failed part way is taken up with its own snapshot
      if (!cursor.begin(snapshot)) stepBegan = began;
      return pages(gen).map(v -> {
        if (gen == generation) {
          cursor.finish();
          caughtUpNanos = stepBegan;
        }
        return null;
      });
    });
  }

  /** Reads the step's pages, handing each over, until one is not full. */
  private Future<Void> pages(long gen) {
    if (gen != generation) return Future.succeededFuture();
    Tuple range = Tuple.of(Long.toString(cursor.pageFrom()), cursor.step(),
        Long.toString(cursor.newFrom()), cursor.running(), node, PAGE);
    return pool.preparedQuery(PgSql.TAIL).execute(range).compose(rows -> {
      if (gen != generation) return Future.succeededFuture();
      if (rows.size() < PAGE) {
        hand(rows, Long.MAX_VALUE);
        return Future.succeededFuture();
      }
      // A full page may end inside a transaction: that one is read again, or whole when alone.
      long last = xid(lastRow(rows));
      long first = xid(rows.iterator().next());
      if (first < last) {
        hand(rows, last);
        cursor.pageTo(last);
        return pages(gen);
      }
      return pool.preparedQuery(PgSql.TAIL_ONE).execute(Tuple.of(Long.toString(last), node))
          .compose(whole -> {
            if (gen != generation) return Future.succeededFuture();
            hand(whole, Long.MAX_VALUE);
            cursor.pageTo(last + 1);
            return pages(gen);
          });
    });
  }

  /**
   * Hands over the rows whose xid is below {@code before}, in one call, by transaction, each in
   * the order of its request (its rows' positions), as the node that kept it folded them in.
   */
  private void hand(RowSet<Row> rows, long before) {
    List<List<Rec>> transactions = new ArrayList<>();
    List<Row> tx = null;
    long x0 = -1;
    for (Row row : rows) {
      long x = xid(row);
      if (x >= before) break;
      if (x != x0 || tx == null) {
        if (tx != null) transactions.add(inOrder(tx));
        tx = new ArrayList<>();
        x0 = x;
      }
      tx.add(row);
      folded++;
    }
    if (tx != null) transactions.add(inOrder(tx));
    if (!transactions.isEmpty()) handler.accept(transactions);
  }

  private static List<Rec> inOrder(List<Row> rows) {
    int posAt = rows.get(0).getColumnIndex("pos");
    rows.sort(Comparator.comparingInt(r -> Objects.requireNonNullElse(r.getInteger(posAt), 0)));
    List<Rec> out = new ArrayList<>(rows.size());
    for (Row r : rows) out.add(PgSql.rec(r, 1));
    return out;
  }

  private static Row lastRow(RowSet<Row> rows) {
    Row last = null;
    for (Row row : rows) last = row;
    return last;
  }

  private static long xid(Row row) {
    return Long.parseLong(row.getString(0));
  }

  /** Records of other nodes folded in since start. */
  long folded() {
    return folded;
  }

  /**
   * How far this node is behind the records committed in the database, in ms: how much longer
   * than the poll interval ago the last whole step began.
   */
  long lagMillis() {
    return Math.max(0, (System.nanoTime() - caughtUpNanos) / 1_000_000 - pollMs);
  }
}
