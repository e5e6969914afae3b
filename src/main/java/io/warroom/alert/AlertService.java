package io.warroom.alert;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.async.ReadAgain;
import io.warroom.kpi.Alarm;
import io.warroom.live.KpiService;
import io.warroom.measure.Status;
import io.warroom.stream.StreamHub;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Alerts on KPI drift (CONTRACT section 7), on the KPI service's event loop. Only the node that
 * holds the {@link Lease} leads ({@link Leader}: evaluates on each aggregator change and once a
 * second, emits and posts). The others follow it ({@link Follower}: replay what it kept, list the
 * same alerts) and queue acknowledgements and silences asked of them for it to carry out
 * ({@link Commands}). Taking or losing the lease reloads everything from the {@link AlertLog}.
 * This class switches roles, reads the log and answers the API.
 */
public final class AlertService {
  private static final Logger LOG = Logger.getLogger(AlertService.class.getName());
  static final long EVALUATE_EVERY_MS = 1_000;
  public static final int HISTORY_KEPT = 1_000;

  private final Vertx vertx;
  private final KpiService kpis;
  private final StreamHub hub;
  private final Clock clock;
  private final Webhooks hooks;
  private final AlertLog log;
  private final Lease lease;
  private final LogWrites writes = new LogWrites();
  private final History history = new History(HISTORY_KEPT);
  private final Silences silences;
  private final Leader leader;
  private final Follower follower;
  private final Commands commands;
  private final ReadAgain reads;
  private final Map<Severity, AtomicInteger> firing = new EnumMap<>(Severity.class);
  /** The firing alerts the statuses last heard of. */
  private List<Alarm> alarms = List.of();
  private long timer = -1;
  /** A reload (on taking or losing the lease) is under way: nothing else runs. */
  private Future<Void> switching;
  /** The last reload succeeded: the log's cursor and this node's state belong to its role. */
  private boolean loaded;
  /** The last read of the log failed (logged once until one succeeds). */
  private boolean readFailing;

  public AlertService(Vertx vertx, KpiService kpis, StreamHub hub, Clock clock,
      MeterRegistry registry, Webhooks hooks, AlertLog log) {
    this(vertx, kpis, hub, clock, registry, hooks, log, Lease.ALWAYS);
  }

  public AlertService(Vertx vertx, KpiService kpis, StreamHub hub, Clock clock,
      MeterRegistry registry, Webhooks hooks, AlertLog log, Lease lease) {
    this.vertx = vertx;
    this.kpis = kpis;
    this.hub = hub;
    this.clock = clock;
    this.hooks = hooks;
    this.log = log;
    this.lease = lease;
    silences = new Silences(log, writes);
    leader = new Leader(kpis, hub, clock, registry, hooks, log, writes, history, silences,
        this::countFiring);
    follower = new Follower(log, kpis, hub, clock, history, silences);
    commands = new Commands(vertx, log, writes);
    reads = new ReadAgain(() -> switching == null && loaded, this::readOnce);
    for (Severity s : Severity.values()) {
      AtomicInteger n = new AtomicInteger();
      firing.put(s, n);
      Gauge.builder("warroom.alerts.firing", n, AtomicInteger::get).tag("severity", s.wire())
          .description("Alerts firing now").register(registry);
    }
  }

  /**
   * Loads what the log kept; with the lease, takes the active alerts back and evaluates from now
   * on, else follows the node that has it.
   */
  public Future<Void> start() {
    kpis.alarms(() -> alarms);
    kpis.onChange(leader::evaluate);
    log.onChange(reads::ask);
    lease.onChange(held -> switchTo(held));
    return switchTo(lease.held()).onSuccess(v ->
        timer = vertx.setPeriodic(EVALUATE_EVERY_MS, id -> tick()));
  }

  /** Whether this node evaluates alerts and posts webhooks now. */
  public boolean leading() {
    return leader.leading();
  }

  /** Where the dashboard is reached from outside (WARROOM_PUBLIC_URL), for links in messages. */
  public AlertService publicUrl(String url) {
    leader.publicUrl(url);
    return this;
  }

  /**
   * Reloads from the log to lead or to follow; one switch at a time, the last one wins. Losing the
   * lease stops evaluating and posting at once, before the reload.
   */
  private Future<Void> switchTo(boolean lead) {
    if (!lead && leader.leading()) {
      // Until the reload, list what this node last had as active.
      follower.follow(leader.stepDown());
      hooks.standDown();
    }
    if (switching != null) {
      return switching.transform(ar -> lease.held() == leader.leading()
          ? Future.succeededFuture() : switchTo(lease.held()));
    }
    long now = clock.millis();
    loaded = false;
    // The alerting node sends what the one before it left undelivered, before anything new.
    Future<Void> f = writes.last().transform(ar -> log.load(HISTORY_KEPT, now))
        .compose(saved -> (lead && lease.held() ? hooks.takeOver() : Future.<Void>succeededFuture())
            .map(v -> saved)).map(saved -> {
      history.replace(saved.history());
      hub.remember(saved.history().stream()
          .map(a -> new StreamHub.Past(a.at(), a.toJson().encode())).toList());
      silences.replace(saved.silences());
      follower.follow(List.of());
      // The lease may have gone while the log loaded: then follow (a later switch leads again).
      if (lead && lease.held()) {
        leader.take(saved, now);
      } else {
        leader.reset();
        follower.follow(saved.active());
        countFiring();
        LOG.info("following the node that evaluates alerts");
      }
      loaded = true;
      return (Void) null;
    });
    switching = f;
    return f.andThen(ar -> {
      switching = null;
      if (ar.failed()) {
        LOG.log(Level.WARNING, "cannot load the alert log; trying again", ar.cause());
        if (timer >= 0) vertx.setTimer(EVALUATE_EVERY_MS, id -> {
          if (switching == null) switchTo(lease.held());
        });
        return;
      }
      commands.answer();
      reads.ask();
    });
  }

  /** Stops evaluating; completes once what was asked of the log is written. */
  public Future<Void> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    commands.stop();
    return writes.last().transform(ar -> hooks.close());
  }

  private void tick() {
    if (leader.leading()) {
      leader.expireSilences();
      leader.evaluate();
    }
    reads.ask();
  }

  /**
   * Reads the log for what this node's role needs: the leader carries out the commands queued by
   * followers; a follower replays what the leader kept.
   */
  private Future<Void> readOnce() {
    Future<Void> read = leader.leading()
        ? commands.carryOut(leader::leading, leader::carryOut)
        : follower.replay(() -> !leader.leading() && switching == null).map(replayed -> {
          // also without a transition: an alert may have begun or stopped recovering
          countFiring();
          if (replayed) follower.publish();
          return null;
        });
    return read.andThen(ar -> {
      if (ar.failed() && !readFailing) {
        LOG.warning("cannot read the alert log (retrying every second): " + ar.cause().getMessage());
      } else if (ar.succeeded() && readFailing) {
        LOG.info("reading the alert log again");
      }
      readFailing = ar.failed();
      commands.answer();
    });
  }

  /** The active alerts, as listed. */
  public List<Alert> active() {
    return List.copyOf(activeAlerts());
  }

  /** Where transitions are posted; digests go the same way. */
  public Webhooks hooks() {
    return hooks;
  }

  /** The active alerts: the leader's, else the alerting node's as followed. */
  private List<Alert> activeAlerts() {
    return leader.leading() ? leader.active() : follower.active();
  }

  /** Counts the firing alerts for the gauges and tells the statuses when they changed. */
  private void countFiring() {
    int w = 0;
    int c = 0;
    List<Alarm> now = new ArrayList<>();
    boolean leading = leader.leading();
    for (Alert a : activeAlerts()) {
      if (a.state() != State.FIRING) continue;
      boolean critical = a.severity() == Severity.CRITICAL;
      if (critical) c++;
      else w++;
      Rule rule = leading ? leader.rule(a.rule()) : follower.rule(a.rule());
      now.add(new Alarm(a.kpi(), a.rule(), a.window(), critical ? Status.CRITICAL : Status.WARNING,
          rule != null && rule.recovering(a)));
    }
    firing.get(Severity.WARNING).set(w);
    firing.get(Severity.CRITICAL).set(c);
    if (!now.equals(alarms)) {
      alarms = List.copyOf(now);
      kpis.alarmsChanged();
    }
  }

  /** {@code {"active": [...], "history": [...]}}: active most severe first, history newest first. */
  public JsonObject list(int historyLimit) {
    long now = clock.millis();
    List<Alert> active = new ArrayList<>(activeAlerts());
    active.sort(Comparator.comparing((Alert a) -> a.severity() != Severity.CRITICAL)
        .thenComparing(a -> a.state() != State.FIRING).thenComparingLong(Alert::since));
    JsonArray act = new JsonArray();
    for (Alert a : active) act.add(a.silenced(silences.cover(a.rule(), now)).toJson());
    JsonArray hist = new JsonArray();
    Iterator<Alert> it = history.newestFirst();
    for (int i = 0; i < historyLimit && it.hasNext(); i++) hist.add(it.next().toJson());
    return new JsonObject().put("active", act).put("history", hist);
  }

  /**
   * The alerts that fired (as far as the history kept reaches), for the report: each alert
   * (episode id) that reached {@code firing}, once, as it is now or as its last transition left it
   * (so a resolved one has its resolvedAt), oldest first.
   */
  public List<Alert> fired() {
    Map<String, Alert> latest = new LinkedHashMap<>();
    Set<String> firedIds = new HashSet<>();
    for (Alert a : activeAlerts()) latest.put(a.id(), a);
    for (Iterator<Alert> it = history.newestFirst(); it.hasNext(); ) {
      Alert a = it.next();
      latest.putIfAbsent(a.id(), a);
      if (a.state() == State.FIRING) firedIds.add(a.id());
    }
    for (Alert a : activeAlerts()) if (a.state() == State.FIRING) firedIds.add(a.id());
    List<Alert> out = new ArrayList<>();
    for (Alert a : latest.values()) if (firedIds.contains(a.id())) out.add(a);
    out.sort(Comparator.comparingLong(Alert::since));
    return out;
  }

  public enum AckResult { ACKNOWLEDGED, RESOLVED, UNKNOWN }

  /** The outcome of an acknowledgement, with the alert as it is now when it is active. */
  public record Ack(AckResult result, Alert alert) {}

  /** Acknowledges the active alert {@code id}; the change goes out on every node's stream. */
  public Future<Ack> acknowledge(String id) {
    if (leader.leading()) {
      leader.acknowledge(id, clock.millis());
      return Future.succeededFuture(outcome(id));
    }
    Alert a = activeById(id);
    if (a == null || a.acknowledgedAt() != null) return Future.succeededFuture(outcome(id));
    return command("ack", new JsonObject().put("id", id).put("at", clock.millis()), () -> {
      Alert now = activeById(id);
      return now == null || now.acknowledgedAt() != null;
    }).map(v -> outcome(id));
  }

  /** After an acknowledgement: the alert if still active, else whether it resolved or never was. */
  private Ack outcome(String id) {
    Alert a = activeById(id);
    if (a != null) return new Ack(AckResult.ACKNOWLEDGED, a);
    if (history.has(id)) return new Ack(AckResult.RESOLVED, null);
    return new Ack(AckResult.UNKNOWN, null);
  }

  private Alert activeById(String id) {
    for (Alert a : activeAlerts()) if (a.id().equals(id)) return a;
    return null;
  }

  /** A follower's command for the leader, answered once this node sees it done. */
  private Future<Void> command(String kind, JsonObject body, BooleanSupplier done) {
    return commands.queue(kind, body, done, reads::ask);
  }

  /** Ids of the rules in force. */
  public List<String> ruleIds() {
    return Rules.derive(kpis.plan()).stream().map(Rule::id).toList();
  }

  /** Silences a rule's notifications until {@code endsAt}, on every node. */
  public Future<Silence> silence(String rule, long endsAt, String comment) {
    Silence s = new Silence(UUID.randomUUID().toString(), rule, clock.millis(), endsAt, comment);
    if (leader.leading()) {
      silences.add(s);
      return Future.succeededFuture(s);
    }
    return command("silence", s.toJson(), () -> silences.has(s.id())).map(s);
  }

  /** The silences in force (a follower's view of the alerting node's). */
  public List<Silence> silences() {
    leader.expireSilences();
    return silences.inForce(clock.millis());
  }

  /** Removes a silence on every node; false when there is none with that id. */
  public Future<Boolean> unsilence(String id) {
    if (leader.leading()) return Future.succeededFuture(leader.unsilence(id));
    if (!silences.has(id)) return Future.succeededFuture(false);
    return command("unsilence", new JsonObject().put("id", id), () -> !silences.has(id))
        .map(true);
  }
}
