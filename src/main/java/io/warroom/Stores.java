package io.warroom;

import io.vertx.core.Vertx;
import io.warroom.store.MemoryStore;
import io.warroom.store.Store;
import java.util.function.Function;

/** Picks the store the settings ask for. */
public final class Stores {
  private Stores() {}

  public static Function<Vertx, Store> factory(Config config) {
    if (config.pgUrl() != null) {
      throw new Config.ConfigException(Config.PG_URL, "the PostgreSQL store is not built yet");
    }
    return MemoryStore::new;
  }
}
