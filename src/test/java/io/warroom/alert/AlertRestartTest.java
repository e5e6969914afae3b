package io.warroom.alert;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.Config;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.store.MemoryStore;
import io.warroom.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A restart keeps active alerts and history and does not notify twice, with the alert state in an
 * {@link AlertLog} that outlives the server (here the in-memory one, shared by both runs).
 */
@ExtendWith(VertxExtension.class)
class AlertRestartTest {
  private final Traffic traffic = new Traffic();

  /** The in-memory store, but with an alert log given from outside. */
  static Function<Vertx, Store> storeWith(AlertLog log) {
    return vertx -> {
      MemoryStore inner = new MemoryStore(vertx);
      return new Store() {
        @Override
        public Future<List<Rec>> append(List<Rec> records) {
          return inner.append(records);
        }

        @Override
        public Future<Aggregator> load(Plan plan, Clock clock) {
          return inner.load(plan, clock);
        }

        @Override
        public AlertLog alertLog() {
          return log;
        }

        @Override
        public Future<Void> ping() {
          return inner.ping();
        }

        @Override
        public Future<Void> close() {
          return inner.close();
        }
      };
    };
  }

  @Test
  void activeAlertsAndHistorySurviveARestartWithoutASecondNotification(Vertx vertx) {
    MemoryAlertLog log = new MemoryAlertLog();
    MutableClock clock = MutableClock.at(AlertApiTest.START);
    traffic.clock = clock;
    Plan plan = PlanParser.parse(AlertApiTest.plan("\"staleFeedMinutes\":0"));
    try (Receiver hook = new Receiver(vertx, 0)) {
      Config config = Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
          Config.WEBHOOK_URLS, hook.url()), new String[0]);
      JsonObject before;
      try (TestApp app = TestApp.deploy(vertx, config, plan, clock, storeWith(log))) {
        traffic.send(app, 1000, 26); // conv-1 firing warning
        eventually(() -> hook.accepted.size() == 1, 5_000, "first notification");
        before = app.get("/api/v1/alerts").bodyAsJsonObject();
        assertEquals(1, before.getJsonArray("active").size());
      }
      clock.advance(Duration.ofSeconds(5));
      try (TestApp app = TestApp.deploy(vertx, config, plan, clock, storeWith(log))) {
        JsonObject after = app.get("/api/v1/alerts").bodyAsJsonObject();
        // The records are gone with the in-memory store, so conversion cannot be judged: the
        // firing alert stays as it was, and nobody is told again.
        assertEquals(before.getJsonArray("active"), after.getJsonArray("active"));
        assertEquals(before.getJsonArray("history"), after.getJsonArray("history"));
        traffic.send(app, 1000, 25); // 0.025: still warning, no transition
        traffic.send(app, 1000, 20); // 45 / 2000 = 0.0225: critical, the same episode
        eventually(() -> hook.accepted.size() >= 2, 5_000, "escalation notified");
        // The webhook queue is delivered in order: a second notification after the restart would
        // have come before the escalation.
        assertEquals(List.of("conv-1 firing warning", "conv-1 firing critical"), hook.states(),
            "no second notification after the restart");
        traffic.send(app, 4000, 300); // resolved
        traffic.send(app, 10000, 0); // 345 / 16000 = 0.0216: a new episode numbered after the old ones
        eventually(() -> hook.accepted.size() == 4, 5_000, "resolved and a new episode");
        assertEquals("conv-2 firing critical", hook.states().get(3));
        JsonArray history = app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("history");
        assertEquals(4, history.size());
      }
    }
  }

}
