package io.warroom.hardening;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.store.PgDatabase;
import io.warroom.store.PgStore;
import io.warroom.store.Store;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ExactSumsTest} on PostgreSQL, where the sums are also rebuilt by SQL at start: a new
 * server on the same database shows the same exact figures (it used to refuse to start).
 */
class PgExactSumsTest extends ExactSumsTest {
  @RegisterExtension
  static final PgDatabase DB = new PgDatabase();

  @Override
  protected Function<Vertx, Store> store() {
    return DB.emptyStore();
  }

  /** Fewer (still three times the keys told apart): each is a rollup of its own at the rebuild. */
  @Override
  protected int flood() {
    return 30_000;
  }

  @Override
  protected JsonObject afterRestart() {
    app.close();
    String url = DB.db().url();
    app = TestApp.deploy(vertx, Config.from(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST",
        "127.0.0.1"), new String[0]), plan, MutableClock.at("2026-11-11T12:00:00+08:00"),
        v -> new PgStore(v, url));
    return exact(app.get("/api/v1/kpis"));
  }
}
