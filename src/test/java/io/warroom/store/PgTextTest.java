package io.warroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14, item 3, as it was seen on PostgreSQL: ids "ls-\ud800" and "ls-\udbff" were answered as
 * duplicates of each other (both stored as "ls-?"), and a NUL in one row's channel failed the whole
 * batch with a 500. Now each is a rejected row, and the batch's valid rows are kept, exactly, across
 * a restart.
 */
@ExtendWith(VertxExtension.class)
class PgTextTest {
  static final String TS = "2026-11-11T10:00:00+08:00";

  static String order(String id, String amount, String channel) {
    return "{\"id\":\"" + id + "\",\"ts\":\"" + TS + "\",\"customerId\":\"c-" + id.length()
        + "\",\"amount\":" + amount + ",\"channel\":\"" + channel + "\"}";
  }

  @Test
  void surrogateIdsAndANulChannelAreRejectedRowsAndTheRestIsKeptAcrossARestart(Vertx vertx) {
    Plan plan = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
    MutableClock clock = MutableClock.at("2026-11-11T12:00:00+08:00");
    String body = "[" + order("ls-\\ud800", "10", "tmall") + "," + order("ls-\\udbff", "20", "tmall") + ","
        + order("ok-1", "30.25", "tmall") + "," + order("nul-1", "40", "t\\u0000mall") + ","
        + order("ok-2", "50", "jd") + "]";
    JsonObject expected = new JsonObject().put("accepted", 2).put("duplicates", 0).put("rejected", new JsonArray()
        .add(new JsonObject().put("row", 1).put("field", "id")
            .put("error", "must be valid Unicode text: it holds a lone surrogate (U+D800)"))
        .add(new JsonObject().put("row", 2).put("field", "id")
            .put("error", "must be valid Unicode text: it holds a lone surrogate (U+DBFF)"))
        .add(new JsonObject().put("row", 4).put("field", "channel")
            .put("error", "must not contain a NUL character (U+0000)")));
    try (PgTestDb db = PgTestDb.create()) {
      Config config = db.config();
      try (TestApp app = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
        HttpResponse<Buffer> r = app.post("/api/v1/orders", "application/json", body);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertEquals(expected, r.bodyAsJsonObject());
        assertCampaign(app, 2, 80.25);
      }
      assertEquals(2, db.number("SELECT count(*) FROM records"));
      assertEquals(0, db.number("SELECT count(*) FROM records WHERE id LIKE 'ls-%'"));
      try (TestApp app = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
        assertCampaign(app, 2, 80.25);
        // Sent again: the valid rows are duplicates, the others are still rejected, never kept.
        HttpResponse<Buffer> again = app.post("/api/v1/orders", "application/json", body);
        assertEquals(expected.copy().put("accepted", 0).put("duplicates", 2), again.bodyAsJsonObject());
        assertCampaign(app, 2, 80.25);
      }
      assertEquals(2, db.number("SELECT count(*) FROM records"));
    }
  }

  static void assertCampaign(TestApp app, int orders, double gross) {
    JsonObject campaign = app.kpis().getJsonObject("windows").getJsonObject("campaign");
    assertEquals(orders, campaign.getInteger("orders"));
    assertEquals(gross, campaign.getDouble("grossRevenue"));
  }
}
