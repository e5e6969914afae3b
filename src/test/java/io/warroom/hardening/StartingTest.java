package io.warroom.hardening;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.http.WarroomVerticle;
import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import io.warroom.store.MemoryStore;
import io.warroom.store.Store;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * While a node reads its store back (seconds to minutes on a large table), /health answers UP, so
 * a liveness probe does not kill it, /ready says it is starting and every other request is a 503
 * with Retry-After; a port already taken stops the start before the store is read.
 */
@ExtendWith(VertxExtension.class)
class StartingTest {
  static final String NOW = "2026-11-16T00:00:00+08:00";
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));

  /** The memory store, whose start waits for {@link #ready}. */
  static final class SlowStore implements Store {
    final MemoryStore inner;
    final Promise<Void> ready = Promise.promise();
    volatile boolean started;

    SlowStore(Vertx vertx) {
      inner = new MemoryStore(vertx);
    }

    @Override public Future<Void> start() {
      started = true;
      return ready.future().compose(v -> inner.start());
    }
    @Override public Future<List<Rec>> append(List<Rec> records) { return inner.append(records); }
    @Override public Future<Set<String>> admitCounters(Set<String> names) { return inner.admitCounters(names); }
    @Override public Future<Aggregator> load(Plan plan, Clock clock) { return inner.load(plan, clock); }
    @Override public Future<Aggregator> preview(Plan plan, Clock clock) { return inner.preview(plan, clock); }
    @Override public Future<Void> ping() { return inner.ping(); }
    @Override public Future<Void> close() { return inner.close(); }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static WarroomVerticle app(int port, SlowStore[] store) {
    Config config = Config.from(Map.of(Config.HTTP_PORT, String.valueOf(port),
        Config.HTTP_HOST, "127.0.0.1", Config.INGEST_RATE, "0"), new String[0]);
    return new WarroomVerticle(config, PLAN, MutableClock.at(NOW),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), v -> store[0] = new SlowStore(v));
  }

  @Test
  void healthAnswersWhileTheStoreIsReadBack(Vertx vertx) throws Exception {
    int port = freePort();
    SlowStore[] store = new SlowStore[1];
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(port)
        .setDefaultHost("127.0.0.1"));
    Future<String> deployed = vertx.deployVerticle(app(port, store));
    eventually(() -> store[0] != null && store[0].started, 10_000, "the store is being read");
    HttpResponse<Buffer> health = TestApp.await(client.get("/health").send());
    assertEquals(200, health.statusCode());
    assertEquals(new JsonObject().put("status", "UP").put("starting", true), health.bodyAsJsonObject());
    assertEquals(200, TestApp.await(client.head("/health").send()).statusCode());
    HttpResponse<Buffer> ready = TestApp.await(client.get("/ready").send());
    assertEquals(503, ready.statusCode());
    assertEquals("STARTING", ready.bodyAsJsonObject().getString("status"));
    HttpResponse<Buffer> kpis = TestApp.await(client.get("/api/v1/kpis").send());
    assertEquals(503, kpis.statusCode());
    assertEquals("5", kpis.getHeader("Retry-After"));
    HttpResponse<Buffer> order = TestApp.await(client.post("/api/v1/orders")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(
            "{\"id\":\"o1\",\"ts\":\"2026-11-12T10:00:00+08:00\",\"customerId\":\"c1\",\"amount\":5,\"channel\":\"tmall\"}")));
    assertEquals(503, order.statusCode(), "nothing is taken before the store is read");
    assertFalse(deployed.isComplete());

    store[0].ready.complete();
    String id = TestApp.await(deployed);
    try {
      assertEquals(new JsonObject().put("status", "UP"),
          TestApp.await(client.get("/health").send()).bodyAsJsonObject());
      assertEquals(200, TestApp.await(client.get("/ready").send()).statusCode());
      JsonObject k = TestApp.await(client.get("/api/v1/kpis").send()).bodyAsJsonObject();
      assertEquals(0, k.getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
      assertEquals(200, TestApp.await(client.post("/api/v1/orders")
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(
              "{\"id\":\"o1\",\"ts\":\"2026-11-12T10:00:00+08:00\",\"customerId\":\"c1\",\"amount\":5,\"channel\":\"tmall\"}")))
          .statusCode());
    } finally {
      TestApp.await(vertx.undeploy(id));
      client.close();
    }
  }

  @Test
  void aPortAlreadyTakenStopsTheStartBeforeTheStoreIsRead(Vertx vertx) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      SlowStore[] store = new SlowStore[1];
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> TestApp.await(vertx.deployVerticle(app(taken.getLocalPort(), store))));
      assertTrue(String.valueOf(e.getCause()).contains("in use"), String.valueOf(e.getCause()));
      assertFalse(store[0].started, "the store was not read");
    }
  }
}
