package io.warroom;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warroom.config.Config;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONTRACT section 1: settings from the environment or flags; a bad one stops the start. */
public class ConfigTest {
  @Test
  void defaultsAndOverrides() {
    Config d = Config.from(Map.of(), new String[0]);
    assertEquals(8080, d.httpPort());
    assertEquals("0.0.0.0", d.httpHost());
    assertEquals(250, d.pushIntervalMs());
    assertEquals(16L << 20, d.bodyLimitBytes());
    assertEquals(List.of(), d.ingestTokens());
    String a = "a".repeat(16), b = "b".repeat(16), c3 = "c".repeat(16);
    Config c = Config.from(Map.of("WARROOM_HTTP_PORT", "9000", "WARROOM_INGEST_TOKENS",
        " " + a + ", " + b + " ,," + c3),
        new String[] {"--warroom-http-port", "9100", "--WARROOM_PUSH_INTERVAL_MS=500"});
    assertEquals(9100, c.httpPort(), "a flag wins over the environment");
    assertEquals(500, c.pushIntervalMs());
    assertEquals(List.of(a, b, c3), c.ingestTokens());
  }

  @Test
  void theWarmUpIsOnUnlessTurnedOff() {
    assertTrue(Config.warmUp(Map.of(), new String[0]));
    assertFalse(Config.warmUp(Map.of("WARROOM_WARM_UP", "false"), new String[0]));
    assertFalse(Config.warmUp(Map.of(), new String[] {"--warm-up", "false"}));
    assertEquals("WARROOM_WARM_UP: must be true or false", assertThrows(Config.ConfigException.class,
        () -> Config.warmUp(Map.of("WARROOM_WARM_UP", "no"), new String[0])).getMessage());
  }

  @Test
  void anEnvironmentVariableThatIsNoSettingIsToldWithTheNearestOne() {
    assertEquals(List.of(
        "WARROOM_ADMIN_TOKENS is not a setting and is ignored; did you mean WARROOM_ADMIN_TOKEN?",
        "WARROOM_COLOUR is not a setting and is ignored",
        "WARROOM_PGURL is not a setting and is ignored; did you mean WARROOM_PG_URL?"),
        Config.unknownSettings(Map.of("WARROOM_PGURL", "x", "WARROOM_ADMIN_TOKENS", "x",
            "WARROOM_COLOUR", "red", "WARROOM_HTTP_PORT", "1", "WARROOM_TEST_PG_URL", "x",
            "HOME", "/root")));
  }

  @Test
  void sessionAndMigrationUrlsAreOptionalAndChecked() {
    String pg = "postgresql://app@db:6432/warroom";
    assertEquals(new Config.PgRoutes(null, null),
        Config.from(Map.of("WARROOM_PG_URL", pg), new String[0]).pgRoutes());
    Config c = Config.from(Map.of("WARROOM_PG_URL", pg,
        "WARROOM_PG_SESSION_URL", "postgresql://app@db:5432/warroom"),
        new String[] {"--pg-migrate-url", "postgres://owner@db:5432/warroom"});
    assertEquals(new Config.PgRoutes("postgresql://app@db:5432/warroom",
        "postgres://owner@db:5432/warroom"), c.pgRoutes());
    assertEquals(pg, c.pgUrl());
    assertEquals("WARROOM_PG_SESSION_URL: must look like postgresql://user:pass@host:port/db",
        assertThrows(Config.ConfigException.class, () -> Config.from(Map.of("WARROOM_PG_URL", pg,
            "WARROOM_PG_SESSION_URL", "db:5432"), new String[0])).getMessage());
    assertEquals("WARROOM_PG_MIGRATE_URL: only applies with WARROOM_PG_URL",
        assertThrows(Config.ConfigException.class, () -> Config.from(Map.of(
            "WARROOM_PG_MIGRATE_URL", "postgresql://owner@db/warroom"), new String[0])).getMessage());
  }

  @Test
  void badSettingsNameTheSettingAndWhy() {
    assertEquals("WARROOM_HTTP_PORT: 'http' is not a whole number",
        assertThrows(Config.ConfigException.class,
            () -> Config.from(Map.of("WARROOM_HTTP_PORT", "http"), new String[0])).getMessage());
    assertEquals("WARROOM_HTTP_PORT: 70000 is outside 0..65535",
        assertThrows(Config.ConfigException.class,
            () -> Config.from(Map.of("WARROOM_HTTP_PORT", "70000"), new String[0])).getMessage());
    assertEquals("WARROOM_PG_URL: must look like postgresql://user:pass@host:port/db",
        assertThrows(Config.ConfigException.class,
            () -> Config.from(Map.of("WARROOM_PG_URL", "mysql://x/y"), new String[0])).getMessage());
    assertEquals("WARROOM_WEBHOOK_URLS: 'ftp://x' is not an http(s) URL",
        assertThrows(Config.ConfigException.class,
            () -> Config.from(Map.of("WARROOM_WEBHOOK_URLS", "http://ok,ftp://x"), new String[0]))
            .getMessage());
    assertTrue(assertThrows(Config.ConfigException.class,
        () -> Config.from(Map.of(), new String[] {"--colour"})).getMessage()
        .startsWith("--colour: unknown flag"));
  }

  @Test
  void tokensShorterThan16CharactersAreRefusedWithoutShowingThem() {
    String ok = "0123456789abcdef";
    assertEquals("WARROOM_INGEST_TOKENS: the secret of 'tmall' is 15 characters; each must be at least 16"
        + " (the part after 'name:')", assertThrows(Config.ConfigException.class, () -> Config.from(
            Map.of("WARROOM_INGEST_TOKENS", "jd:" + ok + ",tmall:" + ok.substring(1)), new String[0]))
        .getMessage());
    assertEquals("WARROOM_INGEST_TOKENS: the secret of token 2 is 4 characters; each must be at least 16"
        + " (the part after 'name:')", assertThrows(Config.ConfigException.class, () -> Config.from(
            Map.of("WARROOM_INGEST_TOKENS", ok + ",feed"), new String[0])).getMessage());
    assertEquals("WARROOM_INGEST_TOKENS: the secret of 'tmall' is 0 characters; each must be at least 16"
        + " (the part after 'name:')", assertThrows(Config.ConfigException.class, () -> Config.from(
            Map.of("WARROOM_INGEST_TOKENS", "tmall:"), new String[0])).getMessage());
    assertEquals("WARROOM_INGEST_TOKENS: holds no token, only commas and spaces", assertThrows(
        Config.ConfigException.class, () -> Config.from(Map.of("WARROOM_INGEST_TOKENS", ", ,"),
            new String[0])).getMessage());
    assertEquals(List.of(), Config.from(Map.of("WARROOM_INGEST_TOKENS", " "), new String[0])
        .ingestTokens(), "blank is unset, as an empty variable in a compose file");
    assertEquals("WARROOM_ADMIN_TOKEN: is 4 characters; it must be at least 16", assertThrows(
        Config.ConfigException.class, () -> Config.from(Map.of("WARROOM_ADMIN_TOKEN", "boss"),
            new String[0])).getMessage());
    assertEquals("WARROOM_VIEW_TOKEN: is 15 characters; it must be at least 16", assertThrows(
        Config.ConfigException.class, () -> Config.from(Map.of("WARROOM_VIEW_TOKEN", ok.substring(1)),
            new String[0])).getMessage());
    assertThrows(Config.ConfigException.class, () -> Config.defaults().withTokens(List.of(), null, "wall"));
    Config c = Config.from(Map.of("WARROOM_INGEST_TOKENS", "tmall:" + ok, "WARROOM_ADMIN_TOKEN", ok,
        "WARROOM_VIEW_TOKEN", "双十一双十一双十一双十一双十一双十"), new String[0]);
    assertEquals(List.of("tmall:" + ok), c.ingestTokens());
  }

  @Test
  void connectionLimitsComeFromTheOpenFilesLimit() {
    Config c = Config.from(Map.of(), new String[0], 20_000);
    assertEquals(19_488, c.edge().maxConnections(), "20,000 less 512 for the JVM, database, files and bursts");
    assertEquals(19_294, c.limits().maxStreamClients(), "194 connections kept from streams");
    assertEquals(10_000, c.edge().headTimeoutMs());
    Config small = Config.from(Map.of(), new String[0], 1024);
    assertEquals(768, small.edge().maxConnections());
    assertEquals(704, small.limits().maxStreamClients());
    Config unknown = Config.from(Map.of(), new String[0], -1);
    assertEquals(3584, unknown.edge().maxConnections(), "4,096 assumed where the limit cannot be read");
    assertEquals(900_000, Config.from(Map.of("WARROOM_MAX_CONNECTIONS", "900000"), new String[0], -1)
        .edge().maxConnections());
    Config set = Config.from(Map.of("WARROOM_MAX_CONNECTIONS", "1000", "WARROOM_MAX_STREAM_CLIENTS", "900",
        "WARROOM_HEAD_TIMEOUT_MS", "2500"), new String[0], 20_000);
    assertEquals(1000, set.edge().maxConnections());
    assertEquals(900, set.limits().maxStreamClients());
    assertEquals(2500, set.edge().headTimeoutMs());
    assertEquals(936, Config.from(Map.of("WARROOM_MAX_CONNECTIONS", "1000"), new String[0], 20_000)
        .limits().maxStreamClients());

    assertEquals("WARROOM_MAX_STREAM_CLIENTS: 50000 is more than this process can hold: at most 19294"
        + " with 19488 connections (open-files limit 20000), keeping 194 for /health, /ready and feeds",
        assertThrows(Config.ConfigException.class, () -> Config.from(
            Map.of("WARROOM_MAX_STREAM_CLIENTS", "50000"), new String[0], 20_000)).getMessage());
    assertEquals("WARROOM_MAX_STREAM_CLIENTS: 990 is more than this process can hold: at most 936"
        + " with 1000 connections (WARROOM_MAX_CONNECTIONS), keeping 64 for /health, /ready and feeds",
        assertThrows(Config.ConfigException.class, () -> Config.from(Map.of("WARROOM_MAX_CONNECTIONS",
            "1000", "WARROOM_MAX_STREAM_CLIENTS", "990"), new String[0], 20_000)).getMessage());
    assertEquals("WARROOM_MAX_CONNECTIONS: 20000 is more than this process can hold: its open-files"
        + " limit is 20000 and 512 are kept for the JVM, the database and files; at most 19488 (or raise"
        + " the limit, ulimit -n)", assertThrows(Config.ConfigException.class, () -> Config.from(
            Map.of("WARROOM_MAX_CONNECTIONS", "20000"), new String[0], 20_000)).getMessage());
  }

  @Test
  void aShortTokenStopsTheStartWithOneLine() throws Exception {
    Process p = java(Map.of("WARROOM_ADMIN_TOKEN", "admin-secret"));
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue());
    assertEquals("warroom: WARROOM_ADMIN_TOKEN: is 12 characters; it must be at least 16\n",
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void secretsNeverShowInToString() {
    Config c = Config.from(Map.of("WARROOM_INGEST_TOKENS", "s3cret-feed-0123456789", "WARROOM_ADMIN_TOKEN",
        "s3cret-admin-0123456789", "WARROOM_VIEW_TOKEN", "s3cret-view-0123456789"), new String[0]);
    assertTrue(!c.toString().contains("s3cret"), c.toString());
  }

  static Process java(Map<String, String> env, String... args) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp",
        System.getProperty("java.class.path"), "io.warroom.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("WARROOM_"));
    pb.environment().putAll(env);
    return pb.start();
  }

  @Test
  void aBadSettingStopsTheStartWithOneLineAndANonZeroExit(@TempDir Path dir) throws Exception {
    Process p = java(Map.of("WARROOM_PUSH_INTERVAL_MS", "fast"));
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue());
    assertEquals("warroom: WARROOM_PUSH_INTERVAL_MS: 'fast' is not a whole number\n",
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));

    Path plan = dir.resolve("plan.json");
    Files.writeString(plan, "{\"id\":\"x\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\","
        + "\"budget\":{\"ads\":-1}}");
    Process q = java(Map.of("WARROOM_PLAN", plan.toString()));
    assertTrue(q.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, q.exitValue());
    assertEquals("warroom: WARROOM_PLAN (" + plan + "): budget.ads: must be >= 0\n",
        new String(q.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void theServiceStartsFromMainAndServesHealth() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p = java(Map.of("WARROOM_HTTP_PORT", String.valueOf(port), "WARROOM_HTTP_HOST", "127.0.0.1"));
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
          .timeout(Duration.ofSeconds(2)).build();
      eventually(() -> Probe.answers(http, health), 30_000, "the server answering /health");
      HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals("{\"status\":\"UP\"}", r.body());
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    } finally {
      p.destroy();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    }
  }
}
