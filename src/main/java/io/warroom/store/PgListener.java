package io.warroom.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Wake-ups between nodes over LISTEN/NOTIFY on one channel, on a connection of its own. A
 * notification is only a hint that another node kept something under a topic ({@code kpis},
 * {@code alerts}); readers then read the tables themselves, and poll anyway. After every
 * (re)connect every topic is woken, since notifications sent while disconnected are lost.
 *
 * <p>The same connection sends this node's notifications, at most one per topic in flight (a
 * topic asked again meanwhile is sent once more after it), committed without waiting for the
 * WAL flush: losing one costs a poll interval, never data.
 */
final class PgListener {
  private static final Logger LOG = Logger.getLogger(PgListener.class.getName());
  static final String CHANNEL = "warroom";
  private static final long MAX_RETRY_MS = 5_000;

  private final Vertx vertx;
  private final Context context;
  private final PgConnectOptions options;
  private final String node;
  private final Map<String, List<Runnable>> topics = new HashMap<>();
  private final Set<String> sending = new HashSet<>();
  private final Set<String> again = new HashSet<>();
  private PgConnection conn;
  private boolean closed;
  private int failures;

  PgListener(Vertx vertx, PgConnectOptions options, int node) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    Map<String, String> props = new HashMap<>(options.getProperties());
    props.put("application_name", "warroom-listen");
    props.put("synchronous_commit", "off");
    this.options = new PgConnectOptions(options).setProperties(props);
    this.node = Integer.toString(node);
  }

  /** Runs {@code wake} when another node notifies {@code topic}, and after every (re)connect. */
  void on(String topic, Runnable wake) {
    topics.computeIfAbsent(topic, t -> new ArrayList<>()).add(wake);
  }

  /** Connects; completes after the first attempt, which may fail (then it keeps trying). */
  Future<Void> start() {
    return connect().recover(err -> Future.succeededFuture());
  }

  private Future<Void> connect() {
    return PgConnection.connect(vertx, options)
        .compose(c -> c.query("LISTEN " + CHANNEL).execute().map(r -> c)
            .onFailure(err -> c.close()))
        .andThen(ar -> context.runOnContext(v -> {
          if (ar.failed()) {
            retry(ar.cause());
            return;
          }
          PgConnection c = ar.result();
          if (closed) {
            c.close();
            return;
          }
          conn = c;
          if (failures > 0) LOG.info("listening for other nodes again");
          failures = 0;
          c.notificationHandler(n -> context.runOnContext(x -> heard(n.getPayload())));
          c.closeHandler(x -> context.runOnContext(y -> lost(c)));
          for (List<Runnable> wakes : topics.values()) wakes.forEach(Runnable::run);
        }))
        .mapEmpty();
  }

  private void retry(Throwable err) {
    if (closed) return;
    failures++;
    long pause = Math.min(MAX_RETRY_MS, 100L << Math.min(failures, 6));
    if (failures == 1) LOG.warning("cannot listen for other nodes (retrying): " + err.getMessage());
    vertx.setTimer(pause, id -> connect());
  }

  private void lost(PgConnection c) {
    if (conn != c) return;
    conn = null;
    sending.clear();
    again.clear();
    if (!closed) retry(new IllegalStateException("the listening connection closed"));
  }

  /** Payload {@code topic:node}; a node's own notifications come back to it and are dropped. */
  private void heard(String payload) {
    int colon = payload.lastIndexOf(':');
    if (colon < 0 || payload.substring(colon + 1).equals(node)) return;
    List<Runnable> wakes = topics.get(payload.substring(0, colon));
    if (wakes != null) wakes.forEach(Runnable::run);
  }

  /** Tells the other nodes that this one kept something under {@code topic}. */
  void notify(String topic) {
    if (conn == null) return;
    if (!sending.add(topic)) {
      again.add(topic);
      return;
    }
    PgConnection c = conn;
    c.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, topic + ":" + node))
        .onComplete(ar -> context.runOnContext(v -> {
          if (conn != c) return;
          sending.remove(topic);
          if (again.remove(topic)) notify(topic);
        }));
  }

  Future<Void> close() {
    closed = true;
    PgConnection c = conn;
    conn = null;
    return c == null ? Future.succeededFuture() : c.close();
  }
}
