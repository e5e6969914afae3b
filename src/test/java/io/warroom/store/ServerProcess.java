package io.warroom.store;

import static io.warroom.Eventually.eventually;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** warroom as its own process ({@code java -cp <test classpath> io.warroom.Main}), as in production. */
public final class ServerProcess implements AutoCloseable {
  final int port;
  final Process process;
  final Path log;

  private ServerProcess(int port, Process process, Path log) {
    this.port = port;
    this.process = process;
    this.log = log;
  }

  static ServerProcess start(Map<String, String> env) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile("warroom-server-", ".log");
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", cp, "io.warroom.Main")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // Several nodes on two cores: the start's warm-up (JarIT runs it) only slows them here.
    pb.environment().put("WARROOM_WARM_UP", "false");
    pb.environment().putAll(env);
    pb.environment().put("WARROOM_HTTP_PORT", Integer.toString(port));
    pb.environment().put("WARROOM_HTTP_HOST", "127.0.0.1");
    ServerProcess server = new ServerProcess(port, pb.start(), log);
    try {
      server.awaitReady();
    } catch (RuntimeException | Error e) {
      System.err.println(server.output());
      try {
        server.close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return server;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private void awaitReady() {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest ready = HttpRequest.newBuilder(uri("/ready")).timeout(Duration.ofSeconds(2)).build();
    eventually(() -> {
      if (!process.isAlive()) throw new IllegalStateException("server exited: " + output());
      try {
        return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false; // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }, 60_000, () -> "server ready: " + output());
  }

  /** Ends the process with SIGKILL: no shutdown hook, no flush, nothing. */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    return process.waitFor();
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) kill();
    }
    Files.deleteIfExists(log);
  }
}
