package io.warroom.contract;

import io.vertx.core.Vertx;
import io.warroom.store.PgDatabase;
import io.warroom.store.Store;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PlanEditorTest} against the PostgreSQL store: the preview rebuilds from the database. */
class PgPlanEditorTest extends PlanEditorTest {
  @RegisterExtension
  static final PgDatabase DB = new PgDatabase();

  @Override
  protected Function<Vertx, Store> store() {
    return DB.emptyStore();
  }
}
