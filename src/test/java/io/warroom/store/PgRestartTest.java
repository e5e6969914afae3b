package io.warroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.RandomRecords;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stop the server, start a new one on the same database: every KPI is what it was, to the cent;
 * everything sent again counts only as duplicates.
 */
@ExtendWith(VertxExtension.class)
class PgRestartTest {
  private static final String[] COMPARED =
      {"asOf", "plan", "windows", "kpis", "channels", "adChannels", "budget"};

  @Test
  void aNewServerOnTheSameDatabaseShowsTheSameKpisAndResentRecordsAreDuplicates(Vertx vertx) {
    Plan plan = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
    MutableClock clock = MutableClock.at("2026-11-11T09:30:00+08:00");
    try (PgTestDb db = PgTestDb.create()) {
      Config config = db.config();
      List<String> bodies = new ArrayList<>();
      List<Integer> validRows = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      long grossCents = 0;
      long orders = 0;
      JsonObject before;
      String seriesBefore;
      try (TestApp app = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
        Random rnd = new Random(11);
        List<Rec> sentSoFar = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
          List<Rec> records = new RandomRecords(100 + k, plan, clock.millis()).list(300);
          for (int i = 0; i < 20 && !sentSoFar.isEmpty(); i++) {
            records.add(rnd.nextInt(records.size()), sentSoFar.get(rnd.nextInt(sentSoFar.size())));
          }
          int fresh = 0;
          for (Rec r : records) {
            if (!keys.add(r.key())) continue;
            fresh++;
            if (r.type == RecordType.ORDER && r.ts >= plan.startMillis() && r.ts < plan.endMillis()) {
              grossCents += r.amountCents;
              orders++;
            }
          }
          String body = RandomRecords.ndjson(records, plan)
              + "{\"type\":\"order\",\"id\":\"bad-" + k + "\",\"ts\":\"yesterday\"}\n";
          bodies.add(body);
          validRows.add(records.size());
          JsonObject answer = ingest(app, body);
          assertEquals(fresh, answer.getInteger("accepted"), "accepted in request " + k);
          assertEquals(records.size() - fresh, answer.getInteger("duplicates"), "request " + k);
          assertEquals(1, answer.getJsonArray("rejected").size());
          sentSoFar.addAll(records);
          clock.advance(Duration.ofMinutes(7)); // the windows roll while records come in
        }
        before = app.kpis();
        seriesBefore = app.get("/api/v1/series").bodyAsString();
      }
      JsonObject campaign = before.getJsonObject("windows").getJsonObject("campaign");
      assertEquals(orders, campaign.getLong("orders"));
      assertEquals(BigDecimal.valueOf(grossCents, 2), new BigDecimal(campaign.getValue("grossRevenue").toString()).setScale(2));

      try (TestApp app = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
        assertSameKpis(before, app.kpis());
        assertEquals(seriesBefore, app.get("/api/v1/series").bodyAsString());

        for (int k = 0; k < bodies.size(); k++) {
          JsonObject answer = ingest(app, bodies.get(k));
          assertEquals(0, answer.getInteger("accepted"), "accepted when sent again, request " + k);
          assertEquals(validRows.get(k), answer.getInteger("duplicates"));
        }
        assertSameKpis(before, app.kpis());

        // Replacing the plan rebuilds from the database too.
        HttpResponse<Buffer> put = TestApp.await(app.client.put("/api/v1/plan")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(PlanParser.toJson(plan).toString())));
        assertEquals(200, put.statusCode(), put.bodyAsString());
        assertSameKpis(before, app.kpis());
      }
    }
  }

  private static JsonObject ingest(TestApp app, String ndjson) {
    HttpResponse<Buffer> r = app.post("/api/v1/events", "application/x-ndjson", ndjson);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** Every field of the snapshot but seq and the node's own ingest counters. */
  static void assertSameKpis(JsonObject expected, JsonObject actual) {
    for (String field : COMPARED) same(field, expected.getValue(field), actual.getValue(field));
  }

  private static void same(String path, Object expected, Object actual) {
    if (expected instanceof JsonObject e && actual instanceof JsonObject a) {
      assertEquals(e.fieldNames(), a.fieldNames(), path);
      for (String f : e.fieldNames()) same(path + "." + f, e.getValue(f), a.getValue(f));
    } else if (expected instanceof JsonArray e && actual instanceof JsonArray a) {
      assertEquals(e.size(), a.size(), path);
      for (int i = 0; i < e.size(); i++) same(path + "[" + i + "]", e.getValue(i), a.getValue(i));
    } else {
      assertEquals(expected, actual, path);
    }
  }
}
