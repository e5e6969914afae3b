package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import io.warroom.store.PgDatabase;
import io.warroom.store.PgStore;
import io.warroom.store.Store;
import java.time.LocalDate;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link CountersTest} against PostgreSQL, with the limit across nodes and a rebuild. */
class PgCountersTest extends CountersTest {
  @RegisterExtension
  static final PgDatabase DB = new PgDatabase();

  @Override
  protected Function<Vertx, Store> store() {
    return DB.emptyStore();
  }

  @Test
  void theLimitHoldsAcrossNodesAndARestartRebuildsTheSameCounters() {
    Function<Vertx, Store> shared = vertx -> new PgStore(vertx, DB.db().url());
    try (TestApp other = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at(NOW), shared)) {
      assertEquals(60, post(app, "application/json", names(0, 60)).getInteger("accepted"));
      assertEquals(40, post(other, "application/json", names(60, 100)).getInteger("accepted"));
      JsonObject r = post(app, "application/json", "[{\"id\":\"x\",\"ts\":\"" + NOW
          + "\",\"name\":\"k070\",\"value\":9},{\"id\":\"y\",\"ts\":\"" + NOW + "\",\"name\":\"late\"}]");
      assertEquals(1, r.getInteger("accepted"));
      assertEquals(new JsonArray().add(new JsonObject().put("row", 2).put("field", "name")
          .put("error", "a new counter name past the limit of 100 distinct names")),
          r.getJsonArray("rejected"));
    }
    post(app, "text/csv", "id,ts,name,value\nold,2026-11-02T08:00:00+08:00,k001,12\n"
        + "early,2026-11-11T11:58:00+08:00,k002,3\n");
    JsonObject before = app.kpis().getJsonObject("counters");
    assertEquals(13, before.getJsonObject("k001").getLong("campaign"));
    assertEquals(10, before.getJsonObject("k070").getLong("campaign"));
    app.close();
    app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at(NOW), vertx -> new PgStore(vertx, DB.db().url()));
    assertEquals(before, app.kpis().getJsonObject("counters"));
    assertEquals(100, before.size());
  }
}
