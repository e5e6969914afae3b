package io.warroom.contract;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.warroom.MutableClock;
import io.warroom.SseClient;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A batch larger than one turn of folding is folded over several turns of the event loop; readers
 * (GET /api/v1/kpis, /metrics, screens that connect, pushes) see it whole or not at all.
 */
public class WholeBatchTest extends AppTest {
  static final int ROWS = 60_000;

  static long orders(JsonObject snapshot) {
    return snapshot.getJsonObject("windows").getJsonObject("campaign").getLong("orders");
  }

  @Test
  void readersAndScreensSeeABigBatchWholeOrNotAtAll() throws Exception {
    TestApp app = start(Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-11T12:00:00+08:00"));
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < ROWS; i++) {
      body.append("{\"type\":\"order\",\"id\":\"b-").append(i)
          .append("\",\"ts\":\"2026-11-11T11:00:00+08:00\",\"customerId\":\"c-").append(i % 977)
          .append("\",\"amount\":1.25,\"channel\":\"tmall\"}\n");
    }
    Set<Long> seen = new ConcurrentSkipListSet<>();
    AtomicInteger reads = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    Set<Long> firstOnConnect = new ConcurrentSkipListSet<>();
    URI kpis = URI.create("http://127.0.0.1:" + app.port + "/api/v1/kpis");
    URI metrics = URI.create("http://127.0.0.1:" + app.port + "/metrics");
    Set<Long> scraped = new ConcurrentSkipListSet<>();
    Thread reader = new Thread(() -> {
      HttpClient http = HttpClient.newHttpClient();
      while (!stop.get()) {
        try {
          String s = http.send(HttpRequest.newBuilder(kpis).build(), HttpResponse.BodyHandlers.ofString()).body();
          seen.add(orders(new JsonObject(s)));
          reads.incrementAndGet();

          if (reads.get() % 20 == 0) {
            try (SseClient late = SseClient.connect(app.vertx, app.port, null, null)) {
              firstOnConnect.add(orders(late.snapshot(8_000).json()));
            }
          }
        } catch (Exception e) {
          if (!stop.get()) throw new RuntimeException(e);
        }
      }
    });
    Thread scraper = new Thread(() -> {
      HttpClient http = HttpClient.newHttpClient();
      while (!stop.get()) {
        try {
          String m = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
          for (String line : m.split("\n")) {
            if (line.startsWith("warroom_kpi_quantity{") && line.contains("kpi=\"orders\"")) {
              scraped.add((long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
          }
        } catch (Exception e) {
          if (!stop.get()) throw new RuntimeException(e);
        }
      }
    });
    try (SseClient screen = SseClient.connect(app.vertx, app.port, null, null)) {
      assertEquals(0, orders(screen.snapshot(8_000).json()));
      reader.start();
      scraper.start();
      eventually(() -> seen.contains(0L) && scraped.contains(0L), "read before the batch");
      var r = app.post("/api/v1/events", "application/x-ndjson", body.toString());
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals(ROWS, r.bodyAsJsonObject().getInteger("accepted"));
      eventually(() -> seen.contains((long) ROWS) && scraped.contains((long) ROWS), "read after it");
      stop.set(true);
      reader.join();
      scraper.join();
      Set<Long> shown = new TreeSet<>();
      long last = 0;
      while (last != ROWS) {
        last = orders(screen.snapshot(8_000).json());
        shown.add(last);
      }
      Set<Long> whole = Set.of(0L, (long) ROWS);
      assertTrue(whole.containsAll(seen), "GET /api/v1/kpis answered part of the batch: " + seen);
      assertTrue(whole.containsAll(scraped), "/metrics scraped part of it: " + scraped);
      assertEquals(Set.of(0L, (long) ROWS), new TreeSet<>(scraped), "scraped before and after");
      assertTrue(whole.containsAll(firstOnConnect), "a screen connected to part of it: " + firstOnConnect);
      assertTrue(whole.containsAll(shown), "a screen was pushed part of it: " + shown);
      assertTrue(reads.get() > 20, "reads while the batch came: " + reads.get());
      assertEquals(Set.of(0L, (long) ROWS), new TreeSet<>(seen), "read before and after");
    }
  }
}
