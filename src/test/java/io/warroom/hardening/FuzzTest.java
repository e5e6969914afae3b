package io.warroom.hardening;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.contract.Expect;
import io.warroom.contract.Oracle;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * At least 10,000 malformed, truncated, oversized, deeply nested and wrongly encoded bodies and
 * headers to every endpoint, text with lone surrogates and NUL in every field and format, while
 * slow and half-open connections come and go: each request answered with a 4xx, never a 5xx;
 * /health answers within a second throughout; afterwards the data accepted before is intact.
 * Requests that fail authentication come from another loopback address (127.0.0.3), so the
 * throttle of failures answers them 429 without ever throttling the rest.
 */
@ExtendWith(VertxExtension.class)
public class FuzzTest {
  static final String TS = "2026-11-11T10:00:00+08:00";
  static final String INGEST = "feed-0123456789abcdef", ADMIN = "boss-0123456789abcdef",
      VIEW = "wall-0123456789abcdef";
  static final String[] INGEST_PATHS = {"orders", "refunds", "spend", "visits", "nps", "events"};
  static final String[] READ_PATHS = {"/api/v1/kpis", "/api/v1/plan", "/api/v1/series",
      "/api/v1/stream", "/", "/metrics", "/index.html"};
  static final String[] TYPES = {"application/json", "application/x-ndjson", "text/csv"};

  final long seed = System.nanoTime();
  final Random rnd = new Random(seed);

  /** Where requests that fail authentication come from. */
  static final String OTHER = "127.0.0.3";

  /** One request; {@code address} the local address to send it from, null for the usual client. */
  record Req(String method, String path, String contentType, String token, byte[] body, String what,
      String address) {
    Req(String method, String path, String contentType, String token, byte[] body, String what) {
      this(method, path, contentType, token, body, what, null);
    }

    Req fromAddress(String a) {
      return new Req(method, path, contentType, token, body, what, a);
    }

    /** A login with a wrong token is sent back to the form (303): a refusal too. */
    boolean refused(int status) {
      return status >= 400 && status <= 499 || path.equals("/login") && status == 303;
    }
  }

  @Test
  void malformedInputNeverBreaksTheServerOrItsData(Vertx vertx) throws Exception {
    Config config = Config.from(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST", "127.0.0.1",
        "WARROOM_BODY_LIMIT_BYTES", "65536", "WARROOM_MAX_ROWS", "50", "WARROOM_INGEST_RATE", "0"),
        new String[0]).withTokens(List.of(INGEST), ADMIN, VIEW);
    try (TestApp app = TestApp.deploy(vertx, config, SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-11T12:00:00+08:00"))) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
      // Data accepted before the storm.
      String good = "[" + order("keep-1", "10.25") + "," + order("keep-2", "99") + "]";
      assertEquals(200, send(http, app.port, new Req("POST", "/api/v1/orders", "application/json", INGEST,
          bytes(good), "good")).get());
      JsonObject before = strip(app.kpisAs(VIEW));

      ConnectionStorm storm = new ConnectionStorm(app.port);
      storm.start();
      List<Supplier<Req>> gens = generators();
      Map<String, Integer> byStatus = new TreeMap<>();
      List<String> failures = new ArrayList<>();
      int total = 0;
      while (total < 10_500) {
        List<CompletableFuture<Integer>> wave = new ArrayList<>();
        List<Req> reqs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          Req q = gens.get(rnd.nextInt(gens.size())).get();
          reqs.add(q);
          wave.add(send(http, app.port, q));
        }
        for (int i = 0; i < wave.size(); i++) {
          int status = wave.get(i).get(60, TimeUnit.SECONDS);
          Req q = reqs.get(i);
          byStatus.merge(q.what() + (q.address() == null ? " " : " from " + q.address() + " ") + status, 1,
              Integer::sum);
          // The throttle of failed authentications must never reach the requests with right tokens.
          if (!q.refused(status) || status == 429 && q.address() == null) {
            if (failures.size() < 20) failures.add(reqs.get(i).what() + " -> " + status + " body: "
                + preview(reqs.get(i).body()));
          }
        }
        total += wave.size();
      }
      total += rawGarbage(app, failures, byStatus);
      assertTrue(failures.isEmpty(), "seed " + seed + ": " + failures + "\n" + byStatus);
      assertTrue(total >= 10_000);
      System.err.println("fuzz seed " + seed + ": " + byStatus);
      assertTrue(byStatus.keySet().stream().anyMatch(k -> k.endsWith(" from " + OTHER + " 429")),
          "the failures were throttled: " + byStatus);
      storm.finish();

      assertEquals(200, app.get("/health").statusCode());
      JsonObject after = strip(app.kpisAs(VIEW));
      assertEquals(before, after, "the data accepted before is intact");
      assertEquals(109.25, after.getJsonObject("windows").getJsonObject("campaign").getDouble("revenue"));
    }
  }

  /**
   * Legal input at its extremes (issue 14): amounts at the limit, a flood of channels and ad
   * channels with names of 200 wide characters, sessions at the limit, and plans at and just past
   * the limits of section 15, while /health is asked every 100 ms. Nothing answers 5xx, /health
   * answers within a second throughout, the snapshot stays under 64 KiB, and every figure equals
   * an independent sum of what was accepted, the data sent before included.
   */
  @Test
  void legalExtremesKeepEveryNumberExactAndTheServerAnswering(Vertx vertx) throws Exception {
    Config config = Config.from(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST", "127.0.0.1",
        "WARROOM_INGEST_RATE", "0"), new String[0]).withTokens(List.of(INGEST), ADMIN, VIEW);
    Plan plan = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
    try (TestApp app = TestApp.deploy(vertx, config, plan, MutableClock.at("2026-11-11T12:00:00+08:00"))) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
      List<Oracle.R> kept = new ArrayList<>();
      long ts = OffsetDateTime.parse(TS).toInstant().toEpochMilli();
      // Orders near the largest amount, enough of them (over 92,233) to pass what cents in a long hold.
      String[] amounts = {"1000000000000", "999999999999.99", "1000000000000", "0.01"};
      String wide = "渠".repeat(190);
      long[] slowest = new long[1];
      List<String> healthFailures = new CopyOnWriteArrayList<>();
      String[] step = {"start"};
      AtomicBoolean done = new AtomicBoolean();
      // Its own client: the senders' connections must not hold the probe up on this side.
      java.net.http.HttpClient probe = java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
      Thread prober = new Thread(() -> {
        while (!done.get()) {
          long t0 = System.nanoTime();
          try {
            int status = probe.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + app.port + "/health")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) healthFailures.add("status " + status);
          } catch (Exception e) {
            healthFailures.add(e + " at " + Instant.now() + " (step " + step[0] + ")");
          }
          slowest[0] = Math.max(slowest[0], (System.nanoTime() - t0) / 1_000_000);
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      prober.start();
      List<String> failures = new ArrayList<>();
      int n = 0;
      for (int batch = 0; batch < 13; batch++) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10_000; i++, n++) {
          String channel = batch % 3 == 0 ? wide + n : pick("tmall", "jd", "store");
          String amount = amounts[n % amounts.length];
          switch (n % 10) {
            case 0, 1, 2, 3, 4, 5, 6, 7 -> {
              String ad = n % 2 == 0 ? wide + "ad" + n : null;
              b.append("{\"type\":\"order\",\"id\":\"x").append(n).append("\",\"ts\":\"").append(TS)
                  .append("\",\"customerId\":\"c").append(n % 5000).append("\",\"amount\":").append(amount)
                  .append(",\"channel\":\"").append(channel).append('"')
                  .append(ad == null ? "" : ",\"adChannel\":\"" + ad + "\"").append("}\n");
              kept.add(new Oracle.R("order", "x" + n, ts, new BigDecimal(amount),
                  "c" + (n % 5000), channel, null, ad, null, null, null));
            }
            case 8 -> {
              b.append("{\"type\":\"spend\",\"id\":\"x").append(n).append("\",\"ts\":\"").append(TS)
                  .append("\",\"category\":\"ads\",\"amount\":").append(amount).append(",\"adChannel\":\"")
                  .append(wide).append("sp").append(n).append("\"}\n");
              kept.add(new Oracle.R("spend", "x" + n, ts, new BigDecimal(amount),
                  null, null, null, wide + "sp" + n, "ads", null, null));
            }
            default -> {
              b.append("{\"type\":\"visit\",\"id\":\"x").append(n).append("\",\"ts\":\"").append(TS)
                  .append("\",\"channel\":\"").append(channel).append("\",\"sessions\":2147483647}\n");
              kept.add(new Oracle.R("visit", "x" + n, ts, null, null, channel, null,
                  null, null, Integer.MAX_VALUE, null));
            }
          }
        }
        step[0] = "batch " + batch + " from " + Instant.now();
        int status = send(http, app.port, new Req("POST", "/api/v1/events", "application/x-ndjson", INGEST,
            bytes(b.toString()), "extremes")).get(120, TimeUnit.SECONDS);
        if (status != 200) failures.add("batch " + batch + " -> " + status);
        if (batch % 4 != 3) continue;
        // Plans at and past the limits between some batches: past them 400, at them 200.
        JsonObject seed = new JsonObject(PlanParser.toJson(plan).toString());
        JsonObject atLimit = seed.copy();
        atLimit.getJsonObject("targets").put("revenue", 1_000_000_000_000L);
        atLimit.getJsonObject("budget").put("ads", 1_000_000_000_000L);
        JsonObject pastLimit = seed.copy().put("end", "2027-11-03"); // 367 days
        step[0] = "plans from " + Instant.now();
        for (Object[] put : new Object[][] {{atLimit, 200}, {pastLimit, 400}, {seed, 200}}) {
          int s2 = send(http, app.port, new Req("PUT", "/api/v1/plan", "application/json", ADMIN,
              bytes(((JsonObject) put[0]).encode()), "plan")).get(60, TimeUnit.SECONDS);
          if (s2 != (int) put[1]) failures.add("plan put -> " + s2 + ", expected " + put[1]);
        }
      }
      done.set(true);
      prober.join();
      assertTrue(failures.isEmpty(), failures.toString());
      assertTrue(healthFailures.isEmpty(), "/health failed: " + healthFailures);
      assertTrue(slowest[0] < Long.getLong("fuzz.health.ms", 1000), "/health took " + slowest[0] + " ms at worst");

      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + app.port + "/api/v1/kpis"))
          .header("Authorization", "Bearer " + VIEW).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(r.body().length() < 64 * 1024, "snapshot of " + r.body().length() + " bytes");
      JsonNode snap = new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .readTree(r.body());
      Expect.campaign(snap, kept, plan);
    }
  }

  static String pick(String... options) {
    return options[ThreadLocalRandom.current().nextInt(options.length)];
  }

  static JsonObject strip(JsonObject s) {
    JsonObject c = s.copy();
    c.remove("seq");
    c.remove("asOf");
    c.remove("ingest");
    c.getJsonObject("plan").remove("elapsed");
    return c;
  }

  static RequestOptions get(String path, String token) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI(path);
    if (token != null) o.putHeader("Authorization", "Bearer " + token);
    return o;
  }

  /** Sends one request with the JDK client; completes with its status, or -1 if it failed. */
  CompletableFuture<Integer> send(java.net.http.HttpClient http, int port, Req q) {
    if (q.address() != null) return sendFrom(port, q);
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + q.path())).timeout(Duration.ofSeconds(20))
        .method(q.method(), q.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(q.body()));
    if (q.contentType() != null) b.header("Content-Type", q.contentType());
    if (q.token() != null) b.header("Authorization", q.token().startsWith("RAW:") ? q.token().substring(4)
        : "Bearer " + q.token());
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
        .thenApply(r -> {
          try (InputStream in = r.body()) {
            if (!q.path().startsWith("/api/v1/stream")) in.readAllBytes();
          } catch (IOException e) {
            return -2;
          }
          return r.statusCode();
        }).exceptionally(e -> -1);
  }

  List<Supplier<Req>> generators() {
    List<Supplier<Req>> g = new ArrayList<>();
    // Random bytes as each body type.
    g.add(() -> ingest(TYPES[0], randomBytes(1 + rnd.nextInt(2000)), "json random bytes"));
    g.add(() -> ingest(TYPES[1], nonBlank(randomBytes(8 + rnd.nextInt(2000))), "ndjson random bytes"));
    g.add(() -> ingest(TYPES[2], concat(bytes("id,ts,amount\n"), nonBlank(randomBytes(8 + rnd.nextInt(500)))),
        "csv random row"));
    // Truncated documents and records.
    g.add(() -> {
      String doc = "[" + order("t1", "5") + "," + order("t2", "6") + "]";
      return ingest(TYPES[0], bytes(doc.substring(0, rnd.nextInt(doc.length() - 1))), "json truncated");
    });
    g.add(() -> {
      String rec = order("t3", "5");
      return ingest(TYPES[1], bytes(rec.substring(0, 1 + rnd.nextInt(rec.length() - 2))), "ndjson truncated");
    });
    g.add(() -> {
      String row = "id,ts,customerId,amount,channel\nt4," + TS + ",c,";
      return ingest(TYPES[2], bytes(row.substring(0, 33 + rnd.nextInt(row.length() - 33))), "csv truncated");
    });
    // Deep nesting, in the document and inside a record.
    g.add(() -> ingest(TYPES[0], bytes("[".repeat(65 + rnd.nextInt(3000))), "json deep"));
    g.add(() -> ingest(TYPES[rnd.nextInt(2)], bytes("{\"id\":\"n\",\"x\":" + "{\"a\":".repeat(70 + rnd.nextInt(500))
        + "1" + "}".repeat(70) + "}"), "nested record"));
    // Oversized bodies and too many rows.
    g.add(() -> ingest(TYPES[rnd.nextInt(3)], new byte[65_537 + rnd.nextInt(10_000)], "oversized"));
    g.add(() -> {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 51 + rnd.nextInt(20); i++) b.append(order("many" + i, "1")).append('\n');
      return ingest(TYPES[1], bytes(b.toString()), "too many rows");
    });
    // Wrongly typed and overlong fields.
    g.add(() -> ingest(TYPES[0], bytes(order("w", "\"" + rnd.nextInt(1000) + "\"")), "amount as string"));
    g.add(() -> ingest(TYPES[0], bytes(order("x".repeat(201 + rnd.nextInt(5000)), "1")), "long id"));
    g.add(() -> ingest(TYPES[0], bytes(order("big", "1e" + (20 + rnd.nextInt(400)))), "huge amount"));
    g.add(() -> ingest(TYPES[0], bytes("{\"id\":\"m\",\"ts\":\"" + TS + "\",\"customerId\":[1],\"amount\":1,"
        + "\"channel\":{}}"), "nested values"));
    // Wrong encodings.
    g.add(() -> ingest(TYPES[rnd.nextInt(3)], concat(bytes("{\"id\":\""), new byte[] {(byte) 0xC3, (byte) 0x28},
        bytes("\"}\n")), "invalid utf-8"));
    g.add(() -> ingest(TYPES[0], order("u16", "1").getBytes(StandardCharsets.UTF_16), "utf-16"));
    // Wrong, odd and missing content types.
    g.add(() -> new Req("POST", "/api/v1/" + INGEST_PATHS[rnd.nextInt(6)], pick("text/plain",
        "application/xml", "multipart/form-data; boundary=x", "json", ";;;", "application/json-seq",
        "*/*", null), INGEST, bytes(order("ct", "1")), "content type"));
    // Garbage credentials everywhere.
    g.add(() -> new Req(pick("GET", "GET", "POST", "PUT"), pick(READ_PATHS[rnd.nextInt(READ_PATHS.length)],
        "/api/v1/orders", "/api/v1/plan", "/api/v1/kiosk"), "application/json",
        "RAW:" + pick("Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer " + randomAscii(40), randomAscii(30),
            "Bearer " + VIEW + "x", "Bearer " + INGEST.toUpperCase(), "Token " + ADMIN),
        bytes(order("auth", "1")), "bad credentials").fromAddress(OTHER));
    // Reading with the ingest token, writing with the view token.
    g.add(() -> new Req("GET", READ_PATHS[rnd.nextInt(READ_PATHS.length)], null, INGEST, null,
        "ingest token reads").fromAddress(OTHER));
    g.add(() -> new Req("POST", "/api/v1/" + INGEST_PATHS[rnd.nextInt(6)], "application/json", VIEW,
        bytes(order("v", "1")), "view token ingests").fromAddress(OTHER));
    // Plans that are not plans.
    g.add(() -> new Req("PUT", "/api/v1/plan", "application/json", ADMIN, pickBytes(randomBytes(200),
        bytes("{}"), bytes("[]"), bytes("{\"id\":\"p\",\"start\":\"2026-11-01\",\"end\":\"2026-10-01\"}"),
        bytes("{\"id\":\"p\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\",\"budget\":{\"ads\":\"lots\"}}"),
        bytes("{\"id\":\"p\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\",\"targets\":{\"vibes\":1}}"),
        bytes("[".repeat(100)), new byte[0]), "bad plan"));
    // Unknown paths, methods and kiosk codes.
    g.add(() -> new Req(pick("GET", "DELETE", "PATCH", "POST"), pick("/api/v2/orders", "/api/v1/orders/1",
        "/api/v1/" + randomAscii(10).replaceAll("[^a-z]", "x"), "/kiosk/" + randomAscii(12).replaceAll("[^a-z]", "y")),
        null, ADMIN, null, "unknown").fromAddress(OTHER));
    g.addAll(textGenerators());
    return g;
  }

  Req ingest(String type, byte[] body, String what) {
    return new Req("POST", "/api/v1/" + INGEST_PATHS[rnd.nextInt(6)] + "?atomic=true", type, INGEST, body, what);
  }

  /** Malformed HTTP itself, over a raw socket: each must be answered with a 4xx status line. */
  int rawGarbage(TestApp app, List<String> failures, Map<String, Integer> byStatus) {
    NetClient net = app.vertx.createNetClient();
    String[] requests = {
        "GET /api/v1/kpis HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
        "GET /api/v1/kpis HTTP/1.1\r\nHost: x\r\nX-Long: " + "z".repeat(20_000) + "\r\n\r\n",
        "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "\u0000\u0001\u0002 garbage\r\n\r\n",
    };
    int n = 0;
    for (int i = 0; i < 40; i++) {
      for (String r : requests) {
        Promise<String> answer = Promise.promise();
        StringBuilder got = new StringBuilder();
        NetSocket s = TestApp.await(net.connect(app.port, "127.0.0.1"));
        s.handler(b -> {
          got.append(b.toString(StandardCharsets.ISO_8859_1));
          if (got.indexOf("\r\n") >= 0) answer.tryComplete(got.toString());
        });
        s.closeHandler(v -> answer.tryComplete(got.toString()));
        s.write(Buffer.buffer(r.getBytes(StandardCharsets.ISO_8859_1)));
        String line = TestApp.await(answer.future());
        s.close();
        String status = line.length() >= 12 ? line.substring(9, 12) : "closed";
        byStatus.merge("raw " + status, 1, Integer::sum);
        // Broken chunk framing leaves no way to find the next request: closing is the answer.
        if (!(status.startsWith("4") || (status.equals("closed") && r.contains("chunked")))) {
          failures.add("raw request " + r.substring(0, Math.min(60, r.length())) + " -> " + line);
        }
        n++;
      }
    }
    net.close();
    return n;
  }

  final ExecutorService rawSenders = Executors.newFixedThreadPool(16,
      r -> {
        Thread t = new Thread(r, "fuzz-raw-sender");
        t.setDaemon(true);
        return t;
      });

  /** Sends one request over a socket bound to {@code q.address()}; its status, or -1. */
  CompletableFuture<Integer> sendFrom(int port, Req q) {
    return CompletableFuture.supplyAsync(() -> {
      try (Socket s = new Socket()) {
        s.bind(new InetSocketAddress(q.address(), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(20_000);
        byte[] body = q.body() == null ? new byte[0] : q.body();
        StringBuilder head = new StringBuilder(q.method() + " " + q.path()
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n");
        if (q.contentType() != null) head.append("Content-Type: ").append(q.contentType()).append("\r\n");
        if (q.token() != null) {
          head.append("Authorization: ").append(q.token().startsWith("RAW:") ? q.token().substring(4)
              : "Bearer " + q.token()).append("\r\n");
        }
        OutputStream out = s.getOutputStream();
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) line.append((char) c);
        if (line.length() < 12) return -1;
        int status = Integer.parseInt(line.substring(9, 12));
        if (!q.path().startsWith("/api/v1/stream") || status != 200) in.readAllBytes();
        return status;
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }, rawSenders);
  }

  // ---- Text: lone surrogates and NUL (issue 14, item 3) ----

  /** A valid record of each type as field -> JSON value; string values are its string fields. */
  static final List<Map<String, Object>> TEXT_RECORDS = List.of(
      Map.of("type", "order", "id", "t", "ts", TS, "customerId", "c", "amount", 1, "channel", "jd",
          "adChannel", "search"),
      Map.of("type", "refund", "id", "t", "ts", TS, "orderId", "o", "amount", 1),
      Map.of("type", "spend", "id", "t", "ts", TS, "category", "ads", "amount", 1, "adChannel", "search"),
      Map.of("type", "visit", "id", "t", "ts", TS, "channel", "jd", "sessions", 1),
      Map.of("type", "nps", "id", "t", "ts", TS, "score", 9, "customerId", "c"));

  /** Text that is not valid: a lone surrogate (high, low, or a pair reversed) or a NUL, somewhere. */
  String badText() {
    String bad = switch (rnd.nextInt(4)) {
      case 0 -> String.valueOf((char) (0xD800 + rnd.nextInt(0x400)));
      case 1 -> String.valueOf((char) (0xDC00 + rnd.nextInt(0x400)));
      case 2 -> "\udc00\ud800";
      default -> "\u0000";
    };
    String around = randomAscii(rnd.nextInt(8)).replaceAll("[\",\\\\]", "x");
    int at = rnd.nextInt(around.length() + 1);
    return around.substring(0, at) + bad + around.substring(at);
  }

  List<Supplier<Req>> textGenerators() {
    List<Supplier<Req>> g = new ArrayList<>();
    // A bad string in a random field of a random type, in every format (atomic: nothing kept).
    g.add(() -> {
      Map<String, Object> r = new LinkedHashMap<>(TEXT_RECORDS.get(rnd.nextInt(TEXT_RECORDS.size())));
      List<String> strings = r.keySet().stream().filter(k -> r.get(k) instanceof String).toList();
      r.put(strings.get(rnd.nextInt(strings.size())), badText());
      String path = "/api/v1/events?atomic=true";
      int format = rnd.nextInt(4);
      byte[] body = switch (format) {
        case 0 -> bytes(jsonText(r, false));
        case 1 -> bytes(jsonText(r, false) + "\n" + jsonText(TEXT_RECORDS.get(0), false) + "\n");
        case 2 -> cesu8(jsonText(r, true)); // a surrogate as raw (CESU-8) bytes
        default -> cesu8(String.join(",", r.keySet()) + "\n" + String.join(",",
            r.values().stream().map(String::valueOf).toList()) + "\n");
      };
      return new Req("POST", path, TYPES[format == 3 ? 2 : format == 1 ? 1 : 0], INGEST, body, "text in a field");
    });
    // Odd field names (NUL, surrogates) on a record that is invalid anyway.
    g.add(() -> ingest(TYPES[rnd.nextInt(2)], bytes("{\"id\":\"k\",\"ts\":\"" + TS + "\",\"" + escape(badText())
        + "\":\"" + escape(badText()) + "\",\"id" + escape("\u0000") + "\":1}"), "text in field names"));
    // Bad text in a silence (admin, 400) and in a login form (another address: a wrong token).
    g.add(() -> new Req("POST", "/api/v1/alerts/silences", "application/json", ADMIN,
        bytes("{\"rule\":\"" + (rnd.nextBoolean() ? "pace-revenue" : escape(badText())) + "\",\"for\":\"1h\","
            + "\"comment\":\"" + escape(badText()) + "\"}"), "text in a silence"));
    g.add(() -> new Req("POST", "/login", "application/x-www-form-urlencoded", null,
        bytes("token=" + pick("%00", "%ED%A0%80", "%zz", "%", "a%00b", VIEW + "%00")), "text in a login")
        .fromAddress(OTHER));
    return g;
  }

  /** A JSON object; strings with every character outside printable ASCII as \\u escapes (raw: as is). */
  static String jsonText(Map<String, Object> r, boolean raw) {
    List<String> members = new ArrayList<>();
    for (Map.Entry<String, Object> e : r.entrySet()) {
      Object v = e.getValue();
      members.add("\"" + e.getKey() + "\":" + (v instanceof String t
          ? "\"" + (raw ? t.replace("\u0000", "\\u0000") : escape(t)) + "\"" : String.valueOf(v)));
    }
    return "{" + String.join(",", members) + "}";
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') b.append(c);
      else b.append(String.format("\\u%04x", (int) c));
    }
    return b.toString();
  }

  /** UTF-8, with each lone surrogate as its own three bytes (CESU-8), which is not UTF-8. */
  static byte[] cesu8(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.writeBytes(s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else if (Character.isSurrogate(c)) {
        out.write(0xE0 | c >> 12);
        out.write(0x80 | c >> 6 & 0x3F);
        out.write(0x80 | c & 0x3F);
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  // ---- Connections: slow and half-open (issue 14, item 5) ----

  /**
   * Opens slow and half-open connections all through the storm, for its first STORM_MS: some send
   * a request head a line at a time, some send nothing, some send half a head and close their
   * side, some reset mid-head. The server must close each of the first two kinds within the head
   * deadline (10 s), every kind must be gone once the deadline passed, and /health must answer
   * within a second throughout.
   */
  static final class ConnectionStorm {
    static final long STORM_MS = 20_000;
    static final long DEADLINE_MS = 10_000;
    final int port;
    final Vertx clients = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(1));
    final NetClient net = clients.createNetClient();
    final ConnectionsTest.Prober health;
    /** Per slow connection: when it was asked for, and when it closed (0 until then), in nanos. */
    final List<AtomicLongArray> slow = new CopyOnWriteArrayList<>();
    final List<NetSocket> trickling = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final AtomicInteger halfOpenClosed = new AtomicInteger();
    final AtomicInteger halfOpen = new AtomicInteger();
    final long started = System.nanoTime();
    Thread halfOpener;
    long opener;
    long trickler;

    ConnectionStorm(int port) {
      this.port = port;
      this.health = new ConnectionsTest.Prober(port);
    }

    void start() {
      health.start();
      opener = clients.setPeriodic(1_000, id -> {
        if ((System.nanoTime() - started) / 1_000_000 > STORM_MS) return;
        for (int i = 0; i < 60; i++) {
          AtomicLongArray times = new AtomicLongArray(
              new long[] {System.nanoTime(), 0});
          slow.add(times);
          boolean silent = i % 4 == 0;
          net.connect(port, "127.0.0.1").onSuccess(s -> {
            s.closeHandler(v -> times.set(1, System.nanoTime()));
            if (!silent) {
              s.write("POST /api/v1/orders HTTP/1.1\r\nHost: x\r\n");
              trickling.add(s);
            }
          }).onFailure(e -> problems.add("connect: " + e));
        }
      });
      trickler = clients.setPeriodic(1_000, id -> {
        for (NetSocket s : trickling) s.write("X-Slow: z\r\n");
      });
      halfOpener = new Thread(() -> {
        while ((System.nanoTime() - started) / 1_000_000 <= STORM_MS) {
          for (int i = 0; i < 10; i++) {
            boolean reset = i % 2 == 0;
            try (Socket s = new Socket("127.0.0.1", port)) {
              s.getOutputStream().write("GET /api/v1/kpis HTTP/1.1\r\nHo".getBytes(StandardCharsets.ISO_8859_1));
              halfOpen.incrementAndGet();
              if (reset) {
                s.setSoLinger(true, 0); // closing sends a reset
              } else {
                s.shutdownOutput();
                s.setSoTimeout((int) DEADLINE_MS + 5_000);
                if (s.getInputStream().read() == -1) halfOpenClosed.incrementAndGet();
                else problems.add("a half-closed connection got an answer");
              }
            } catch (IOException e) {
              problems.add("half-open: " + e);
            }
          }
          try {
            Thread.sleep(500);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      halfOpener.start();
    }

    /** Waits until the server closed every slow one, then checks each was closed in time. */
    void finish() throws Exception {
      long end = started + TimeUnit.MILLISECONDS.toNanos(STORM_MS + DEADLINE_MS + 8_000);
      try {
        eventually(() -> slow.stream().allMatch(t -> t.get(1) != 0),
            Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())),
            () -> slow.stream().filter(t -> t.get(1) == 0).count() + " of " + slow.size()
                + " slow connections still open past their deadline");
      } finally {
        clients.cancelTimer(opener);
        clients.cancelTimer(trickler);
        halfOpener.join(DEADLINE_MS + 10_000);
        health.finish();
        TestApp.await(clients.close());
      }
      assertEquals(List.of(), problems);
      assertTrue(slow.size() >= 600, slow.size() + " slow connections");
      for (AtomicLongArray t : slow) {
        long ms = (t.get(1) - t.get(0)) / 1_000_000;
        assertTrue(t.get(1) != 0 && ms >= DEADLINE_MS && ms <= DEADLINE_MS + 6_000,
            "a slow connection closed after " + (t.get(1) == 0 ? "never" : ms + " ms"));
      }
      assertTrue(halfOpen.get() >= 100, halfOpen + " half-open connections");
      assertEquals(halfOpen.get() / 2, halfOpenClosed.get(), "each half-closed one closed by the server");
    }
  }

  static String order(String id, String amount) {
    return "{\"id\":\"" + id + "\",\"ts\":\"" + TS + "\",\"customerId\":\"c\",\"amount\":" + amount
        + ",\"channel\":\"jd\"}";
  }

  byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  static byte[] nonBlank(byte[] b) {
    b[0] = '#';
    return b;
  }

  String randomAscii(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) b.append((char) (33 + rnd.nextInt(94)));
    return b.toString();
  }

  @SafeVarargs
  final <T> T pick(T... options) {
    return options[rnd.nextInt(options.length)];
  }

  byte[] pickBytes(byte[]... options) {
    return options[rnd.nextInt(options.length)];
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  static String preview(byte[] b) {
    if (b == null) return "";
    String s = new String(b, 0, Math.min(80, b.length), StandardCharsets.UTF_8);
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
