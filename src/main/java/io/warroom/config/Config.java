package io.warroom.config;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings from the environment (CONTRACT section 1), each also accepted as a {@code --flag} of the
 * same name ({@code --warroom-http-port 9090} or {@code --WARROOM_HTTP_PORT=9090}). Read once;
 * a bad value throws {@link ConfigException} naming the setting.
 */
public record Config(
    int httpPort,
    String httpHost,
    String planPath,
    String pgUrl,
    List<String> ingestTokens,
    String adminToken,
    String viewToken,
    long pushIntervalMs,
    List<String> webhookUrls,
    long bodyLimitBytes,
    long heartbeatMs,
    Limits limits,
    boolean jsonLogs,
    Nodes nodes,
    Edge edge,
    String publicUrl,
    PgRoutes pgRoutes) {

  /**
   * Connections to PostgreSQL besides the pool of WARROOM_PG_URL, each null for that URL: the
   * listening and lease connections, which hold session state (LISTEN, a session advisory lock)
   * and so must reach PostgreSQL directly when the pool goes through a transaction-mode pooler;
   * and the migrations, which may run as the schema's owner.
   */
  public record PgRoutes(String sessionUrl, String migrateUrl) {
    public static final PgRoutes NONE = new PgRoutes(null, null);
  }

  /** Guards against a runaway feed or too many screens (issue: hardening). */
  public record Limits(int maxRows, double ingestRate, int ingestBurst, int maxStreamClients) {}

  /**
   * Nodes sharing one database: how often each reads the others' records besides being woken
   * (ms), and how far behind them it may fall before /ready says it is not ready (ms).
   */
  public record Nodes(long tailPollMs, long maxLagMs) {}

  /**
   * What keeps the server reachable whatever clients do (CONTRACT section 15): the most open HTTP
   * connections (past it the oldest ones that have not sent a request head are closed), how long a
   * connection may take to send a whole request head (ms), and failed authentications per client
   * address: a burst, refilled at so many per second (429 beyond).
   */
  public record Edge(int maxConnections, long headTimeoutMs, int authFailureBurst,
      int authFailuresPerSecond) {}

  public static final long DEFAULT_TAIL_POLL_MS = 500;
  public static final long DEFAULT_HEAD_TIMEOUT_MS = 10_000;
  /** Shortest secret accepted for any token. */
  public static final int MIN_TOKEN_LENGTH = 16;
  /** An ingest token entry: {@code name:secret}; anything else is a bare secret. */
  public static final Pattern NAMED_TOKEN = Pattern.compile("([A-Za-z0-9_.-]{1,40}):(.+)");

  public static final String HTTP_PORT = "WARROOM_HTTP_PORT";
  public static final String HTTP_HOST = "WARROOM_HTTP_HOST";
  public static final String PLAN = "WARROOM_PLAN";
  public static final String PG_URL = "WARROOM_PG_URL";
  public static final String INGEST_TOKENS = "WARROOM_INGEST_TOKENS";
  public static final String ADMIN_TOKEN = "WARROOM_ADMIN_TOKEN";
  public static final String VIEW_TOKEN = "WARROOM_VIEW_TOKEN";
  public static final String PUSH_INTERVAL_MS = "WARROOM_PUSH_INTERVAL_MS";
  public static final String WEBHOOK_URLS = "WARROOM_WEBHOOK_URLS";
  public static final String BODY_LIMIT_BYTES = "WARROOM_BODY_LIMIT_BYTES";
  public static final String HEARTBEAT_MS = "WARROOM_HEARTBEAT_MS";
  public static final String MAX_ROWS = "WARROOM_MAX_ROWS";
  public static final String INGEST_RATE = "WARROOM_INGEST_RATE";
  public static final String INGEST_BURST = "WARROOM_INGEST_BURST";
  public static final String MAX_STREAM_CLIENTS = "WARROOM_MAX_STREAM_CLIENTS";
  public static final String LOG_FORMAT = "WARROOM_LOG_FORMAT";
  public static final String DEMO = "WARROOM_DEMO";
  public static final String DEMO_SPEED = "WARROOM_DEMO_SPEED";
  public static final String DEMO_INTO_DATABASE = "WARROOM_DEMO_INTO_DATABASE";
  public static final String TAIL_POLL_MS = "WARROOM_TAIL_POLL_MS";
  public static final String MAX_LAG_MS = "WARROOM_MAX_LAG_MS";
  public static final String MAX_CONNECTIONS = "WARROOM_MAX_CONNECTIONS";
  public static final String HEAD_TIMEOUT_MS = "WARROOM_HEAD_TIMEOUT_MS";
  public static final String AUTH_FAILURE_BURST = "WARROOM_AUTH_FAILURE_BURST";
  public static final String AUTH_FAILURE_RATE = "WARROOM_AUTH_FAILURE_RATE";
  public static final String PUBLIC_URL = "WARROOM_PUBLIC_URL";
  public static final String PG_SESSION_URL = "WARROOM_PG_SESSION_URL";
  public static final String PG_MIGRATE_URL = "WARROOM_PG_MIGRATE_URL";
  public static final String WARM_UP = "WARROOM_WARM_UP";
  /** Settings that are on when given as a bare flag ({@code --demo}). */
  private static final List<String> SWITCHES = List.of(DEMO, DEMO_INTO_DATABASE);
  private static final List<String> KEYS = List.of(HTTP_PORT, HTTP_HOST, PLAN, PG_URL, INGEST_TOKENS,
      ADMIN_TOKEN, VIEW_TOKEN, PUSH_INTERVAL_MS, WEBHOOK_URLS, BODY_LIMIT_BYTES, HEARTBEAT_MS, MAX_ROWS, INGEST_RATE, INGEST_BURST, MAX_STREAM_CLIENTS,
      LOG_FORMAT, DEMO, DEMO_SPEED, DEMO_INTO_DATABASE, TAIL_POLL_MS, MAX_LAG_MS, MAX_CONNECTIONS, HEAD_TIMEOUT_MS,
      AUTH_FAILURE_BURST, AUTH_FAILURE_RATE, PUBLIC_URL, PG_SESSION_URL, PG_MIGRATE_URL, WARM_UP);

  /** Settings of the environment the tests read, not the server: never warned about. */
  private static final Set<String> TEST_KEYS = Set.of("WARROOM_TEST_PG_URL");

  /**
   * A warning for each WARROOM_ variable of {@code env} that is no setting (a typo such as
   * WARROOM_ADMIN_TOKENS would otherwise leave the server open without a word), naming the
   * setting it is closest to.
   */
  public static List<String> unknownSettings(Map<String, String> env) {
    List<String> out = new ArrayList<>();
    for (String k : new TreeSet<>(env.keySet())) {
      if (!k.startsWith("WARROOM_") || KEYS.contains(k) || TEST_KEYS.contains(k)) continue;
      String near = null;
      int best = 4; // at most 3 edits away
      for (String known : KEYS) {
        int d = distance(k, known);
        if (d < best) {
          best = d;
          near = known;
        }
      }
      out.add(k + " is not a setting and is ignored" + (near == null ? "" : "; did you mean " + near + "?"));
    }
    return out;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  public static class ConfigException extends RuntimeException {
    public ConfigException(String key, String reason) {
      super(key + ": " + reason);
    }
  }

  /** Defaults for tests and embedding: port 0 on loopback, no database, no tokens. */
  public static Config defaults() {
    return from(Map.of(HTTP_PORT, "0", HTTP_HOST, "127.0.0.1"), new String[0]);
  }

  /** The demo feed's settings: on or off, and how many times faster than real time it plays. */
  public record Demo(boolean on, int speed) {}

  /** WARROOM_WARM_UP (true by default): whether the start runs its routes before listening. */
  public static boolean warmUp(Map<String, String> env, String[] args) {
    Map<String, String> v = values(env, args);
    return !v.containsKey(WARM_UP) || bool(v, WARM_UP);
  }

  /**
   * WARROOM_DEMO (true/false, or the bare flag --demo) and WARROOM_DEMO_SPEED (1..100000). The
   * demo's synthetic records go into a database only when WARROOM_DEMO_INTO_DATABASE says so
   * (--demo-into-database): a demo pointed at a real database by mistake would mix them with
   * real sales, dated later in the month, for good.
   */
  public static Demo demo(Map<String, String> env, String[] args) {
    Map<String, String> v = values(env, args);
    boolean on = bool(v, DEMO);
    boolean intoDatabase = bool(v, DEMO_INTO_DATABASE);
    int speed = (int) number(v, DEMO_SPEED, 60, 1, 100_000);
    if (v.containsKey(DEMO_SPEED) && !on) {
      throw new ConfigException(DEMO_SPEED, "only applies with " + DEMO + "=true (--demo)");
    }
    if (intoDatabase && !on) {
      throw new ConfigException(DEMO_INTO_DATABASE, "only applies with " + DEMO + "=true (--demo)");
    }
    String pg = v.get(PG_URL);
    if (on && !intoDatabase && pg != null && !pg.isBlank()) {
      throw new ConfigException(DEMO, "refusing to play the demo into the database "
          + PG_URL + " names: its synthetic records would stay there among real ones. Unset "
          + PG_URL + " for an in-memory demo, or add --demo-into-database ("
          + DEMO_INTO_DATABASE + "=true) if this database is meant for the demo");
    }
    return new Demo(on, speed);
  }

  private static boolean bool(Map<String, String> v, String key) {
    String s = v.getOrDefault(key, "false").trim().toLowerCase();
    if (!s.equals("true") && !s.equals("false")) throw new ConfigException(key, "must be true or false");
    return s.equals("true");
  }

  public static Config from(Map<String, String> env, String[] args) {
    return from(env, args, openFilesLimit());
  }

  /** As {@link #from(Map, String[])} for a process whose open-files limit is {@code openFiles} (-1: unknown). */
  public static Config from(Map<String, String> env, String[] args, long openFiles) {
    return build(values(env, args), openFiles);
  }

  /** This process's open-files limit (each connection holds one), or -1 where it cannot be read. */
  public static long openFilesLimit() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  /** Open-files limit assumed where it cannot be read. */
  static final long ASSUMED_OPEN_FILES = 4096;

  /**
   * Descriptors kept for the JVM itself, the database, webhooks and files, and for a burst of
   * connections the kernel hands over before the server can close those past its limit (at 4,096
   * a reserve of 256 ran out under 200 new streams a second): not for HTTP connections.
   */
  static long fileReserve(long openFiles) {
    long reserve = Math.max(Math.max(256, Math.min(512, openFiles / 8)), openFiles / 50);
    return Math.min(reserve, openFiles / 2);
  }

  /** The most HTTP connections the process can hold with {@code openFiles} descriptors. */
  public static int connectionsFor(long openFiles) {
    long files = openFiles < 0 ? ASSUMED_OPEN_FILES : openFiles;
    return (int) Math.max(16, Math.min(1_000_000, files - fileReserve(files)));
  }

  /** Connections kept from stream clients, for /health, /ready, feeds and admins. */
  public static int streamReserve(int maxConnections) {
    return Math.max(Math.min(64, maxConnections / 2), maxConnections / 100);
  }

  private static Map<String, String> values(Map<String, String> env, String[] args) {
    Map<String, String> v = new HashMap<>();
    for (String k : KEYS) if (env.get(k) != null) v.put(k, env.get(k));
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) throw new ConfigException(a, "unknown argument");
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      String key = name.toUpperCase().replace('-', '_');
      if (!key.startsWith("WARROOM_")) key = "WARROOM_" + key;
      if (!KEYS.contains(key)) throw new ConfigException(a, "unknown flag; known: " + KEYS);
      if (value == null && SWITCHES.contains(key)
          && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
        value = "true";
      }
      if (value == null) {
        if (i + 1 >= args.length) throw new ConfigException(key, "needs a value");
        value = args[++i];
      }
      v.put(key, value);
    }
    return v;
  }

  private static Config build(Map<String, String> v, long openFiles) {
    int port = (int) number(v, HTTP_PORT, 8080, 0, 65535);
    String host = v.getOrDefault(HTTP_HOST, "0.0.0.0").trim();
    if (host.isEmpty()) throw new ConfigException(HTTP_HOST, "must not be empty");
    String pg = blankToNull(v.get(PG_URL));
    if (pg != null) checkPgUrl(PG_URL, pg);
    PgRoutes routes = new PgRoutes(pgRoute(v, PG_SESSION_URL, pg), pgRoute(v, PG_MIGRATE_URL, pg));
    long push = number(v, PUSH_INTERVAL_MS, 250, 10, 60_000);
    long bodyLimit = number(v, BODY_LIMIT_BYTES, 16L << 20, 1024, 1L << 30);
    long heartbeat = number(v, HEARTBEAT_MS, 10_000, 100, 15_000);
    Edge edge = edge(v, openFiles);
    int streams = edge.maxConnections() - streamReserve(edge.maxConnections());
    int maxStreams = (int) number(v, MAX_STREAM_CLIENTS, streams, 1, 1_000_000);
    if (maxStreams > streams) {
      throw new ConfigException(MAX_STREAM_CLIENTS, maxStreams + " is more than this process can hold:"
          + " at most " + streams + " with " + edge.maxConnections() + " connections ("
          + (v.containsKey(MAX_CONNECTIONS) ? MAX_CONNECTIONS : "open-files limit " + openFiles)
          + "), keeping " + streamReserve(edge.maxConnections()) + " for /health, /ready and feeds");
    }
    Limits limits = new Limits((int) number(v, MAX_ROWS, 100_000, 1, 10_000_000),
        number(v, INGEST_RATE, 200, 0, 1_000_000), (int) number(v, INGEST_BURST, 400, 1, 1_000_000),
        maxStreams);
    String logFormat = v.getOrDefault(LOG_FORMAT, "text").trim();
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw new ConfigException(LOG_FORMAT, "must be text or json");
    }
    List<String> hooks = list(v.get(WEBHOOK_URLS));
    for (String h : hooks) {
      try {
        URI u = new URI(h);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
          throw new ConfigException(WEBHOOK_URLS, "'" + h + "' is not an http(s) URL");
        }
      } catch (URISyntaxException e) {
        throw new ConfigException(WEBHOOK_URLS, "'" + h + "' is not a URL");
      }
    }
    Nodes nodes = new Nodes(number(v, TAIL_POLL_MS, DEFAULT_TAIL_POLL_MS, 10, 600_000),
        number(v, MAX_LAG_MS, 60_000, 100, 86_400_000));
    List<String> ingest = list(v.get(INGEST_TOKENS));
    if (ingest.isEmpty() && blankToNull(v.get(INGEST_TOKENS)) != null) {
      throw new ConfigException(INGEST_TOKENS, "holds no token, only commas and spaces");
    }
    String admin = blankToNull(v.get(ADMIN_TOKEN));
    String view = blankToNull(v.get(VIEW_TOKEN));
    checkTokens(ingest, admin, view);
    String publicUrl = blankToNull(v.get(PUBLIC_URL));
    if (publicUrl != null) {
      publicUrl = publicUrl.trim();
      try {
        URI u = new URI(publicUrl);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null
            || u.getQuery() != null || u.getFragment() != null) {
          throw new ConfigException(PUBLIC_URL, "must be an http(s) URL without query or fragment,"
              + " such as https://warroom.example.com/");
        }
      } catch (URISyntaxException e) {
        throw new ConfigException(PUBLIC_URL, "'" + publicUrl + "' is not a URL");
      }
    }
    return new Config(port, host, blankToNull(v.get(PLAN)), pg, ingest, admin, view, push, hooks,
        bodyLimit, heartbeat, limits, logFormat.equals("json"), nodes, edge, publicUrl, routes);
  }

  private static Edge edge(Map<String, String> v, long openFiles) {
    int most = connectionsFor(openFiles);
    long max = number(v, MAX_CONNECTIONS, most, 16, openFiles < 0 ? 1_000_000 : Integer.MAX_VALUE);
    if (openFiles >= 0 && max > most) {
      throw new ConfigException(MAX_CONNECTIONS, max + " is more than this process can hold: its"
          + " open-files limit is " + openFiles + " and " + fileReserve(openFiles) + " are kept for the"
          + " JVM, the database and files; at most " + most + " (or raise the limit, ulimit -n)");
    }
    return new Edge((int) max, number(v, HEAD_TIMEOUT_MS, DEFAULT_HEAD_TIMEOUT_MS, 100, 600_000),
        (int) number(v, AUTH_FAILURE_BURST, 10, 1, 1_000_000),
        (int) number(v, AUTH_FAILURE_RATE, 1, 1, 1_000_000));
  }

  /** Every secret at least {@link #MIN_TOKEN_LENGTH} characters; the message never shows one. */
  static void checkTokens(List<String> ingest, String admin, String view) {
    for (int i = 0; i < ingest.size(); i++) {
      Matcher m = NAMED_TOKEN.matcher(ingest.get(i));
      boolean named = m.matches() || ingest.get(i).matches("[A-Za-z0-9_.-]{1,40}:");
      String secret = m.matches() ? m.group(2) : named ? "" : ingest.get(i);
      if (tooShort(secret)) {
        throw new ConfigException(INGEST_TOKENS, "the secret of "
            + (named ? "'" + ingest.get(i).substring(0, ingest.get(i).indexOf(':')) + "'"
                : "token " + (i + 1)) + " is "
            + secret.codePointCount(0, secret.length()) + " characters; each must be at least "
            + MIN_TOKEN_LENGTH + " (the part after 'name:')");
      }
    }
    if (admin != null && tooShort(admin)) throw shortToken(ADMIN_TOKEN, admin);
    if (view != null && tooShort(view)) throw shortToken(VIEW_TOKEN, view);
  }

  private static boolean tooShort(String secret) {
    return secret.codePointCount(0, secret.length()) < MIN_TOKEN_LENGTH;
  }

  private static ConfigException shortToken(String key, String secret) {
    return new ConfigException(key, "is " + secret.codePointCount(0, secret.length())
        + " characters; it must be at least " + MIN_TOKEN_LENGTH);
  }

  public Config withPgUrl(String url) {
    return new Config(httpPort, httpHost, planPath, url, ingestTokens, adminToken, viewToken,
        pushIntervalMs, webhookUrls, bodyLimitBytes, heartbeatMs, limits, jsonLogs, nodes, edge, publicUrl, pgRoutes);
  }

  public Config withTokens(List<String> ingest, String admin, String view) {
    checkTokens(ingest, admin, view);
    return new Config(httpPort, httpHost, planPath, pgUrl, ingest, admin, view, pushIntervalMs,
        webhookUrls, bodyLimitBytes, heartbeatMs, limits, jsonLogs, nodes, edge, publicUrl, pgRoutes);
  }

  public Config withPushIntervalMs(long ms) {
    return new Config(httpPort, httpHost, planPath, pgUrl, ingestTokens, adminToken, viewToken, ms,
        webhookUrls, bodyLimitBytes, heartbeatMs, limits, jsonLogs, nodes, edge, publicUrl, pgRoutes);
  }

  public Config withHeartbeatMs(long ms) {
    return new Config(httpPort, httpHost, planPath, pgUrl, ingestTokens, adminToken, viewToken,
        pushIntervalMs, webhookUrls, bodyLimitBytes, ms, limits, jsonLogs, nodes, edge, publicUrl, pgRoutes);
  }

  public Config withLimits(Limits l) {
    return new Config(httpPort, httpHost, planPath, pgUrl, ingestTokens, adminToken, viewToken,
        pushIntervalMs, webhookUrls, bodyLimitBytes, heartbeatMs, l, jsonLogs, nodes, edge, publicUrl, pgRoutes);
  }

  public Config withNodes(Nodes n) {
    return new Config(httpPort, httpHost, planPath, pgUrl, ingestTokens, adminToken, viewToken,
        pushIntervalMs, webhookUrls, bodyLimitBytes, heartbeatMs, limits, jsonLogs, n, edge, publicUrl, pgRoutes);
  }

  private static void checkPgUrl(String key, String url) {
    try {
      URI u = new URI(url);
      if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme())
          || u.getHost() == null) {
        throw new ConfigException(key, "must look like postgresql://user:pass@host:port/db");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "must look like postgresql://user:pass@host:port/db");
    }
  }

  /** A URL besides WARROOM_PG_URL ({@code pg}), or null when not given. */
  private static String pgRoute(Map<String, String> v, String key, String pg) {
    String url = blankToNull(v.get(key));
    if (url == null) return null;
    if (pg == null) throw new ConfigException(key, "only applies with " + PG_URL);
    checkPgUrl(key, url);
    return url;
  }

  private static long number(Map<String, String> v, String key, long dflt, long min, long max) {
    String s = v.get(key);
    if (s == null || s.isBlank()) return dflt;
    long n;
    try {
      n = Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + s + "' is not a whole number");
    }
    if (n < min || n > max) throw new ConfigException(key, n + " is outside " + min + ".." + max);
    return n;
  }

  private static List<String> list(String s) {
    if (s == null) return List.of();
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  @Override
  public String toString() {
    // Never print secrets.
    return "Config[port=" + httpPort + ", host=" + httpHost + ", plan=" + planPath + ", pg="
        + (pgUrl == null ? "none" : "set") + ", ingestTokens=" + ingestTokens.size() + ", admin="
        + (adminToken != null) + ", view=" + (viewToken != null) + ", pushMs=" + pushIntervalMs + "]";
  }
}
