package io.warroom.alert;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.PlanParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Webhooks against a real HTTP receiver started in the test, on the test's own Vert.x. */
@ExtendWith(VertxExtension.class)
class WebhookTest {
  private final Traffic traffic = new Traffic();

  @Test
  void everyTransitionReachesAReceiverThatFailsForAWhileThenRecovers(Vertx vertx) {
    try (Receiver hook = new Receiver(vertx, 3);
        TestApp app = TestApp.deploy(vertx, Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST,
            "127.0.0.1", Config.WEBHOOK_URLS, hook.url()), new String[0]),
            PlanParser.parse(AlertApiTest.plan("\"staleFeedMinutes\":0")),
            MutableClock.at(AlertApiTest.START))) {
      traffic.clock = app.clock;
      traffic.send(app, 1000, 26); // 0.026: warning
      traffic.send(app, 1000, 20); // 46 / 2000 = 0.023: critical
      traffic.send(app, 6000, 300); // 346 / 8000: resolved
      // Three failures, retried after about 0.5, 1 and 2 s, then all three in order.
      eventually(() -> hook.accepted.size() == 3, 15_000, "three notifications delivered");
      assertEquals(List.of("conv-1 firing warning", "conv-1 firing critical",
          "conv-1 resolved critical"), hook.states());
      assertEquals(6, hook.requests.get(), "3 failed attempts and 3 deliveries, nothing twice");
      assertEquals(3, new HashSet<>(hook.keys).size(), "each transition has its own key");

      // The bodies are the transitions as listed (and streamed), oldest first.
      JsonArray history = app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("history");
      List<Object> oldestFirst = new ArrayList<>(history.getList());
      Collections.reverse(oldestFirst);
      assertEquals(new JsonArray(oldestFirst), new JsonArray(new ArrayList<>(hook.accepted)));

      String metrics = app.get("/metrics").bodyAsString();
      assertTrue(metrics.contains(
          "warroom_alert_webhook_notifications_total{hook=\"0\",outcome=\"delivered\"} 3.0"), metrics);
      assertTrue(metrics.contains(
          "warroom_alert_webhook_notifications_total{hook=\"0\",outcome=\"retried\"} 3.0"));
      assertTrue(metrics.contains(
          "warroom_alert_webhook_notifications_total{hook=\"0\",outcome=\"dropped\"} 0.0"));
      assertTrue(!metrics.contains("secret-part"), "the URL's path never shows in metrics");

      // A silenced rule is listed and streamed but not posted...
      JsonObject silence = post(app, "/api/v1/alerts/silences", "{\"rule\":\"conv\",\"for\":\"1h\"}");
      traffic.send(app, 6000, 0); // 346 / 14000 = 0.0247: warning
      JsonObject active = app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active")
          .getJsonObject(0);
      assertEquals("conv-2", active.getString("id"));
      assertEquals(true, active.getBoolean("silenced"));
      // ...and when the silence is lifted while it still fires, it is posted then. The queue is
      // delivered in order: had it been posted while silenced, that would have come first.
      assertEquals(204, TestApp.await(app.client.delete("/api/v1/alerts/silences/"
          + silence.getString("id")).send()).statusCode());
      eventually(() -> hook.accepted.size() >= 4, 5_000, "posted when the silence ends");
      assertEquals(List.of("conv-1 firing warning", "conv-1 firing critical",
          "conv-1 resolved critical", "conv-2 firing warning"), hook.states(),
          "nothing posted while silenced");
      assertEquals(false, hook.accepted.get(3).getBoolean("silenced"));

      // A silence that expires does the same; what resolved under it stays unposted.
      post(app, "/api/v1/alerts/silences", "{\"rule\":\"conv\",\"for\":\"1m\"}");
      traffic.send(app, 0, 300); // 646 / 14000: conv-2 resolves, silenced
      traffic.send(app, 20000, 0); // 646 / 34000 = 0.019: conv-3 critical, silenced
      app.clock.advance(Duration.ofMinutes(1));
      eventually(() -> hook.accepted.size() >= 5, 5_000, "posted when the silence expires");
      assertEquals(5, hook.accepted.size(), "the resolution under the silence is not posted");
      assertEquals("conv-3 firing critical", hook.states().get(4));
    }
  }

  @Test
  void aFullQueueDropsItsOldestNotUnderWayAndA4xxIsNotRetried(Vertx vertx, VertxTestContext test)
      throws Exception {
    Receiver hook = new Receiver(vertx, 0);
    // m1 (its post under way when the queue filled, so kept), m5 (m2 and m3 dropped, m4 refused),
    // then m6; a fourth delivery fails the test.
    Checkpoint delivered = test.checkpoint(3);
    hook.onAccepted = body -> delivered.flag();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Context ctx = vertx.getOrCreateContext();
    hook.failing = true;
    Webhooks hooks = on(ctx, () -> new Webhooks(vertx, List.of(hook.url()), registry,
        new Webhooks.Options(3, 50, 200, 2_000, 60_000, 1.0)));
    on(ctx, () -> {
      for (int i = 1; i <= 5; i++) post(hooks, hook.url(), "{\"id\":\"m" + i + "\"}", "k" + i);
      return null;
    });
    eventually(() -> hook.requests.get() >= 3, 10_000, "retrying");
    hook.refuseId = "m4";
    hook.failing = false;
    eventually(() -> hook.accepted.size() == 2, 5_000, "the three kept, less the refused one");
    // A later message on the same ordered queue: once it is through, m4 was given up for good.
    on(ctx, () -> {
      post(hooks, hook.url(), "{\"id\":\"m6\"}", "k6");
      return null;
    });
    assertTrue(test.awaitCompletion(5, TimeUnit.SECONDS), "m6 delivered");
    assertEquals(List.of("m1", "m5", "m6"),
        hook.accepted.stream().map(a -> a.getString("id")).toList());
    // The receiver has m6 before the sender has its answer and counts it.
    eventually(() -> count(registry, "delivered") == 3.0, 5_000, "m6's answer counted");
    assertEquals(2.0, count(registry, "dropped"));
    assertEquals(1.0, count(registry, "rejected"));
    assertEquals(3.0, count(registry, "delivered"));
    assertEquals(0, (int) on(ctx, hooks::queued));
    on(ctx, hooks::close);
  }

  /**
   * A WeCom robot answers 200 with an error code in its body: "too many" (45009) is retried after
   * the wait, another code (93000) given up; and no more than 20 go to one robot in any window
   * (a minute, shortened here to 1.2 s).
   */
  @Test
  void aRobotsErrorCodesAndItsRateLimitAreKept(Vertx vertx) throws Exception {
    List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    var server = TestApp.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      arrivals.add(System.currentTimeMillis());
      String id = b.toJsonObject().getJsonObject("markdown").getString("content");
      ids.add(id);
      boolean firstOfM1 = id.equals("m1") && ids.indexOf("m1") == ids.size() - 1;
      String answer = firstOfM1 ? "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}"
          : id.equals("m2") ? "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}"
          : "{\"errcode\":0,\"errmsg\":\"ok\"}";
      req.response().putHeader("Content-Type", "application/json").end(answer);
    })).listen(0, "127.0.0.1"));
    String url = "http://127.0.0.1:" + server.actualPort() + "/cgi-bin/webhook/send?key=k";
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Context ctx = vertx.getOrCreateContext();
    Webhooks hooks = on(ctx, () -> new Webhooks(vertx, List.of(), registry,
        new Webhooks.Options(100, 50, 200, 2_000, 100, 0.02)));
    on(ctx, () -> {
      for (int i = 1; i <= 30; i++) {
        postTo(hooks, url, "wecom", "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"m" + i
            + "\"}}", "k" + i, "sales", false);
      }
      return null;
    });
    eventually(() -> ids.contains("m30"), 15_000, "the last one delivered");
    List<String> expected = new ArrayList<>(List.of("m1", "m1"));
    for (int i = 2; i <= 30; i++) expected.add("m" + i);
    assertEquals(expected, ids, "m1 again after 'too many', m2 refused once, the rest in order");
    eventually(() -> count(registry, "delivered") == 29.0, 5_000, "m30's answer counted");
    assertEquals(1.0, count(registry, "rejected"));
    assertEquals(1.0, count(registry, "retried"));
    // 31 requests: the 21st came a whole window (1.2 s) after the 1st had arrived, and so on.
    for (int i = 20; i < arrivals.size(); i++) {
      long gap = arrivals.get(i) - arrivals.get(i - 20);
      assertTrue(gap >= 1_200, "request " + (i + 1) + " came " + gap + " ms after request " + (i - 19));
    }
    on(ctx, hooks::close);
  }

  /** A digest queued behind an alert storm goes next, not after the storm's rate-limited queue. */
  @Test
  void aDigestGoesAheadOfAnAlertStormToTheSameRobot(Vertx vertx) throws Exception {
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    var server = TestApp.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      ids.add(b.toJsonObject().getJsonObject("markdown").getString("content"));
      req.response().putHeader("Content-Type", "application/json").end("{\"errcode\":0,\"errmsg\":\"ok\"}");
    })).listen(0, "127.0.0.1"));
    String url = "http://127.0.0.1:" + server.actualPort() + "/cgi-bin/webhook/send?key=k";
    Context ctx = vertx.getOrCreateContext();
    Webhooks hooks = on(ctx, () -> new Webhooks(vertx, List.of(), new SimpleMeterRegistry(),
        new Webhooks.Options(100, 50, 200, 2_000, 100, 0.02)));
    on(ctx, () -> {
      for (int i = 1; i <= 30; i++) {
        postTo(hooks, url, "wecom", "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"m" + i
            + "\"}}", "k" + i, "sales", false);
      }
      postTo(hooks, url, "wecom", "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"digest\"}}",
          "digest/sales", "sales", true);
      return null;
    });
    eventually(() -> ids.size() == 31, 15_000, "all delivered");
    List<String> expected = new ArrayList<>(List.of("m1", "digest"));
    for (int i = 2; i <= 30; i++) expected.add("m" + i);
    assertEquals(expected, ids, "the digest right after the alert under way, the rest in order");
    on(ctx, hooks::close);
  }

  private static double count(SimpleMeterRegistry r, String outcome) {
    return r.get("warroom.alert.webhook.notifications").tag("outcome", outcome).counter().count();
  }

  private static <T> T on(Context ctx, Callable<T> c) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> {
      try {
        p.complete(c.call());
      } catch (Exception e) {
        p.fail(e);
      }
    });
    return TestApp.await(p.future());
  }

  private static JsonObject post(TestApp app, String path, String body) {
    HttpResponse<Buffer> r = TestApp.await(app.client.post(path)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }


  /** Queues {@code json} for a configured URL, as an alert transition's. */
  private static void post(Webhooks hooks, String url, String json, String key) {
    hooks.send(List.of(new Outbox.Entry(0, url, "json", null, key, json)), List.of(), false);
  }

  /** Queues {@code body} for a team's webhook, as a digest's ({@code ahead}) or an alert's. */
  private static void postTo(Webhooks hooks, String url, String format, String body, String key,
      String team, boolean ahead) {
    hooks.send(List.of(new Outbox.Entry(0, url, format, team, key, body)), List.of(), ahead);
  }
}
