package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.store.PgDatabase;
import io.warroom.store.PgStore;
import io.warroom.store.Store;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ExperimentsTest} against the PostgreSQL store, and a second node started on the same
 * database (the rebuild after a restart) showing the same experiments section, byte for byte.
 */
class PgExperimentsTest extends ExperimentsTest {
  @RegisterExtension
  static final PgDatabase DB = new PgDatabase();

  @Override
  protected Function<Vertx, Store> store() {
    return DB.emptyStore();
  }

  @Test
  void aRestartedOrSecondNodeRebuildsTheSameFigures() {
    sendAll();
    String url = DB.db().url();
    try (TestApp other = TestApp.deploy(vertx, Config.defaults(), plan(),
        MutableClock.at("2026-11-20T12:00:00+08:00"), vertx -> new PgStore(vertx, url))) {
      ExperimentOracle.check(experiments(other), DECLARED, sent, FROM, TO);
      assertEquals(experiments(app).encode(), experiments(other).encode());
    }
  }
}
