package io.warroom.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server of the benchmark as its own JVM on a free loopback port, with its heap read by jcmd. */
final class Proc implements AutoCloseable {
  final int port;
  final Process process;
  final Path log;

  private Proc(int port, Process process, Path log) {
    this.port = port;
    this.process = process;
    this.log = log;
  }

  /**
   * warroom itself: {@code java -Xmx.. -cp <classpath> io.warroom.Main}, settings by environment,
   * and any further JVM options.
   */
  static Proc warroom(String heap, Map<String, String> env, String... jvm) throws Exception {
    int port = freePort();
    Map<String, String> all = new HashMap<>(env);
    all.put("WARROOM_HTTP_PORT", Integer.toString(port));
    all.put("WARROOM_HTTP_HOST", "127.0.0.1");
    all.put("WARROOM_INGEST_RATE", "0");
    List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "-Xms" + heap));
    options.addAll(List.of(jvm));
    return start(port, options, "io.warroom.Main", List.of(), all);
  }

  /** The bare-parse ceiling, {@link BareParseServer}, with any further JVM options. */
  static Proc bare(String... jvm) throws Exception {
    int port = freePort();
    List<String> options = new ArrayList<>(List.of("-Xmx1g"));
    options.addAll(List.of(jvm));
    return start(port, options, BareParseServer.class.getName(), List.of(Integer.toString(port)),
        Map.of());
  }

  private static Proc start(int port, List<String> jvm, String main, List<String> args,
      Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvm);
    String extra = System.getenv("BENCH_SERVER_JVM_OPTS");
    if (extra != null && !extra.isBlank()) cmd.addAll(List.of(extra.trim().split("\\s+")));
    String jfr = System.getenv("BENCH_JFR_DIR");
    if (jfr != null && !jfr.isBlank()) {
      cmd.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(jfr,
          main.substring(main.lastIndexOf('.') + 1) + "-" + port + ".jfr"));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
    cmd.addAll(args);
    Path log = Files.createTempFile("warroom-bench-", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Proc p = new Proc(port, pb.start(), log);
    p.awaitReady();
    return p;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private void awaitReady() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("server exited: " + Files.readString(log));
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/ready")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("server not ready within 120 s: " + Files.readString(log));
  }

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  /** Heap in use after a full GC in the server process (jcmd GC.run, then GC.heap_info). */
  long heapAfterGc() throws Exception {
    jcmd("GC.run");
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = USED.matcher(info);
    if (!m.find()) throw new IllegalStateException("no heap figure in: " + info);
    return Long.parseLong(m.group(1)) * 1024;
  }

  /**
   * CPU time each group of the server's threads ran so far, ns, from /proc (Linux; empty
   * elsewhere): event loops, workers, GC, JIT and the rest.
   */
  Map<String, Long> cpuByGroup() {
    Map<String, Long> out = new TreeMap<>();
    Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
    try (var dirs = Files.list(tasks)) {
      for (Path t : (Iterable<Path>) dirs::iterator) {
        try {
          String comm = Files.readString(t.resolve("comm")).trim();
          long ns = Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
          out.merge(group(comm), ns, Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  private static String group(String comm) {
    if (comm.startsWith("vert.x-eventloo")) return "event loop";
    if (comm.startsWith("vert.x-worker")) return "workers";
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) return "GC";
    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) return "JIT";
    return "other";
  }

  private String jcmd(String what) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p = new ProcessBuilder(jcmd, Long.toString(process.pid()), what).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IllegalStateException("jcmd " + what + ": " + out);
    return out;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
    Files.deleteIfExists(log);
  }
}
