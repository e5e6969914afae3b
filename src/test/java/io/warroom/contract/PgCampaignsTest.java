package io.warroom.contract;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import io.warroom.store.PgDatabase;
import io.warroom.store.PgStore;
import io.warroom.store.Store;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CampaignsTest} against PostgreSQL; then a restart keeps the calendar and the plan in
 * force, and two nodes on one database see each other's campaigns and both switch at a period's
 * end, their KPIs exact.
 */
class PgCampaignsTest extends CampaignsTest {
  @RegisterExtension
  static final PgDatabase DB = new PgDatabase();

  @Override
  protected Function<Vertx, Store> store() {
    return DB.emptyStore();
  }

  TestApp node(MutableClock clock) {
    String url = DB.db().url();
    return TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 10, 1)), clock,
        v -> new PgStore(v, url, 100));
  }

  /** The same limit, with 499 campaigns written straight to the table (500 puts take long here). */
  @Override
  @Test
  void theCalendarKeepsAtMost500Campaigns() {
    startAt(Config.defaults(), "2026-12-10T12:00:00+08:00");
    DB.db().execute("INSERT INTO campaigns (id, name, start_date, end_date, starts, ends, body, version)"
        + " SELECT 'd' || i, '\"d\"', (date '2027-01-01' + i)::text, (date '2027-01-02' + i)::text,"
        + " (date '2027-01-01' + i)::timestamp AT TIME ZONE 'Asia/Shanghai',"
        + " (date '2027-01-02' + i)::timestamp AT TIME ZONE 'Asia/Shanghai', '{}',"
        + " nextval('campaign_versions') FROM generate_series(0, 498) AS i");
    LocalDate day = LocalDate.of(2027, 1, 1);
    Plan last = DEC.toBuilder().id("d499").period(day.plusDays(499), day.plusDays(500))
        .weeks(List.of()).build();
    assertEquals(200, put(app, "d499", last, null).statusCode());
    theCalendarIsFull(day);
  }

  @Test
  void aRestartKeepsTheCalendarAndThePlanInForce() throws Exception {
    startAt(Config.defaults(), "2026-12-10T12:00:00+08:00");
    put(app, "2026-11", NOV, null);
    put(app, "2026-12", DEC, null);
    put(app, "2027-01", JAN, null);
    feed.plan = DEC;
    feed.send(times(NOV.startMillis(), app.clock.millis(), 200));
    Instant now = app.clock.instant();
    app.close();
    app = node(new MutableClock(now));
    feed.app = app;
    assertEquals(expected(NOV, "past", DEC, "current", JAN, "upcoming"), list(app, null));
    assertEquals("2026-12", planInForce(app, null));
    JsonNode s = feed.check();
    Expect.windowsAndBreakdowns(s, feed.sent, DEC);
    checkReport(send(app, HttpMethod.GET, "/api/v1/campaigns/2026-11/report", null, null)
        .bodyAsJsonObject(), NOV, feed.sent);
    // Started after every period: the latest past one stays in force.
    app.close();
    app = node(MutableClock.at("2027-03-01T00:00:00+08:00"));
    assertEquals("2027-01", planInForce(app, null));
  }

  @Test
  void twoNodesOnOneDatabaseBothSwitch() throws Exception {
    startAt(Config.defaults(), "2026-11-30T23:58:00+08:00");
    MutableClock clock = app.clock;
    try (TestApp b = node(clock)) {
      assertEquals(200, put(app, "2026-11", NOV, null).statusCode());
      assertEquals(200, put(b, "2026-12", DEC, null).statusCode());
      eventually(() -> list(b, null).equals(expected(NOV, "current", DEC, "upcoming")), "node B's calendar");
      eventually(() -> list(app, null).equals(expected(NOV, "current", DEC, "upcoming")), "node A's calendar");
      eventually(() -> planInForce(b, null).equals("2026-11"), "November in force on node B");
      assertEquals("2026-11", planInForce(app, null));
      // Overlapping puts on both nodes at once: the database lets exactly one in.
      Plan x = JAN.toBuilder().id("x").period(LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 15))
          .weeks(List.of()).build();
      Plan y = JAN.toBuilder().id("y").period(LocalDate.of(2027, 1, 10), LocalDate.of(2027, 1, 20))
          .weeks(List.of()).build();
      for (int round = 0; round < 3; round++) {
        var fx = app.client.put("/api/v1/campaigns/x").putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(PlanParser.toJson(x).toString()));
        var fy = b.client.put("/api/v1/campaigns/y").putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(PlanParser.toJson(y).toString()));
        int sx = TestApp.await(fx).statusCode();
        int sy = TestApp.await(fy).statusCode();
        assertEquals(Set.of(200, 409), Set.of(sx, sy), sx + " " + sy);
        String won = sx == 200 ? "x" : "y";
        assertEquals(204, send(sx == 200 ? app : b, HttpMethod.DELETE, "/api/v1/campaigns/" + won,
            null, null).statusCode());
      }
      eventually(() -> list(b, null).equals(expected(NOV, "current", DEC, "upcoming")), "node B's calendar");

      feed.plan = NOV;
      long end = NOV.endMillis();
      feed.send(times(NOV.startMillis(), end, 100));
      PreviousTest other = new PreviousTest();
      other.app = b;
      other.plan = NOV;
      other.seq = 1_000_000; // ids of its own
      other.send(List.of(end - 1, end, end + 60_000));
      feed.sent.addAll(other.sent);

      clock.set(Instant.ofEpochMilli(end + 1));
      eventually(() -> planInForce(app, null).equals("2026-12"), "December in force on node A");
      eventually(() -> planInForce(b, null).equals("2026-12"), "December in force on node B");
      feed.plan = DEC;
      other.plan = DEC;
      other.sent.clear();
      other.send(List.of(end - 5, end + 2, end + 60_001));
      feed.send(List.of(end - 6, end + 3));
      feed.sent.addAll(other.sent);
      other.sent.clear();
      other.sent.addAll(feed.sent);
      long orders = Oracle.window(feed.sent, DEC.startMillis(), DEC.endMillis(), Set.of()).orders;
      long previous = Oracle.window(feed.sent, NOV.startMillis(), NOV.endMillis(), Set.of()).orders;
      for (TestApp n : List.of(app, b)) {
        eventually(() -> {
          JsonObject w = n.kpis().getJsonObject("windows");
          return w.getJsonObject("campaign").getLong("orders") == orders
              && w.getJsonObject("previous").getLong("orders") == previous;
        }, "every node has every node's records");
      }
      Expect.windowsAndBreakdowns(feed.check(), feed.sent, DEC);
      Expect.windowsAndBreakdowns(other.check(), other.sent, DEC);
    }
  }
}
