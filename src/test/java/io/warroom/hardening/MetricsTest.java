package io.warroom.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.warroom.MutableClock;
import io.warroom.SseClient;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** GET /metrics carries warroom's meters, with the right values after a known ingest. */
public class MetricsTest {
  static final String TS = "2026-11-15T10:00:00+08:00";

  /** The value of the one sample whose name and labels match, or fails. */
  static double sample(String text, String name, String... labels) {
    Double found = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) continue;
      boolean all = true;
      for (String l : labels) all &= line.contains(l);
      if (!all) continue;
      if (found != null) throw new AssertionError("more than one sample for " + name + " " + List.of(labels));
      found = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    if (found == null) throw new AssertionError("no sample " + name + " " + List.of(labels) + " in\n" + text);
    return found;
  }

  /** `promtool check metrics` (Prometheus's own linter) has nothing to say about the scrape. */
  static void promtoolFindsNothing(String scrape) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    Assumptions.assumeTrue(Files.isExecutable(promtool),
        "promtool is installed (bin/test installs Debian's prometheus package)");
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true)
        .start();
    try (var in = p.getOutputStream()) {
      in.write(scrape.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertEquals("", out.strip(), "promtool check metrics");
  }

  @Test
  void ingestStreamAndKpiMeters() throws Exception {
    try (TestApp app = TestApp.start(Config.defaults().withTokens(List.of("tmall-feed:s3cret-0123456789"), null, null)
        .withPushIntervalMs(50), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-16T00:00:00+08:00"));
        SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
      sse.next(2000);
      String body = "[{\"type\":\"order\",\"id\":\"o1\",\"ts\":\"" + TS + "\",\"customerId\":\"c1\",\"amount\":1000,\"channel\":\"tmall\"},"
          + "{\"type\":\"order\",\"id\":\"o2\",\"ts\":\"" + TS + "\",\"customerId\":\"c2\",\"amount\":500.5,\"channel\":\"jd\"},"
          + "{\"type\":\"order\",\"id\":\"o1\",\"ts\":\"" + TS + "\",\"customerId\":\"c1\",\"amount\":1000,\"channel\":\"tmall\"},"
          + "{\"type\":\"visit\",\"id\":\"v1\",\"ts\":\"" + TS + "\",\"channel\":\"jd\",\"sessions\":200},"
          + "{\"type\":\"visit\",\"id\":\"v2\",\"ts\":\"" + TS + "\",\"channel\":\"jd\",\"sessions\":0},"
          + "{\"type\":\"coupon\",\"id\":\"x\"}]";
      var r = TestApp.await(app.client.post("/api/v1/events").putHeader("Authorization", "Bearer s3cret-0123456789")
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
      assertEquals(200, r.statusCode());
      long seq = app.kpis().getLong("seq");
      while (Long.parseLong(sse.next(2000).id()) < seq) {
        // wait for the push that carries the ingest
      }
      String m = app.get("/metrics").bodyAsString();
      assertEquals(2, sample(m, "warroom_ingest_records_total", "outcome=\"accepted\"", "type=\"order\"", "source=\"tmall-feed\""));
      assertEquals(1, sample(m, "warroom_ingest_records_total", "outcome=\"accepted\"", "type=\"visit\""));
      assertEquals(1, sample(m, "warroom_ingest_records_total", "outcome=\"duplicate\"", "type=\"order\""));
      assertEquals(2, sample(m, "warroom_ingest_records_total", "outcome=\"rejected\"", "type=\"unknown\""));
      assertEquals(1, sample(m, "warroom_ingest_batch_rows_count", "endpoint=\"events\""));
      assertEquals(6, sample(m, "warroom_ingest_batch_rows_sum", "endpoint=\"events\""));
      assertEquals(1, sample(m, "warroom_ingest_request_seconds_count", "endpoint=\"events\"", "status=\"200\""));
      // One family per unit: money with its currency, ratios, quantities, scores.
      assertEquals(1500.5, sample(m, "warroom_kpi_amount", "kpi=\"revenue\"", "currency=\"CNY\""));
      assertEquals(1.2e7, sample(m, "warroom_kpi_target_amount", "kpi=\"revenue\"", "currency=\"CNY\""));
      assertEquals(2.0 / 200, sample(m, "warroom_kpi_ratio", "kpi=\"conversion\""));
      assertEquals(0.03, sample(m, "warroom_kpi_target_ratio", "kpi=\"conversion\""));
      assertEquals(750.25, sample(m, "warroom_kpi_amount", "kpi=\"aov\""));
      assertEquals(2, sample(m, "warroom_kpi_quantity", "kpi=\"orders\""));
      assertEquals(200, sample(m, "warroom_kpi_quantity", "kpi=\"sessions\""));
      assertTrue(Double.isNaN(sample(m, "warroom_kpi_score", "kpi=\"nps\"")), "no NPS answers yet");
      assertEquals(65, sample(m, "warroom_kpi_target_score", "kpi=\"nps\""));
      // revenue is far behind its expected share at mid-month: critical (2)
      assertEquals(2, sample(m, "warroom_kpi_status", "kpi=\"revenue\""));
      assertTrue(!m.contains("warroom_kpi_value"), "the mixed family is gone");
      // Latencies as histograms with buckets (they add up across nodes), no client-side quantiles.
      assertEquals(1, sample(m, "warroom_ingest_request_seconds_bucket", "endpoint=\"events\"",
          "status=\"200\"", "le=\"+Inf\""));
      assertEquals(1, sample(m, "warroom_ingest_batch_rows_bucket", "endpoint=\"events\"", "le=\"10.0\""));
      assertTrue(!m.contains("quantile="), "no summaries with quantiles");
      // JVM, GC, process and build information.
      assertTrue(m.contains("jvm_memory_used_bytes{"), "JVM memory");
      assertTrue(m.contains("jvm_gc_"), "GC");
      assertTrue(m.contains("process_cpu_usage"), "process CPU");
      assertTrue(m.contains("process_files_open_files"), "open files");
      assertEquals(1, sample(m, "warroom_build_info"));
      assertTrue(!m.contains("warroom_replication_"), "no replication on a node alone");
      assertEquals(1, sample(m, "warroom_alerting"));
      promtoolFindsNothing(m);
      assertEquals(0.5, sample(m, "warroom_plan_elapsed_ratio"));
      assertEquals(1, sample(m, "warroom_stream_clients"));
      assertTrue(sample(m, "warroom_stream_events_sent_total") >= 2);
      assertEquals(1, sample(m, "warroom_ingest_to_push_seconds_count"));
      assertTrue(m.contains("vertx_http_server_requests_total"), "Vert.x's own HTTP metrics");
      assertTrue(!m.contains("s3cret"), "no secret in metrics");

      // A plan in another currency: the amounts are labelled with it from then on, once.
      JsonObject plan = app.get("/api/v1/plan").bodyAsJsonObject().put("currency", "USD");
      assertEquals(200, TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer(plan.encode()))).statusCode());
      m = app.get("/metrics").bodyAsString();
      assertEquals(1500.5, sample(m, "warroom_kpi_amount", "kpi=\"revenue\"", "currency=\"USD\""));
      assertEquals(1.2e7, sample(m, "warroom_kpi_target_amount", "kpi=\"revenue\"", "currency=\"USD\""));
      assertTrue(!m.contains("currency=\"CNY\""), "no amount left in the old currency");
      promtoolFindsNothing(m);
    }
  }

  @Test
  void ingestToPushLeavesOutTimeWithoutScreens() throws Exception {
    try (TestApp app = TestApp.start(Config.defaults().withPushIntervalMs(50),
        SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at("2026-11-16T00:00:00+08:00"))) {
      String order = "{\"id\":\"%s\",\"ts\":\"" + TS + "\",\"customerId\":\"c1\",\"amount\":10,"
          + "\"channel\":\"tmall\"}";
      assertEquals(200, app.post("/api/v1/orders", "application/json", order.formatted("o1"))
          .statusCode());
      long gap = System.nanoTime();
      Thread.sleep(1500); // no screen is connected: no push, so nothing to measure
      try (SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
        sse.next(2000);
        assertEquals(200, app.post("/api/v1/orders", "application/json", order.formatted("o2"))
            .statusCode());
        long seq = app.kpis().getLong("seq");
        while (Long.parseLong(sse.next(2000).id()) < seq) {
          // wait for the push that carries o2
        }
        String m = app.get("/metrics").bodyAsString();
        double waited = (System.nanoTime() - gap) / 1e9;
        double sum = sample(m, "warroom_ingest_to_push_seconds_sum");
        assertEquals(1, sample(m, "warroom_ingest_to_push_seconds_count"));
        assertTrue(sum < waited - 1.4, "o2's push took " + sum + " s; o1 waited " + waited
            + " s for a screen, which is not a push's latency");
      }
    }
  }
}
