package io.warroom.alert;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.store.PgTestDb;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With PostgreSQL, a notification the alerting node could not deliver before it stopped is sent
 * by the node that alerts next, once, in its order; a delivered one is not kept; each is kept in
 * the transaction that keeps its transition.
 */
@ExtendWith(VertxExtension.class)
class PgOutboxTest {
  private final Traffic traffic = new Traffic();

  @Test
  void whatTheAlertingNodeLeftUndeliveredTheNextSendsOnce(Vertx vertx) {
    MutableClock clock = MutableClock.at(AlertApiTest.START);
    traffic.clock = clock;
    Plan plan = PgAlertRestartTest.plan();
    try (PgTestDb db = PgTestDb.create(); Receiver hook = new Receiver(vertx, 0)) {
      Config config = PgAlertRestartTest.config(db, hook);
      try (TestApp app = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
        // A transition is kept only with its notification in the outbox, in one transaction: a
        // node that died between the two would leave a transition kept that nobody notifies.
        db.execute("""
            CREATE FUNCTION notification_kept() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM webhook_outbox
                  WHERE key LIKE NEW.alert_id || '/%/' || NEW.state || '/' || NEW.severity) THEN
                RAISE EXCEPTION 'transition % kept without its notification', NEW.alert_id;
              END IF;
              RETURN NULL;
            END $$""");
        db.execute("CREATE CONSTRAINT TRIGGER notification_kept AFTER INSERT ON alert_transitions "
            + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.kind = 'transition') "
            + "EXECUTE FUNCTION notification_kept()");
        traffic.send(app, 1000, 26); // 0.026: conv-1 firing warning
        eventually(() -> hook.accepted.size() == 1, 5_000, "first notification");
        eventually(() -> db.number("SELECT count(*) FROM alert_transitions") == 1, 5_000,
            "the transition kept, with its notification");
        eventually(() -> db.number("SELECT count(*) FROM webhook_outbox") == 0, 5_000,
            "a delivered notification is not kept");
        hook.failing = true;
        traffic.send(app, 1000, 20); // 46 / 2000 = 0.023: escalates to critical, not delivered
        eventually(() -> hook.requests.get() >= 2, 5_000, "the escalation tried");
        assertEquals(1, db.number("SELECT count(*) FROM webhook_outbox"));
      } // a graceful stop while the receiver fails
      assertEquals(1, db.number("SELECT count(*) FROM webhook_outbox"), "left for the next node");
      hook.failing = false;
      clock.advance(Duration.ofSeconds(10));
      try (TestApp app = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
        eventually(() -> hook.accepted.size() == 2, 10_000, () -> "the escalation, sent by the next node: "
            + hook.states());
        traffic.send(app, 6000, 300); // 346 / 8000: resolved, after it
        eventually(() -> hook.accepted.size() == 3, 10_000, () -> String.valueOf(hook.states()));
        assertEquals(List.of("conv-1 firing warning", "conv-1 firing critical", "conv-1 resolved critical"),
            hook.states(), "each once, in order");
        assertEquals(hook.keys.size(), hook.keys.stream().distinct().count(), "no key twice");
        eventually(() -> db.number("SELECT count(*) FROM webhook_outbox") == 0, 5_000, "all delivered");
      }
    }
  }
}
