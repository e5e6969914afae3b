package io.warroom.alert;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The alerting duty as a PostgreSQL session advisory lock, held on a connection of its own. Every
 * {@link #CHECK_MS} a node without it tries to take it, and the node with it checks that its
 * connection still answers; a failed or late answer gives the duty up at once and closes the
 * connection, which frees the lock. When a node dies its connection closes and the lock frees
 * with it, so another node takes over within about a second. (A node cut off without a closed
 * connection keeps the lock on the server until PostgreSQL notices; meanwhile nobody alerts,
 * which is safer than two nodes alerting.)
 */
public final class PgLease implements Lease {
  private static final Logger LOG = Logger.getLogger(PgLease.class.getName());
  /** The lock's key: "warroom" in ASCII. Advisory locks are per database. */
  static final long KEY = 0x77_61_72_72_6f_6f_6dL;
  static final long CHECK_MS = 1_000;
  private static final long ANSWER_MS = 3_000;

  private final Vertx vertx;
  private final Context context;
  private final PgConnectOptions options;
  private Consumer<Boolean> listener = held -> { };
  private PgConnection conn;
  private boolean held;
  private boolean busy;
  private boolean closed;
  private long timer = -1;

  public PgLease(Vertx vertx, PgConnectOptions options) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    Map<String, String> props = new HashMap<>(options.getProperties());
    props.put("application_name", "warroom-lease");
    this.options = new PgConnectOptions(options).setProperties(props);
  }

  /** Makes the first attempt (completes after it, taken or not), then keeps at it. */
  public Future<Void> start() {
    timer = vertx.setPeriodic(CHECK_MS, id -> check());
    return check();
  }

  @Override
  public boolean held() {
    return held;
  }

  @Override
  public void onChange(Consumer<Boolean> l) {
    this.listener = l;
  }

  private Future<Void> check() {
    if (busy || closed) return Future.succeededFuture();
    busy = true;
    Future<PgConnection> connected = conn != null ? Future.succeededFuture(conn)
        : PgConnection.connect(vertx, options).onSuccess(c -> {
          conn = c;
          c.closeHandler(v -> context.runOnContext(x -> lost(c)));
        });
    return connected.compose(c -> held
            ? c.query("SELECT true").execute()
            : c.preparedQuery("SELECT pg_try_advisory_lock($1)").execute(Tuple.of(KEY)))
        .map(rows -> rows.iterator().next().getBoolean(0))
        .timeout(ANSWER_MS, TimeUnit.MILLISECONDS)
        .transform(ar -> {
          Promise<Void> applied = Promise.promise();
          context.runOnContext(v -> {
            busy = false;
            if (closed) {
              applied.complete();
              return;
            }
            if (ar.succeeded()) {
              set(ar.result());
            } else {
              if (held) LOG.warning("giving up the alerting duty: " + ar.cause().getMessage());
              drop();
            }
            applied.complete();
          });
          return applied.future();
        });
  }

  private void lost(PgConnection c) {
    if (conn != c) return;
    conn = null;
    if (held) LOG.warning("giving up the alerting duty: its connection closed");
    set(false);
  }

  /** Closes the connection (freeing the lock if the server still holds it) and gives up. */
  private void drop() {
    PgConnection c = conn;
    conn = null;
    if (c != null) c.close();
    set(false);
  }

  private void set(boolean now) {
    if (now == held) return;
    held = now;
    if (now) LOG.info("this node now evaluates alerts and posts webhooks");
    listener.accept(now);
  }

  /** Gives the duty up (the lock frees with the connection) and stops trying. */
  public Future<Void> close() {
    closed = true;
    if (timer >= 0) vertx.cancelTimer(timer);
    PgConnection c = conn;
    conn = null;
    held = false;
    return c == null ? Future.succeededFuture() : c.close();
  }
}
