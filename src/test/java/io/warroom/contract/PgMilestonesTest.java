package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.store.PgDatabase;
import io.warroom.store.PgStore;
import io.warroom.store.Store;
import java.time.ZoneOffset;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MilestonesTest} against PostgreSQL: the same statuses, and sign-offs kept over a restart. */
class PgMilestonesTest extends MilestonesTest {
  @RegisterExtension
  static final PgDatabase DB = new PgDatabase();

  @Override
  protected Function<Vertx, Store> store() {
    return DB.emptyStore();
  }

  @Override
  void sameAfterRestart() {
    JsonArray before = phases();
    String now = app.clock.instant().atOffset(ZoneOffset.ofHours(8)).toString();
    app.close();
    app = restartAt(now, vertx -> new PgStore(vertx, DB.db().url()));
    assertEquals(before, phases());
  }

  @Override
  void afterSignOff() {
    JsonObject before = milestone(1, 0);
    String now = app.clock.instant().atOffset(ZoneOffset.ofHours(8)).toString();
    app.close();
    app = restartAt(now, vertx -> new PgStore(vertx, DB.db().url()));
    assertEquals(before, milestone(1, 0));
    assertEquals("done", before.getString("status"));
  }
}
