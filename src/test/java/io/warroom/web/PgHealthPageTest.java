package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import io.warroom.store.PgTestDb;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After a restart on PostgreSQL this node has accepted nothing yet, but the data-health panel
 * shows what the store holds: the period's records and the time of the newest (issue 16, item 8).
 */
@ExtendWith(VertxExtension.class)
class PgHealthPageTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 15, 42, 30, 0, SeedPlan.ZONE);

  @Test
  void afterARestartTheHealthPanelShowsTheRecordsTheStoreHolds(Vertx vertx) {
    List<String> lines = new ArrayList<>();
    int inPeriod = 0;
    for (int i = 0; i < 1234; i++) {
      // one a minute, the newest at 15:30:00, twelve and a half minutes before now
      String ts = NOW.withMinute(30).withSecond(0).minusMinutes(i).toInstant().toString();
      lines.add(i % 3 == 0
          ? new JsonObject().put("type", "visit").put("id", "v-" + i).put("ts", ts)
              .put("channel", "tmall").put("sessions", 40).encode()
          : new JsonObject().put("type", "order").put("id", "o-" + i).put("ts", ts)
              .put("customerId", "c-" + i % 97).put("amount", 120.5).put("channel", "jd").encode());
      inPeriod++;
    }
    for (int i = 0; i < 25; i++) { // October: the previous period, not this one
      lines.add(new JsonObject().put("type", "order").put("id", "oct-" + i)
          .put("ts", "2026-10-0" + (1 + i % 9) + "T10:00:00Z").put("customerId", "c-1")
          .put("amount", 10).put("channel", "jd").encode());
    }
    MutableClock clock = new MutableClock(NOW.toInstant());
    try (PgTestDb db = PgTestDb.create(); Browser b = Browser.start(1920, 1080)) {
      Config config = db.config();
      try (TestApp app = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config))) {
        assertEquals(200, app.post("/api/v1/events", "application/x-ndjson", String.join("\n", lines))
            .statusCode());
        JsonObject ingest = app.kpis().getJsonObject("ingest");
        assertEquals(lines.size(), ingest.getLong("accepted"));
        assertEquals(inPeriod, ingest.getLong("periodRecords"));
        assertEquals("2026-11-18T07:30:00Z", ingest.getString("newestRecordAt"));
      }
      // stored twelve and a half minutes ago by the database's clock
      db.execute("UPDATE records SET kept_at = now() - interval '12 minutes 30 seconds'");
      try (TestApp app = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config))) {
        JsonObject ingest = app.kpis().getJsonObject("ingest");
        assertEquals(0, ingest.getLong("accepted"), "this node has accepted nothing since its start");
        assertEquals(inPeriod, ingest.getLong("periodRecords"), "but the store holds the period");
        assertEquals("2026-11-18T07:30:00Z", ingest.getString("newestRecordAt"));

        b.open(Dash.url(app, "?lang=en"));
        Duration load = Duration.ofSeconds(15);
        b.waitFor(load, () -> "1,234".equals(b.text("[data-id=health] [data-field=held]")),
            () -> b.text("[data-id=health] [data-field=held]"));
        assertEquals("12 min ago", b.text("[data-id=health] [data-field=last]"));
        assertEquals("Accepted: 0", b.attr("[data-id=health] [data-field=held]", "title"));
        b.open(Dash.url(app, "?lang=zh-CN"));
        b.waitFor(load, () -> "1,234".equals(b.text("[data-id=health] [data-field=held]")),
            () -> b.text("[data-id=health] [data-field=held]"));
        assertEquals("本期记录", b.text("[data-id=health] dt[data-i18n=held]"));
        assertEquals("12分钟前", b.text("[data-id=health] [data-field=last]"));
      }
    }
  }
}
