package io.warroom.alert;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.warroom.store.TailCursor;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Alert state in PostgreSQL (tables of migrations V2 and V3): the history of transitions, the
 * active alert of each rule, and the silences. Writes run one after another in the order they were
 * asked for, so a resolution never overtakes the firing it ends; each is announced to the other
 * nodes.
 *
 * <p>Nodes that do not alert follow the alerting node: {@link #load} reads everything in one
 * snapshot, then {@link #changes} replays the transitions and acknowledgements kept after it, in
 * the order of the transactions that kept them, by snapshots ({@link TailCursor}): a transaction
 * left open elsewhere holds none of them back. They queue acknowledgements and
 * silences in {@code alert_commands} for the alerting node to carry out.
 */
public final class PgAlertLog implements AlertLog {
  static final String ACTIVE = "SELECT body FROM alert_active";
  static final String HISTORY = "SELECT body FROM (SELECT id, body FROM alert_transitions "
      + "WHERE kind = 'transition' ORDER BY id DESC LIMIT $1) h ORDER BY id";
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
  static final String INSERT_ACK = "INSERT INTO alert_transitions "
      + "(alert_id, rule, episode, state, severity, at, body, kind) "
      + "VALUES ($1, $2, $3, $4, $5, $6, $7, 'ack') ON CONFLICT DO NOTHING";
  public static final String CHANGES = TailCursor.step("kind, body, xid AS x, id",
      "alert_transitions", "", "x, id", "");
  static final String QUEUE = "INSERT INTO alert_commands (kind, body) VALUES ($1, $2)";
  static final String COMMANDS = "SELECT id, kind, body FROM alert_commands ORDER BY id";
  static final String DONE = "DELETE FROM alert_commands WHERE id = ANY($1)";

  private final Pool pool;
  private final Runnable announce;
  private Runnable wake = () -> { };
  private Future<Void> last = Future.succeededFuture();
  private final TailCursor cursor = new TailCursor();
  /** Changes read across a load hand nothing over. */
  private long generation;

  /** {@code announce} tells the other nodes that something was kept. */
  public PgAlertLog(Pool pool, Runnable announce) {
    this.pool = pool;
    this.announce = announce;
  }

  @Override
  public void onChange(Runnable w) {
    this.wake = w;
  }

  /** Another node kept alert state or queued a command. */
  public void changed() {
    wake.run();
  }

  @Override
  public Future<Saved> load(int historyLimit, long now) {
    long gen = ++generation;
    String[] snapshot = new String[1];
    return pool.withTransaction(c -> c.query(TailCursor.READ_ONE_SNAPSHOT).execute()
        .compose(v -> c.query(TailCursor.SNAPSHOT).execute())
        .compose(snap -> {
          snapshot[0] = snap.iterator().next().getString(0);
          var active = c.query(ACTIVE).execute();
          var history = c.preparedQuery(HISTORY).execute(Tuple.of(historyLimit));
          var episodes = c.query(EPISODES).execute();
          var silences = c.preparedQuery(SILENCES).execute(Tuple.of(time(now)));
          return Future.all(active, history, episodes, silences)
              .map(v -> saved(active.result(), history.result(), episodes.result(),
                  silences.result()));
        }))
        .onSuccess(saved -> {
          if (gen == generation) cursor.reset(snapshot[0]);
        });
  }

  private static Saved saved(RowSet<Row> active, RowSet<Row> history, RowSet<Row> episodes,
      RowSet<Row> silences) {
    List<Alert> a = new ArrayList<>();
    for (Row r : active) a.add(Alert.fromJson(r.getJsonObject(0)));
    List<Alert> h = new ArrayList<>();
    for (Row r : history) h.add(Alert.fromJson(r.getJsonObject(0)));
    Map<String, Long> e = new HashMap<>();
    for (Row r : episodes) e.put(r.getString(0), r.getLong(1));
    return new Saved(a, h, e, silences(silences));
  }

  private static List<Silence> silences(RowSet<Row> rows) {
    List<Silence> s = new ArrayList<>();
    for (Row r : rows) {
      s.add(new Silence(r.getString(0), r.getString(1), millis(r.getOffsetDateTime(2)),
          millis(r.getOffsetDateTime(3)), r.getString(4)));
    }
    return s;
  }

  @Override
  public Future<Changes> changes(long now) {
    long gen = generation;
    return pool.query(TailCursor.SNAPSHOT).execute().compose(x -> {
      String snapshot = x.iterator().next().getString(0);
      var silences = pool.preparedQuery(SILENCES).execute(Tuple.of(time(now)));
      if (cursor.from() > TailCursor.Snapshot.parse(snapshot).xmin()) {
        // The counter is behind this cursor: another cluster (a restore). Follow from now on.
        cursor.reset(snapshot);
        return silences.map(s -> new Changes(List.of(), silences(s)));
      }
      cursor.begin(snapshot); // or the step a failed read left, with its own snapshot
      var kept = pool.preparedQuery(CHANGES).execute(Tuple.of(Long.toString(cursor.pageFrom()),
          cursor.step(), Long.toString(cursor.newFrom()), cursor.running()));
      return Future.all(kept, silences).map(v -> {
        List<Change> changes = new ArrayList<>();
        if (gen == generation) {
          for (Row r : kept.result()) {
            changes.add(new Change(Alert.fromJson(r.getJsonObject(1)), r.getString(0).equals("ack")));
          }
          cursor.finish();
        }
        return new Changes(changes, silences(silences.result()));
      });
    });
  }

  @Override
  public Future<Void> queue(String kind, JsonObject body) {
    return pool.preparedQuery(QUEUE).execute(Tuple.of(kind, body))
        .<Void>mapEmpty().onSuccess(v -> announce.run());
  }

  @Override
  public Future<List<Command>> commands() {
    return pool.query(COMMANDS).execute().map(rows -> {
      List<Command> out = new ArrayList<>();
      for (Row r : rows) out.add(new Command(r.getLong(0), r.getString(1), r.getJsonObject(2)));
      return out;
    });
  }

  @Override
  public Future<Void> done(List<Long> seqs) {
    return pool.preparedQuery(DONE).execute(Tuple.of(seqs.toArray(new Long[0]))).mapEmpty();
  }

  @Override
  public Future<List<Long>> append(Alert a, List<Outbox.Entry> sends) {
    JsonObject body = a.toJson();
    return inOrder(() -> pool.withTransaction(c -> c.preparedQuery(INSERT_TRANSITION)
        .execute(Tuple.of(a.id(), a.rule(), a.episode(), a.state().wire(), a.severity().wire(),
            time(a.at()), body))
        .compose(r -> a.active()
            ? c.preparedQuery(PUT_ACTIVE).execute(Tuple.of(a.rule(), a.id(), body))
            : c.preparedQuery(DROP_ACTIVE).execute(Tuple.of(a.rule(), a.id())))
        .compose(r -> PgOutbox.add(c, sends))));
  }

  /** An acknowledgement: the active alert replaced, and a row for the followers to replay. */
  @Override
  public Future<Void> update(Alert a) {
    JsonObject body = a.toJson();
    return inOrder(() -> pool.withTransaction(c -> c.preparedQuery(UPDATE_ACTIVE)
        .execute(Tuple.of(a.rule(), a.id(), body))
        .compose(r -> c.preparedQuery(INSERT_ACK).execute(Tuple.of(a.id(), a.rule(), a.episode(),
            a.state().wire(), a.severity().wire(), time(a.at()), body)))
        .mapEmpty()));
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

  /**
   * Runs {@code write} after the writes asked for before it, whether they succeeded or not, and
   * tells the other nodes once it is kept.
   */
  private <T> Future<T> inOrder(Supplier<Future<T>> write) {
    Future<T> next = last.transform(ar -> write.get()).onSuccess(v -> announce.run());
    last = next.mapEmpty();
    return next;
  }

  private static OffsetDateTime time(long millis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  private static long millis(OffsetDateTime t) {
    return t.toInstant().toEpochMilli();
  }
}
