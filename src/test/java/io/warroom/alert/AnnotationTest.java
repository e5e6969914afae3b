package io.warroom.alert;

import static io.warroom.alert.TestSupport.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.SseClient;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.store.PgTestDb;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT section 14's annotations: POST (admin or ingest token), GET by period (view), DELETE
 * (admin), validated, capped, pushed on the stream, kept in PostgreSQL and seen by other nodes.
 */
@ExtendWith(VertxExtension.class)
class AnnotationTest {
  static final String ADMIN = "adm-s3cret-0123456789";
  static final String INGEST = "feed:ing-s3cret-0123456789";
  static final Plan PLAN = PlanParser.parse(AlertApiTest.plan("\"staleFeedMinutes\":0"));

  private static Config config() {
    return Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
        Config.INGEST_RATE, "0", Config.ADMIN_TOKEN, ADMIN, Config.INGEST_TOKENS, INGEST,
        Config.TAIL_POLL_MS, "200"), new String[0]);
  }

  private static HttpResponse<Buffer> add(TestApp app, String token, String body) {
    return TestApp.await(app.client.post("/api/v1/annotations").putHeader("Authorization",
        "Bearer " + token).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)));
  }

  private static HttpResponse<Buffer> delete(TestApp app, String token, String id) {
    return TestApp.await(app.client.delete("/api/v1/annotations/" + id)
        .putHeader("Authorization", "Bearer " + token).send());
  }

  private static SseClient.Event next(SseClient s, String name) {
    SseClient.Event e;
    do {
      e = s.next(10_000);
    } while (!e.event().equals(name));
    return e;
  }

  @Test
  void addedListedStreamedAndDeletedWithTheirRules(Vertx vertx) {
    try (TestApp app = TestApp.deploy(vertx, config(), PLAN, MutableClock.at(AlertApiTest.START));
        SseClient stream = SseClient.connect(app.vertx, app.port, null, null)) {
      HttpResponse<Buffer> r = add(app, "ing-s3cret-0123456789", "{\"ts\":\"2026-11-11T20:00:00+08:00\","
          + "\"end\":\"2026-11-11T22:00:00+08:00\",\"text\":\"发布会直播开始\",\"tags\":[\"live\"]}");
      assertEquals(201, r.statusCode(), r.bodyAsString());
      JsonObject live = r.bodyAsJsonObject();
      assertEquals(new JsonObject().put("id", live.getLong("id")).put("ts", "2026-11-11T12:00:00Z")
          .put("end", "2026-11-11T14:00:00Z").put("text", "发布会直播开始")
          .put("tags", new JsonArray().add("live")), live);
      assertEquals(new JsonObject().put("change", "added").put("annotation", live),
          next(stream, "annotation").json());
      HttpResponse<Buffer> r2 = add(app, ADMIN, "{\"ts\":\"2026-11-12T09:00:00+08:00\","
          + "\"text\":\"price change\"}");
      assertEquals(201, r2.statusCode(), r2.bodyAsString());
      JsonObject price = r2.bodyAsJsonObject();
      assertEquals(new JsonArray(), price.getJsonArray("tags"));
      assertEquals(new JsonObject().put("change", "added").put("annotation", price),
          next(stream, "annotation").json());

      assertEquals(new JsonArray().add(live).add(price), list(app, ""));
      // By period: an annotation counts when its span overlaps [from, to].
      assertEquals(new JsonArray().add(live),
          list(app, "?from=2026-11-11T13:00:00Z&to=2026-11-11T23:00:00Z"));
      assertEquals(new JsonArray().add(price), list(app, "?from=2026-11-11T14:00:01Z"));
      assertEquals(400, app.get("/api/v1/annotations?from=yesterday").statusCode());
      HttpResponse<Buffer> backwards = app.get("/api/v1/annotations?from=2026-11-12T00:00:00Z&to=2026-11-11T00:00:00Z");
      assertEquals(400, backwards.statusCode());
      assertEquals("from", backwards.bodyAsJsonObject().getString("field"));

      // Bad input: each refused with the field named.
      assertEquals("ts: is required, a time such as 2026-11-11T20:00:00+08:00",
          add(app, ADMIN, "{\"text\":\"x\"}").bodyAsJsonObject().getString("error"));
      assertEquals("end: must not be before ts", add(app, ADMIN,
          "{\"ts\":\"2026-11-11T20:00:00+08:00\",\"end\":\"2026-11-11T19:00:00+08:00\",\"text\":\"x\"}")
          .bodyAsJsonObject().getString("error"));
      assertEquals("text: must not contain a NUL character (U+0000)", add(app, ADMIN,
          "{\"ts\":\"2026-11-11T20:00:00+08:00\",\"text\":\"a\\u0000b\"}").bodyAsJsonObject()
          .getString("error"));
      assertEquals(400, add(app, ADMIN, "{\"ts\":\"2026-11-11T20:00:00+08:00\",\"text\":\""
          + "长".repeat(201) + "\"}").statusCode());
      assertEquals(400, add(app, ADMIN, "{\"ts\":\"2026-11-11T20:00:00+08:00\",\"text\":\"x\","
          + "\"tags\":[1]}").statusCode());
      assertEquals(400, add(app, ADMIN, "[1,2]").statusCode());
      // Times a database cannot keep as given (a typo'd year 0000, year 300000) are refused.
      JsonObject typo = add(app, ADMIN, "{\"ts\":\"0000-06-01T00:00:00Z\",\"text\":\"x\"}")
          .bodyAsJsonObject();
      assertEquals("ts: must be between 1900 and 9999", typo.getString("error"));
      assertEquals("ts", typo.getString("field"));
      assertEquals(new JsonObject().put("en", "must be between 1900 and 9999")
          .put("zh-CN", "必须在 1900 到 9999 年之间"), typo.getJsonObject("reason"));
      assertEquals(new JsonObject().put("en", "must not contain a NUL character (U+0000)")
          .put("zh-CN", "不能包含 NUL 字符（U+0000）"), add(app, ADMIN,
          "{\"ts\":\"2026-11-11T20:00:00+08:00\",\"text\":\"a\\u0000b\"}").bodyAsJsonObject()
          .getJsonObject("reason"));
      assertEquals("end", add(app, ADMIN, "{\"ts\":\"2026-11-11T20:00:00+08:00\","
          + "\"end\":\"+300000-01-01T00:00:00Z\",\"text\":\"x\"}").bodyAsJsonObject()
          .getString("field"));
      assertEquals(403, add(app, "wrong-s3cret-0123456789", "{}").statusCode());
      assertEquals(401, TestApp.await(app.client.post("/api/v1/annotations")
          .sendBuffer(Buffer.buffer("{}"))).statusCode());

      // Deleting needs the admin token.
      assertEquals(403, delete(app, "ing-s3cret-0123456789", String.valueOf(live.getLong("id"))).statusCode());
      assertEquals(204, delete(app, ADMIN, String.valueOf(live.getLong("id"))).statusCode());
      assertEquals(new JsonObject().put("change", "deleted").put("annotation", live),
          next(stream, "annotation").json());
      assertEquals(404, delete(app, ADMIN, String.valueOf(live.getLong("id"))).statusCode());
      assertEquals(new JsonArray().add(price), list(app, ""));
      assertEquals(new JsonArray().add(price), app.get("/api/v1/report").bodyAsJsonObject()
          .getJsonArray("annotations"), "listed in the report");

      // At most 1,000 are kept.
      for (int i = 1; i < 1_000; i++) {
        assertEquals(201, add(app, ADMIN, "{\"ts\":\"2026-11-13T09:00:00+08:00\",\"text\":\"n" + i
            + "\"}").statusCode());
      }
      HttpResponse<Buffer> full = add(app, ADMIN, "{\"ts\":\"2026-11-13T09:00:00+08:00\",\"text\":\"x\"}");
      assertEquals(409, full.statusCode());
      assertTrue(full.bodyAsString().contains("at most 1000 annotations"), full.bodyAsString());
      assertEquals(200, app.get("/health").statusCode());
    }
  }

  private static JsonArray list(TestApp app, String query) {
    HttpResponse<Buffer> r = app.get("/api/v1/annotations" + query);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("annotations");
  }

  @Test
  void withPostgresAnotherNodeSeesAndStreamsThemAndARestartKeepsThem(Vertx vertx) {
    MutableClock clock = MutableClock.at(AlertApiTest.START);
    try (PgTestDb db = PgTestDb.create()) {
      Config config = config().withPgUrl(db.url());
      JsonObject kept;
      try (TestApp a = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config));
          TestApp b = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config));
          SseClient onB = SseClient.connect(b.vertx, b.port, null, null)) {
        HttpResponse<Buffer> r = add(a, ADMIN, "{\"ts\":\"2026-11-11T20:00:00+08:00\","
            + "\"text\":\"launch live stream starts\",\"tags\":[\"launch\",\"直播\"]}");
        assertEquals(201, r.statusCode(), r.bodyAsString());
        kept = r.bodyAsJsonObject();
        assertEquals(new JsonObject().put("change", "added").put("annotation", kept),
            next(onB, "annotation").json(), "the other node pushes it");
        assertEquals(new JsonArray().add(kept), list(b, ""));
        assertEquals(204, delete(b, ADMIN, String.valueOf(kept.getLong("id"))).statusCode());
        assertEquals(new JsonObject().put("change", "deleted").put("annotation", kept),
            next(onB, "annotation").json());
        r = add(b, ADMIN, "{\"ts\":\"2026-11-12T20:00:00+08:00\",\"text\":\"second\"}");
        kept = r.bodyAsJsonObject();
        assertEquals(1, db.number("SELECT count(*) FROM annotations"));
        // A row no longer accepted, kept by an earlier version: it stopped every start.
        db.execute("INSERT INTO annotations (ts, text) VALUES ('infinity', 'far'), "
            + "('0001-06-01 00:00:00+00 BC', 'typo')");
      }
      try (TestApp again = TestApp.deploy(vertx, config, PLAN, clock, Stores.factory(config))) {
        assertEquals(new JsonArray().add(kept), list(again, ""), "kept across a restart");
      }
    }
  }
}
