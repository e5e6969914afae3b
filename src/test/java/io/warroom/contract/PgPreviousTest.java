package io.warroom.contract;

import io.vertx.core.Vertx;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.store.PgDatabase;
import io.warroom.store.PgStore;
import io.warroom.store.Store;
import java.time.Instant;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PreviousTest} against PostgreSQL, where a rebuild is a restart: the SQL rebuild. */
class PgPreviousTest extends PreviousTest {
  @RegisterExtension
  static final PgDatabase DB = new PgDatabase();

  @Override
  protected Function<Vertx, Store> store() {
    return DB.emptyStore();
  }

  @Override
  protected void rebuild() {
    Instant now = app.clock.instant();
    app.close();
    String url = DB.db().url();
    app = TestApp.deploy(vertx, Config.defaults(), plan, new MutableClock(now), v -> new PgStore(v, url));
  }
}
