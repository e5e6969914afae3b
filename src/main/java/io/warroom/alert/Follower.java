package io.warroom.alert;

import io.vertx.core.Future;
import io.warroom.alert.Readings.Inputs;
import io.warroom.live.KpiService;
import io.warroom.plan.Plan;
import io.warroom.stream.StreamHub;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A node without the lease: replays on its stream the transitions and acknowledgements the
 * alerting node kept, lists its active alerts, and takes its silences.
 */
final class Follower {
  private final AlertLog log;
  private final KpiService kpis;
  private final StreamHub hub;
  private final Clock clock;
  private final History history;
  private final Silences silences;
  /** The alerting node's active alerts, by rule. */
  private final Map<String, Alert> followed = new LinkedHashMap<>();
  /** Transitions replayed and not yet sent on the stream. */
  private final List<Alert> toPublish = new ArrayList<>();
  /** The rules of {@link #rulesOf}, by id. */
  private final Map<String, Rule> rules = new HashMap<>();
  private Plan rulesOf;

  Follower(AlertLog log, KpiService kpis, StreamHub hub, Clock clock, History history,
      Silences silences) {
    this.log = log;
    this.kpis = kpis;
    this.hub = hub;
    this.clock = clock;
    this.history = history;
    this.silences = silences;
  }

  /** Lists {@code active} as the alerting node's until the next replay. */
  void follow(Collection<Alert> active) {
    followed.clear();
    for (Alert a : active) followed.put(a.rule(), a);
  }

  /**
   * The alerting node's active alerts with the figures of now, read from this node's aggregates
   * (which hold the same records): the alerting node keeps its own current between transitions,
   * and both nodes must list the same.
   */
  List<Alert> active() {
    if (followed.isEmpty()) return List.of();
    Plan plan = kpis.plan();
    if (plan != rulesOf) {
      rules.clear();
      for (Rule r : Rules.derive(plan)) rules.put(r.id(), r);
      rulesOf = plan;
    }
    Inputs in = new Inputs(kpis.aggregator(), clock.millis(),
        Math.max(kpis.quietSince(), plan.startMillis()));
    List<Alert> out = new ArrayList<>(followed.size());
    for (Alert a : followed.values()) {
      Rule rule = rules.get(a.rule());
      Reading r = rule == null ? null : Readings.read(rule, in);
      // the plan in force routes it, also while its rule cannot be judged
      out.add(r != null && r.judged() ? AlertEngine.reread(a, rule, r)
          : rule != null ? a.routed(rule.route()) : a);
    }
    return out;
  }

  /** The rule with this id of the plan {@link #active()} last read with, or null. */
  Rule rule(String id) {
    return rules.get(id);
  }

  /** Sends the replayed transitions on the stream, once the statuses count them. */
  void publish() {
    if (!toPublish.isEmpty()) hub.snapshotNow();
    for (Alert a : toPublish) hub.publishAlert(kpis.nextSeq(), Leader.happened(a), a.toJson().encode());
    toPublish.clear();
  }

  /**
   * Replays what the alerting node kept since the last read, unless {@code still} no longer holds
   * once it is read (the role changed meanwhile); answers whether it replayed.
   */
  Future<Boolean> replay(BooleanSupplier still) {
    return log.changes(clock.millis()).map(c -> {
      if (!still.getAsBoolean()) return false;
      for (AlertLog.Change change : c.changes()) {
        Alert a = change.alert();
        if (!change.ack()) history.add(a);
        Alert cur = followed.get(a.rule());
        if (a.active() && (!change.ack() || cur != null && cur.id().equals(a.id()))) {
          followed.put(a.rule(), a);
        } else if (!a.active() && cur != null && cur.id().equals(a.id())) {
          followed.remove(a.rule());
        }
      }
      silences.replace(c.silences());
      // published once the statuses know them (the caller counts them first): the stream sends
      // the snapshot they raise before the alert events
      for (AlertLog.Change change : c.changes()) toPublish.add(change.alert());
      return true;
    });
  }
}
