package io.warroom.contract;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.http.WarroomVerticle;
import io.warroom.plan.Plan;
import io.warroom.store.Store;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the contract tests: they run against the in-memory store here, and against PostgreSQL
 * in subclasses that override {@link #store()}. Servers are deployed on the test's own Vert.x,
 * which VertxExtension makes for each test and closes after it.
 */
@ExtendWith(VertxExtension.class)
public abstract class AppTest {
  /** The Vert.x servers are deployed on: the test's (or, set in a @BeforeAll, the class's). */
  protected Vertx vertx;

  @BeforeEach
  void testVertx(Vertx vertx) {
    if (this.vertx == null) this.vertx = vertx;
  }

  protected Function<Vertx, Store> store() {
    return WarroomVerticle.memory();
  }

  protected TestApp start(Config config, Plan plan, MutableClock clock) {
    return TestApp.deploy(vertx, config, plan, clock, store());
  }
}
