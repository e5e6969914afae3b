package io.warroom.team;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.warroom.alert.Outbox;
import io.warroom.alert.PgOutbox;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Digests sent and annotations in PostgreSQL (migration V7), shared by every node. */
public final class PgTeamLog implements TeamLog {
  static final String CLAIM = "INSERT INTO digests_sent (team, meeting, sent_at) VALUES ($1, $2, $3)"
      + " ON CONFLICT DO NOTHING RETURNING team";
  static final String ADD = "INSERT INTO annotations (ts, end_ts, text, tags) VALUES ($1, $2, $3, $4)"
      + " RETURNING id";
  static final String DELETE = "DELETE FROM annotations WHERE id = $1 RETURNING id";
  /** Rows in the years an annotation may take (one kept before that rule stopped every start). */
  static final String LIST = """
      SELECT id, ts, end_ts, text, tags FROM annotations
      WHERE ts >= TIMESTAMPTZ '1900-01-01Z' AND ts < TIMESTAMPTZ '10000-01-01Z'
        AND (end_ts IS NULL OR end_ts < TIMESTAMPTZ '10000-01-01Z')
      ORDER BY ts, id""";

  private final Pool pool;
  private final Runnable notifier;
  private Runnable wake = () -> {};

  public PgTeamLog(Pool pool, Runnable notifier) {
    this.pool = pool;
    this.notifier = notifier;
  }

  @Override
  public Future<List<Long>> claimDigest(String team, LocalDate meeting, long at,
      List<Outbox.Entry> sends) {
    return pool.withTransaction(c -> c.preparedQuery(CLAIM).execute(Tuple.of(team, meeting, time(at)))
        .compose(claimed -> claimed.size() == 1 ? PgOutbox.add(c, sends) : Future.succeededFuture(null)));
  }

  @Override
  public Future<Annotation> add(Annotation a) {
    return pool.preparedQuery(ADD).execute(Tuple.of(time(a.ts()), a.end() == null ? null
        : time(a.end()), a.text(), a.tags().toArray(new String[0])))
        .map(rows -> a.withId(rows.iterator().next().getLong(0))).andThen(ar -> notifier.run());
  }

  @Override
  public Future<Boolean> delete(long id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.size() == 1)
        .andThen(ar -> notifier.run());
  }

  @Override
  public Future<List<Annotation>> annotations() {
    return pool.query(LIST).execute().map(rows -> {
      List<Annotation> out = new ArrayList<>();
      for (Row r : rows) {
        OffsetDateTime end = r.getOffsetDateTime(2);
        out.add(new Annotation(r.getLong(0), r.getOffsetDateTime(1).toInstant().toEpochMilli(),
            end == null ? null : end.toInstant().toEpochMilli(), r.getString(3),
            Arrays.asList(r.getArrayOfStrings(4))));
      }
      return out;
    });
  }

  @Override
  public void onChange(Runnable w) {
    wake = w;
  }

  public void changed() {
    wake.run();
  }

  private static OffsetDateTime time(long millis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }
}
