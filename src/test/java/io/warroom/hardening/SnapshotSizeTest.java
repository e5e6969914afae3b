package io.warroom.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.SseClient;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CONTRACT section 5: GET /api/v1/kpis stays under 64 KiB whatever the feeds send, with every
 * part the feeds can widen at its widest at once: 50 channels and ad channels of 200 Chinese
 * characters, five breakdowns of 10,000 such keys, 100 counters of 64-character names, and the
 * previous month's windows.
 */
@ExtendWith(VertxExtension.class)
class SnapshotSizeTest {
  static final String TS = "2026-11-11T10:00:00+08:00";
  static final String OCTOBER = "2026-10-11T10:00:00+08:00";

  @Test
  void everyPartAtItsWidestAtOnceStaysUnder64KiB(Vertx vertx) {
    try (TestApp app = start(vertx)) {
      String wide = "宽".repeat(192);
      int n = 0;
      for (int batch = 0; batch < 10; batch++) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 1_000; i++, n++) {
          String k = wide + String.format("%08d", n);
          String ts = n % 2 == 0 ? TS : OCTOBER;
          b.append("{\"type\":\"order\",\"id\":\"o").append(n).append("\",\"ts\":\"").append(ts)
              .append("\",\"customerId\":\"").append(k).append("\",\"amount\":1,\"channel\":\"")
              .append(k).append("\",\"adChannel\":\"").append(k).append("\",\"sku\":\"").append(k)
              .append("\",\"productCategory\":\"").append(k).append("\",\"region\":\"").append(k)
              .append("\",\"segment\":\"").append(k).append("\",\"tags\":[\"").append(k)
              .append("\",\"").append(k.replace('宽', '签')).append("\"]}\n");
          b.append("{\"type\":\"spend\",\"id\":\"s").append(n).append("\",\"ts\":\"").append(ts)
              .append("\",\"category\":\"ads\",\"amount\":1,\"adChannel\":\"").append(k).append("\"}\n");
          b.append("{\"type\":\"visit\",\"id\":\"v").append(n).append("\",\"ts\":\"").append(ts)
              .append("\",\"channel\":\"").append(k).append("\",\"sessions\":3,\"region\":\"")
              .append(k).append("\"}\n");
        }
        post(app, "/api/v1/events", b.toString(), 3_000);
      }
      post(app, "/api/v1/counts", counters(TS, 123456789), 100);

      HttpResponse<Buffer> r = app.get("/api/v1/kpis");
      assertEquals(200, r.statusCode());
      assertTrue(r.body().length() < 64 * 1024, "snapshot of " + r.body().length() + " bytes");
      JsonObject s = r.bodyAsJsonObject();
      // Every record still counts, and every wide part is there.
      assertEquals(5_000, s.getJsonObject("windows").getJsonObject("campaign").getLong("orders"));
      assertEquals(5_000, s.getJsonObject("windows").getJsonObject("previous").getLong("orders"));
      assertEquals(100, s.getJsonObject("counters").size());
      assertEquals(5, s.getJsonObject("breakdowns").size());
      // Names are shortened step by step: ten channels, and 4,080 bytes of names per breakdown
      // hold six keys of 584 bytes each (the 600 bytes of the next step would hold one).
      assertEquals(11, s.getJsonObject("channels").size(), "ten and (other)");
      for (String d : s.getJsonObject("breakdowns").fieldNames()) {
        assertEquals(6, s.getJsonObject("breakdowns").getJsonObject(d).getJsonArray("top").size(), d);
      }

      // The report lists what the wall lists, though it has no limit of its own.
      JsonObject report = app.get("/api/v1/report").bodyAsJsonObject();
      assertEquals(s.getJsonObject("channels"), report.getJsonObject("channels"));
      assertEquals(s.getJsonObject("adChannels"), report.getJsonObject("adChannels"));
      assertEquals(s.getJsonObject("breakdowns"), report.getJsonObject("breakdowns"));

      // The stream lists the same names as GET, though its snapshot event alone would fit more.
      try (SseClient stream = SseClient.connect(vertx, app.port, null, null)) {
        Map<String, JsonObject> got = new HashMap<>();
        while (!got.containsKey("snapshot") || !got.containsKey("breakdowns")) {
          SseClient.Event e = stream.nextAny(10_000);
          if (e.event().equals("snapshot") || e.event().equals("breakdowns")) got.put(e.event(), e.json());
        }
        assertEquals(s.getLong("seq"), got.get("snapshot").getLong("seq"));
        assertEquals(s.getJsonObject("channels"), got.get("snapshot").getJsonObject("channels"));
        assertEquals(s.getJsonObject("adChannels"), got.get("snapshot").getJsonObject("adChannels"));
        assertEquals(s.getJsonObject("breakdowns"), got.get("breakdowns"));
      }
    }
  }

  /**
   * A table's names take at most 6 KiB as written: a control character is six bytes of JSON
   * ({@code \u0001}), a quote or backslash two. Sixty channels of 190 control characters (1,144
   * bytes each as written, 8 more for the JSON around each) list the five largest.
   */
  @Test
  void namesAreCountedAsWrittenInJson(Vertx vertx) {
    try (TestApp app = start(vertx)) {
      StringBuilder b = new StringBuilder();
      long rest = 0;
      for (int i = 0; i < 60; i++) {
        String name = String.format("ch%02d", i) + "\\u0001".repeat(190);
        String quoted = String.format("q%02d", i) + "\\\"\\\\".repeat(95); // 95 x (\" and \\)
        b.append("{\"type\":\"order\",\"id\":\"o").append(i).append("\",\"ts\":\"").append(TS)
            .append("\",\"customerId\":\"c").append(i).append("\",\"amount\":").append(100 + i)
            .append(",\"channel\":\"").append(name).append("\",\"adChannel\":\"").append(quoted)
            .append("\"}\n");
        if (i < 55) rest += 100 + i;
      }
      post(app, "/api/v1/events", b.toString(), 60);
      JsonObject s = app.get("/api/v1/kpis").bodyAsJsonObject();
      List<String> names = new ArrayList<>(s.getJsonObject("channels").fieldNames());
      List<String> expected = new ArrayList<>();
      for (int i = 59; i >= 55; i--) expected.add(String.format("ch%02d", i) + "\u0001".repeat(190));
      expected.add("(other)");
      assertEquals(expected, names);
      assertEquals(rest, s.getJsonObject("channels").getJsonObject("(other)").getLong("revenue"));
      // 95 quotes and 95 backslashes: 383 bytes as written, 391 with the JSON around: 15 fit
      assertEquals(16, s.getJsonObject("adChannels").size());
      assertTrue(s.getJsonObject("adChannels").fieldNames().contains(
          "q59" + "\"\\".repeat(95)));
      JsonObject report = app.get("/api/v1/report").bodyAsJsonObject();
      assertEquals(s.getJsonObject("channels"), report.getJsonObject("channels"));
      assertEquals(s.getJsonObject("adChannels"), report.getJsonObject("adChannels"));
    }
  }

  /** A server on the seed plan of November 2026, at noon on the 11th, without a rate limit. */
  static TestApp start(Vertx vertx) {
    Config config = Config.from(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST", "127.0.0.1",
        "WARROOM_INGEST_RATE", "0"), new String[0]);
    return TestApp.deploy(vertx, config, SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-11T12:00:00+08:00"));
  }

  /** The most counters a node keeps (100), each of a 64-character name, counting {@code value}. */
  static String counters(String ts, long value) {
    StringBuilder counts = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      String name = String.format("%03d", i) + "-".repeat(61);
      counts.append("{\"id\":\"c").append(i).append("\",\"ts\":\"").append(ts)
          .append("\",\"name\":\"").append(name).append("\",\"value\":").append(value)
          .append("}\n");
    }
    return counts.toString();
  }

  /** Posts NDJSON that must be taken whole: {@code rows} accepted, none rejected. */
  static void post(TestApp app, String path, String ndjson, int rows) {
    HttpResponse<Buffer> r = app.post(path, "application/x-ndjson", ndjson);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(0, r.bodyAsJsonObject().getJsonArray("rejected").size(), r.bodyAsString());
    assertEquals(rows, r.bodyAsJsonObject().getInteger("accepted"), r.bodyAsString());
  }
}
