package io.warroom.contract;

import static io.warroom.Eventually.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.store.PgDatabase;
import io.warroom.store.PgStore;
import io.warroom.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link BreakdownsTest} against PostgreSQL, on three nodes: the one that took the records, one
 * that was up all along (it reads them from the store's tail), and one started afterwards (it
 * rebuilds them from SQL rollups).
 */
class PgBreakdownsTest extends BreakdownsTest {
  @RegisterExtension
  static final PgDatabase DB = new PgDatabase();
  TestApp peer;

  @Override
  protected Function<Vertx, Store> store() {
    return DB.emptyStore();
  }

  private TestApp node() {
    String url = DB.db().url();
    return TestApp.deploy(vertx, Config.defaults(), PLAN, MutableClock.at(app.clock.instant().toString()),
        vertx -> new PgStore(vertx, url));
  }

  @BeforeEach
  void startPeer() {
    peer = node();
  }

  @AfterEach
  void stopPeer() {
    peer.close();
  }

  @Override
  protected List<JsonNode> nodes(int orders) {
    List<JsonNode> views = new ArrayList<>(super.nodes(orders));
    eventually(() -> campaignOrders(peer) >= orders, 30_000,
        () -> "the tail brought every order to the peer: " + campaignOrders(peer) + " of " + orders);
    views.add(snapshot(peer));
    try (TestApp later = node()) {
      views.add(snapshot(later));
    }
    return views;
  }
}
