package io.warroom.store;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A server process killed with SIGKILL in the middle of concurrent ingest: every record it
 * acknowledged is in the database, and a new process counts every record once, including the
 * unacknowledged ones when they are sent again.
 */
class PgKillTest {
  private static final int SENDERS = 4;
  private static final int BATCH = 250;

  /** One NDJSON request: its record ids and amounts (cents). */
  record Batch(List<String> ids, List<Long> cents, String body) {}

  @Test
  void everyAcknowledgedRecordSurvivesSigkillAndNoneCountsTwice() throws Exception {
    try (PgTestDb db = PgTestDb.create()) {
      Path plan = Files.createTempFile("warroom-plan-", ".json");
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      Files.writeString(plan, new JsonObject().put("id", "kill").put("timezone", "UTC")
          .put("start", today.minusDays(1).toString()).put("end", today.plusDays(2).toString())
          .put("onlineChannels", List.of("tmall")).put("targets", Map.of("revenue", 1000000))
          .put("budget", Map.of("ads", 1000)).encode());
      Map<String, String> env = Map.of("WARROOM_PG_URL", db.url(), "WARROOM_PLAN", plan.toString(),
          "WARROOM_INGEST_RATE", "0");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();

      List<Batch> sent = new CopyOnWriteArrayList<>();
      List<Batch> acked = new CopyOnWriteArrayList<>();
      try (ServerProcess first = ServerProcess.start(env)) {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < SENDERS; t++) {
          int sender = t;
          Thread th = new Thread(() -> {
            Random rnd = new Random(sender);
            for (int k = 0; !stop.get(); k++) {
              Batch b = batch("s" + sender + "-b" + k, rnd);
              sent.add(b);
              try {
                if (post(http, first, b).statusCode() == 200) acked.add(b);
              } catch (IOException | InterruptedException e) {
                return; // the server is gone
              }
            }
          }, "sender-" + t);
          th.start();
          senders.add(th);
        }
        eventually(() -> acked.size() >= 16, 30_000,
            () -> "ingest under way: " + acked.size() + " batches acknowledged");
        int exit = first.kill();
        stop.set(true);
        for (Thread th : senders) th.join(30_000);
        assertEquals(137, exit, "killed by SIGKILL");
        assertTrue(sent.size() > acked.size(), "requests were in flight when the process died");
      }

      Set<String> stored = new HashSet<>();
      try (Connection c = db.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM records WHERE type = 'order'")) {
        while (rs.next()) stored.add(rs.getString(1));
      }
      int ackedRecords = 0;
      for (Batch b : acked) {
        for (String id : b.ids()) assertTrue(stored.contains(id), "acknowledged " + id + " was lost");
        ackedRecords += b.ids().size();
      }
      long storedCents = 0;
      long allCents = 0;
      int all = 0;
      for (Batch b : sent) {
        for (int i = 0; i < b.ids().size(); i++) {
          allCents += b.cents().get(i);
          all++;
          if (stored.contains(b.ids().get(i))) storedCents += b.cents().get(i);
        }
      }
      assertTrue(stored.size() >= ackedRecords && stored.size() <= all);

      try (ServerProcess second = ServerProcess.start(env)) {
        assertCampaign(http, second, stored.size(), storedCents);
        int accepted = 0;
        int duplicates = 0;
        for (Batch b : sent) {
          HttpResponse<String> r = post(http, second, b);
          assertEquals(200, r.statusCode(), r.body());
          JsonObject answer = new JsonObject(r.body());
          accepted += answer.getInteger("accepted");
          duplicates += answer.getInteger("duplicates");
        }
        assertEquals(all - stored.size(), accepted);
        assertEquals(stored.size(), duplicates);
        assertCampaign(http, second, all, allCents);
      }
      Files.deleteIfExists(plan);
    }
  }

  private static Batch batch(String prefix, Random rnd) {
    List<String> ids = new ArrayList<>(BATCH);
    List<Long> cents = new ArrayList<>(BATCH);
    StringBuilder body = new StringBuilder();
    long now = System.currentTimeMillis();
    for (int i = 0; i < BATCH; i++) {
      String id = prefix + "-" + i;
      long amount = 1 + rnd.nextInt(100_000);
      ids.add(id);
      cents.add(amount);
      body.append(new JsonObject().put("id", id)
          .put("ts", Instant.ofEpochMilli(now - rnd.nextInt(60_000)).toString())
          .put("customerId", "c-" + rnd.nextInt(500))
          .put("amount", BigDecimal.valueOf(amount, 2))
          .put("channel", rnd.nextBoolean() ? "tmall" : "store").encode()).append('\n');
    }
    return new Batch(ids, cents, body.toString());
  }

  private static HttpResponse<String> post(HttpClient http, ServerProcess server, Batch b)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(server.uri("/api/v1/orders"))
        .header("Content-Type", "application/x-ndjson")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(b.body())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertCampaign(HttpClient http, ServerProcess server, long orders, long cents)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/api/v1/kpis")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonObject campaign = new JsonObject(r.body()).getJsonObject("windows").getJsonObject("campaign");
    assertEquals(orders, campaign.getLong("orders"));
    assertEquals(0, BigDecimal.valueOf(cents, 2)
        .compareTo(new BigDecimal(campaign.getValue("grossRevenue").toString())), "grossRevenue");
  }
}
