package io.warroom.alert;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The outbox in PostgreSQL (table {@code webhook_outbox}, migration V10). */
public final class PgOutbox implements Outbox {
  static final String ADD = "INSERT INTO webhook_outbox (url, format, team, key, body) "
      + "VALUES ($1, $2, $3, $4, $5) RETURNING id";
  static final String REMOVE = "DELETE FROM webhook_outbox WHERE id = $1";
  /** At most what the queues could hold (1,000 per URL of at most 1,000 team and 100 other URLs). */
  static final String PENDING = "SELECT id, url, format, team, key, body FROM webhook_outbox "
      + "ORDER BY id LIMIT 100000";

  private final Pool pool;

  public PgOutbox(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Long> add(String url, String format, String team, String key, String body) {
    return pool.preparedQuery(ADD).execute(Tuple.of(url, format, team, key, body))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Keeps {@code entries} on {@code c}, in the transaction of what they tell of (an alert
   * transition, a digest); answers their ids in order.
   */
  public static Future<List<Long>> add(SqlConnection c, List<Entry> entries) {
    Future<List<Long>> ids = Future.succeededFuture(new ArrayList<>());
    for (Entry e : entries) {
      ids = ids.compose(list -> c.preparedQuery(ADD)
          .execute(Tuple.of(e.url(), e.format(), e.team(), e.key(), e.body()))
          .map(rows -> {
            list.add(rows.iterator().next().getLong(0));
            return list;
          }));
    }
    return ids;
  }

  @Override
  public Future<Void> remove(long id) {
    return pool.preparedQuery(REMOVE).execute(Tuple.of(id)).mapEmpty();
  }

  @Override
  public Future<List<Entry>> pending() {
    return pool.query(PENDING).execute().map(rows -> {
      List<Entry> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Entry(r.getLong(0), r.getString(1), r.getString(2), r.getString(3),
            r.getString(4), r.getString(5)));
      }
      return out;
    });
  }
}
