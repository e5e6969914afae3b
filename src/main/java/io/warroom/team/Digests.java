package io.warroom.team;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warroom.alert.AlertService;
import io.warroom.alert.Outbox;
import io.warroom.live.KpiService;
import io.warroom.notify.Message;
import io.warroom.plan.Plan;
import io.warroom.plan.Plan.Hook;
import io.warroom.plan.Plan.Team;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends each team with a meeting its weekly digest {@code digestLeadMinutes} before the meeting,
 * in the plan's time zone, on the team's webhooks (CONTRACT section 14). Checked every second on
 * the KPI service's event loop by the node that holds the alerting lease; the {@link TeamLog}
 * decides who sends (the first to record the week's digest), so it goes once per week across
 * restarts and nodes. A digest not sent by the meeting's start (every node was down) is skipped.
 */
public final class Digests {
  private static final Logger LOG = Logger.getLogger(Digests.class.getName());
  static final long CHECK_EVERY_MS = 1_000;

  private final Vertx vertx;
  private final KpiService kpis;
  private final AlertService alerts;
  private final TeamLog log;
  private final Clock clock;
  private final String publicUrl;
  /** Digests this node claimed or is claiming: team and meeting date. */
  private final Set<String> claimed = new HashSet<>();
  private long timer = -1;

  public Digests(Vertx vertx, KpiService kpis, AlertService alerts, TeamLog log, Clock clock,
      String publicUrl) {
    this.vertx = vertx;
    this.kpis = kpis;
    this.alerts = alerts;
    this.log = log;
    this.clock = clock;
    this.publicUrl = publicUrl;
  }

  public void start() {
    timer = vertx.setPeriodic(CHECK_EVERY_MS, id -> check());
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  /** The digest {@code team} would get now; null when there is no such team. */
  public JsonObject preview(String team, String format) {
    Plan plan = kpis.plan();
    Team t = plan.team(team);
    if (t == null) return null;
    JsonObject d = Digest.of(plan, t, clock.millis(), kpis.snapshot().toJsonObject(),
        alerts.active(), publicUrl, format);
    d.remove("message");
    return d;
  }

  /**
   * The meeting of a team whose digest is due at {@code now}, or null: from {@code
   * digestLeadMinutes} before it until it starts (for a lead of 0, its first minute), whichever
   * week that reaches back into (a Monday 00:05 meeting's digest is due on Sunday).
   */
  static ZonedDateTime dueMeeting(Team t, Plan plan, long now) {
    ZonedDateTime z = ZonedDateTime.ofInstant(Instant.ofEpochMilli(now), plan.timezone());
    LocalDate thisWeek = z.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
        .with(TemporalAdjusters.nextOrSame(t.meeting().day()));
    for (int w = -1; w <= 1; w++) {
      ZonedDateTime meeting = thisWeek.plusWeeks(w).atTime(t.meeting().time())
          .atZone(plan.timezone());
      long at = meeting.toInstant().toEpochMilli();
      long due = at - t.digestLead(plan) * 60_000L;
      if (now >= due && now < Math.max(at, due + 60_000L)) return meeting;
    }
    return null;
  }

  private void check() {
    if (!alerts.leading()) return;
    try {
      Plan plan = kpis.plan();
      long now = clock.millis();
      for (Team t : plan.teams()) {
        if (t.meeting() == null || t.webhooks().isEmpty()) continue;
        ZonedDateTime meeting = dueMeeting(t, plan, now);
        if (meeting == null) continue;
        String key = t.id() + " " + meeting.toLocalDate();
        if (!claimed.add(key)) continue;
        LocalDate date = meeting.toLocalDate();
        List<Outbox.Entry> sends = sends(t, now, date);
        log.claimDigest(t.id(), date, now, sends).onComplete(ar -> {
          if (ar.failed()) {
            claimed.remove(key); // tried again next second
            LOG.log(Level.WARNING, "cannot record " + key + "'s digest; trying again", ar.cause());
          } else if (ar.result() != null) {
            alerts.hooks().send(sends, ar.result(), true);
            LOG.info("weekly digest sent to team " + t.id() + " for its meeting on " + date);
          }
        });
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "digest check failed", e);
    }
  }

  /** The digest's notification for each of the team's webhooks. */
  private List<Outbox.Entry> sends(Team t, long now, LocalDate date) {
    Plan plan = kpis.plan();
    JsonObject json = Digest.of(plan, t, now, kpis.snapshot().toJsonObject(), alerts.active(),
        publicUrl, "json");
    Message m = Digest.message(json);
    json.remove("message");
    String key = "digest/" + t.id() + "/" + date;
    List<Outbox.Entry> out = new ArrayList<>();
    // json: the digest itself; a chat format: its text, fitted to the platform once
    for (Hook h : t.webhooks()) {
      out.add(new Outbox.Entry(0, h.url(), h.format(), t.id(), key, m.body(h.format(), json)));
    }
    return out;
  }
}
