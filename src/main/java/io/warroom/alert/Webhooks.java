package io.warroom.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * Posts each alert transition as JSON to every configured URL. Each URL has its own bounded queue,
 * delivered in order one request at a time; a failed request (an error, a timeout, a 5xx, 408 or
 * 429) is retried with exponential back-off, and a 4xx other than those is given up. Chat robots
 * answer 200 with an error code in the body: a rate limit is retried, another code given up, both
 * logged; and a robot is sent no more than its platform takes (WeCom and DingTalk 20 a minute,
 * Feishu 5 a second and 100 a minute, Slack about 1 a second): the queue waits instead. Nothing
 * here waits on the caller: {@link #send} only queues. When a queue is full its oldest message is
 * dropped and counted (not one whose answer is awaited). Runs on the event loop that calls it.
 */
public final class Webhooks {
  private static final Logger LOG = Logger.getLogger(Webhooks.class.getName());

  /**
   * Queue length per URL, first and largest back-off, the time a request may take, the wait after
   * a robot said "too many", and a factor on the robots' rate windows (1; tests shorten them).
   */
  public record Options(int queueLimit, long firstBackoffMs, long maxBackoffMs, long timeoutMs,
      long limitedWaitMs, double windowScale) {
    public static Options defaults() {
      return new Options(1_000, 500, 30_000, 10_000, 60_000, 1.0);
    }
  }

  /** Sends allowed per window, by format: {count, window ms} pairs (the platforms' robot limits). */
  static long[][] limits(String format) {
    return switch (format) {
      case "wecom", "dingtalk" -> new long[][] {{20, 60_000}};
      case "feishu" -> new long[][] {{5, 1_000}, {100, 60_000}};
      case "slack" -> new long[][] {{60, 60_000}};
      default -> new long[0][];
    };
  }

  /** Error codes in a robot's 200 answer that mean "too many messages": retried, not given up. */
  private static final Set<Long> RATE_LIMITED = Set.of(45009L, 130101L, 9499L, 11232L);

  /** Most team webhooks kept at once (a plan has at most 50 teams of 10 webhooks). */
  static final int MAX_TEAM_TARGETS = 1_000;

  private final Vertx vertx;
  private final Options options;
  private final MeterRegistry registry;
  private HttpClient client;
  private final List<Target> targets = new ArrayList<>();
  /** Teams' webhooks (section 14), by format and URL, made when first posted to. */
  private final Map<String, Target> teamTargets = new LinkedHashMap<>();
  private boolean closed;
  /** Requests under way, and what a close waits on while there are any. */
  private int inFlight;
  private Promise<Void> idled;
  static final long CLOSE_WAIT_MS = 2_000;
  /** Where queued notifications are kept for a node that takes the lease over. */
  private Outbox outbox = Outbox.NONE;
  /** A robot's signing secret by URL and format (the plan in force's), looked up at each send. */
  private BiFunction<String, String, String> secrets = (url, format) -> null;

  public Webhooks(Vertx vertx, List<String> urls, MeterRegistry registry, Options options) {
    this.vertx = vertx;
    this.options = options;
    this.registry = registry;
    for (int i = 0; i < urls.size(); i++) {
      targets.add(new Target(urls.get(i), "json", String.valueOf(i), registry, true));
    }
    Gauge.builder("warroom.alert.webhook.queued", teamTargets, Webhooks::queuedIn)
        .tag("hook", "teams").description("Alert notifications waiting for this webhook")
        .register(registry);
  }

  /** Keeps each queued notification in {@code o} until it is delivered, refused or dropped. */
  public Webhooks outbox(Outbox o) {
    this.outbox = o;
    return this;
  }

  /**
   * This node takes the alerting lease: what it had queued is forgotten here and what the outbox
   * holds (this node's and a node's before it, oldest first) is queued again, before anything new.
   */
  public Future<Void> takeOver() {
    standDown();
    return outbox.pending().map(entries -> {
      if (closed) return null;
      for (Outbox.Entry e : entries) {
        Target t = targetOf(e);
        if (t == null) {
          forget(Future.succeededFuture(e.id()));
          continue;
        }
        t.offer(new Item(Buffer.buffer(e.body()), e.key(), Future.succeededFuture(e.id())), false);
      }
      if (!entries.isEmpty()) LOG.info("took over " + entries.size() + " webhook notifications not yet delivered");
      return null;
    });
  }

  /** This node no longer alerts: its queues are left to the outbox, for the next alerting node. */
  public void standDown() {
    for (Target t : targets) t.queue.clear();
    for (Target t : teamTargets.values()) t.queue.clear();
  }

  private void forget(Future<Long> id) {
    id.onSuccess(n -> {
      if (n > 0) outbox.remove(n).onFailure(e -> LOG.warning("cannot remove a sent notification from "
          + "the outbox (" + e + "); a node taking over may send it again"));
    });
  }

  /** Where each send finds the signing secret of a DingTalk or Feishu robot (null: unsigned). */
  public Webhooks secrets(BiFunction<String, String, String> s) {
    this.secrets = s;
    return this;
  }

  /** The configured URLs (WARROOM_WEBHOOK_URLS). */
  public List<String> urls() {
    return targets.stream().map(t -> t.url).toList();
  }

  /**
   * Queues notifications (a configured URL's when {@code team} is null and the format json, else
   * a team webhook's; {@code key} goes out as the Idempotency-Key header), kept in the outbox
   * under {@code ids} by whoever kept them with what they tell of, in one transaction; with no
   * ids, kept here. {@code ahead}: next after the notification under way, before those waiting (a
   * digest due before a meeting does not wait out an alert storm's rate-limited queue).
   */
  public void send(List<Outbox.Entry> sends, List<Long> ids, boolean ahead) {
    if (closed) return; // what was kept stays in the outbox, for the next alerting node
    for (int i = 0; i < sends.size(); i++) {
      Outbox.Entry e = sends.get(i);
      Future<Long> id = ids.isEmpty() ? outbox.add(e.url(), e.format(), e.team(), e.key(), e.body())
          : Future.succeededFuture(ids.get(i));
      Target t = targetOf(e);
      if (t == null) {
        forget(id);
      } else {
        t.offer(new Item(Buffer.buffer(e.body()), e.key(), id), ahead);
      }
    }
  }

  /** The queue of a kept notification: its configured URL's, or a team webhook's. */
  private Target targetOf(Outbox.Entry e) {
    if (e.team() == null && e.format().equals("json")) {
      for (Target x : targets) if (x.url.equals(e.url())) return x;
    }
    return teamTarget(e.url(), e.format(), e.team() == null ? "-" : e.team());
  }

  /** The queue of a team's webhook, made when first needed; null past {@link #MAX_TEAM_TARGETS}. */
  private Target teamTarget(String url, String format, String team) {
    String id = format + " " + url;
    Target t = teamTargets.get(id);
    if (t == null) {
      if (teamTargets.size() >= MAX_TEAM_TARGETS) {
        // The plan changed many times: forget a webhook with nothing left to send.
        teamTargets.values().removeIf(x -> x.queue.isEmpty() && !x.busy);
      }
      if (teamTargets.size() >= MAX_TEAM_TARGETS) {
        LOG.warning("too many team webhooks at once; a notification to a new one is dropped");
        return null;
      }
      t = new Target(url, format, "team:" + team, registry, false);
      teamTargets.put(id, t);
    }
    return t;
  }

  private static double queuedIn(Map<String, Target> m) {
    int n = 0;
    for (Target t : m.values()) n += t.queue.size();
    return n;
  }

  /** Messages not yet delivered, over all URLs. */
  public int queued() {
    int n = 0;
    for (Target t : targets) n += t.queue.size();
    return n + (int) queuedIn(teamTargets);
  }

  /**
   * Stops sending: what is queued stays in the outbox for the next alerting node; requests under
   * way get up to {@link #CLOSE_WAIT_MS} to finish, so one delivered is not sent again.
   */
  public Future<Void> close() {
    closed = true;
    for (Target t : targets) {
      if (t.timer >= 0) vertx.cancelTimer(t.timer);
    }
    for (Target t : teamTargets.values()) {
      if (t.timer >= 0) vertx.cancelTimer(t.timer);
    }
    Future<Void> idle = Future.succeededFuture();
    if (inFlight > 0) {
      idled = Promise.promise();
      long timer = vertx.setTimer(CLOSE_WAIT_MS, id -> idled.tryComplete());
      idle = idled.future().andThen(ar -> vertx.cancelTimer(timer));
    }
    return idle.transform(ar -> client == null ? Future.succeededFuture() : client.close());
  }

  private HttpClient client() {
    if (client == null) {
      client = vertx.createHttpClient(new HttpClientOptions()
          .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.timeoutMs())));
    }
    return client;
  }

  /** A notification, and its id in the outbox (0 when not kept there). */
  private record Item(Buffer body, String key, Future<Long> id) {}

  /** A robot's answer: its HTTP status, and the error code and message of its body (0: none). */
  private record Answer(int status, long code, String message) {}

  /** The error code a chat robot put in its 200 answer ({@code errcode}, {@code code}), or 0. */
  static Answer answer(int status, Buffer body) {
    if (status < 200 || status >= 300 || body == null || body.length() == 0
        || body.getByte(0) != '{') {
      return new Answer(status, 0, "");
    }
    try {
      JsonObject o = body.toJsonObject();
      Object code = o.getValue("errcode", o.getValue("code", o.getValue("StatusCode")));
      long c = code instanceof Number n ? n.longValue() : 0;
      Object m = o.getValue("errmsg", o.getValue("msg", o.getValue("StatusMessage", "")));
      return new Answer(status, c, String.valueOf(m));
    } catch (RuntimeException e) {
      return new Answer(status, 0, "");
    }
  }

  private final class Target {
    final String url;
    final String format;
    /** Whether the answer's body carries an error code (WeCom, DingTalk, Feishu robots). */
    final boolean coded;
    final long[][] limits;
    /**
     * When the last sends were answered (as many as the largest limit counts), oldest first: a
     * robot counts a post when it arrives, which is before its answer and after the send began.
     */
    final Deque<Long> sent = new ArrayDeque<>();
    final Deque<Item> queue = new ArrayDeque<>();
    final Counter delivered;
    final Counter retried;
    final Counter rejected;
    final Counter dropped;
    /** A request is under way or a back-off timer is set. */
    boolean busy;
    /** The queue's head while its post awaits an answer. */
    Item sending;
    int failures;
    long timer = -1;

    Target(String url, String format, String hook, MeterRegistry registry, boolean gauge) {
      this.url = url;
      this.format = format;
      this.limits = limits(format);
      this.coded = Set.of("wecom", "dingtalk", "feishu").contains(format);
      delivered = counter(registry, hook, "delivered");
      retried = counter(registry, hook, "retried");
      rejected = counter(registry, hook, "rejected");
      dropped = counter(registry, hook, "dropped");
      if (gauge) {
        Gauge.builder("warroom.alert.webhook.queued", queue, Deque::size).tag("hook", hook)
            .description("Alert notifications waiting for this webhook").register(registry);
      }
    }

    void offer(Item item, boolean ahead) {
      if (queue.size() >= options.queueLimit()) {
        // the oldest not under way: a post whose answer is awaited is delivered or retried as such
        Item head = sending != null && queue.size() > 1 ? queue.removeFirst() : null;
        forget(queue.removeFirst().id());
        if (head != null) queue.addFirst(head);
        dropped.increment();
        LOG.warning("webhook " + host() + ": queue full, oldest notification dropped");
      }
      if (!ahead) {
        queue.addLast(item);
      } else {
        // behind the head while it is under way or waits to be retried: it stays first
        Item head = busy && !queue.isEmpty() ? queue.removeFirst() : null;
        queue.addFirst(item);
        if (head != null) queue.addFirst(head);
      }
      pump();
    }

    void pump() {
      if (busy || closed || queue.isEmpty()) return;
      long pause = untilAllowed(System.currentTimeMillis());
      if (pause > 0) {
        busy = true;
        timer = vertx.setTimer(pause, id -> {
          timer = -1;
          busy = false;
          pump();
        });
        return;
      }
      Item item = queue.peekFirst();
      busy = true;
      sending = item;
      sent.addLast(System.currentTimeMillis());
      inFlight++;
      send(item).onComplete(ar -> {
        busy = false;
        sending = null;
        sent.removeLast();
        sent.addLast(System.currentTimeMillis());
        if (--inFlight == 0 && idled != null) vertx.runOnContext(v -> idled.tryComplete());
        Answer a = ar.succeeded() ? ar.result() : new Answer(0, 0, "");
        int status = a.status();
        boolean limited = RATE_LIMITED.contains(a.code());
        // Delivered or refused while stopping: out of the outbox all the same.
        if (status >= 200 && status < 300 && a.code() == 0) {
          done(item);
          delivered.increment();
          pump();
        } else if (status >= 200 && status < 300 && !limited
            || status >= 400 && status < 500 && status != 408 && status != 429) {
          done(item);
          rejected.increment();
          LOG.warning("webhook " + host() + " refused a notification with " + status
              + (a.code() == 0 ? "" : ", error " + a.code() + " " + a.message()) + "; not retried");
          pump();
        } else if (closed) {
          return; // left in the outbox for the next alerting node
        } else {
          failures++;
          retried.increment();
          long wait = backoff(failures);
          if (limited) wait = Math.max(wait, options.limitedWaitMs()); // the robot's minute passes
          if (failures == 1 || failures % 10 == 0) {
            LOG.warning("webhook " + host() + " failed (" + (!ar.succeeded() ? ar.cause().toString()
                : limited ? "rate limited: error " + a.code() + " " + a.message() : "status " + status)
                + "), attempt " + failures + "; retrying in " + wait + " ms");
          }
          busy = true;
          timer = vertx.setTimer(wait, id -> {
            timer = -1;
            busy = false;
            pump();
          });
        }
      });
    }

    /** How long to wait before the next send keeps every limit of the platform (0: none). */
    private long untilAllowed(long now) {
      long wait = 0;
      for (long[] l : limits) {
        if (sent.size() < l[0]) continue;
        // the l[0]-th newest send must have left the window
        long nth = 0;
        int i = 0;
        var it = sent.descendingIterator();
        while (it.hasNext() && i < l[0]) {
          nth = it.next();
          i++;
        }
        wait = Math.max(wait, nth + (long) (l[1] * options.windowScale()) - now);
      }
      long keep = 0;
      for (long[] l : limits) keep = Math.max(keep, l[0]);
      while (sent.size() > keep) sent.removeFirst();
      return wait;
    }

    private void done(Item item) {
      failures = 0;
      if (queue.peekFirst() == item) queue.removeFirst();
      forget(item.id());
    }

    private Future<Answer> send(Item item) {
      String to = url;
      Buffer body = item.body();
      String secret = coded ? secrets.apply(url, format) : null;
      if (secret != null && format.equals("dingtalk")) {
        to = Signatures.dingtalk(url, secret, System.currentTimeMillis());
      } else if (secret != null && format.equals("feishu")) {
        body = Signatures.feishu(body, secret, System.currentTimeMillis());
      }
      Buffer sent = body;
      RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(to)
          .setIdleTimeout(options.timeoutMs())
          .putHeader("Content-Type", "application/json")
          .putHeader("Idempotency-Key", item.key())
          .putHeader("User-Agent", "warroom-alerts");
      return client().request(ro)
          .compose(req -> req.send(sent))
          .compose(resp -> resp.body().map(b -> coded ? answer(resp.statusCode(), b)
              : new Answer(resp.statusCode(), 0, "")));
    }

    /** first * 2^(n-1), capped, with ±20 % jitter so many nodes do not retry in step. */
    private long backoff(int n) {
      double base = Math.min(options.maxBackoffMs(),
          options.firstBackoffMs() * Math.pow(2, Math.min(n - 1, 30)));
      return Math.max(1, (long) (base * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }

    /** The URL without path or query, which may hold a secret. */
    private String host() {
      try {
        URI u = new URI(url);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
      } catch (URISyntaxException e) {
        return "#" + (targets.contains(this) ? targets.indexOf(this) : "team");
      }
    }
  }

  private static Counter counter(MeterRegistry registry, String hook, String outcome) {
    return Counter.builder("warroom.alert.webhook.notifications").tag("hook", hook)
        .tag("outcome", outcome).description("Alert notifications per webhook and outcome")
        .register(registry);
  }
}
