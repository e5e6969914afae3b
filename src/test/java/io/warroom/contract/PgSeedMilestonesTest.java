package io.warroom.contract;

import io.vertx.core.Vertx;
import io.warroom.store.PgDatabase;
import io.warroom.store.Store;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SeedMilestonesTest} against PostgreSQL. */
class PgSeedMilestonesTest extends SeedMilestonesTest {
  @RegisterExtension
  static final PgDatabase DB = new PgDatabase();

  @Override
  protected Function<Vertx, Store> store() {
    return DB.emptyStore();
  }
}
