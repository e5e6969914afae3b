package io.warroom.store;

import io.vertx.core.Vertx;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own PostgreSQL database (created before its first callback, dropped after its
 * last), handing out stores that start empty, as a new in-memory store does: the contract tests
 * run unchanged against PostgreSQL. Register it with {@code @RegisterExtension static}.
 */
public final class PgDatabase implements BeforeAllCallback, AfterAllCallback {
  private PgTestDb db;

  @Override
  public void beforeAll(ExtensionContext context) {
    db = PgTestDb.create();
    PgStore.migrate(PgStore.connectOptions(db.url()));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (db != null) db.close();
  }

  /** A store on this database, emptied first (call it from the test thread, before a start). */
  public Function<Vertx, Store> emptyStore() {
    db.execute("TRUNCATE records, plans, campaigns, alert_transitions, alert_active, alert_silences, alert_commands, counter_names, restore_repairs");
    String url = db.url();
    return vertx -> new PgStore(vertx, url);
  }

  public PgTestDb db() {
    return db;
  }
}
