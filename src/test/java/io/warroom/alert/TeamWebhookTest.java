package io.warroom.alert;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.store.PgTestDb;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT section 14: alerts routed to their owner team's webhooks in each chat format, and to the
 * configured ones, against real HTTP receivers.
 */
@ExtendWith(VertxExtension.class)
class TeamWebhookTest {
  private static final String LINK = "https://warroom.example.com/war";
  private final Traffic traffic = new Traffic();

  private static String plan(String lang, String teams, String risk) {
    return "{\"id\":\"t\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\","
        + "\"timezone\":\"Asia/Shanghai\",\"currency\":\"CNY\",\"staleFeedMinutes\":0,"
        + (lang == null ? "" : "\"language\":\"" + lang + "\",")
        + "\"teams\":[" + teams + "],"
        + "\"alerts\":[{\"id\":\"conv\",\"kpi\":\"conversion\",\"window\":\"last1h\",\"op\":\"<\","
        + "\"warn\":0.027,\"critical\":0.024,\"owner\":\"data\"},"
        + "{\"id\":\"aov-high\",\"kpi\":\"aov\",\"window\":\"last1h\",\"op\":\">\",\"warn\":90,"
        + "\"critical\":200}],"
        + "\"owners\":{\"aov\":\"sales\",\"*\":\"data\"},"
        + "\"risks\":[{\"id\":\"price-war\",\"text\":" + risk + ",\"response\":{\"zh-CN\":\"差异化服务\","
        + "\"en\":\"Differentiated service\"},\"rules\":[\"conv\"]}]}";
  }

  private static String hook(Receiver r, String format) {
    return "{\"url\":\"" + r.url() + "\",\"format\":\"" + format + "\"}";
  }

  /** A checkpoint of {@code test} that {@code r} flags for each post it accepts. */
  private static void told(VertxTestContext test, Receiver r, int posts) {
    Checkpoint accepted = test.checkpoint(posts);
    r.onAccepted = body -> accepted.flag();
  }

  private static Config config(Receiver global, Receiver... more) {
    return Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
        Config.WEBHOOK_URLS, String.join(",", Stream.concat(
            Stream.of(global), Arrays.stream(more))
            .map(Receiver::url).toList()), Config.PUBLIC_URL, LINK), new String[0]);
  }

  @Test
  void eachTransitionReachesTheGlobalHooksAndItsOwnersHooksInTheirFormats(Vertx vertx,
      VertxTestContext test) throws InterruptedException {
    try (Receiver global = new Receiver(vertx, 0); Receiver wecom = new Receiver(vertx, 1);
        Receiver ding = new Receiver(vertx, 0); Receiver feishu = new Receiver(vertx, 0);
        Receiver slack = new Receiver(vertx, 0); Receiver json = new Receiver(vertx, 0);
        Receiver sales = new Receiver(vertx, 0); Receiver both = new Receiver(vertx, 0)) {
      String teams = "{\"id\":\"data\",\"name\":{\"zh-CN\":\"数据分析\",\"en\":\"Data analysis\"},"
          + "\"webhooks\":[" + hook(wecom, "wecom") + "," + hook(ding, "dingtalk") + ","
          + hook(feishu, "feishu") + "," + hook(slack, "slack") + "," + hook(json, "json") + ","
          + hook(global, "json") + "," + hook(both, "slack") + "]},"
          + "{\"id\":\"sales\",\"name\":\"Sales\",\"webhooks\":[" + hook(sales, "json") + "]}";
      try (TestApp app = TestApp.deploy(vertx, config(global, both),
          PlanParser.parse(plan(null, teams, "{\"zh-CN\":\"竞争对手价格战\",\"en\":\"Price war\"}")),
          MutableClock.at(AlertApiTest.START))) {
        traffic.clock = app.clock;
        // 26 orders of 100.00 in 1000 sessions: conversion 2.60 % (warning below 2.70 %), and
        // an average order of 100.00 (warning above 90.00).
        // Each hook's posts: the configured one gets both alerts, the others one each.
        told(test, global, 2);
        told(test, both, 2);
        for (Receiver r : List.of(wecom, ding, feishu, slack, json, sales)) told(test, r, 1);
        traffic.send(app, 1000, 26);
        assertTrue(test.awaitCompletion(10, TimeUnit.SECONDS), "every hook told");
        if (test.failed()) throw new AssertionError("a hook told too often", test.causeOfFailure());

        String title = "【警告·告警】转化率（近1小时）";
        List<String> lines = List.of("当前 2.60%，低于警告阈值 2.70%", "负责团队：数据分析",
            "风险：竞争对手价格战", "应对：差异化服务", "开始于 2026-11-11 02:00（Asia/Shanghai）");
        String url = LINK + "/";
        assertEquals(new JsonObject().put("msgtype", "markdown").put("markdown",
            new JsonObject().put("content", "**" + title + "**\n" + String.join("\n", lines)
                + "\n[打开作战室](" + url + ")")), wecom.accepted.get(0));
        assertEquals(2, wecom.requests.get(), "the first attempt failed and was retried");
        assertEquals(new JsonObject().put("msgtype", "markdown").put("markdown",
            new JsonObject().put("title", title).put("text", "### " + title + "\n\n"
                + String.join("\n\n", lines) + "\n\n[打开作战室](" + url + ")")),
            ding.accepted.get(0));
        assertEquals(new JsonObject().put("msg_type", "text").put("content",
            new JsonObject().put("text", title + "\n" + String.join("\n", lines)
                + "\n打开作战室: " + url)), feishu.accepted.get(0));
        assertEquals(new JsonObject().put("text", "*" + title + "*\n" + String.join("\n", lines)
            + "\n<" + url + "|打开作战室>"), slack.accepted.get(0));

        JsonObject conv = json.accepted.get(0);
        assertEquals("conv-1", conv.getString("id"));
        assertEquals("data", conv.getString("owner"));
        assertEquals(new JsonObject().put("zh-CN", "差异化服务").put("en", "Differentiated service"),
            conv.getJsonObject("runbook"));
        assertEquals("price-war", conv.getString("risk"));
        JsonObject listed = app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active")
            .stream().map(o -> (JsonObject) o).filter(o -> o.getString("rule").equals("conv"))
            .findFirst().orElseThrow();
        assertEquals(conv, listed, "the hook gets the alert object as listed");

        // The owners map gives aov's rule to sales (by KPI id), with no runbook or risk.
        JsonObject aov = sales.accepted.get(0);
        assertEquals("aov-high-1", aov.getString("id"));
        assertEquals("sales", aov.getString("owner"));
        assertTrue(aov.containsKey("runbook") && aov.getValue("runbook") == null);
        assertTrue(aov.containsKey("risk") && aov.getValue("risk") == null);
        // The configured hook gets both, once each, though data lists it too.
        assertEquals(List.of("aov-high-1", "conv-1"), global.accepted.stream()
            .map(o -> o.getString("id")).sorted().toList());
        // A configured hook that data lists as Slack gets data's alert once, as Slack reads it,
        // and the alert data does not own as JSON.
        List<JsonObject> seen = both.accepted.stream()
            .sorted(Comparator.comparing(o -> o.containsKey("text") ? 1 : 0)).toList();
        assertEquals("aov-high-1", seen.get(0).getString("id"));
        assertEquals(slack.accepted.get(0), seen.get(1));
      }
    }
  }

  /** A new plan gives a firing alert another owner: the team told it fired is told it resolved too. */
  @Test
  void theTeamToldOfAFiringIsToldOfItsEndAfterANewOwner(Vertx vertx) {
    try (Receiver global = new Receiver(vertx, 0); Receiver data = new Receiver(vertx, 0);
        Receiver sales = new Receiver(vertx, 0)) {
      String teams = "{\"id\":\"data\",\"webhooks\":[" + hook(data, "json") + "]},"
          + "{\"id\":\"sales\",\"webhooks\":[" + hook(sales, "json") + "]}";
      String plan = plan(null, teams, "\"Price war\"");
      try (TestApp app = TestApp.deploy(vertx, config(global), PlanParser.parse(plan),
          MutableClock.at(AlertApiTest.START))) {
        traffic.clock = app.clock;
        traffic.send(app, 1000, 26); // 2.60 %: conv fires, owned by data
        eventually(() -> states(data, "conv").equals(List.of("firing")), 10_000, "data told it fired");
        var put = TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(plan.replace("\"owner\":\"data\"", "\"owner\":\"sales\""))));
        assertEquals(200, put.statusCode(), put.bodyAsString());
        traffic.send(app, 0, 20); // 46 in 1000 sessions: resolved
        eventually(() -> states(data, "conv").equals(List.of("firing", "resolved"))
            && states(sales, "conv").equals(List.of("resolved")), 10_000,
            () -> "data " + states(data, "conv") + ", sales " + states(sales, "conv"));
        assertEquals("sales", data.accepted.get(data.accepted.size() - 1).getString("owner"),
            "the alert as it is now");
      }
    }
  }

  /** The same across a restart on PostgreSQL: the kept alert remembers whom it was posted to. */
  @Test
  void theTeamToldOfAFiringIsToldOfItsEndAfterARestartUnderANewOwner(Vertx vertx) {
    try (PgTestDb db = PgTestDb.create(); Receiver global = new Receiver(vertx, 0);
        Receiver data = new Receiver(vertx, 0); Receiver sales = new Receiver(vertx, 0)) {
      String teams = "{\"id\":\"data\",\"webhooks\":[" + hook(data, "json") + "]},"
          + "{\"id\":\"sales\",\"webhooks\":[" + hook(sales, "json") + "]}";
      String plan = plan(null, teams, "\"Price war\"");
      Config config = config(global).withPgUrl(db.url());
      MutableClock clock = MutableClock.at(AlertApiTest.START);
      traffic.clock = clock;
      try (TestApp app = TestApp.deploy(vertx, config, PlanParser.parse(plan), clock,
          Stores.factory(config))) {
        traffic.send(app, 1000, 26); // 2.60 %: conv fires, owned by data
        eventually(() -> states(data, "conv").equals(List.of("firing")), 10_000, "data told it fired");
      }
      Plan toSales = PlanParser.parse(plan.replace("\"owner\":\"data\"", "\"owner\":\"sales\""));
      try (TestApp app = TestApp.deploy(vertx, config, toSales, clock, Stores.factory(config))) {
        traffic.send(app, 0, 20); // 46 in 1000 sessions: resolved
        eventually(() -> states(data, "conv").equals(List.of("firing", "resolved"))
            && states(sales, "conv").equals(List.of("resolved")), 10_000,
            () -> "data " + states(data, "conv") + ", sales " + states(sales, "conv"));
      }
    }
  }

  private static List<String> states(Receiver r, String rule) {
    return r.accepted.stream().filter(a -> rule.equals(a.getString("rule")))
        .map(a -> a.getString("state")).toList();
  }

  @Test
  void viewersSeeWebhookUrlsHiddenAndAPlanPutBackAsShownKeepsTheStoredOnes(Vertx vertx) throws Exception {
    try (Receiver global = new Receiver(vertx, 0); Receiver data = new Receiver(vertx, 0)) {
      String teams = "{\"id\":\"data\",\"webhooks\":[" + hook(data, "json") + "]},{\"id\":\"sales\"}";
      try (TestApp app = TestApp.deploy(vertx, config(global), PlanParser.parse(plan(null, teams, "\"Price war\"")),
          MutableClock.at(AlertApiTest.START))) {
        traffic.clock = app.clock;
        // The robot's key is in the URL: whoever reads it can post into the team's chat.
        byte[] digest = MessageDigest.getInstance("SHA-256")
            .digest(data.url().getBytes(StandardCharsets.UTF_8));
        String shown = "http://127.0.0.1:" + data.port + "/***#"
            + HexFormat.of().formatHex(digest, 0, 4);
        for (String path : List.of("/api/v1/plan", "/api/v1/plan/next")) {
          String body = app.get(path).bodyAsString();
          assertFalse(body.contains("secret-part"), path + ": " + body);
          assertEquals(shown, new JsonObject(body).getJsonArray("teams").getJsonObject(0)
              .getJsonArray("webhooks").getJsonObject(0).getString("url"), path);
        }
        // The editor puts the plan back as it got it: the stored URL stays, and alerts reach it.
        String asShown = app.get("/api/v1/plan").bodyAsString();
        var put = TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(asShown)));
        assertEquals(200, put.statusCode(), put.bodyAsString());
        assertFalse(put.bodyAsString().contains("secret-part"));
        traffic.send(app, 1000, 26);
        eventually(() -> data.accepted.size() == 1, 10_000, "the team's stored hook told");
        assertEquals("conv-1", data.accepted.get(0).getString("id"));
        // A hidden URL that names no stored webhook is refused at its field.
        String unknown = asShown.replace(shown, "http://127.0.0.1:" + data.port + "/***#00000000");
        var refused = TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(unknown)));
        assertEquals(400, refused.statusCode());
        assertEquals("teams[0].webhooks[0].url", refused.bodyAsJsonObject().getString("field"));
      }
    }
  }

  /**
   * Robots with signature security: DingTalk gets timestamp (ms) and sign in its URL, Feishu in its
   * body, each computed as the platforms publish it; the secret is hidden from viewers like the URL.
   */
  @Test
  void signedRobotsGetTheirPublishedSignatureAndViewersNeverSeeTheSecret(Vertx vertx) throws Exception {
    String dingSecret = "SEC" + "0123456789abcdef".repeat(4);
    String feishuSecret = "aB3+/=xyz";
    try (Receiver global = new Receiver(vertx, 0); Receiver ding = new Receiver(vertx, 1);
        Receiver feishu = new Receiver(vertx, 0)) {
      String teams = "{\"id\":\"data\",\"webhooks\":["
          + hook(ding, "dingtalk").replace("}", ",\"secret\":\"" + dingSecret + "\"}") + ","
          + hook(feishu, "feishu").replace("}", ",\"secret\":\"" + feishuSecret + "\"}")
          + "]},{\"id\":\"sales\"}";
      String plan = plan(null, teams, "\"Price war\"");
      try (TestApp app = TestApp.deploy(vertx, config(global), PlanParser.parse(plan),
          MutableClock.at(AlertApiTest.START))) {
        traffic.clock = app.clock;
        // Viewers see neither secret; the plan put back as shown keeps both.
        byte[] digest = MessageDigest.getInstance("SHA-256")
            .digest(dingSecret.getBytes(StandardCharsets.UTF_8));
        String shown = app.get("/api/v1/plan").bodyAsString();
        assertFalse(shown.contains(dingSecret) || shown.contains(feishuSecret), shown);
        assertEquals("***#" + HexFormat.of().formatHex(digest, 0, 4), new JsonObject(shown)
            .getJsonArray("teams").getJsonObject(0).getJsonArray("webhooks").getJsonObject(0)
            .getString("secret"));
        var put = TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(shown)));
        assertEquals(200, put.statusCode(), put.bodyAsString());

        long before = System.currentTimeMillis();
        traffic.send(app, 1000, 26);
        eventually(() -> ding.accepted.size() == 1 && feishu.accepted.size() == 1, 10_000, "told");
        long after = System.currentTimeMillis();
        assertEquals(2, ding.requests.get(), "the first attempt failed and was retried");

        // DingTalk: sign = Base64(HmacSHA256(key secret, "<ms>\n" + secret)), URL-encoded.
        String uri = ding.uris.get(0);
        assertTrue(uri.startsWith("/hook?key=secret-part&timestamp="), uri);
        Map<String, String> query = new HashMap<>();
        for (String kv : uri.substring(uri.indexOf('?') + 1).split("&")) {
          String[] p = kv.split("=", 2);
          query.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
        }
        long ms = Long.parseLong(query.get("timestamp"));
        assertTrue(ms >= before && ms <= after, ms + " not between " + before + " and " + after);
        assertEquals(hmacBase64(dingSecret, ms + "\n" + dingSecret), query.get("sign"));
        assertFalse(uri.contains("+") || uri.substring(uri.indexOf("sign=")).contains("/"),
            "the sign is URL-encoded: " + uri);
        assertEquals("markdown", ding.accepted.get(0).getString("msgtype"));

        // Feishu: timestamp in seconds (a string) and sign = Base64(HmacSHA256(key "<s>\n" +
        // secret, nothing)) beside the message.
        JsonObject body = feishu.accepted.get(0);
        long s = Long.parseLong(body.getString("timestamp"));
        assertTrue(s >= before / 1000 && s <= after / 1000, String.valueOf(s));
        assertEquals(hmacBase64(s + "\n" + feishuSecret, ""), body.getString("sign"));
        assertEquals("text", body.getString("msg_type"));
        assertTrue(body.getJsonObject("content").getString("text").startsWith("【警告·告警】转化率"));
        assertEquals("/hook?key=secret-part", feishu.uris.get(0));

        // A secret where the robot cannot use one, or one with a space, is refused at its field.
        for (String bad : List.of(
            plan.replace("\"format\":\"dingtalk\"", "\"format\":\"wecom\""),
            plan.replace(feishuSecret, "two words"))) {
          var refused = TestApp.await(app.client.put("/api/v1/plan")
              .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(bad)));
          assertEquals(400, refused.statusCode(), bad);
          assertTrue(refused.bodyAsJsonObject().getString("field").matches("teams\\[0]\\.webhooks\\[[01]]\\.secret"),
              refused.bodyAsString());
        }
      }
    }
  }

  private static String hmacBase64(String key, String message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void englishPlansReadInEnglishAndSlackTextIsEscaped(Vertx vertx) {
    try (Receiver global = new Receiver(vertx, 0); Receiver slack = new Receiver(vertx, 0);
        Receiver wecom = new Receiver(vertx, 0)) {
      String teams = "{\"id\":\"data\",\"name\":\"Data & <Ops>\",\"webhooks\":["
          + hook(slack, "slack") + "," + hook(wecom, "wecom") + "]},{\"id\":\"sales\"}";
      try (TestApp app = TestApp.deploy(vertx, config(global),
          PlanParser.parse(plan("en", teams, "\"Price war\"")), MutableClock.at(AlertApiTest.START))) {
        traffic.clock = app.clock;
        traffic.send(app, 1000, 20); // 2.00 %: critical below 2.40 %
        eventually(() -> slack.accepted.size() == 1 && wecom.accepted.size() == 1, 10_000, "told");
        String title = "[CRITICAL firing] Conversion (last hour)";
        List<String> lines = List.of("Now 2.00%, below the critical threshold 2.40%",
            "Owner: Data & <Ops>", "Risk: Price war", "Runbook: Differentiated service",
            "Since 2026-11-11 02:00 (Asia/Shanghai)");
        assertEquals(new JsonObject().put("text", "*" + title + "*\n"
            + String.join("\n", lines).replace("&", "&amp;").replace("<", "&lt;")
                .replace(">", "&gt;") + "\n<" + LINK + "/|Open the war room>"),
            slack.accepted.get(0));
        assertEquals("**" + title + "**\n" + String.join("\n", lines) + "\n[Open the war room]("
            + LINK + "/)", wecom.accepted.get(0).getJsonObject("markdown").getString("content"));
      }
    }
  }

  @Test
  void aLongRunbookIsCutAtACharacterWithinEachPlatformsLimit(Vertx vertx) {
    // 1,000 four-byte characters: 4,000 bytes of runbook alone, past WeCom's 4,096 with the rest.
    String runbook = "😀".repeat(999) + "末";
    try (Receiver global = new Receiver(vertx, 0); Receiver wecom = new Receiver(vertx, 0);
        Receiver ding = new Receiver(vertx, 0); Receiver feishu = new Receiver(vertx, 0)) {
      String teams = "{\"id\":\"data\",\"name\":\"" + "数".repeat(200) + "\",\"webhooks\":["
          + hook(wecom, "wecom") + "," + hook(ding, "dingtalk") + "," + hook(feishu, "feishu")
          + "]},{\"id\":\"sales\"}";
      String plan = plan(null, teams, "\"" + "险".repeat(200) + "\"")
          .replace("\"owner\":\"data\"", "\"owner\":\"data\",\"runbook\":\"" + runbook + "\"");
      try (TestApp app = TestApp.deploy(vertx, config(global), PlanParser.parse(plan),
          MutableClock.at(AlertApiTest.START))) {
        traffic.clock = app.clock;
        traffic.send(app, 1000, 26);
        eventually(() -> wecom.accepted.size() == 1 && ding.accepted.size() == 1
            && feishu.accepted.size() == 1, 10_000, "told");
        String content = wecom.accepted.get(0).getJsonObject("markdown").getString("content");
        String full = "**【警告·告警】转化率（近1小时）**\n当前 2.60%，低于警告阈值 2.70%\n负责团队："
            + "数".repeat(200) + "\n风险：" + "险".repeat(200) + "\n应对：" + runbook
            + "\n开始于 2026-11-11 02:00（Asia/Shanghai）\n[打开作战室](" + LINK + "/)";
        int bytes = content.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes <= 4096 && bytes > 4096 - 4 - 3, bytes + " bytes");
        // The runbook, the longest line, gives up its end; the time and the link stay.
        String tail = "…\n开始于 2026-11-11 02:00（Asia/Shanghai）\n[打开作战室](" + LINK + "/)";
        assertTrue(content.endsWith(tail), content.substring(content.length() - 80));
        String kept = content.substring(0, content.length() - tail.length());
        assertTrue(full.startsWith(kept), "the start of the whole text");
        assertTrue(kept.contains("\n应对：😀") && kept.endsWith("😀"), "cut in the runbook");
        assertFalse(Character.isHighSurrogate(kept.charAt(kept.length() - 1)), "no half character");
        // DingTalk and Feishu take 20,000 bytes: the whole text fits.
        assertEquals(full.replace("\n", "\n\n").replace("**【警告·告警】转化率（近1小时）**",
            "### 【警告·告警】转化率（近1小时）"),
            ding.accepted.get(0).getJsonObject("markdown").getString("text"));
        assertTrue(feishu.accepted.get(0).getJsonObject("content").getString("text")
            .endsWith(runbook.substring(runbook.length() - 1) + "\n开始于 2026-11-11 02:00（Asia/Shanghai）"
                + "\n打开作战室: " + LINK + "/"));
      }
    }
  }
}
