package io.warroom.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.warroom.alert.AlertMessage;
import io.warroom.alert.Readings.Inputs;
import io.warroom.live.KpiService;
import io.warroom.notify.Message;
import io.warroom.plan.Plan;
import io.warroom.stream.StreamHub;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node that holds the lease: evaluates every rule, emits each transition (on the stream, into
 * the history and the log, counted, posted to the webhooks unless silenced), and carries out what
 * followers asked.
 */
final class Leader {
  private static final Logger LOG = Logger.getLogger(Leader.class.getName());

  private final KpiService kpis;
  private final StreamHub hub;
  /** The owner team each active alert was last posted to (bounded by the rules). */
  private final Map<String, Plan.Team> told = new HashMap<>();
  private final Clock clock;
  private final MeterRegistry registry;
  private final Webhooks hooks;
  private final AlertLog log;
  private final LogWrites writes;
  private final History history;
  private final Silences silences;
  /** Runs after the active alerts changed. */
  private final Runnable changed;
  private AlertEngine engine = new AlertEngine();
  /** Whether this node evaluates and posts now. */
  private boolean leading;
  private boolean evaluating;
  private Plan plan;
  private String publicUrl;

  Leader(KpiService kpis, StreamHub hub, Clock clock, MeterRegistry registry, Webhooks hooks,
      AlertLog log, LogWrites writes, History history, Silences silences, Runnable changed) {
    this.kpis = kpis;
    this.hub = hub;
    this.clock = clock;
    this.registry = registry;
    this.hooks = hooks;
    this.log = log;
    this.writes = writes;
    this.history = history;
    this.silences = silences;
    this.changed = changed;
  }

  boolean leading() {
    return leading;
  }

  void publicUrl(String url) {
    this.publicUrl = url;
  }

  List<Alert> active() {
    return engine.active();
  }

  Rule rule(String id) {
    return engine.rule(id);
  }

  /** Stops evaluating and posting at once; answers what was active. */
  List<Alert> stepDown() {
    leading = false;
    return engine.active();
  }

  /** Not leading, with nothing active. */
  void reset() {
    leading = false;
    engine = new AlertEngine();
  }

  /** Takes the kept active alerts back into a new engine and evaluates from now on. */
  void take(AlertLog.Saved saved, long now) {
    engine = new AlertEngine();
    leading = true;
    plan = kpis.plan();
    // Each kept alert was last posted to the owner it was kept with: if the plan in force gives
    // it another, that team still hears how it ends.
    told.clear();
    for (Alert a : saved.active()) {
      Plan.Team team = a.owner() == null || a.silenced() ? null : plan.team(a.owner());
      if (team != null) told.put(a.id(), team);
    }
    emitAll(engine.setRules(Rules.derive(plan), now));
    emitAll(engine.restore(saved.active(), saved.episodes(), now));
    for (Alert a : saved.active()) {
      // A stale feed stays stale across a restart: it has been quiet since before it fired.
      if (a.rule().equals("feed-stale") && engine.active(a.id()) != null) {
        kpis.quietSince(a.since() - plan.staleFeedMinutes() * 60_000L);
      }
    }
    changed.run();
    evaluate();
  }

  /** Judges every rule now; cheap (a few sums per rule), so it runs on every change. */
  void evaluate() {
    // Not on part of a transaction being folded in: its end is a change, judged then.
    if (evaluating || !leading || kpis.folding()) return;
    evaluating = true;
    try {
      // Windows move to the clock's second first, so a record of a new second counts at once.
      kpis.roll();
      long now = clock.millis();
      if (kpis.plan() != plan) {
        plan = kpis.plan();
        emitAll(engine.setRules(Rules.derive(plan), now));
      }
      long quietSince = Math.max(kpis.quietSince(), plan.startMillis());
      List<Alert> transitions = engine.evaluate(new Inputs(kpis.aggregator(), now, quietSince),
          rule -> silences.cover(rule, now));
      // without a transition an alert may still have begun or stopped recovering
      if (transitions.isEmpty()) changed.run();
      else emitAll(transitions);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "alert evaluation failed", e);
    } finally {
      evaluating = false;
    }
  }

  private void emitAll(List<Alert> transitions) {
    if (transitions.isEmpty()) return;
    // the statuses first: the stream sends the snapshot they raise before the alert events
    changed.run();
    hub.snapshotNow();
    for (Alert a : transitions) emit(a);
  }

  private void emit(Alert a) {
    String json = a.toJson().encode();
    hub.publishAlert(kpis.nextSeq(), a.at(), json);
    history.add(a);
    Counter.builder("warroom.alert.transitions").tag("rule", a.rule())
        .tag("severity", a.severity().wire()).tag("state", a.state().wire())
        .description("Alert transitions by rule, severity and state").register(registry).increment();
    List<Outbox.Entry> sends = a.silenced() ? List.of() : notifications(a, json);
    if (a.silenced() && !a.active()) told.remove(a.id());
    Future<List<Long>> kept = log.append(a, sends);
    writes.keep(kept.mapEmpty(), "alert " + a.id());
    // The notifications are kept with the transition: posted once the log has answered, unless
    // the duty moved meanwhile (the node taking it over sends them from the outbox); when the
    // write failed, posted anyway, kept on their own if they can be.
    if (!sends.isEmpty()) kept.onComplete(ar -> {
      if (leading) hooks.send(sends, ar.succeeded() ? ar.result() : List.of(), false);
    });
  }

  /**
   * A transition's notifications: to the configured webhooks (JSON) and to its owner team's
   * webhooks, each in its format (CONTRACT section 14). A team URL that is also configured gets it
   * once: in the team's format (a chat hook cannot read the alert JSON), or as JSON when that is
   * the team's.
   */
  private List<Outbox.Entry> notifications(Alert a, String json) {
    String key = key(a);
    Plan plan = kpis.plan();
    Plan.Team team = a.owner() == null ? null : plan.team(a.owner());
    // A team told of this alert before a new plan gave it another owner (or dropped the team)
    // is told the rest of it too, down to its resolution.
    List<Plan.Team> teams = new ArrayList<>();
    if (team != null) teams.add(team);
    Plan.Team before = told.get(a.id());
    if (before != null && (team == null || !before.id().equals(team.id()))) teams.add(before);
    if (a.active() && team != null) told.put(a.id(), team);
    else told.remove(a.id());
    List<String> global = hooks.urls();
    Set<String> inTeamFormat = new HashSet<>();
    for (Plan.Team t : teams) {
      for (Plan.Hook h : t.webhooks()) {
        if (global.contains(h.url()) && !h.format().equals("json")) inTeamFormat.add(h.url());
      }
    }
    List<Outbox.Entry> out = new ArrayList<>();
    for (String url : global) {
      if (!inTeamFormat.contains(url)) out.add(new Outbox.Entry(0, url, "json", null, key, json));
    }
    Message m = null;
    Set<String> sent = new HashSet<>();
    for (Plan.Team t : teams) {
      for (Plan.Hook h : t.webhooks()) {
        if (global.contains(h.url()) && !inTeamFormat.contains(h.url())) continue;
        if (!sent.add(h.url())) continue;
        if (m == null) m = AlertMessage.of(a, plan, publicUrl);
        out.add(new Outbox.Entry(0, h.url(), h.format(), t.id(), key, m.body(h.format(), a.toJson())));
      }
    }
    return out;
  }

  /** When the change an alert event tells of happened: its transition, or its acknowledgement. */
  static long happened(Alert a) {
    return a.acknowledgedAt() == null ? a.at() : Math.max(a.at(), a.acknowledgedAt());
  }

  private static String key(Alert a) {
    return a.id() + "/" + a.at() + "/" + a.state().wire() + "/" + a.severity().wire();
  }

  /** Acknowledges the active alert {@code id} at {@code at}, if it is not yet. */
  void acknowledge(String id, long at) {
    Alert a = engine.active(id);
    if (a == null || a.acknowledgedAt() != null) return;
    Alert acked = a.acknowledged(at);
    engine.update(acked);
    hub.publishAlert(kpis.nextSeq(), at, acked.toJson().encode());
    writes.keep(log.update(acked), "the acknowledgement of " + id);
  }

  /** Removes a silence; false when there is none with that id. */
  boolean unsilence(String id) {
    Silence s = silences.remove(id);
    if (s == null) return false;
    silenceEnded(s.rule());
    return true;
  }

  void expireSilences() {
    if (!leading) return;
    for (Silence s : silences.expire(clock.millis())) silenceEnded(s.rule());
  }

  /**
   * When the last silence of a rule ends while its alert fires, the webhooks hear of it now: a
   * problem that began during the silence and outlasted it must still page someone.
   */
  private void silenceEnded(String rule) {
    long now = clock.millis();
    if (silences.cover(rule, now)) return;
    for (Alert a : engine.active()) {
      if (a.rule().equals(rule) && a.state() == State.FIRING && a.silenced()) {
        Alert unsilenced = a.silenced(false);
        engine.update(unsilenced);
        hooks.send(notifications(unsilenced, unsilenced.toJson().encode()), List.of(), false);
      }
    }
  }

  /** Carries out a command a follower queued. */
  void carryOut(AlertLog.Command c) {
    switch (c.kind()) {
      case "ack" -> {
        String id = c.body().getString("id");
        Alert a = engine.active(id);
        if (a != null && a.acknowledgedAt() != null) {
          writes.keep(log.update(a), "the acknowledgement of " + id);
        } else {
          acknowledge(id, c.body().getLong("at"));
        }
      }
      case "silence" -> {
        Silence s = Silence.fromJson(c.body());
        if (s.endsAt() <= clock.millis()) return;
        if (silences.has(s.id())) silences.keep(s);
        else silences.add(s);
      }
      case "unsilence" -> {
        String id = c.body().getString("id");
        if (!unsilence(id)) silences.keepRemoval(id);
      }
      default -> LOG.warning("unknown alert command " + c.kind());
    }
  }
}
