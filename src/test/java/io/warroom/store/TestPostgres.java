package io.warroom.store;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The one place that decides which PostgreSQL the tests and the benchmark use.
 *
 * <p>With {@code WARROOM_TEST_PG_URL} ({@code postgresql://user[:password]@host[:port][/database]})
 * that server; test databases are created through its database ({@code postgres} when none).
 * Otherwise a throwaway cluster made from the installed PostgreSQL binaries: initdb into
 * {@code target/test-pg/} (as the user {@code postgres} when this runs as root, since initdb refuses
 * root), trust auth, 127.0.0.1 on a free port, no Unix socket. It starts on first use, once per
 * JVM, and is stopped and removed when the JVM ends: a watchdog process does that when its input,
 * held by this JVM, closes, so a JVM killed with SIGKILL leaves nothing running either. Clusters of
 * JVMs that are gone are removed at the next start.
 *
 * <p>The throwaway cluster runs with {@code fsync=off} when the system property
 * {@code warroom.test.pg.fsync} is {@code off} (the pom sets it for the tests: nothing here
 * crashes the machine, and stopping PostgreSQL still writes everything out); otherwise, as for the
 * benchmark, with PostgreSQL's defaults.
 */
public final class TestPostgres {
  static final String URL_ENV = "WARROOM_TEST_PG_URL";

  private static TestPostgres instance;
  private static RuntimeException failure;

  public final String host;
  public final int port;
  public final String user;
  private final String userInfo;
  private final String password;
  private final String adminDb;
  private final Cluster cluster;

  private TestPostgres(String host, int port, String userInfo, String adminDb, Cluster cluster) {
    this.host = host;
    this.port = port;
    this.userInfo = userInfo;
    int colon = userInfo.indexOf(':');
    this.user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
    this.password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
    this.adminDb = adminDb;
    this.cluster = cluster;
  }

  /** The server of this run: started on the first call when it is the throwaway cluster. */
  public static synchronized TestPostgres get() {
    if (failure != null) throw new IllegalStateException(failure.getMessage(), failure);
    if (instance == null) {
      String url = System.getenv(URL_ENV);
      try {
        instance = url == null || url.isBlank() ? startThrowaway() : external(url.trim());
      } catch (RuntimeException e) {
        failure = e; // every later test fails with the same reason, without trying again
        throw e;
      }
    }
    return instance;
  }

  /** The URL the app takes in WARROOM_PG_URL for a database on this server. */
  public String url(String db) {
    return urlVia(host, port, db);
  }

  /** The same, reached through another address (a proxy in front of this server). */
  public String urlVia(String host, int port, String db) {
    return "postgresql://" + userInfo + "@" + host + ":" + port + "/" + db;
  }

  public String jdbc(String db) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + db;
  }

  public String password() {
    return password;
  }

  /** The database to run CREATE DATABASE and other statements on the whole server from. */
  public String adminDb() {
    return adminDb;
  }

  /** Whether this run owns the server, so it may stop and start it. */
  public boolean throwaway() {
    return cluster != null;
  }

  /** Stops the throwaway cluster (fast shutdown: sessions are ended, everything is written out). */
  public void stop() {
    owned().pgCtl("stop", "-m", "fast");
  }

  /** Starts the throwaway cluster again after {@link #stop()}, on the same port. */
  public void start() {
    owned().pgCtl("start", "-l", owned().log.toString());
  }

  private Cluster owned() {
    if (cluster == null) throw new IllegalStateException(URL_ENV + " names a server this run does not own");
    return cluster;
  }

  private static TestPostgres external(String url) {
    URI u = URI.create(url);
    if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalStateException(URL_ENV + ": must look like postgresql://user@host:port/database, was " + url);
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath().replaceFirst("^/", "");
    return new TestPostgres(u.getHost(), u.getPort() < 0 ? 5432 : u.getPort(),
        u.getRawUserInfo() == null ? "postgres" : u.getRawUserInfo(), path.isEmpty() ? "postgres" : path, null);
  }

  private static TestPostgres startThrowaway() {
    Cluster c = Cluster.start();
    return new TestPostgres("127.0.0.1", c.port, "postgres", "postgres", c);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** A cluster of this JVM's own, in a directory named after this JVM (pid and start time). */
  private static final class Cluster {
    private static final Path ROOT = Path.of("target", "test-pg").toAbsolutePath();
    /** Where the cluster goes when {@code postgres} cannot reach target/ (a checkout under /root). */
    private static final Path TMP_ROOT = Path.of(System.getProperty("java.io.tmpdir"), "warroom-test-pg");

    final Path bin;
    final Path base;
    final Path data;
    final Path log;
    final List<String> asOwner;
    int port;
    Process watchdog;

    private Cluster(Path bin, Path base, List<String> asOwner) {
      this.bin = bin;
      this.base = base;
      this.data = base.resolve("data");
      this.log = data.resolve("server.log");
      this.asOwner = asOwner;
    }

    static Cluster start() {
      Path bin = binaries();
      List<String> asOwner = ownerPrefix();
      removeStale(ROOT, bin, asOwner);
      removeStale(TMP_ROOT, bin, asOwner);
      ProcessHandle me = ProcessHandle.current();
      String name = me.pid() + "-" + me.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
      Path base = prepare(ROOT.resolve(name), asOwner);
      if (base == null) base = prepare(TMP_ROOT.resolve(name), asOwner);
      if (base == null) {
        throw new IllegalStateException("the PostgreSQL user cannot write under " + ROOT + " nor " + TMP_ROOT
            + "; set " + URL_ENV + " to a server to test against");
      }
      Cluster c = new Cluster(bin, base, asOwner);
      c.watch();
      c.initdb();
      c.run();
      System.err.println("warroom tests: PostgreSQL from " + bin + " on 127.0.0.1:" + c.port + ", in " + c.data);
      return c;
    }

    /** Creates the directories, the data directory owned by the user that runs PostgreSQL. */
    private static Path prepare(Path base, List<String> asOwner) {
      try {
        Files.createDirectories(base);
        Path data = base.resolve("data");
        Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (asOwner.isEmpty()) return base;
        String owner = asOwner.get(2);
        exec(List.of("chown", owner, data.toString()), 30);
        if (exec(concat(asOwner, "test", "-w", data.toString()), 30).ok) return base;
        deleteTree(base);
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + base, e);
      }
    }

    /**
     * Stops and removes the clusters whose JVM is gone (killed before its watchdog could clean up,
     * or the machine restarted).
     */
    private static void removeStale(Path root, Path bin, List<String> asOwner) {
      if (!Files.isDirectory(root)) return;
      try (Stream<Path> dirs = Files.list(root)) {
        for (Path dir : dirs.toList()) {
          if (alive(dir.getFileName().toString())) continue;
          if (Files.exists(dir.resolve("data/postmaster.pid"))) {
            exec(concat(asOwner, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                "-m", "immediate", "-w", "stop"), 60);
          }
          deleteTree(dir);
        }
      } catch (IOException e) {
        System.err.println("warroom tests: could not remove old test clusters under " + root + ": " + e);
      }
    }

    /** Whether the JVM a cluster directory is named after ({@code pid-startMillis}) still runs. */
    private static boolean alive(String name) {
      String[] parts = name.split("-");
      if (parts.length != 2) return false;
      try {
        long pid = Long.parseLong(parts[0]);
        long started = Long.parseLong(parts[1]);
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        return p.isPresent() && p.get().info().startInstant().map(Instant::toEpochMilli).orElse(0L) == started;
      } catch (NumberFormatException e) {
        return false;
      }
    }

    /**
     * A process that waits for its input to close (this JVM exiting, however it ends), then stops
     * the cluster and removes its directory. It ignores the signals a terminal's Ctrl-C sends.
     */
    private void watch() {
      List<String> cmd = new ArrayList<>(List.of("sh", "-c",
          "trap '' INT TERM HUP; base=$1; shift; cat >/dev/null; \"$@\" >/dev/null 2>&1; rm -rf \"$base\"",
          "watchdog", base.toString()));
      cmd.addAll(concat(asOwner, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
          "-w", "stop"));
      try {
        watchdog = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the watchdog of the test cluster", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          watchdog.getOutputStream().close();
          watchdog.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
          // the JVM is ending; the watchdog sees its input close anyway
        }
      }, "test-pg-cleanup"));
    }

    private void initdb() {
      Result r = exec(concat(asOwner, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
          "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"), 120);
      if (!r.ok) throw new IllegalStateException("initdb failed: " + r.output);
      boolean fast = "off".equals(System.getProperty("warroom.test.pg.fsync"));
      // As on this machine's own cluster: no autovacuum, so no ANALYZE holds back pg_snapshot_xmin.
      String conf = "\n# warroom tests (TestPostgres)\nlisten_addresses = '127.0.0.1'\n"
          + "unix_socket_directories = ''\nautovacuum = off\nmax_connections = 100\n"
          + (fast ? "fsync = off\nfull_page_writes = off\n" : "");
      try {
        Files.writeString(data.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Starts on a free port, trying another when a process took it in between. */
    private void run() {
      for (int attempt = 1; ; attempt++) {
        port = freePort();
        try {
          Files.writeString(data.resolve("postgresql.conf"), "port = " + port + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        try {
          pgCtl("start", "-l", log.toString());
          return;
        } catch (IllegalStateException e) {
          if (attempt == 3) throw e;
        }
      }
    }

    void pgCtl(String action, String... options) {
      List<String> cmd = new ArrayList<>(concat(asOwner, bin.resolve("pg_ctl").toString(), "-D", data.toString(),
          "-w", "-t", "60"));
      cmd.addAll(Arrays.asList(options));
      cmd.add(action);
      Result r = exec(cmd, 90);
      if (!r.ok) throw new IllegalStateException("pg_ctl " + action + " failed: " + r.output + logTail());
    }

    private String logTail() {
      try {
        List<String> lines = Files.readAllLines(log);
        return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
      } catch (IOException e) {
        return "";
      }
    }

    /** The newest /usr/lib/postgresql/N/bin (Debian, Ubuntu), else the directory of initdb on PATH. */
    private static Path binaries() {
      Path debian = Path.of("/usr/lib/postgresql");
      if (Files.isDirectory(debian)) {
        try (Stream<Path> versions = Files.list(debian)) {
          Optional<Path> newest = versions.filter(v -> v.getFileName().toString().matches("\\d+"))
              .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
              .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())));
          if (newest.isPresent()) return newest.get().resolve("bin");
        } catch (IOException e) {
          // look on PATH
        }
      }
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) return Path.of(dir);
      }
      throw new IllegalStateException("no PostgreSQL server binaries (initdb) under /usr/lib/postgresql or on"
          + " PATH: install postgresql (bin/test does), or set " + URL_ENV + " to a server to test against");
    }

    /** Empty when this JVM may run PostgreSQL itself; as root, runuser to the user postgres (or nobody). */
    private static List<String> ownerPrefix() {
      if (!"root".equals(System.getProperty("user.name"))) return List.of();
      for (String user : List.of("postgres", "nobody")) {
        if (exec(List.of("id", "-u", user), 30).ok) return List.of("runuser", "-u", user, "--");
      }
      throw new IllegalStateException("running as root and no user postgres or nobody to run initdb as");
    }

    private static int freePort() {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private record Result(boolean ok, String output) {}

  private static Result exec(List<String> cmd, int seconds) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(false, String.join(" ", cmd) + ": timed out\n" + out);
      }
      return new Result(p.exitValue() == 0, String.join(" ", cmd) + ": exit " + p.exitValue() + "\n" + out);
    } catch (IOException e) {
      return new Result(false, String.join(" ", cmd) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, String.join(" ", cmd) + ": interrupted");
    }
  }

  private static List<String> concat(List<String> prefix, String... rest) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(Arrays.asList(rest));
    return all;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
