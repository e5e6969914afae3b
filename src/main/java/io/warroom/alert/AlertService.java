package io.warroom.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.alert.Readings.Inputs;
import io.warroom.kpi.Alarm;
import io.warroom.kpi.KpiService;
import io.warroom.measure.Status;
import io.warroom.notify.AlertMessage;
import io.warroom.notify.Message;
import io.warroom.plan.Plan;
import io.warroom.stream.StreamHub;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Alerts on KPI drift (CONTRACT section 7). Evaluates every rule on each aggregator change and once a
 * second (so pace and staleness move with no new data), on the KPI service's event loop, reading the
 * aggregates directly. Each transition is pushed on the stream at once with the next seq as its id,
 * kept in the history and the {@link AlertLog}, counted, and posted to the webhooks unless its rule
 * is silenced.
 *
 * <p>Only the node that holds the {@link Lease} evaluates and posts. The others follow it: they
 * replay on their own streams the transitions and acknowledgements it kept, list the same alerts,
 * and queue acknowledgements and silences asked of them for it to carry out, answering once they
 * see them done. Taking or losing the lease reloads everything from the log.
 */
public final class AlertService {
  private static final Logger LOG = Logger.getLogger(AlertService.class.getName());
  static final long EVALUATE_EVERY_MS = 1_000;
  public static final int HISTORY_KEPT = 1_000;
  /** How long a follower waits to see its command carried out by the alerting node. */
  static final long COMMAND_WAIT_MS = 5_000;

  private final Vertx vertx;
  private final KpiService kpis;
  private final StreamHub hub;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Webhooks hooks;
  private final AlertLog log;
  private final Lease lease;
  private AlertEngine engine = new AlertEngine();
  /** Transitions, oldest first. */
  private final Deque<Alert> history = new ArrayDeque<>();
  private final Map<String, Silence> silences = new LinkedHashMap<>();
  private final Map<Severity, AtomicInteger> firing = new EnumMap<>(Severity.class);
  /** While following: the alerting node's active alerts, by rule. */
  private final Map<String, Alert> followed = new LinkedHashMap<>();
  /** While following: commands waiting to be seen carried out. */
  private final List<Waiter> waiters = new ArrayList<>();

  private Plan plan;
  private String publicUrl;
  private long timer = -1;
  /** The last write asked of the log; writes complete in order, so stop waits for this one. */
  private Future<Void> lastWrite = Future.succeededFuture();
  private boolean evaluating;
  /** The firing alerts the statuses last heard of. */
  private List<Alarm> alarms = List.of();
  /** Whether this node evaluates and posts now; changes only once a reload is done. */
  private boolean leading;
  /** A reload (on taking or losing the lease) is under way: nothing else runs. */
  private Future<Void> switching;
  /** A read of the log (changes or commands) is under way; another is wanted after it. */
  private boolean reading;
  private boolean readAgain;
  /** The last read of the log failed (logged once until one succeeds). */
  private boolean readFailing;
  /** The last reload succeeded: the log's cursor and this node's state belong to its role. */
  private boolean loaded;
  /** While carrying out commands: the writes they asked for, else null. */
  private List<Future<Void>> commandWrites;

  /** A follower's command, answered once {@code done} holds (or failed after a while). */
  private record Waiter(BooleanSupplier done, Promise<Void> promise, long timer) {}

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
    this.registry = registry;
    this.hooks = hooks;
    this.log = log;
    this.lease = lease;
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
    kpis.onChange(this::evaluate);
    log.onChange(this::readLog);
    lease.onChange(held -> switchTo(held));
    return switchTo(lease.held()).onSuccess(v ->
        timer = vertx.setPeriodic(EVALUATE_EVERY_MS, id -> tick()));
  }

  /** Whether this node evaluates alerts and posts webhooks now. */
  public boolean leading() {
    return leading;
  }

  /**
   * Reloads from the log to lead or to follow; one switch at a time, the last one wins. Losing the
   * lease stops evaluating and posting at once, before the reload.
   */
  private Future<Void> switchTo(boolean lead) {
    if (!lead && leading) {
      // Until the reload, list what this node last had as active.
      followed.clear();
      for (Alert a : engine.active()) followed.put(a.rule(), a);
      leading = false;
    }
    if (switching != null) {
      return switching.transform(ar -> lease.held() == leading ? Future.succeededFuture()
          : switchTo(lease.held()));
    }
    long now = clock.millis();
    loaded = false;
    Future<Void> f = lastWrite.transform(ar -> log.load(HISTORY_KEPT, now)).map(saved -> {
      history.clear();
      history.addAll(saved.history());
      silences.clear();
      for (Silence s : saved.silences()) silences.put(s.id(), s);
      followed.clear();
      // The lease may have gone while the log loaded: then follow (a later switch leads again).
      if (lead && lease.held()) {
        lead(saved, now);
      } else {
        leading = false;
        engine = new AlertEngine();
        for (Alert a : saved.active()) followed.put(a.rule(), a);
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
      answerWaiters();
      readLog();
    });
  }

  /** Takes the kept active alerts back into a new engine and evaluates from now on. */
  private void lead(AlertLog.Saved saved, long now) {
    engine = new AlertEngine();
    leading = true;
    plan = kpis.plan();
    emitAll(engine.setRules(Rules.derive(plan), now));
    emitAll(engine.restore(saved.active(), saved.episodes(), now));
    for (Alert a : saved.active()) {
      // A stale feed stays stale across a restart: it has been quiet since before it fired.
      if (a.rule().equals("feed-stale") && engine.active(a.id()) != null) {
        kpis.quietSince(a.since() - plan.staleFeedMinutes() * 60_000L);
      }
    }
    countFiring();
    evaluate();
  }

  /** Stops evaluating; completes once what was asked of the log is written. */
  public Future<Void> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    for (Waiter w : waiters) {
      vertx.cancelTimer(w.timer());
      w.promise().tryFail(new NotConfirmedException("this node is stopping; it stays queued"));
    }
    waiters.clear();
    return lastWrite.transform(ar -> hooks.close());
  }

  private void tick() {
    if (leading) {
      expireSilences();
      evaluate();
    }
    readLog();
  }

  /** Judges every rule now; cheap (a few sums per rule), so it runs on every change. */
  public void evaluate() {
    if (evaluating || !leading) return;
    evaluating = true;
    try {
      // Windows move to the clock's minute first, so a record of a new minute counts at once.
      kpis.roll();
      long now = clock.millis();
      if (kpis.plan() != plan) {
        plan = kpis.plan();
        emitAll(engine.setRules(Rules.derive(plan), now));
      }
      long quietSince = Math.max(kpis.quietSince(), plan.startMillis());
      emitAll(engine.evaluate(new Inputs(kpis.aggregator(), now, quietSince),
          rule -> silenced(rule, now)));
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "alert evaluation failed", e);
    } finally {
      evaluating = false;
    }
  }

  private void emitAll(List<Alert> transitions) {
    if (transitions.isEmpty()) return;
    for (Alert a : transitions) emit(a);
    countFiring();
  }

  private void emit(Alert a) {
    String json = a.toJson().encode();
    hub.publishAlert(kpis.nextSeq(), json);
    remember(a);
    Counter.builder("warroom.alert.transitions").tag("rule", a.rule())
        .tag("severity", a.severity().wire()).tag("state", a.state().wire())
        .description("Alert transitions by rule, severity and state").register(registry).increment();
    Future<Void> kept = log.append(a);
    keep(kept, "alert " + a.id());
    // Posted once the log has answered, unless the duty moved meanwhile: a node taking it over
    // reads the transition from the log, or, when it was not kept, makes it again and posts it.
    if (!a.silenced()) kept.onComplete(ar -> {
      if (leading) notify(a, json);
    });
  }

  /**
   * Posts a transition to the configured webhooks (JSON) and to its owner team's webhooks, each in
   * its format (CONTRACT section 14); a team URL that is also configured gets it once.
   */
  private void notify(Alert a, String json) {
    String key = key(a);
    hooks.post(json, key);
    Plan plan = kpis.plan();
    Plan.Team team = a.owner() == null ? null : plan.team(a.owner());
    if (team == null || team.webhooks().isEmpty()) return;
    List<String> global = hooks.urls();
    Message m = null;
    for (Plan.Hook h : team.webhooks()) {
      if (global.contains(h.url())) continue;
      if (m == null) m = AlertMessage.of(a, plan, publicUrl);
      hooks.postTo(h.url(), h.format(), m.body(h.format(), a.toJson()), key, team.id());
    }
  }

  /** Where the dashboard is reached from outside (WARROOM_PUBLIC_URL), for links in messages. */
  public AlertService publicUrl(String url) {
    this.publicUrl = url;
    return this;
  }

  /** Notes a write to the log; a failure is logged, evaluation never waits for it. */
  private void keep(Future<Void> write, String what) {
    if (commandWrites != null) commandWrites.add(write);
    lastWrite = write.onFailure(err -> LOG.log(Level.WARNING, "could not keep " + what, err));
  }

  private static String key(Alert a) {
    return a.id() + "/" + a.at() + "/" + a.state().wire() + "/" + a.severity().wire();
  }

  private void remember(Alert transition) {
    history.addLast(transition);
    if (history.size() > HISTORY_KEPT) history.removeFirst();
  }

  /**
   * Reads the log for what this node's role needs: the alerting node carries out the commands
   * queued by followers; a follower replays what the alerting node kept. One read at a time.
   */
  private void readLog() {
    if (switching != null || !loaded) return;
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    readAgain = false;
    Future<Void> read = leading ? carryOut() : follow();
    read.onComplete(ar -> {
      reading = false;
      if (ar.failed() && !readFailing) {
        LOG.warning("cannot read the alert log (retrying every second): " + ar.cause().getMessage());
      } else if (ar.succeeded() && readFailing) {
        LOG.info("reading the alert log again");
      }
      readFailing = ar.failed();
      answerWaiters();
      if (readAgain) readLog();
    });
  }

  /** Replays the alerting node's transitions and acknowledgements, and takes its silences. */
  private Future<Void> follow() {
    boolean was = leading;
    return log.changes(clock.millis()).map(c -> {
      if (leading != was || switching != null) return null;
      for (AlertLog.Change change : c.changes()) {
        Alert a = change.alert();
        hub.publishAlert(kpis.nextSeq(), a.toJson().encode());
        if (!change.ack()) remember(a);
        Alert cur = followed.get(a.rule());
        if (a.active() && (!change.ack() || cur != null && cur.id().equals(a.id()))) {
          followed.put(a.rule(), a);
        } else if (!a.active() && cur != null && cur.id().equals(a.id())) {
          followed.remove(a.rule());
        }
      }
      silences.clear();
      for (Silence s : c.silences()) silences.put(s.id(), s);
      countFiring();
      return null;
    });
  }

  /**
   * Carries out the commands followers queued, then removes them once their effects are kept. A
   * command found again (its effects were not all kept) writes its effect again: every write is
   * idempotent.
   */
  private Future<Void> carryOut() {
    return log.commands().compose(commands -> {
      if (commands.isEmpty() || !leading) return Future.succeededFuture();
      List<Future<Void>> writes = new ArrayList<>();
      commandWrites = writes;
      try {
        for (AlertLog.Command c : commands) carryOut(c);
      } finally {
        commandWrites = null;
      }
      List<Long> seqs = commands.stream().map(AlertLog.Command::seq).toList();
      return Future.all(writes).compose(v -> log.done(seqs));
    });
  }

  private void carryOut(AlertLog.Command c) {
    try {
      switch (c.kind()) {
        case "ack" -> {
          String id = c.body().getString("id");
          Alert a = engine.active(id);
          if (a != null && a.acknowledgedAt() != null) keep(log.update(a), "the acknowledgement of " + id);
          else acknowledgeHere(id, c.body().getLong("at"));
        }
        case "silence" -> {
          Silence s = Silence.fromJson(c.body());
          if (s.endsAt() <= clock.millis()) return;
          if (silences.containsKey(s.id())) keep(log.putSilence(s), "silence " + s.id());
          else silenceHere(s);
        }
        case "unsilence" -> {
          String id = c.body().getString("id");
          if (!unsilenceHere(id)) keep(log.removeSilence(id), "the removal of silence " + id);
        }
        default -> LOG.warning("unknown alert command " + c.kind());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot carry out alert command " + c.seq(), e);
    }
  }

  /**
   * A follower's command: queued for the alerting node, answered once this node sees it done (or
   * failed with {@link NotConfirmedException} after {@link #COMMAND_WAIT_MS}; it stays queued).
   */
  private Future<Void> command(String kind, JsonObject body, BooleanSupplier done) {
    return log.queue(kind, body).recover(err -> Future.failedFuture(new NotConfirmedException(
        "cannot queue it for the alerting node: " + err.getMessage()))).compose(v -> {
      if (done.getAsBoolean()) return Future.succeededFuture();
      Promise<Void> p = Promise.promise();
      Waiter w = new Waiter(done, p, vertx.setTimer(COMMAND_WAIT_MS, id -> {
        waiters.removeIf(x -> x.promise() == p);
        p.tryFail(new NotConfirmedException("the alerting node has not confirmed it within "
            + COMMAND_WAIT_MS / 1000 + " s; it is queued and will be carried out"));
      }));
      waiters.add(w);
      readLog();
      return p.future();
    });
  }

  private void answerWaiters() {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.done().getAsBoolean()) {
        it.remove();
        vertx.cancelTimer(w.timer());
        w.promise().tryComplete();
      }
    }
  }

  /** A follower's command that could not be queued, or that the alerting node did not confirm in time. */
  public static final class NotConfirmedException extends RuntimeException {
    NotConfirmedException(String message) {
      super(message);
    }
  }

  /** The active alerts, as listed. */
  public List<Alert> active() {
    return List.copyOf(activeAlerts());
  }

  /** Where transitions are posted; digests go the same way. */
  public Webhooks hooks() {
    return hooks;
  }

  /** The active alerts: the engine's when leading, else the alerting node's as followed. */
  private List<Alert> activeAlerts() {
    return leading ? engine.active() : List.copyOf(followed.values());
  }

  private void countFiring() {
    int w = 0;
    int c = 0;
    for (Alert a : activeAlerts()) {
      if (a.state() != State.FIRING) continue;
      if (a.severity() == Severity.CRITICAL) c++;
      else w++;
    }
    firing.get(Severity.WARNING).set(w);
    firing.get(Severity.CRITICAL).set(c);
    List<Alarm> now = new ArrayList<>();
    for (Alert a : activeAlerts()) {
      if (a.state() == State.FIRING) {
        now.add(new Alarm(a.kpi(), a.rule(), a.window(),
            a.severity() == Severity.CRITICAL ? Status.CRITICAL : Status.WARNING));
      }
    }
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
    for (Alert a : active) act.add(a.silenced(silenced(a.rule(), now)).toJson());
    JsonArray hist = new JsonArray();
    Iterator<Alert> it = history.descendingIterator();
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
    java.util.Set<String> firedIds = new java.util.HashSet<>();
    for (Alert a : activeAlerts()) latest.put(a.id(), a);
    for (Iterator<Alert> it = history.descendingIterator(); it.hasNext(); ) {
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
    if (leading) return Future.succeededFuture(acknowledgeHere(id, clock.millis()));
    Alert a = activeById(id);
    if (a == null || a.acknowledgedAt() != null) return Future.succeededFuture(outcome(id));
    return command("ack", new JsonObject().put("id", id).put("at", clock.millis()), () -> {
      Alert now = activeById(id);
      return now == null || now.acknowledgedAt() != null;
    }).map(v -> outcome(id));
  }

  private Ack acknowledgeHere(String id, long at) {
    Alert a = engine.active(id);
    if (a == null || a.acknowledgedAt() != null) return outcome(id);
    Alert acked = a.acknowledged(at);
    engine.update(acked);
    hub.publishAlert(kpis.nextSeq(), acked.toJson().encode());
    keep(log.update(acked), "the acknowledgement of " + id);
    return outcome(id);
  }

  /** After an acknowledgement: the alert if still active, else whether it resolved or never was. */
  private Ack outcome(String id) {
    Alert a = activeById(id);
    if (a != null) return new Ack(AckResult.ACKNOWLEDGED, a);
    for (Alert h : history) if (h.id().equals(id)) return new Ack(AckResult.RESOLVED, null);
    return new Ack(AckResult.UNKNOWN, null);
  }

  private Alert activeById(String id) {
    for (Alert a : activeAlerts()) if (a.id().equals(id)) return a;
    return null;
  }

  /** Ids of the rules in force. */
  public List<String> ruleIds() {
    return Rules.derive(kpis.plan()).stream().map(Rule::id).toList();
  }

  /** Silences a rule's notifications until {@code endsAt}, on every node. */
  public Future<Silence> silence(String rule, long endsAt, String comment) {
    Silence s = new Silence(UUID.randomUUID().toString(), rule, clock.millis(), endsAt, comment);
    if (leading) {
      silenceHere(s);
      return Future.succeededFuture(s);
    }
    return command("silence", s.toJson(), () -> silences.containsKey(s.id())).map(s);
  }

  private void silenceHere(Silence s) {
    if (silences.containsKey(s.id())) return;
    silences.put(s.id(), s);
    keep(log.putSilence(s), "silence " + s.id());
  }

  /** The silences in force (a follower's view of the alerting node's). */
  public List<Silence> silences() {
    if (leading) expireSilences();
    long now = clock.millis();
    return silences.values().stream().filter(s -> s.endsAt() > now).toList();
  }

  /** Removes a silence on every node; false when there is none with that id. */
  public Future<Boolean> unsilence(String id) {
    if (leading) return Future.succeededFuture(unsilenceHere(id));
    if (!silences.containsKey(id)) return Future.succeededFuture(false);
    return command("unsilence", new JsonObject().put("id", id), () -> !silences.containsKey(id))
        .map(true);
  }

  private boolean unsilenceHere(String id) {
    Silence s = silences.remove(id);
    if (s == null) return false;
    keep(log.removeSilence(id), "the removal of silence " + id);
    silenceEnded(s.rule());
    return true;
  }

  private boolean silenced(String rule, long now) {
    for (Silence s : silences.values()) if (s.covers(rule, now)) return true;
    return false;
  }

  private void expireSilences() {
    if (!leading) return;
    long now = clock.millis();
    for (Iterator<Silence> it = silences.values().iterator(); it.hasNext(); ) {
      Silence s = it.next();
      if (s.endsAt() > now) continue;
      it.remove();
      keep(log.removeSilence(s.id()), "the removal of silence " + s.id());
      silenceEnded(s.rule());
    }
  }

  /**
   * When the last silence of a rule ends while its alert fires, the webhooks hear of it now: a
   * problem that began during the silence and outlasted it must still page someone.
   */
  private void silenceEnded(String rule) {
    long now = clock.millis();
    if (silenced(rule, now)) return;
    for (Alert a : engine.active()) {
      if (a.rule().equals(rule) && a.state() == State.FIRING && a.silenced()) {
        Alert unsilenced = a.silenced(false);
        engine.update(unsilenced);
        notify(unsilenced, unsilenced.toJson().encode());
      }
    }
  }
}
