package io.warroom.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.Promise;
import io.warroom.Config;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.plan.SeedPlan;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * At least 10,000 malformed, truncated, oversized, deeply nested and wrongly encoded bodies and
 * headers to every endpoint: each answered with a 4xx, never a 5xx; afterwards the server still
 * answers /health and the data accepted before is intact.
 */
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

  record Req(String method, String path, String contentType, String token, byte[] body, String what) {}

  @Test
  void malformedInputNeverBreaksTheServerOrItsData() throws Exception {
    Config config = Config.from(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST", "127.0.0.1",
        "WARROOM_BODY_LIMIT_BYTES", "65536", "WARROOM_MAX_ROWS", "50", "WARROOM_INGEST_RATE", "0"),
        new String[0]).withTokens(List.of(INGEST), ADMIN, VIEW);
    try (TestApp app = TestApp.start(config, SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-11T12:00:00+08:00"))) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
      // Data accepted before the storm.
      String good = "[" + order("keep-1", "10.25") + "," + order("keep-2", "99") + "]";
      assertEquals(200, send(http, app.port, new Req("POST", "/api/v1/orders", "application/json", INGEST,
          bytes(good), "good")).get());
      JsonObject before = strip(app.kpisAs(VIEW));

      List<Supplier<Req>> gens = generators();
      Map<String, Integer> byStatus = new TreeMap<>();
      List<String> failures = new ArrayList<>();
      int total = 0;
      while (total < 10_500) {
        List<java.util.concurrent.CompletableFuture<Integer>> wave = new ArrayList<>();
        List<Req> reqs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          Req q = gens.get(rnd.nextInt(gens.size())).get();
          reqs.add(q);
          wave.add(send(http, app.port, q));
        }
        for (int i = 0; i < wave.size(); i++) {
          int status = wave.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
          byStatus.merge(reqs.get(i).what() + " " + status, 1, Integer::sum);
          if (status < 400 || status > 499) {
            if (failures.size() < 20) failures.add(reqs.get(i).what() + " -> " + status + " body: "
                + preview(reqs.get(i).body()));
          }
        }
        total += wave.size();
      }
      total += rawGarbage(app, failures, byStatus);
      assertTrue(failures.isEmpty(), "seed " + seed + ": " + failures + "\n" + byStatus);
      assertTrue(total >= 10_000);

      assertEquals(200, app.get("/health").statusCode());
      JsonObject after = strip(app.kpisAs(VIEW));
      assertEquals(before, after, "the data accepted before is intact");
      assertEquals(109.25, after.getJsonObject("windows").getJsonObject("campaign").getDouble("revenue"));
    }
  }

  /** The snapshot without what moves on its own (seq, time, node counters). */
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
  java.util.concurrent.CompletableFuture<Integer> send(java.net.http.HttpClient http, int port, Req q) {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + q.path())).timeout(java.time.Duration.ofSeconds(20))
        .method(q.method(), q.body() == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofByteArray(q.body()));
    if (q.contentType() != null) b.header("Content-Type", q.contentType());
    if (q.token() != null) b.header("Authorization", q.token().startsWith("RAW:") ? q.token().substring(4)
        : "Bearer " + q.token());
    return http.sendAsync(b.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream())
        .thenApply(r -> {
          try (java.io.InputStream in = r.body()) {
            if (!q.path().startsWith("/api/v1/stream")) in.readAllBytes();
          } catch (java.io.IOException e) {
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
        bytes(order("auth", "1")), "bad credentials"));
    // Reading with the ingest token, writing with the view token.
    g.add(() -> new Req("GET", READ_PATHS[rnd.nextInt(READ_PATHS.length)], null, INGEST, null, "ingest token reads"));
    g.add(() -> new Req("POST", "/api/v1/" + INGEST_PATHS[rnd.nextInt(6)], "application/json", VIEW,
        bytes(order("v", "1")), "view token ingests"));
    // Plans that are not plans.
    g.add(() -> new Req("PUT", "/api/v1/plan", "application/json", ADMIN, pickBytes(randomBytes(200),
        bytes("{}"), bytes("[]"), bytes("{\"id\":\"p\",\"start\":\"2026-11-01\",\"end\":\"2026-10-01\"}"),
        bytes("{\"id\":\"p\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\",\"budget\":{\"ads\":\"lots\"}}"),
        bytes("{\"id\":\"p\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\",\"targets\":{\"vibes\":1}}"),
        bytes("[".repeat(100)), new byte[0]), "bad plan"));
    // Unknown paths, methods and kiosk codes.
    g.add(() -> new Req(pick("GET", "DELETE", "PATCH", "POST"), pick("/api/v2/orders", "/api/v1/orders/1",
        "/api/v1/" + randomAscii(10).replaceAll("[^a-z]", "x"), "/kiosk/" + randomAscii(12).replaceAll("[^a-z]", "y")),
        null, ADMIN, null, "unknown"));
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
