package io.warroom.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.alert.Readings.Inputs;
import io.warroom.kpi.KpiService;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Alerts on KPI drift (CONTRACT section 7). Evaluates every rule on each aggregator change and once a
 * second (so pace and staleness move with no new data), on the KPI service's event loop, reading the
 * aggregates directly. Each transition is pushed on the stream at once with the next seq as its id,
 * kept in the history and the {@link AlertLog}, counted, and posted to the webhooks unless its rule
 * is silenced.
 */
public final class AlertService {
  private static final Logger LOG = Logger.getLogger(AlertService.class.getName());
  static final long EVALUATE_EVERY_MS = 1_000;
  public static final int HISTORY_KEPT = 1_000;

  private final Vertx vertx;
  private final KpiService kpis;
  private final StreamHub hub;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Webhooks hooks;
  private final AlertLog log;
  private final AlertEngine engine = new AlertEngine();
  /** Transitions, oldest first. */
  private final Deque<Alert> history = new ArrayDeque<>();
  private final Map<String, Silence> silences = new LinkedHashMap<>();
  private final Map<Severity, AtomicInteger> firing = new EnumMap<>(Severity.class);

  private Plan plan;
  private long timer = -1;
  /** The last write asked of the log; writes complete in order, so stop waits for this one. */
  private Future<Void> lastWrite = Future.succeededFuture();
  private boolean evaluating;
  /** The feed counts as quiet from here when no record arrived since start. */
  private long quietFrom;

  public AlertService(Vertx vertx, KpiService kpis, StreamHub hub, Clock clock,
      MeterRegistry registry, Webhooks hooks, AlertLog log) {
    this.vertx = vertx;
    this.kpis = kpis;
    this.hub = hub;
    this.clock = clock;
    this.registry = registry;
    this.hooks = hooks;
    this.log = log;
    for (Severity s : Severity.values()) {
      AtomicInteger n = new AtomicInteger();
      firing.put(s, n);
      Gauge.builder("warroom.alerts.firing", n, AtomicInteger::get).tag("severity", s.wire())
          .description("Alerts firing now").register(registry);
    }
  }

  /** Loads what the log kept, takes the active alerts back, then evaluates from now on. */
  public Future<Void> start() {
    long now = clock.millis();
    quietFrom = now;
    return log.load(HISTORY_KEPT, now).map(saved -> {
      history.addAll(saved.history());
      for (Silence s : saved.silences()) silences.put(s.id(), s);
      plan = kpis.plan();
      emitAll(engine.setRules(Rules.derive(plan), now));
      emitAll(engine.restore(saved.active(), saved.episodes(), now));
      for (Alert a : saved.active()) {
        // A stale feed stays stale across a restart: it has been quiet since before it fired.
        if (a.rule().equals("feed-stale") && engine.active(a.id()) != null) {
          quietFrom = Math.min(quietFrom, a.since() - plan.staleFeedMinutes() * 60_000L);
        }
      }
      countFiring();
      kpis.onChange(this::evaluate);
      timer = vertx.setPeriodic(EVALUATE_EVERY_MS, id -> tick());
      evaluate();
      return null;
    });
  }

  /** Stops evaluating; completes once what was asked of the log is written. */
  public Future<Void> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    return lastWrite.transform(ar -> hooks.close());
  }

  private void tick() {
    expireSilences();
    evaluate();
  }

  /** Judges every rule now; cheap (a few sums per rule), so it runs on every change. */
  public void evaluate() {
    if (evaluating) return;
    evaluating = true;
    try {
      // Windows move to the clock's minute first, so a record of a new minute counts at once.
      kpis.roll();
      long now = clock.millis();
      if (kpis.plan() != plan) {
        plan = kpis.plan();
        emitAll(engine.setRules(Rules.derive(plan), now));
      }
      Long last = kpis.lastRecordAt();
      long quietSince = Math.max(last != null ? last : quietFrom, plan.startMillis());
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
    history.addLast(a);
    if (history.size() > HISTORY_KEPT) history.removeFirst();
    Counter.builder("warroom.alert.transitions").tag("rule", a.rule())
        .tag("severity", a.severity().wire()).tag("state", a.state().wire())
        .description("Alert transitions by rule, severity and state").register(registry).increment();
    if (!a.silenced()) hooks.post(json, key(a));
    keep(log.append(a), "alert " + a.id());
  }

  /** Notes a write to the log; a failure is logged, evaluation never waits for it. */
  private void keep(Future<Void> write, String what) {
    lastWrite = write.onFailure(err -> LOG.log(Level.WARNING, "could not keep " + what, err));
  }

  private static String key(Alert a) {
    return a.id() + "/" + a.at() + "/" + a.state().wire() + "/" + a.severity().wire();
  }

  private void countFiring() {
    int w = 0;
    int c = 0;
    for (Alert a : engine.active()) {
      if (a.state() != State.FIRING) continue;
      if (a.severity() == Severity.CRITICAL) c++;
      else w++;
    }
    firing.get(Severity.WARNING).set(w);
    firing.get(Severity.CRITICAL).set(c);
  }

  /** {@code {"active": [...], "history": [...]}}: active most severe first, history newest first. */
  public JsonObject list(int historyLimit) {
    long now = clock.millis();
    List<Alert> active = new ArrayList<>(engine.active());
    active.sort(Comparator.comparing((Alert a) -> a.severity() != Severity.CRITICAL)
        .thenComparing(a -> a.state() != State.FIRING).thenComparingLong(Alert::since));
    JsonArray act = new JsonArray();
    for (Alert a : active) act.add(a.silenced(silenced(a.rule(), now)).toJson());
    JsonArray hist = new JsonArray();
    Iterator<Alert> it = history.descendingIterator();
    for (int i = 0; i < historyLimit && it.hasNext(); i++) hist.add(it.next().toJson());
    return new JsonObject().put("active", act).put("history", hist);
  }

  public enum AckResult { ACKNOWLEDGED, RESOLVED, UNKNOWN }

  /** Acknowledges the active alert {@code id}; the change goes out on the stream. */
  public AckResult acknowledge(String id) {
    Alert a = engine.active(id);
    if (a == null) {
      for (Alert h : history) if (h.id().equals(id)) return AckResult.RESOLVED;
      return AckResult.UNKNOWN;
    }
    if (a.acknowledgedAt() != null) return AckResult.ACKNOWLEDGED;
    Alert acked = a.acknowledged(clock.millis());
    engine.update(acked);
    hub.publishAlert(kpis.nextSeq(), acked.toJson().encode());
    keep(log.update(acked), "the acknowledgement of " + id);
    return AckResult.ACKNOWLEDGED;
  }

  public Alert active(String id) {
    return engine.active(id);
  }

  /** Ids of the rules in force. */
  public List<String> ruleIds() {
    return engine.rules().stream().map(Rule::id).toList();
  }

  public Silence silence(String rule, long endsAt, String comment) {
    Silence s = new Silence(UUID.randomUUID().toString(), rule, clock.millis(), endsAt, comment);
    silences.put(s.id(), s);
    keep(log.putSilence(s), "silence " + s.id());
    return s;
  }

  public List<Silence> silences() {
    expireSilences();
    return List.copyOf(silences.values());
  }

  /** Removes a silence; false when there is none with that id. */
  public boolean unsilence(String id) {
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
        hooks.post(unsilenced.toJson().encode(), key(unsilenced));
      }
    }
  }
}
