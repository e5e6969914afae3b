package io.warroom.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.warroom.alert.Alert;
import io.warroom.alert.AlertLog;
import io.warroom.alert.Silence;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Alert state in PostgreSQL (tables of migration V2): the history of transitions, the active alert
 * of each rule, and the silences. Writes run one after another in the order they were asked for,
 * so a resolution never overtakes the firing it ends.
 */
final class PgAlertLog implements AlertLog {
  static final String ACTIVE = "SELECT body FROM alert_active";
  static final String HISTORY = "SELECT body FROM (SELECT id, body FROM alert_transitions "
      + "ORDER BY id DESC LIMIT $1) h ORDER BY id";
  static final String EPISODES = "SELECT rule, max(episode) FROM alert_transitions GROUP BY rule";
  static final String SILENCES = "SELECT id, rule, created_at, ends_at, comment FROM alert_silences "
      + "WHERE ends_at > $1";
  static final String INSERT_TRANSITION = "INSERT INTO alert_transitions "
      + "(alert_id, rule, episode, state, severity, at, body) VALUES ($1, $2, $3, $4, $5, $6, $7) "
      + "ON CONFLICT DO NOTHING";
  static final String PUT_ACTIVE = "INSERT INTO alert_active (rule, alert_id, body) VALUES ($1, $2, $3) "
      + "ON CONFLICT (rule) DO UPDATE SET alert_id = EXCLUDED.alert_id, body = EXCLUDED.body";
  static final String DROP_ACTIVE = "DELETE FROM alert_active WHERE rule = $1 AND alert_id = $2";
  static final String UPDATE_ACTIVE = "UPDATE alert_active SET body = $3 WHERE rule = $1 AND alert_id = $2";
  static final String PUT_SILENCE = "INSERT INTO alert_silences (id, rule, created_at, ends_at, comment) "
      + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING";
  static final String DROP_SILENCE = "DELETE FROM alert_silences WHERE id = $1";

  private final Pool pool;
  private Future<Void> last = Future.succeededFuture();

  PgAlertLog(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Saved> load(int historyLimit, long now) {
    var active = pool.query(ACTIVE).execute();
    var history = pool.preparedQuery(HISTORY).execute(Tuple.of(historyLimit));
    var episodes = pool.query(EPISODES).execute();
    var silences = pool.preparedQuery(SILENCES).execute(Tuple.of(time(now)));
    return Future.all(active, history, episodes, silences).map(v -> {
      List<Alert> a = new ArrayList<>();
      for (Row r : active.result()) a.add(Alert.fromJson(r.getJsonObject(0)));
      List<Alert> h = new ArrayList<>();
      for (Row r : history.result()) h.add(Alert.fromJson(r.getJsonObject(0)));
      Map<String, Long> e = new HashMap<>();
      for (Row r : episodes.result()) e.put(r.getString(0), r.getLong(1));
      List<Silence> s = new ArrayList<>();
      for (Row r : silences.result()) {
        s.add(new Silence(r.getString(0), r.getString(1), millis(r.getOffsetDateTime(2)),
            millis(r.getOffsetDateTime(3)), r.getString(4)));
      }
      return new Saved(a, h, e, s);
    });
  }

  @Override
  public Future<Void> append(Alert a) {
    JsonObject body = a.toJson();
    return inOrder(() -> pool.withTransaction(c -> c.preparedQuery(INSERT_TRANSITION)
        .execute(Tuple.of(a.id(), a.rule(), a.episode(), a.state().wire(), a.severity().wire(),
            time(a.at()), body))
        .compose(r -> a.active()
            ? c.preparedQuery(PUT_ACTIVE).execute(Tuple.of(a.rule(), a.id(), body))
            : c.preparedQuery(DROP_ACTIVE).execute(Tuple.of(a.rule(), a.id())))
        .mapEmpty()));
  }

  @Override
  public Future<Void> update(Alert a) {
    return inOrder(() -> pool.preparedQuery(UPDATE_ACTIVE)
        .execute(Tuple.of(a.rule(), a.id(), a.toJson())).mapEmpty());
  }

  @Override
  public Future<Void> putSilence(Silence s) {
    return inOrder(() -> pool.preparedQuery(PUT_SILENCE).execute(Tuple.of(s.id(), s.rule(),
        time(s.createdAt()), time(s.endsAt()), s.comment())).mapEmpty());
  }

  @Override
  public Future<Void> removeSilence(String id) {
    return inOrder(() -> pool.preparedQuery(DROP_SILENCE).execute(Tuple.of(id)).mapEmpty());
  }

  /** Runs {@code write} after the writes asked for before it, whether they succeeded or not. */
  private Future<Void> inOrder(Supplier<Future<Void>> write) {
    Future<Void> next = last.transform(ar -> write.get());
    last = next;
    return next;
  }

  private static OffsetDateTime time(long millis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  private static long millis(OffsetDateTime t) {
    return t.toInstant().toEpochMilli();
  }
}
