package io.warroom;

import io.vertx.core.Vertx;
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
    PgStore.connectOptions(url); // a URL it cannot read stops the start here, naming the setting
    long pollMs = config.nodes().tailPollMs();
    return vertx -> new PgStore(vertx, url, pollMs);
  }
}
