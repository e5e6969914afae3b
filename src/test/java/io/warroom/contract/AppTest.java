package io.warroom.contract;

import io.vertx.core.Vertx;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.http.WarroomVerticle;
import io.warroom.plan.Plan;
import io.warroom.store.Store;
import java.util.function.Function;

/**
 * Base of the contract tests: they run against the in-memory store here, and against PostgreSQL
 * in subclasses that override {@link #store()}.
 */
public abstract class AppTest {
  protected Function<Vertx, Store> store() {
    return WarroomVerticle.memory();
  }

  protected TestApp start(Config config, Plan plan, MutableClock clock) {
    return TestApp.start(config, plan, clock, store());
  }
}
