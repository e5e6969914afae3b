package io.warroom.store;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.app.Stores;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL stopped and started under ingest (the throwaway cluster of the tests, see
 * TestPostgres): ingest answers 503 with Retry-After and /ready says not ready while it is down, the
 * KPIs and the stream keep serving, the pool reconnects by itself, and every batch, retried until it
 * got a 200, counts once. Other test classes use the same cluster, so the outage lasts a few seconds
 * and the finally block always starts it again. Skipped against a server named by
 * WARROOM_TEST_PG_URL, which is not this run's to stop.
 */
@ExtendWith(VertxExtension.class)
class PgOutageTest {
  private static final int SENDERS = 4;
  private static final int BATCH = 100;

  @Test
  void ingestAnswers503WhileDownThenResumesAndEveryRetriedBatchCountsOnce(Vertx vertx) throws Exception {
    TestPostgres pg = TestPostgres.get();
    assumeTrue(pg.throwaway(), "stops PostgreSQL, so only on the tests' own cluster, not on the server of "
        + TestPostgres.URL_ENV);
    Plan plan = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
    MutableClock clock = MutableClock.at("2026-11-11T20:00:00+08:00");
    try (PgTestDb db = PgTestDb.create()) {
      Config config = db.config();
      try (TestApp app = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicLong records = new AtomicLong();
        AtomicLong cents = new AtomicLong();
        List<String> problems = new CopyOnWriteArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < SENDERS; t++) {
          int sender = t;
          Thread th = new Thread(() -> {
            Random rnd = new Random(sender);
            for (int k = 0; !done.get(); k++) {
              StringBuilder body = new StringBuilder();
              long sum = 0;
              for (int i = 0; i < BATCH; i++) {
                long amount = 1 + rnd.nextInt(100_000);
                sum += amount;
                body.append(new JsonObject().put("id", "s" + sender + "-" + k + "-" + i)
                    .put("ts", Instant.ofEpochMilli(clock.millis() - rnd.nextInt(600_000)).toString())
                    .put("customerId", "c-" + rnd.nextInt(300)).put("amount", BigDecimal.valueOf(amount, 2))
                    .put("channel", "tmall").encode()).append('\n');
              }
              try {
                sendUntilAccepted(http, app.port, body.toString(), unavailable);
              } catch (Exception | AssertionError e) {
                problems.add(e.toString());
                return;
              }
              records.addAndGet(BATCH);
              cents.addAndGet(sum);
              acked.incrementAndGet();
            }
          }, "sender-" + t);
          th.start();
          senders.add(th);
        }

        eventually(() -> acked.get() >= 20, 30_000, "ingest under way");
        boolean sawNotReady = false;
        JsonObject lastSnapshot;
        try {
          pg.stop();
          eventually(() -> status(http, app.port, "/ready") == 503, 10_000, "/ready says not ready");
          sawNotReady = true;
          eventually(() -> unavailable.get() > 0, 5_000, "an ingest answered 503");
          assertEquals(200, status(http, app.port, "/api/v1/kpis"));
          lastSnapshot = firstStreamSnapshot(http, app.port);
        } finally {
          pg.start();
        }
        assertTrue(sawNotReady);
        assertNotNull(lastSnapshot.getJsonObject("windows"));
        eventually(() -> status(http, app.port, "/ready") == 200, 30_000, "ready again");
        int atRestart = acked.get();
        eventually(() -> acked.get() >= atRestart + 20 || !problems.isEmpty(), 60_000, "ingest resumed");
        done.set(true);
        for (Thread th : senders) th.join(60_000);
        assertEquals(List.of(), problems);

        assertCampaign(app.kpis(), records.get(), cents.get());
        assertEquals(records.get(), db.number("SELECT count(*) FROM records"));
        JsonObject before = app.kpis();
        app.close();
        try (TestApp again = TestApp.deploy(vertx, config, plan, clock, Stores.factory(config))) {
          PgRestartTest.assertSameKpis(before, again.kpis());
        }
      }
    }
  }

  /** POSTs until a 200; a 503 must carry Retry-After and is retried after a short pause. */
  private static void sendUntilAccepted(HttpClient http, int port, String body,
      AtomicInteger unavailable) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/orders"))
        .header("Content-Type", "application/x-ndjson").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    for (int attempt = 0; attempt < 600; attempt++) {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        JsonObject answer = new JsonObject(r.body());
        if (answer.getInteger("accepted") + answer.getInteger("duplicates") != BATCH) {
          throw new AssertionError("answer does not add up: " + r.body());
        }
        return;
      }
      if (r.statusCode() != 503) throw new AssertionError(r.statusCode() + " " + r.body());
      if (r.headers().firstValue("Retry-After").isEmpty()) throw new AssertionError("503 without Retry-After");
      unavailable.incrementAndGet();
      Thread.sleep(100);
    }
    throw new AssertionError("never accepted");
  }

  private static void assertCampaign(JsonObject kpis, long orders, long cents) {
    JsonObject campaign = kpis.getJsonObject("windows").getJsonObject("campaign");
    assertEquals(orders, campaign.getLong("orders"), "orders");
    assertEquals(0, BigDecimal.valueOf(cents, 2)
        .compareTo(new BigDecimal(campaign.getValue("grossRevenue").toString())), "grossRevenue");
  }

  /** The first `snapshot` event of a new stream connection. */
  private static JsonObject firstStreamSnapshot(HttpClient http, int port) throws Exception {
    HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/v1/stream")).build(),
        HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, r.statusCode());
    try (Stream<String> lines = r.body()) {
      Iterator<String> it = lines.iterator();
      boolean snapshot = false;
      while (it.hasNext()) {
        String line = it.next();
        if (line.equals("event: snapshot")) snapshot = true;
        else if (snapshot && line.startsWith("data: ")) return new JsonObject(line.substring(6));
      }
    }
    throw new AssertionError("no snapshot event");
  }

  private static int status(HttpClient http, int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }
}
