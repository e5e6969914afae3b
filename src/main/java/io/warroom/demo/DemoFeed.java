package io.warroom.demo;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.warroom.plan.Plan;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * Plays {@link DemoData} into a running server through its own ingest API (NDJSON batches to
 * POST /api/v1/events, as a real feed would): first the whole previous period (so the screens
 * compare with it at once), then the period up to now, in chunks of six hours,
 * then every half second the minutes completed since. One request at a time; over the rate limit
 * or with the store unavailable it waits (Retry-After) and sends the same batch again, which the
 * duplicate rule makes safe. Generation runs on a worker, never on the event loop.
 */
public final class DemoFeed extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(DemoFeed.class.getName());
  static final long CHUNK_MINUTES = 360;
  private static final long MINUTE = 60_000L;

  private final Plan plan;
  private final Clock clock;
  private final String host;
  private final int port;
  private final String token;
  private final Promise<Void> backfilled = Promise.promise();

  private DemoData data;
  private DemoData previous;
  private HttpClient client;
  private long next;
  private boolean busy;
  private long timer = -1;
  private long sent;

  /** @param token the bearer token to ingest with, or null (loopback without ingest tokens) */
  public DemoFeed(Plan plan, Clock clock, String host, int port, String token) {
    this.plan = plan;
    this.clock = clock;
    this.host = host;
    this.port = port;
    this.token = token;
  }

  /** Completes once the period up to the start time is in. */
  public Future<Void> backfilled() {
    return backfilled.future();
  }

  /** Records sent and acknowledged so far. */
  public long sent() {
    return sent;
  }

  @Override
  public Future<?> start() {
    data = new DemoData(plan);
    previous = DemoData.previous(plan);
    client = vertx.createHttpClient();
    next = data.startMinute();
    playPrevious(previous.startMinute()).compose(v -> backfill()).onComplete(ar -> {
      if (ar.failed()) LOG.warning("demo: backfill stopped: " + ar.cause().getMessage());
      else LOG.info("demo: " + sent + " records of " + plan.id() + " so far are in; now live");
      backfilled.handle(ar);
      if (!stopped()) timer = vertx.setPeriodic(500, id -> tick());
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    client.close();
    return Future.succeededFuture();
  }

  private long nowMinute() {
    return Math.min(Math.floorDiv(clock.millis(), MINUTE), data.endMinute());
  }

  private boolean stopped() {
    return next >= data.endMinute();
  }

  private Future<Void> playPrevious(long from) {
    if (from >= previous.endMinute()) return Future.succeededFuture();
    long to = Math.min(previous.endMinute(), from + CHUNK_MINUTES);
    return send(previous, from, to).compose(v -> playPrevious(to));
  }

  private Future<Void> backfill() {
    long to = nowMinute();
    if (next >= to) return Future.succeededFuture();
    return chunk(Math.min(to, next + CHUNK_MINUTES)).compose(v -> backfill());
  }

  private void tick() {
    if (busy) return;
    long to = nowMinute();
    if (next >= to) return;
    busy = true;
    chunk(Math.min(to, next + CHUNK_MINUTES)).onComplete(ar -> {
      busy = false;
      if (ar.failed()) LOG.warning("demo: " + ar.cause().getMessage());
      if (stopped()) {
        vertx.cancelTimer(timer);
        LOG.info("demo: the plan period is over; the campaign report is at /report.html");
      }
    });
  }

  /** Generates minutes [next, to) on a worker and sends them; next moves on once they are in. */
  private Future<Void> chunk(long to) {
    return send(data, next, to).map(v -> {
      next = to;
      return null;
    });
  }

  /** Generates minutes [from, to) of {@code d} on a worker and sends them. */
  private Future<Void> send(DemoData d, long from, long to) {
    return vertx.executeBlocking(() -> {
      StringBuilder b = new StringBuilder();
      int n = d.generate(from, to, b);
      return new Object[] {b.toString(), n};
    }).compose(r -> {
      int n = (Integer) r[1];
      Future<Void> done = n == 0 ? Future.succeededFuture() : send(Buffer.buffer((String) r[0]), 0);
      return done.map(v -> {
        sent += n;
        return null;
      });
    });
  }

  private Future<Void> send(Buffer body, int attempt) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
        .setURI("/api/v1/events").putHeader("Content-Type", "application/x-ndjson");
    if (token != null) o.putHeader("Authorization", "Bearer " + token);
    return client.request(o).compose(req -> req.send(body))
        .compose(r -> r.body().map(b -> new Object[] {r, b})).compose(rb -> {
      HttpClientResponse r = (HttpClientResponse) rb[0];
      int s = r.statusCode();
      if (s == 200) return Future.succeededFuture();
      if ((s == 429 || s == 503) && attempt < 20) return later(r, attempt).compose(v -> send(body, attempt + 1));
      return Future.<Void>failedFuture("the server answered " + s + ": " + rb[1]);
    }, err -> attempt < 20 ? vertx.timer(1000).compose(v -> send(body, attempt + 1))
        : Future.failedFuture(err));
  }

  private Future<Void> later(HttpClientResponse r, int attempt) {
    long ms = Math.min(10_000, 200L << Math.min(attempt, 6));
    String after = r.getHeader("Retry-After");
    if (after != null) {
      try {
        ms = Math.max(ms, Long.parseLong(after.trim()) * 1000);
      } catch (NumberFormatException ignored) {
        // keep the back-off
      }
    }
    return vertx.timer(ms);
  }
}
