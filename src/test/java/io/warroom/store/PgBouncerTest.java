package io.warroom.store;

import static io.warroom.Eventually.eventually;
import static io.warroom.store.PgTailTest.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.PlanParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes behind a real pgbouncer in transaction mode (README "Behind a connection pooler"):
 * {@code WARROOM_PG_URL} through the pooler, {@code WARROOM_PG_SESSION_URL} straight to
 * PostgreSQL. Migrations, ingest on both nodes, the records each folds in from the other, a plan
 * put on one reaching the other, one alerting node; and the pool really goes through the pooler:
 * with it stopped, ingest is refused and the numbers kept stay exact.
 */
@ExtendWith(VertxExtension.class)
class PgBouncerTest {
  static final Path PGBOUNCER = Path.of("/usr/sbin/pgbouncer");

  /** pgbouncer on a free port of 127.0.0.1 in front of the test server, until closed. */
  static final class Bouncer implements AutoCloseable {
    final int port;
    final Path dir;
    final Process process;

    Bouncer() throws Exception {
      TestPostgres pg = TestPostgres.get();
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      dir = Files.createTempDirectory("warroom-pgbouncer-");
      Files.writeString(dir.resolve("users.txt"), "\"" + pg.user + "\" \"" + pg.password() + "\"\n");
      Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
          "[databases]",
          "* = host=" + pg.host + " port=" + pg.port,
          "[pgbouncer]",
          "listen_addr = 127.0.0.1",
          "listen_port = " + port,
          "unix_socket_dir =",
          "auth_type = trust",
          "auth_file = " + dir.resolve("users.txt"),
          "pool_mode = transaction",
          "ignore_startup_parameters = extra_float_digits",
          "max_client_conn = 200",
          "default_pool_size = 10",
          "logfile = " + dir.resolve("pgbouncer.log"),
          ""));
      for (Path p : List.of(dir, dir.resolve("users.txt"), dir.resolve("pgbouncer.ini"))) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
            Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
      }
      List<String> cmd = new ArrayList<>(asOwner());
      cmd.add(PGBOUNCER.toString());
      cmd.add(dir.resolve("pgbouncer.ini").toString());
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("out.log").toFile()).start();
      eventually(() -> {
        if (!process.isAlive()) throw new AssertionError("pgbouncer exited: " + log());
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 200);
          return true;
        } catch (IOException e) {
          return false;
        }
      }, 10_000, "pgbouncer listening on " + port);
    }

    /** pgbouncer refuses to run as root: as root, it runs as postgres (or nobody). */
    static List<String> asOwner() throws Exception {
      if (!"root".equals(System.getProperty("user.name"))) return List.of();
      for (String user : List.of("postgres", "nobody")) {
        if (new ProcessBuilder("id", "-u", user).start().waitFor() == 0) {
          return List.of("runuser", "-u", user, "--");
        }
      }
      throw new IllegalStateException("running as root with no user postgres or nobody for pgbouncer");
    }

    String log() {
      try {
        String out = Files.exists(dir.resolve("out.log")) ? Files.readString(dir.resolve("out.log")) : "";
        String log = Files.exists(dir.resolve("pgbouncer.log")) ? Files.readString(dir.resolve("pgbouncer.log")) : "";
        return out + log;
      } catch (IOException e) {
        return e.toString();
      }
    }

    void stop() throws InterruptedException {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
      }
    }

    @Override
    public void close() throws Exception {
      stop();
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void twoNodesThroughPgbouncerInTransactionMode(Vertx vertx) throws Exception {
    assertTrue(Files.isExecutable(PGBOUNCER), "pgbouncer is needed: apt-get install pgbouncer");
    try (PgTestDb db = PgTestDb.create(); Bouncer bouncer = new Bouncer()) {
      Config config = Config.from(Map.of(Config.HTTP_PORT, "0", Config.HTTP_HOST, "127.0.0.1",
          Config.INGEST_RATE, "0", Config.TAIL_POLL_MS, "200",
          Config.PG_URL, db.urlVia("127.0.0.1", bouncer.port), Config.PG_SESSION_URL, db.url()),
          new String[0]);
      try (TestApp a = PgRolesTest.start(vertx, config); TestApp b = PgRolesTest.start(vertx, config)) {
        HttpResponse<Buffer> r = a.post("/api/v1/orders", "application/x-ndjson",
            PgNodesTest.order("o-1", "10.00") + PgNodesTest.order("o-2", "2.50"));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        r = b.post("/api/v1/orders", "application/x-ndjson",
            PgNodesTest.order("o-2", "2.50") + PgNodesTest.order("o-3", "0.01"));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertEquals(1, r.bodyAsJsonObject().getInteger("duplicates"), "o-2 was kept by a");
        for (TestApp n : List.of(a, b)) {
          eventually(() -> campaign(n).getLong("orders") == 3, "each folds in the other's orders");
          assertEquals(12.51, campaign(n).getDouble("grossRevenue"));
        }
        assertEquals(3, db.number("SELECT count(*) FROM records"));

        JsonObject plan = new JsonObject(PlanParser.toJson(PgRolesTest.PLAN).toString()).put("id", "pooled-2");
        HttpResponse<Buffer> put = TestApp.await(a.client.put("/api/v1/plan").sendJsonObject(plan));
        assertEquals(200, put.statusCode(), put.bodyAsString());
        eventually(() -> "pooled-2".equals(b.kpis().getJsonObject("plan").getString("id")),
            "the plan reaches the other node (its notification on a session connection)");

        boolean alertsA = a.get("/ready").bodyAsJsonObject().getBoolean("alerting");
        boolean alertsB = b.get("/ready").bodyAsJsonObject().getBoolean("alerting");
        assertTrue(alertsA ^ alertsB, "one alerting node: the lease is held on a session connection");

        assertTrue(bouncer.log().contains("login attempt: db=" + db.name), bouncer.log());
        bouncer.stop();
        // The pool went through the pooler: without it nothing more is kept, and what was stays exact.
        HttpResponse<Buffer> refused = a.post("/api/v1/orders", "application/x-ndjson",
            PgNodesTest.order("o-4", "1.00"));
        assertEquals(503, refused.statusCode(), refused.bodyAsString());
        assertEquals(3, db.number("SELECT count(*) FROM records"));
        assertEquals(12.51, campaign(a).getDouble("grossRevenue"));
      }
    }
  }
}
