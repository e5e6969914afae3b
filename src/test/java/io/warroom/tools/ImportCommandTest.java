package io.warroom.tools;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code warroom import}: bad rows, NDJSON, an interrupted and resumed import, refusals. */
@ExtendWith(VertxExtension.class)
public class ImportCommandTest {
  @TempDir Path dir;
  TestApp app;
  final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  @BeforeEach
  void start(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-20T00:00:00Z"));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  String url() {
    return "http://127.0.0.1:" + app.port;
  }

  int run(String... args) {
    return ImportCommand.run(args, err);
  }

  @Test
  void csvWithBadRowsKeepsTheGoodOnesAndWritesTheBadOnesBesideTheInput() throws Exception {
    Path f = dir.resolve("orders.csv");
    Files.writeString(f, String.join("\n",
        "id,ts,customerId,amount,channel",
        "a1,2026-11-10T10:00:00+08:00,c1,100.25,tmall",
        "a2,2026-11-10T10:01:00+08:00,c2,50,jd",
        "a3,2026-11-10T10:02:00+08:00,c3,-5,jd",
        "",
        "a4,2026-11-10T10:03:00+08:00,\"c,4\",20,tmall",
        "a5,2026-11-10T10:04:00+08:00,c5,30,",
        "a6,2026-11-10T10:05:00+08:00,\"multi",
        "line\",40,website",
        "a7,2026-11-10T10:06:00+08:00,c7,7,tmall") + "\n");
    int code = run("--type", "orders", f.toString(), "--url", url(), "--batch", "3");
    assertEquals(ImportCommand.SOME_REJECTED, code, errBytes.toString());
    JsonObject c = app.kpis().getJsonObject("windows").getJsonObject("campaign");
    assertEquals(5, c.getInteger("orders"));
    assertEquals(0, new BigDecimal("217.25").compareTo(new BigDecimal(c.getValue("revenue").toString())));
    List<String> rejected = Files.readAllLines(dir.resolve("orders.csv.rejected.csv"));
    assertEquals(List.of("row,field,error,record",
        "3,\"amount\",\"must be > 0\",\"a3,2026-11-10T10:02:00+08:00,c3,-5,jd\"",
        "5,\"channel\",\"is required\",\"a5,2026-11-10T10:04:00+08:00,c5,30,\""), rejected);
    assertFalse(Files.exists(dir.resolve("orders.csv.progress")));
    assertTrue(errBytes.toString().contains("done: 7 rows; 5 stored, 0 already there, 2 rejected"),
        errBytes.toString());

    // Running it again stores nothing twice.
    assertEquals(ImportCommand.SOME_REJECTED, run("--type", "order", f.toString(), "--url", url()));
    assertEquals(5, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
    assertTrue(errBytes.toString().contains("0 stored, 5 already there, 2 rejected"), errBytes.toString());
  }

  @Test
  void cellsOfTheRejectedFileNeverRunAsSpreadsheetFormulas() throws Exception {
    Path f = dir.resolve("orders.csv");
    Files.writeString(f, String.join("\n",
        "id,ts,customerId,amount,channel",
        "=HYPERLINK(\"http://x\"),2026-11-10T10:00:00+08:00,c1,-1,tmall",
        "+b,2026-11-10T10:00:00+08:00,c1,-1,tmall",
        "-c,2026-11-10T10:00:00+08:00,c1,-1,tmall",
        "@d,2026-11-10T10:00:00+08:00,c1,-1,tmall",
        "\te,2026-11-10T10:00:00+08:00,c1,-1,tmall",
        "f,2026-11-10T10:00:00+08:00,c1,-1,tmall") + "\n");
    assertEquals(ImportCommand.SOME_REJECTED, run("--type", "orders", f.toString(), "--url", url()));
    List<String> rejected = Files.readAllLines(dir.resolve("orders.csv.rejected.csv"));
    String rest = ",2026-11-10T10:00:00+08:00,c1,-1,tmall\"";
    assertEquals(List.of("row,field,error,record",
        "1,\"amount\",\"must be > 0\",\"'=HYPERLINK(\"\"http://x\"\")" + rest,
        "2,\"amount\",\"must be > 0\",\"'+b" + rest,
        "3,\"amount\",\"must be > 0\",\"'-c" + rest,
        "4,\"amount\",\"must be > 0\",\"'@d" + rest,
        "5,\"amount\",\"must be > 0\",\"'\te" + rest,
        "6,\"amount\",\"must be > 0\",\"f" + rest), rejected);
  }

  @Test
  void ndjsonRowsAreNumberedByTheirLineInTheFile() throws Exception {
    Path f = dir.resolve("visits.ndjson");
    Files.writeString(f, String.join("\n",
        "{\"id\":\"v1\",\"ts\":\"2026-11-10T10:00:00+08:00\",\"channel\":\"tmall\",\"sessions\":10}",
        "",
        "{\"id\":\"v2\",\"ts\":\"2026-11-10T10:00:00+08:00\",\"channel\":\"tmall\",\"sessions\":0}",
        "not json",
        "{\"id\":\"v3\",\"ts\":\"2026-11-10T10:00:00+08:00\",\"channel\":\"jd\",\"sessions\":5}"));
    assertEquals(ImportCommand.SOME_REJECTED, run("--type", "visits", f.toString(), "--url", url(),
        "--batch", "2"));
    assertEquals(15, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("sessions"));
    List<String> lines = Files.readAllLines(dir.resolve("visits.ndjson.rejected.ndjson"));
    assertEquals(2, lines.size());
    JsonObject first = new JsonObject(lines.get(0));
    assertEquals(3, first.getInteger("row"));
    assertEquals("sessions", first.getString("field"));
    assertTrue(first.getString("record").contains("\"v2\""));
    JsonObject second = new JsonObject(lines.get(1));
    assertEquals(4, second.getInteger("row"));
    assertEquals("not json", second.getString("record"));
  }

  @Test
  void anInterruptedImportResumesAndCountsEveryRowOnce() throws Exception {
    int rows = 20_000;
    Path f = dir.resolve("big.ndjson");
    StringBuilder b = new StringBuilder();
    long cents = 0;
    long t0 = Instant.parse("2026-11-05T00:00:00Z").getEpochSecond();
    for (int i = 1; i <= rows; i++) {
      long c = 100 + (i % 997) * 100 + i % 100;
      cents += c;
      b.append("{\"id\":\"o").append(i).append("\",\"ts\":\"").append(Instant.ofEpochSecond(t0 + i * 17L))
          .append("\",\"customerId\":\"c").append(i % 5000).append("\",\"amount\":")
          .append(BigDecimal.valueOf(c, 2).toPlainString()).append(",\"channel\":\"tmall\"}\n");
    }
    Files.writeString(f, b);
    Path progress = dir.resolve("big.ndjson.progress");

    // A separate process, killed (SIGKILL) once some batches are acknowledged.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "io.warroom.Main", "import", "--type", "orders", f.toString(), "--url", url(), "--batch", "100")
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    eventually(() -> !child.isAlive() || rowsDone(progress) >= 2000, 30_000, "2,000 rows acknowledged");
    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    long done = rowsDone(progress);
    assertTrue(done >= 2000 && done < rows, "killed after " + done + " rows: " + Files.readString(dir.resolve("child.log")));
    long stored = app.kpis().getJsonObject("windows").getJsonObject("campaign").getLong("orders");
    assertTrue(stored >= done && stored < rows, stored + " stored, " + done + " acknowledged");

    // As if the kill had come after the server stored a batch but before its progress was written.
    JsonObject p = new JsonObject(Files.readString(progress));
    Files.writeString(progress, p.put("rows", done - 100).encode());

    assertEquals(ImportCommand.OK, run("--type", "orders", f.toString(), "--url", url(), "--batch", "100"),
        errBytes.toString());
    assertTrue(errBytes.toString().contains("resuming " + f + " after row " + (done - 100)));
    JsonObject c = app.kpis().getJsonObject("windows").getJsonObject("campaign");
    assertEquals(rows, c.getInteger("orders"));
    assertEquals(0, BigDecimal.valueOf(cents, 2).compareTo(new BigDecimal(c.getValue("revenue").toString())));
    assertEquals(5000, c.getInteger("customers"));
    assertFalse(Files.exists(progress));
    assertFalse(Files.exists(dir.resolve("big.ndjson.rejected.ndjson")));
  }

  @Test
  void overTheRateLimitItWaitsAndRetries(Vertx vertx) throws Exception {
    app.close();
    app = TestApp.deploy(vertx, Config.defaults().withLimits(new Config.Limits(100_000, 1, 1, 10)),
        SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at("2026-11-20T00:00:00Z"));
    Path f = dir.resolve("slow.csv");
    StringBuilder b = new StringBuilder("id,ts,customerId,amount,channel\n");
    for (int i = 0; i < 30; i++) b.append("s").append(i).append(",2026-11-10T10:00:00Z,c").append(i).append(",1,jd\n");
    Files.writeString(f, b);
    // 3 requests at 1 per second with a burst of 1: two of them first meet a 429.
    assertEquals(ImportCommand.OK, run("--type", "orders", f.toString(), "--url", url(), "--batch", "10"),
        errBytes.toString());
    assertEquals(30, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
    assertEquals(0, app.kpis().getJsonObject("ingest").getInteger("duplicates"));
  }

  @Test
  void refusedByTheServerStopsWithExit3AndARightTokenGoesOn(Vertx vertx) throws Exception {
    app.close();
    app = TestApp.deploy(vertx, Config.defaults().withTokens(List.of("feed:right-0123456789abc"), null, null),
        SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at("2026-11-20T00:00:00Z"));
    Path f = dir.resolve("t.csv");
    Files.writeString(f, "id,ts,customerId,amount,channel\nt1,2026-11-10T10:00:00Z,c1,1,jd\n");
    assertEquals(ImportCommand.REFUSED, run("--type", "orders", f.toString(), "--url", url(), "--token", "wrong"));
    assertTrue(errBytes.toString().contains("HTTP 403"), errBytes.toString());
    assertEquals(ImportCommand.OK, run("--type", "orders", f.toString(), "--url", url(), "--token", "right-0123456789abc"));
    assertEquals(1, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
  }

  @Test
  void usageErrorsAndRefusalsSayWhatHappened() throws Exception {
    Path f = dir.resolve("x.csv");
    Files.writeString(f, "id,ts,customerId,amount,channel\n");
    assertEquals(ImportCommand.USAGE, run(f.toString(), "--url", url()));
    assertTrue(errBytes.toString().contains("--type is required"));
    assertEquals(ImportCommand.USAGE, run("--type", "sales", f.toString()));
    assertEquals(ImportCommand.USAGE, run("--type", "orders", dir.resolve("x.txt").toString()));
    assertEquals(ImportCommand.USAGE, run("--type", "orders", dir.resolve("missing.csv").toString(),
        "--url", url()));
    // Nothing listening: retried, then exit 4 with the progress kept for a resume.
    Path g = dir.resolve("one.csv");
    Files.writeString(g, "id,ts,customerId,amount,channel\nz1,2026-11-10T10:00:00+08:00,c1,1,jd\n");
    assertEquals(ImportCommand.UNREACHABLE, run("--type", "orders", g.toString(), "--url",
        "http://127.0.0.1:1", "--retries", "2"));
    assertTrue(errBytes.toString().contains("gave up after 2 attempts"), errBytes.toString());
  }

  /** The rows the import's progress file says were acknowledged (0 before it is written). */
  private static long rowsDone(Path progress) {
    try {
      return Files.exists(progress) ? new JsonObject(Files.readString(progress)).getLong("rows") : 0;
    } catch (IOException | RuntimeException e) {
      return 0; // being written
    }
  }
}
