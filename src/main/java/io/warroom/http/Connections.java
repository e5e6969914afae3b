package io.warroom.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Every HTTP connection of the server (CONTRACT section 15). A connection must send a whole request
 * head within the head timeout of opening, and again within it of its last answer ending (an idle
 * keep-alive connection is waiting for its next head); otherwise it is closed. Vert.x's idle timeout
 * cannot do this: a client that sends a byte now and then is never idle. With {@code max}
 * connections open, each new one closes the oldest connection still waiting for a head (sparing
 * those opened within the last second unless {@link #BURST} more arrive), so that /health and
 * /ready get in before the process runs out of descriptors. A request body must follow its head at
 * 64 KiB a second at least, after the head timeout's grace (the body limit counts for a body of
 * unknown length); past a head timeout a connection still sending one is let go to make room too.
 * Used on the server's event loop only.
 */
final class Connections {
  private static final Logger LOG = Logger.getLogger("warroom.http");
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** How long a connection counts as fresh: spared while the excess is small. */
  private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** How far past the most connections fresh ones are let in before they go too. */
  static final int BURST = 64;

  /** One family, so one description for its three reasons. */
  private static final String CLOSED_HELP = "Connections the server closed before their request was "
      + "whole: no whole head in time (head-timeout), a body too slow (body-timeout), or the oldest "
      + "waiting for a head when the connections are full (make-room)";
  /** The slowest body a request may send, past the head timeout: 64 KiB per second. */
  static final long BODY_BYTES_PER_SECOND = 64 * 1024;

  /**
   * One connection: requests under way, when it must have sent a head if it waits for one, and
   * the request whose body it is still sending, with when that must have ended.
   */
  private static final class Conn {
    final HttpConnection connection;
    int requests;
    long deadline;
    boolean closing;
    HttpServerRequest reading;
    long readingSince;
    long bodyDeadline;

    Conn(HttpConnection connection) {
      this.connection = connection;
    }
  }

  private final Vertx vertx;
  private final int max;
  private final long timeoutMs;
  private final long timeoutNanos;
  private final Map<HttpConnection, Conn> open = new HashMap<>();
  /** Connections waiting for a request head, by deadline: the oldest first. */
  private final LinkedHashSet<Conn> waiting = new LinkedHashSet<>();
  /** Connections whose request body may still be coming, the oldest head first. */
  private final LinkedHashSet<Conn> reading = new LinkedHashSet<>();
  private final long bodyLimit;
  private final String keepAlive;
  private final long timer;
  private final Counter timedOutTotal;
  private final Counter madeRoomTotal;
  private final Counter bodyTimedOutTotal;
  private int closing;
  private AcceptGate gate;
  private long timedOut;
  private long madeRoom;
  private long loggedAt = System.nanoTime();

  Connections(Vertx vertx, int max, long headTimeoutMs, long bodyLimit, MeterRegistry meters) {
    this.vertx = vertx;
    this.bodyLimit = bodyLimit;
    this.keepAlive = "timeout=" + Math.max(1, (headTimeoutMs - 1000) / 1000);
    this.max = max;
    this.timeoutMs = headTimeoutMs;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(headTimeoutMs);
    this.timedOutTotal = Counter.builder("warroom_http_connections_closed")
        .description(CLOSED_HELP)
        .tag("reason", "head-timeout").register(meters);
    this.madeRoomTotal = Counter.builder("warroom_http_connections_closed")
        .description(CLOSED_HELP)
        .tag("reason", "make-room").register(meters);
    this.bodyTimedOutTotal = Counter.builder("warroom_http_connections_closed")
        .description(CLOSED_HELP)
        .tag("reason", "body-timeout").register(meters);
    this.timer = vertx.setPeriodic(Math.max(20, Math.min(1000, headTimeoutMs / 10)), id -> sweep());
  }

  /** The server's connection handler. */
  void opened(HttpConnection c) {
    Conn k = new Conn(c);
    open.put(c, k);
    c.closeHandler(v -> closed(k));
    await(k);
    // The oldest waiting ones go first. One that opened under a second ago has probably just not
    // been read yet (a health check among a flood of new connections): it goes only while the
    // excess passes BURST.
    int over = open.size() - closing - max;
    long young = System.nanoTime() + timeoutNanos - FRESH_NANOS;
    for (Iterator<Conn> it = waiting.iterator(); over > 0 && it.hasNext(); over--) {
      Conn oldest = it.next();
      if (oldest == k || over <= BURST && oldest.deadline - young > 0) break;
      it.remove();
      makeRoom(oldest);
    }
    // Then the ones still sending a body a head timeout after their head: an honest feed's body
    // follows its head at once.
    long stale = System.nanoTime() - timeoutNanos;
    Iterator<Conn> it = reading.iterator();
    while (over > 0 && it.hasNext()) {
      Conn oldest = it.next();
      if (oldest.readingSince - stale > 0) break;
      it.remove();
      if (oldest.reading.isEnded()) continue; // its body is in: nothing to close
      makeRoom(oldest);
      over--;
    }
  }

  private void makeRoom(Conn k) {
    close(k);
    madeRoom++;
    madeRoomTotal.increment();
  }

  /** The router's first handler: this request's head is complete. */
  void request(RoutingContext ctx) {
    Conn k = open.get(ctx.request().connection());
    if (k != null) {
      k.requests++;
      waiting.remove(k);
      // Tells clients how long an idle connection stays, a second short of the deadline: a pool
      // that kept it longer would send its next request just as the server closes it.
      ctx.response().putHeader("Keep-Alive", keepAlive);
      HttpServerRequest req = ctx.request();
      if (!req.isEnded()) {
        // Its body must come at BODY_BYTES_PER_SECOND at least, after a head timeout's grace.
        long now = System.nanoTime();
        long bytes = declaredLength(req);
        reading.remove(k);
        k.reading = req;
        k.readingSince = now;
        k.bodyDeadline = now + timeoutNanos
            + TimeUnit.SECONDS.toNanos(1) * (bytes < 0 ? bodyLimit : bytes) / BODY_BYTES_PER_SECOND;
        reading.add(k);
      }
      ctx.addEndHandler(ar -> {
        if (k.reading == req) {
          reading.remove(k);
          k.reading = null;
        }
        if (--k.requests == 0 && !k.closing && open.containsKey(k.connection)) await(k);
      });
    }
    ctx.next();
  }

  int open() {
    return open.size();
  }

  void close() {
    vertx.cancelTimer(timer);
  }

  private void await(Conn k) {
    waiting.remove(k);
    k.deadline = System.nanoTime() + timeoutNanos;
    waiting.add(k);
  }

  private static long declaredLength(HttpServerRequest req) {
    String declared = req.getHeader("Content-Length");
    if (declared == null) return -1;
    try {
      return Math.max(0, Long.parseLong(declared.trim()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The gate that counts connections as they are accepted; checked at each sweep. */
  void gate(AcceptGate g) {
    this.gate = g;
  }

  private void sweep() {
    if (gate != null) gate.check();
    long now = System.nanoTime();
    for (Iterator<Conn> it = reading.iterator(); it.hasNext(); ) {
      Conn k = it.next();
      if (k.reading.isEnded()) {
        it.remove();
        k.reading = null;
      } else if (k.bodyDeadline - now <= 0) {
        it.remove();
        close(k);
        timedOut++;
        bodyTimedOutTotal.increment();
      }
    }
    for (Iterator<Conn> it = waiting.iterator(); it.hasNext(); ) {
      Conn k = it.next();
      if (k.deadline - now > 0) break;
      it.remove();
      close(k);
      timedOut++;
      timedOutTotal.increment();
    }
    if ((timedOut > 0 || madeRoom > 0) && now - loggedAt >= LOG_EVERY_NANOS) {
      LOG.info("closed " + timedOut + " connections that sent no whole request head within "
          + timeoutMs + " ms or no whole body in time, and " + madeRoom + " waiting for one to make room for new connections"
          + " (open now " + open.size() + ", most " + max + ")");
      timedOut = 0;
      madeRoom = 0;
      loggedAt = now;
    }
  }

  private void close(Conn k) {
    k.closing = true;
    closing++;
    k.connection.close();
  }

  private void closed(Conn k) {
    open.remove(k.connection);
    waiting.remove(k);
    reading.remove(k);
    if (k.closing) closing--;
  }
}
