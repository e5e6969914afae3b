package io.warroom.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import io.warroom.store.PgDatabase;
import io.warroom.store.PgStore;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** After a restart on PostgreSQL (aggregates rebuilt from hourly rollups) the report is the same. */
@ExtendWith(VertxExtension.class)
class PgReportRebuildTest {
  @RegisterExtension
  static final PgDatabase DB = new PgDatabase();

  static JsonObject report(TestApp app) {
    JsonObject r = app.get("/api/v1/report").bodyAsJsonObject();
    r.remove("asOf");
    r.remove("seq");
    return r;
  }

  @Test
  void theReportSurvivesARestart(Vertx vertx) {
    var store = DB.emptyStore();
    JsonObject before;
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-30T12:00:00Z"), store)) {
      assertEquals(200, app.post("/api/v1/events", "application/x-ndjson", ReportTest.DATA).statusCode());
      before = report(app);
    }
    String url = DB.db().url();
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-30T12:00:00Z"), v -> new PgStore(v, url))) {
      JsonObject after = report(app);
      assertEquals(before.getJsonArray("weeks"), after.getJsonArray("weeks"));
      assertEquals(before, after);
      ReportTestValues.check(after);
    }
  }
}
