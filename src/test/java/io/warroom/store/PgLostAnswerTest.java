package io.warroom.store;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
 * The connection breaks after PostgreSQL committed a batch but before its answer arrived (a relay
 * drops the answer and cuts the line). The batch must still count exactly once: at once when the
 * database answers a second send, or, when it cannot be reached, as soon as it can.
 */
@ExtendWith(VertxExtension.class)
class PgLostAnswerTest {
  private static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  private static final int N = 50;

  @Test
  void aCommitWhoseAnswerWasLostIsFoundBySendingAgainAndCountsOnce(Vertx vertx) throws Exception {
    try (PgTestDb db = PgTestDb.create(); FaultProxy proxy = new FaultProxy(PgTestDb.host(), PgTestDb.port());
        TestApp app = start(vertx, db, proxy)) {
      proxy.loseAnswerTo("lost1-", 300, false);
      JsonObject answer = ingest(app, "lost1-", 200);
      assertFalse(proxy.armed(), "the answer to the batch was lost");
      assertEquals(N, answer.getInteger("accepted"));
      assertEquals(0, answer.getInteger("duplicates"));
      // All rows come from the first send: the second found them kept, under the same batch id.
      assertEquals(N, db.number("SELECT count(*) FROM records WHERE id LIKE 'lost1-%'"));
      assertEquals(1, db.number("SELECT count(DISTINCT batch) FROM records WHERE id LIKE 'lost1-%'"));
      assertEquals(N, orders(app));

      answer = ingest(app, "lost1-", 200);
      assertEquals(0, answer.getInteger("accepted"));
      assertEquals(N, answer.getInteger("duplicates"));
      assertEquals(N, orders(app));
    }
  }

  @Test
  void aLostCommitWhileTheDatabaseIsUnreachableCountsOnceItAnswersAgain(Vertx vertx) throws Exception {
    try (PgTestDb db = PgTestDb.create(); FaultProxy proxy = new FaultProxy(PgTestDb.host(), PgTestDb.port())) {
      Config config = Config.defaults().withPgUrl(proxyUrl(db, proxy));
      try (TestApp app = start(vertx, db, proxy)) {
        proxy.loseAnswerTo("lost2-", 300, true);
        HttpResponse<Buffer> r = post(app, "lost2-");
        assertEquals(503, r.statusCode(), r.bodyAsString());
        assertNotNull(r.getHeader("Retry-After"));
        assertEquals(503, app.get("/ready").statusCode());
        // PostgreSQL did commit them; the service could not know yet.
        assertEquals(N, db.number("SELECT count(*) FROM records WHERE id LIKE 'lost2-%'"));
        assertEquals(0, orders(app));

        proxy.refuse(false);
        eventually(() -> orders(app) == N, 10_000, () -> orders(app) + " of " + N
            + " orders: settled without any new ingest");

        JsonObject answer = ingest(app, "lost2-", 200);
        assertEquals(0, answer.getInteger("accepted"));
        assertEquals(N, answer.getInteger("duplicates"));
        assertEquals(N, orders(app));
      }
      try (TestApp again = TestApp.deploy(vertx, config, PLAN, clock(), Stores.factory(config))) {
        assertEquals(N, orders(again));
      }
    }
  }

  private static TestApp start(Vertx vertx, PgTestDb db, FaultProxy proxy) {
    Config config = Config.defaults().withPgUrl(proxyUrl(db, proxy));
    return TestApp.deploy(vertx, config, PLAN, clock(), Stores.factory(config));
  }

  private static String proxyUrl(PgTestDb db, FaultProxy proxy) {
    return db.urlVia("127.0.0.1", proxy.port());
  }

  private static MutableClock clock() {
    return MutableClock.at("2026-11-11T12:00:00+08:00");
  }

  private static HttpResponse<Buffer> post(TestApp app, String prefix) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < N; i++) {
      body.append("{\"id\":\"").append(prefix).append(i)
          .append("\",\"ts\":\"2026-11-11T11:59:00+08:00\",\"customerId\":\"c-").append(i % 7)
          .append("\",\"amount\":12.34,\"channel\":\"jd\"}\n");
    }
    return app.post("/api/v1/orders", "application/x-ndjson", body.toString());
  }

  private static JsonObject ingest(TestApp app, String prefix, int status) {
    HttpResponse<Buffer> r = post(app, prefix);
    assertEquals(status, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static long orders(TestApp app) {
    return app.kpis().getJsonObject("windows").getJsonObject("campaign").getLong("orders");
  }
}
