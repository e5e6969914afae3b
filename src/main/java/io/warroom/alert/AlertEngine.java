package io.warroom.alert;

import io.warroom.alert.Readings.Inputs;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The state of every rule, moved on by {@link #evaluate}; plain Java, no I/O, no clock of its own.
 *
 * <p>Each rule keeps, per level (warning, critical), since when its condition has held without a
 * break. The alert fires at the highest level that has held for the rule's {@code for}; before
 * that it is pending at the highest level that holds. So warning to critical is a transition, and
 * critical needs its own {@code for}. A level that holds stays held until the value is past its
 * threshold by the rule's clear margin (hysteresis); a firing level stays firing while it holds,
 * whatever {@code for} becomes. When the rule cannot judge (no data, too few
 * samples) a firing alert stays as it is and a pending one is dropped.
 *
 * <p>Not thread-safe: one owner, the KPI service's event loop.
 */
public final class AlertEngine {
  /** The message of an alert resolved because its rule left the plan, not because it recovered. */
  public static final String GONE = "resolved: the rule is no longer in the plan";

  private final Map<String, Track> tracks = new LinkedHashMap<>();
  /** Last episode number per rule id, so alert ids never repeat (also across restarts). */
  private final Map<String, Long> episodes = new HashMap<>();

  private static final class Track {
    Rule rule;
    Long warnSince;
    Long critSince;
    Alert current;

    Track(Rule rule) {
      this.rule = rule;
    }
  }

  /**
   * Puts {@code rules} in force. Rules that stay (same id) keep their state; the active alerts of
   * rules that are gone resolve, and those transitions are returned.
   */
  public List<Alert> setRules(List<Rule> rules, long now) {
    Map<String, Rule> byId = new LinkedHashMap<>();
    for (Rule r : rules) byId.put(r.id(), r);
    List<Alert> out = new ArrayList<>();
    for (var it = tracks.values().iterator(); it.hasNext(); ) {
      Track t = it.next();
      if (!byId.containsKey(t.rule.id())) {
        if (t.current != null) out.add(resolveGone(t.current, now));
        it.remove();
      }
    }
    Map<String, Track> old = new HashMap<>(tracks);
    tracks.clear();
    for (Rule r : byId.values()) {
      Track t = old.getOrDefault(r.id(), new Track(r));
      t.rule = r;
      // A new owner, runbook or risk holds at once, also for an alert its rule cannot judge now:
      // the team that owns it from now on hears how it ends.
      if (t.current != null) t.current = t.current.routed(r.route());
      tracks.put(r.id(), t);
    }
    return out;
  }

  /**
   * Takes back the active alerts and episode numbers kept before a restart, so a condition that
   * still holds does not notify again. Alerts of rules no longer in force resolve; those
   * transitions are returned.
   */
  public List<Alert> restore(Collection<Alert> active, Map<String, Long> lastEpisodes, long now) {
    lastEpisodes.forEach((k, v) -> episodes.merge(k, v, Math::max));
    List<Alert> out = new ArrayList<>();
    for (Alert a : active) {
      episodes.merge(a.rule(), a.episode(), Math::max);
      Track t = tracks.get(a.rule());
      if (t == null) {
        out.add(resolveGone(a, now));
        continue;
      }
      t.current = a.routed(t.rule.route()); // the plan in force may have a new owner for it
      t.warnSince = a.since();
      // A firing critical held at least `for`; a pending critical began when it was entered.
      t.critSince = a.severity() != Severity.CRITICAL ? null
          : a.state() == State.FIRING ? a.since() : a.at();
    }
    return out;
  }

  /**
   * Judges every rule at {@code in.now()} and returns the transitions, in rule order.
   * {@code silenced} tells which rules are silenced now (recorded on their transitions).
   */
  public List<Alert> evaluate(Inputs in, Predicate<String> silenced) {
    List<Alert> out = new ArrayList<>();
    for (Track t : tracks.values()) {
      Alert a = step(t, Readings.read(t.rule, in), in.now());
      if (a == null) continue;
      a = a.silenced(silenced.test(a.rule()));
      if (a.active()) t.current = a;
      out.add(a);
    }
    return out;
  }

  public List<Alert> active() {
    List<Alert> out = new ArrayList<>();
    for (Track t : tracks.values()) if (t.current != null) out.add(t.current);
    return out;
  }

  /** The rule in force with this id, or null. */
  public Rule rule(String id) {
    Track t = tracks.get(id);
    return t == null ? null : t.rule;
  }

  /** The active alert with this id, or null. */
  public Alert active(String id) {
    for (Track t : tracks.values()) {
      if (t.current != null && t.current.id().equals(id)) return t.current;
    }
    return null;
  }

  /** Replaces an active alert by a changed copy (an acknowledgement). */
  public void update(Alert a) {
    Track t = tracks.get(a.rule());
    if (t != null && t.current != null && t.current.id().equals(a.id())) t.current = a;
  }

  /**
   * {@code cur} with the figures of reading {@code r}, in its state and severity: what an active
   * alert lists between transitions, on the alerting node and on those that follow it alike.
   */
  static Alert reread(Alert cur, Rule rule, Reading r) {
    String message = Readings.describe(rule, r, cur.severity(), true);
    if (cur.state() == State.PENDING) message += " (fires if it holds for " + duration(rule.forMillis()) + ")";
    return cur.withReading(r.value(), Readings.shownThreshold(rule, r, cur.severity()), message)
        .routed(rule.route());
  }

  private Alert step(Track t, Reading r, long now) {
    Rule rule = t.rule;
    if (r.off()) {
      t.warnSince = null;
      t.critSince = null;
    } else if (!r.judged()) {
      if (t.current == null) return null;
      if (t.current.state() == State.FIRING) return null;
      t.warnSince = null;
      t.critSince = null;
    } else {
      double m = r.measure();
      boolean crit = rule.holds(Severity.CRITICAL, m, t.critSince != null);
      boolean warn = crit || rule.holds(Severity.WARNING, m, t.warnSince != null);
      t.critSince = crit ? (t.critSince == null ? now : t.critSince) : null;
      t.warnSince = warn ? (t.warnSince == null ? now : t.warnSince) : null;
    }

    Alert cur = t.current;
    if (t.warnSince == null) {
      if (cur == null) return null;
      String why = r.judged() || r.off()
          ? Readings.describe(rule, r, cur.severity(), false)
          : "not enough data to judge " + cur.kpi() + "; no longer pending";
      BigDecimal value = r.value() != null ? r.value() : cur.value();
      t.current = null;
      return new Alert(cur.id(), cur.rule(), cur.kpi(), cur.window(), cur.severity(),
          State.RESOLVED, value, cur.threshold(), cur.since(), now, "resolved: " + why, now,
          cur.acknowledgedAt(), false, rule.route());
    }

    // `for` gates firing only: a firing level stays firing while it holds, also when the plan
    // lengthens `for` meanwhile (it resolves once the value is back past the threshold).
    boolean firing = cur != null && cur.state() == State.FIRING;
    State state;
    Severity sev;
    if (t.critSince != null && (now - t.critSince >= rule.forMillis()
        || firing && cur.severity() == Severity.CRITICAL)) {
      state = State.FIRING;
      sev = Severity.CRITICAL;
    } else if (firing || now - t.warnSince >= rule.forMillis()) {
      state = State.FIRING;
      sev = Severity.WARNING;
    } else {
      state = State.PENDING;
      sev = t.critSince != null ? Severity.CRITICAL : Severity.WARNING;
    }
    BigDecimal threshold = Readings.shownThreshold(rule, r, sev);
    String message = Readings.describe(rule, r, sev, true);
    if (state == State.PENDING) message += " (fires if it holds for " + duration(rule.forMillis()) + ")";

    if (cur != null && cur.state() == state && cur.severity() == sev) {
      t.current = reread(cur, rule, r);
      return null;
    }
    String id;
    long since;
    Long acked;
    if (cur == null) {
      long n = episodes.merge(rule.id(), 1L, Long::sum);
      id = rule.id() + "-" + n;
      since = t.warnSince;
      acked = null;
    } else {
      id = cur.id();
      since = cur.since();
      // A new critical needs a new acknowledgement.
      acked = sev == Severity.CRITICAL && cur.severity() != Severity.CRITICAL ? null
          : cur.acknowledgedAt();
    }
    Alert a = new Alert(id, rule.id(), rule.kpi(), rule.window(), sev, state, r.value(), threshold,
        since, null, message, now, acked, false, rule.route());
    t.current = a;
    return a;
  }

  private static Alert resolveGone(Alert a, long now) {
    return new Alert(a.id(), a.rule(), a.kpi(), a.window(), a.severity(), State.RESOLVED, a.value(),
        a.threshold(), a.since(), now, GONE, now,
        a.acknowledgedAt(), false, a.route());
  }

  static String duration(long ms) {
    if (ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
    if (ms % 60_000 == 0) return ms / 60_000 + "m";
    if (ms % 1000 == 0) return ms / 1000 + "s";
    return ms + "ms";
  }
}
