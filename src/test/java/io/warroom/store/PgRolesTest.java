package io.warroom.store;

import static io.warroom.Eventually.eventually;
import static io.warroom.store.PgTailTest.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Migrations run as the schema's owner (WARROOM_PG_MIGRATE_URL); the runtime role holds only the
 * grants of deploy/postgres/roles.sql, which the README points to, and with them ingests, puts
 * plans, keeps alert state and starts a second node. The listening and lease connections take
 * WARROOM_PG_SESSION_URL, here a third role with no grant at all.
 */
@ExtendWith(VertxExtension.class)
class PgRolesTest {
  static final Plan PLAN = PlanParser.parse("{\"id\":\"roles\",\"start\":\"2026-11-01\","
      + "\"end\":\"2026-12-01\",\"timezone\":\"UTC\",\"staleFeedMinutes\":0,\"alerts\":["
      + "{\"id\":\"conv\",\"kpi\":\"conversion\",\"window\":\"last1h\",\"op\":\"<\","
      + "\"warn\":0.027,\"critical\":0.024}]}");

  @Test
  void theRuntimeRoleNeedsOnlyTheDocumentedGrants(Vertx vertx) throws Exception {
    String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String owner = "warroom_owner_" + tag;
    String app = "warroom_app_" + tag;
    String session = "warroom_session_" + tag;
    try (PgTestDb db = PgTestDb.create()) {
      try {
        for (String role : new String[] {owner, app, session}) {
          PgTestDb.admin("CREATE ROLE " + role + " LOGIN PASSWORD 'pw-" + tag + "'");
        }
        PgTestDb.admin("ALTER DATABASE " + db.name + " OWNER TO " + owner);
        String grants = Files.readString(Path.of("deploy/postgres/roles.sql"))
            .replace("warroom_owner", owner).replace("warroom_app", app);
        db.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        db.execute(grants);

        // Without the owner's URL the runtime role cannot migrate: one line says what to set.
        Config grantsOnly = Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST,
            "127.0.0.1", Config.PG_URL, url(db, app, tag), Config.PG_SESSION_URL,
            url(db, session, tag)), new String[0]);
        RuntimeException refused = assertThrows(RuntimeException.class,
            () -> start(vertx, grantsOnly).close());
        String why = refused.getCause().getMessage();
        assertTrue(why.contains("permission denied") && why.contains(Config.PG_MIGRATE_URL)
            && !why.contains("\n"), why);

        Config config = Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
            Config.INGEST_RATE, "0", Config.PG_URL, url(db, app, tag),
            Config.PG_SESSION_URL, url(db, session, tag), Config.PG_MIGRATE_URL, url(db, owner, tag)),
            new String[0]);
        try (TestApp a = start(vertx, config); TestApp b = start(vertx, config)) {
          assertEquals(owner, text(db, "SELECT DISTINCT installed_by FROM flyway_schema_history"),
              "the owner ran the migrations");
          assertThrows(SQLException.class, () -> run(db, app, tag, "CREATE TABLE t (x int)"),
              "the runtime role makes no tables");
          assertThrows(SQLException.class, () -> run(db, app, tag, "DELETE FROM flyway_schema_history"),
              "nor touches the migrations' history");

          var orders = a.post("/api/v1/orders", "application/x-ndjson",
              PgNodesTest.order("o-1", "10.00") + PgNodesTest.order("o-2", "2.50"));
          assertEquals(200, orders.statusCode(), orders.bodyAsString());
          eventually(() -> campaign(b).getLong("orders") == 2, "the other node folds them in");
          assertEquals(12.50, campaign(b).getDouble("grossRevenue"));

          JsonObject plan = new JsonObject(PlanParser.toJson(PLAN).toString())
              .put("id", "roles-2");
          HttpResponse<Buffer> put = TestApp.await(a.client.put("/api/v1/plan").sendJsonObject(plan));
          assertEquals(200, put.statusCode(), put.bodyAsString());
          eventually(() -> "roles-2".equals(b.kpis().getJsonObject("plan").getString("id")),
              "the plan reaches the other node");

          HttpResponse<Buffer> silence = a.post("/api/v1/alerts/silences", "application/json",
              "{\"rule\":\"conv\",\"for\":\"1h\",\"comment\":\"roles\"}");
          HttpResponse<Buffer> silence2 = b.post("/api/v1/alerts/silences", "application/json",
              "{\"rule\":\"conv\",\"for\":\"2h\",\"comment\":\"roles\"}");
          assertEquals(201, silence.statusCode(), silence.bodyAsString());
          assertEquals(201, silence2.statusCode(), silence2.bodyAsString());
          eventually(() -> db.number("SELECT count(*) FROM alert_silences") == 2,
              "both silences kept, one through the alerting node's queue");

          long nodeA = a.get("/ready").bodyAsJsonObject().getLong("node");
          long nodeB = b.get("/ready").bodyAsJsonObject().getLong("node");
          assertEquals(nodeA, db.number("SELECT min(node) FROM records"), "rows carry their node");
          assertEquals(nodeA, db.number("SELECT max(node) FROM records"));
          assertEquals(1, Math.abs(nodeB - nodeA), "each start takes the next node number");
          assertEquals(0, db.number("SELECT count(*) FROM pg_stat_activity WHERE datname = '"
              + db.name + "' AND application_name IN ('warroom-listen', 'warroom-lease') "
              + "AND usename <> '" + session + "'"), "session connections use the session URL");
          assertEquals(4, db.number("SELECT count(*) FROM pg_stat_activity WHERE datname = '"
              + db.name + "' AND application_name IN ('warroom-listen', 'warroom-lease') "
              + "AND usename = '" + session + "'"), "a listener and a lease per node");
        }
      } finally {
        PgTestDb.admin("DROP DATABASE IF EXISTS " + db.name + " WITH (FORCE)");
        for (String role : new String[] {owner, app, session}) {
          PgTestDb.admin("DROP ROLE IF EXISTS " + role);
        }
      }
    }
  }

  @Test
  void aSessionUrlOnAnotherDatabaseIsRefusedAtStart(Vertx vertx) {
    try (PgTestDb db = PgTestDb.create(); PgTestDb other = PgTestDb.create()) {
      // Two nodes so configured would each hold the alerting lease in "their" database.
      Config wrong = Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
          Config.PG_URL, db.url(), Config.PG_SESSION_URL, other.url()), new String[0]);
      RuntimeException refused = assertThrows(RuntimeException.class,
          () -> start(vertx, wrong).close());
      String why = refused.getCause().getMessage();
      assertTrue(why.contains(Config.PG_SESSION_URL + " (database '" + other.name + "'")
          && why.contains("does not reach the database of " + Config.PG_URL + " ('" + db.name
          + "'") && !why.contains("\n"), why);

      Config right = Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
          Config.PG_URL, db.url(), Config.PG_SESSION_URL, db.url()), new String[0]);
      try (TestApp a = start(vertx, right)) {
        assertEquals(200, a.get("/ready").statusCode());
      }
    }
  }

  static TestApp start(Vertx vertx, Config config) {
    return TestApp.deploy(vertx, config, PLAN, MutableClock.at(PgTailTest.NOW),
        Stores.factory(config));
  }

  static String url(PgTestDb db, String role, String tag) {
    TestPostgres pg = TestPostgres.get();
    return "postgresql://" + role + ":pw-" + tag + "@" + pg.host + ":" + pg.port + "/" + db.name;
  }

  static void run(PgTestDb db, String role, String tag, String sql) throws SQLException {
    TestPostgres pg = TestPostgres.get();
    try (Connection c = DriverManager.getConnection(pg.jdbc(db.name), role, "pw-" + tag);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static String text(PgTestDb db, String sql) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
