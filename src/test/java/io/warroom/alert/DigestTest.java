package io.warroom.alert;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.store.PgTestDb;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT section 14: a team's weekly digest previewed at GET /api/v1/digest and sent on its
 * webhooks 30 minutes before its meeting (plan time), once a week, on an injected clock; with
 * PostgreSQL once across two nodes and a restart.
 */
@ExtendWith(VertxExtension.class)
class DigestTest {
  private static final String LINK = "https://warroom.example.com/war";
  private final Traffic traffic = new Traffic();

  static String plan(Receiver json, Receiver wecom) {
    return "{\"id\":\"t\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\","
        + "\"timezone\":\"Asia/Shanghai\",\"currency\":\"CNY\",\"staleFeedMinutes\":0,"
        + "\"targets\":{\"revenue\":1000000,\"conversion\":0.03},"
        + "\"focus\":[{\"id\":\"green-share\",\"text\":{\"zh-CN\":\"绿色产品占比\",\"en\":\"Green share\"},"
        + "\"dimension\":\"productCategory\",\"key\":\"green\",\"metric\":\"share\",\"target\":0.3}],"
        + "\"weeks\":[{\"start\":\"2026-11-08\",\"end\":\"2026-11-15\",\"owner\":{\"zh-CN\":\"运营部\","
        + "\"en\":\"Operations\"},\"activities\":[\"直播\"],\"milestones\":[\"直播开始\","
        + "{\"text\":\"周销售额\",\"metric\":\"revenue\",\"window\":\"week\",\"op\":\">=\",\"value\":1000}]}],"
        + "\"teams\":[{\"id\":\"data\",\"name\":{\"zh-CN\":\"数据分析\",\"en\":\"Data analysis\"},"
        + "\"meeting\":{\"day\":\"fri\",\"time\":\"16:00\"},\"webhooks\":[{\"url\":\"" + json.url()
        + "\",\"format\":\"json\"},{\"url\":\"" + wecom.url() + "\",\"format\":\"wecom\"}]},"
        + "{\"id\":\"sales\",\"name\":\"Sales\"}],"
        + "\"alerts\":[{\"id\":\"conv\",\"kpi\":\"conversion\",\"window\":\"last1h\",\"op\":\"<\","
        + "\"warn\":0.027,\"critical\":0.024,\"owner\":\"data\"}],\"owners\":{\"*\":\"sales\"}}";
  }

  private static Config config() {
    return Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
        Config.PUBLIC_URL, LINK, Config.INGEST_RATE, "0", Config.TAIL_POLL_MS, "200"),
        new String[0]);
  }

  @Test
  void thePreviewHoldsTheKpisTheWeekAndTheTeamsAlertsAndTheDigestGoesOutBeforeTheMeeting(Vertx vertx) {
    try (Receiver json = new Receiver(vertx, 0); Receiver wecom = new Receiver(vertx, 0);
        TestApp app = TestApp.deploy(vertx, config(), PlanParser.parse(plan(json, wecom)),
            MutableClock.at(AlertApiTest.START))) {
      traffic.clock = app.clock;
      traffic.send(app, 1000, 26); // revenue 2,600.00; conversion 2.60 %: conv fires (warning)
      eventually(() -> app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active")
          .size() > 0, 5_000, "conv fires");

      JsonObject d = app.get("/api/v1/digest?team=data&format=wecom").bodyAsJsonObject();
      assertEquals("data", d.getString("team"));
      assertEquals("2026-11-10T18:00:00Z", d.getString("at"));
      JsonArray kpis = app.kpis().getJsonArray("kpis");
      assertEquals(3, d.getJsonArray("kpis").size());
      for (int i = 0; i < 3; i++) {
        JsonObject k = kpis.getJsonObject(i);
        assertEquals(new JsonObject().put("id", k.getString("id")).put("value", k.getValue("value"))
            .put("target", k.getValue("target")).put("status", k.getString("status"))
            .put("previous", k.getValue("previous")).put("change", k.getValue("change")),
            d.getJsonArray("kpis").getJsonObject(i));
      }
      assertEquals(List.of("revenue", "conversion"), List.of(kpis.getJsonObject(0).getString("id"),
          kpis.getJsonObject(1).getString("id")));
      assertEquals(2600.0, kpis.getJsonObject(0).getDouble("value"), 1e-9);
      assertEquals(new JsonObject().put("n", 1).put("start", "2026-11-08").put("end", "2026-11-15")
          .put("owner", new JsonObject().put("zh-CN", "运营部").put("en", "Operations"))
          .put("activities", new JsonArray().add("直播"))
          .put("milestones", new JsonArray().add(new JsonObject().put("text", "直播开始")
              .putNull("metric").put("status", "open")) // not signed off
              .add(new JsonObject().put("text", "周销售额").put("metric", "revenue")
                  .put("value", 2600.0).put("goal", 1000).put("status", "on-track"))),
          d.getJsonObject("phase"));
      JsonObject measured = app.kpis().getJsonArray("phases").getJsonObject(0).getJsonArray("milestones")
          .getJsonObject(1);
      assertEquals(measured.getValue("value"), d.getJsonObject("phase").getJsonArray("milestones")
          .getJsonObject(1).getValue("value"), "the snapshot's value");
      JsonArray active = app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active");
      JsonArray owned = new JsonArray(active.stream().filter(o -> ((JsonObject) o).getString("owner")
          .equals("data")).toList());
      assertEquals(1, owned.size());
      assertEquals(owned, d.getJsonArray("alerts"), "data owns conv; revenue's go to sales");
      // Revenue 2,600 of an expected 336,111 (242 of 720 hours): critical; conversion 2.60 %
      // against 3.00 %: warning. No previous period measured: no change.
      assertEquals("**数据分析 · 周报（2026-11-11 02:00）**\n"
          + "关键指标：\n"
          + "· 销售额 ¥2,600.00 / 目标 ¥1,000,000.00（落后），较上期 暂无\n"
          + "· 转化率 2.60% / 目标 3.00%（预警），较上期 暂无\n"
          + "· 绿色产品占比 0.00% / 目标 30.00%（落后），较上期 暂无\n"
          + "本周：第1周 2026-11-08 至 2026-11-14 · 运营部\n"
          + "· 活动：直播\n"
          + "· 里程碑：直播开始（待确认）\n"
          + "· 里程碑：周销售额（进行中·达标，¥2,600.00 / 目标 ¥1,000.00）\n"
          + "进行中的告警：\n"
          + "· 【警告·告警】转化率（近1小时） 2.60%（阈值 2.70%）\n"
          + "[打开作战室](" + LINK + "/?team=data)", d.getString("text"));
      assertEquals(404, app.get("/api/v1/digest?team=nope").statusCode());
      assertEquals(400, app.get("/api/v1/digest").statusCode());
      assertEquals(400, app.get("/api/v1/digest?team=data&format=telex").statusCode());
      JsonObject sales = app.get("/api/v1/digest?team=sales").bodyAsJsonObject();
      assertEquals(List.of("forecast-revenue-1", "pace-revenue-1"), sales.getJsonArray("alerts")
          .stream().map(o -> ((JsonObject) o).getString("id")).sorted().toList(),
          "sales owns the rest (\"*\")");

      // Friday 16:00 in Shanghai, less 30 minutes.
      app.clock.set(OffsetDateTime.parse("2026-11-13T15:30:00+08:00").toInstant());
      eventually(() -> digests(json).size() == 1 && digests(wecom).size() == 1, 10_000, "sent");
      JsonObject preview = app.get("/api/v1/digest?team=data").bodyAsJsonObject();
      assertEquals(preview, digests(json).get(0), "the json hook gets the digest as previewed");
      assertEquals("2026-11-13T07:30:00Z", digests(json).get(0).getString("at"));
      assertEquals(app.get("/api/v1/digest?team=data&format=wecom").bodyAsJsonObject()
          .getString("text"), digests(wecom).get(0).getJsonObject("markdown").getString("content"));

      // Until the meeting nothing more; the next Friday the next one.
      app.clock.set(OffsetDateTime.parse("2026-11-13T15:59:59+08:00").toInstant());
      app.clock.set(OffsetDateTime.parse("2026-11-20T15:30:00+08:00").toInstant());
      eventually(() -> digests(json).size() >= 2, 10_000, "next week's");
      assertEquals(List.of("2026-11-13T07:30:00Z", "2026-11-20T07:30:00Z"),
          digests(json).stream().map(o -> o.getString("at")).toList());
    }
  }

  /** What a receiver got besides alert transitions: digests (json) or their text (wecom). */
  private static List<JsonObject> digests(Receiver r) {
    synchronized (r.accepted) {
      return r.accepted.stream().filter(o -> o.containsKey("team")
          || o.containsKey("markdown") && o.getJsonObject("markdown").getString("content")
              .contains("周报")).toList();
    }
  }

  @Test
  void withPostgresOneDigestAWeekAcrossTwoNodesAndARestart(Vertx vertx) {
    MutableClock clock = MutableClock.at(AlertApiTest.START);
    try (PgTestDb db = PgTestDb.create(); Receiver json = new Receiver(vertx, 0);
        Receiver wecom = new Receiver(vertx, 0)) {
      Config config = config().withPgUrl(db.url());
      Plan plan = PlanParser.parse(plan(json, wecom));
      TestApp a = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config));
      try (TestApp b = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
        // A digest is claimed only with its notifications kept in the outbox, in one transaction:
        // a node that died between the two would leave a digest claimed that nobody sends.
        db.execute("""
            CREATE FUNCTION digest_kept() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF (SELECT count(*) FROM webhook_outbox WHERE key = 'digest/' || NEW.team || '/' || NEW.meeting) <> 2 THEN
                RAISE EXCEPTION 'digest of % claimed without its notifications kept', NEW.team;
              END IF;
              RETURN NULL;
            END $$""");
        db.execute("CREATE CONSTRAINT TRIGGER digest_kept AFTER INSERT ON digests_sent "
            + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION digest_kept()");
        clock.set(OffsetDateTime.parse("2026-11-13T15:30:00+08:00").toInstant());
        eventually(() -> digests(json).size() == 1, 15_000, "sent by the alerting node");
        a.close(); // the alerting node stops within the window; b takes over
        eventually(() -> b.get("/ready").bodyAsJsonObject().getBoolean("alerting"), 15_000,
            "b alerts");
        try (TestApp again = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
          clock.set(OffsetDateTime.parse("2026-11-13T15:45:00+08:00").toInstant());
          clock.set(OffsetDateTime.parse("2026-11-20T15:30:00+08:00").toInstant());
          eventually(() -> digests(json).size() >= 2, 15_000, "next week's");
          eventually(() -> digests(wecom).size() >= 2, 15_000, "next week's on wecom");
          assertEquals(List.of("2026-11-13T07:30:00Z", "2026-11-20T07:30:00Z"),
              digests(json).stream().map(o -> o.getString("at")).toList(),
              "once a week whichever node sends");
          assertEquals(2, db.number("SELECT count(*) FROM digests_sent WHERE team = 'data'"));
        }
      } finally {
        a.close();
      }
    }
  }
}
