package io.warroom.app;

import io.vertx.core.Vertx;
import io.warroom.config.Config;
import io.warroom.store.MemoryStore;
import io.warroom.store.PgStore;
import io.warroom.store.Store;
import java.util.function.Function;

/** Picks the store the settings ask for: PostgreSQL when WARROOM_PG_URL is set, else memory. */
public final class Stores {
  private Stores() {}

  public static Function<Vertx, Store> factory(Config config) {
    String url = config.pgUrl();
    if (url == null) return MemoryStore::new;
    // A URL it cannot read stops the start here, naming the setting.
    PgStore.connectOptions(url);
    Config.PgRoutes routes = config.pgRoutes();
    if (routes.sessionUrl() != null) PgStore.connectOptions(Config.PG_SESSION_URL, routes.sessionUrl());
    if (routes.migrateUrl() != null) PgStore.connectOptions(Config.PG_MIGRATE_URL, routes.migrateUrl());
    long pollMs = config.nodes().tailPollMs();
    return vertx -> new PgStore(vertx, url, routes, pollMs);
  }
}
