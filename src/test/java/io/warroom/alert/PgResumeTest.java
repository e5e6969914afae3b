package io.warroom.alert;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.store.PgTestDb;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT section 6: a screen that reconnects with Last-Event-ID gets the alert transitions it
 * missed, also when the node it was on restarted in between, or when it comes back on another node
 * of the same database. Event ids follow the wall clock, as the alerts' times do in production:
 * the clock here is the wall clock's time.
 */
@ExtendWith(VertxExtension.class)
class PgResumeTest {
  private final Traffic traffic = new Traffic();
  private MutableClock clock;
  private Plan plan;
  private PgTestDb db;
  private Receiver hook;
  private Config config;
  private Vertx vertx;

  /** A database, a webhook receiver, a plan of this month and a clock at the wall clock's time. */
  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    clock = MutableClock.at(Instant.now().toString());
    traffic.clock = clock;
    plan = plan(clock.instant());
    db = PgTestDb.create();
    hook = new Receiver(vertx, 0);
    config = config(db, hook);
  }

  @AfterEach
  void tearDown() {
    hook.close();
    db.close();
  }

  /** A node on the test's database. */
  TestApp node() {
    return TestApp.deploy(vertx, config, plan, clock, Stores.factory(config));
  }

  /** Fires conv-1 (2.6 % conversion) through {@code app}, its time now. */
  void fire(TestApp app) {
    clock.set(Instant.now());
    traffic.send(app, 1000, 26);
  }

  /** This month in Shanghai, with the conversion rule of the restart test. */
  static Plan plan(Instant now) {
    LocalDate start = LocalDate.ofInstant(now, ZoneId.of("Asia/Shanghai")).withDayOfMonth(1);
    return PlanParser.parse("{\"id\":\"t\",\"start\":\"" + start + "\",\"end\":\"" + start.plusMonths(1)
        + "\",\"timezone\":\"Asia/Shanghai\"," + PgAlertRestartTest.RULES + "}");
  }

  static Config config(PgTestDb db, Receiver hook) {
    return Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
        Config.INGEST_RATE, "0", Config.WEBHOOK_URLS, hook.url(), Config.TAIL_POLL_MS, "200"),
        new String[0]).withPgUrl(db.url());
  }

  /** The id of the snapshot a new screen gets. */
  static long lastSeen(TestApp app) {
    try (SseEvents s = SseEvents.open(app.vertx, app.port, null)) {
      return s.next("snapshot", 8_000).id();
    }
  }

  /** Watches a stream until the alert event of rule conv; answers the id of the event before it. */
  static long idBeforeTheAlert(SseEvents s) {
    long before = -1;
    while (true) {
      SseEvents.Event e = s.first(10_000);
      if (e.type().equals("alert") && "conv".equals(e.json().getString("rule"))) return before;
      before = e.id();
    }
  }

  /** The first alert event a screen resuming from {@code lastEventId} on {@code app} is sent. */
  static SseEvents.Event missed(TestApp app, long lastEventId) {
    try (SseEvents again = SseEvents.open(app.vertx, app.port, lastEventId)) {
      SseEvents.Event e = again.next("alert", 8_000);
      assertEquals("conv-1", e.json().getString("id"));
      assertEquals("firing", e.json().getString("state"));
      return e;
    }
  }

  /**
   * The snapshot a screen is sent just before an alert event has an id past the alert's time:
   * a screen whose connection dropped between the two, resuming after a restart, still gets it.
   */
  @Test
  void aScreenThatDroppedJustBeforeTheAlertEventGetsItAfterARestart() {
    long before;
    try (TestApp app = node(); SseEvents live = SseEvents.open(app.vertx, app.port, null)) {
      live.next("snapshot", 8_000);
      fire(app);
      before = idBeforeTheAlert(live);
    }
    try (TestApp app = node()) {
      missed(app, before);
    }
  }

  /** The same on another node: a follower sends its snapshot, then the alert it read from the log. */
  @Test
  void aScreenThatDroppedJustBeforeTheAlertEventOnAFollowerGetsItOnTheAlertingNode() {
    try (TestApp a = node(); TestApp b = node()) {
      TestApp follower = a.get("/ready").bodyAsJsonObject().getBoolean("alerting") ? b : a;
      TestApp leader = follower == a ? b : a;
      long before;
      try (SseEvents live = SseEvents.open(follower.vertx, follower.port, null)) {
        live.next("snapshot", 8_000);
        fire(leader);
        before = idBeforeTheAlert(live);
      }
      missed(leader, before);
    }
  }

  @Test
  void aScreenThatResumesAfterARestartGetsTheAlertItMissed() {
    long seen;
    try (TestApp app = node()) {
      seen = lastSeen(app);
      fire(app); // its time after the screen's last event, as in production
      eventually(() -> hook.accepted.size() == 1, 5_000, "fired");
    }
    try (TestApp app = node()) {
      long now = lastSeen(app);
      SseEvents.Event missed = missed(app, seen);
      assertTrue(missed.id() > seen && missed.id() < now, seen + " < " + missed.id() + " < " + now);
      // A screen that saw it is not sent it again: the snapshot comes first.
      try (SseEvents again = SseEvents.open(app.vertx, app.port, now)) {
        assertEquals("snapshot", again.first(8_000).type());
      }
    }
  }

  @Test
  void aScreenThatComesBackOnAnotherNodeGetsTheAlertItMissed() {
    try (TestApp a = node(); TestApp b = node()) {
      traffic.send(a, 1000, 30); // records on both, and time for b's seqs to be its own
      eventually(() -> b.kpis().getJsonObject("windows").getJsonObject("campaign")
          .getInteger("orders") == 30, 10_000, "b follows");
      // The screen was on b, started after a: its ids were past any a gave, before ids followed the clock.
      long seen = lastSeen(b);
      clock.set(Instant.now());
      traffic.send(b, 1000, 0); // 30 / 2000 = 0.015: conv-1 fires critical
      eventually(() -> !a.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active").isEmpty(),
          10_000, "a has the alert");
      missed(a, seen);
    }
  }
}
