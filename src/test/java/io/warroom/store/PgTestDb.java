package io.warroom.store;

import io.warroom.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A database of its own on the real PostgreSQL that {@link TestPostgres} decides on (a throwaway
 * cluster of this run, or WARROOM_TEST_PG_URL): created through the server's admin database,
 * dropped on close, so test runs never see each other's data.
 */
public final class PgTestDb implements AutoCloseable {
  public final String name;

  private PgTestDb(String name) {
    this.name = name;
  }

  public static PgTestDb create() {
    String name = "warroom_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    admin("CREATE DATABASE " + name);
    return new PgTestDb(name);
  }

  /** The URL the app takes in WARROOM_PG_URL. */
  public String url() {
    return TestPostgres.get().url(name);
  }

  /** The same database and credentials reached through another address (a proxy in front). */
  public String urlVia(String host, int port) {
    return TestPostgres.get().urlVia(host, port, name);
  }

  public static String host() {
    return TestPostgres.get().host;
  }

  public static int port() {
    return TestPostgres.get().port;
  }

  /**
   * Test settings on this database: port 0 on loopback, and no ingest rate limit, since the tests
   * send as fast as they can.
   */
  public Config config() {
    return Config.from(Map.of(Config.HTTP_PORT, "0",
        Config.HTTP_HOST, "127.0.0.1", Config.INGEST_RATE, "0"),
        new String[0]).withPgUrl(url());
  }

  public Connection connect() throws SQLException {
    return connect(name);
  }

  /** The first column of the first row of a query, as a long. */
  public long number(String sql) {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public void execute(String sql) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /** Runs a statement on the server's admin database (such as ALTER DATABASE on this one). */
  public static void admin(String sql) {
    try (Connection c = connect(TestPostgres.get().adminDb()); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static Connection connect(String db) throws SQLException {
    TestPostgres pg = TestPostgres.get();
    return DriverManager.getConnection(pg.jdbc(db), pg.user, pg.password());
  }
}
