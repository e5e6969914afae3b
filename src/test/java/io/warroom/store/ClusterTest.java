package io.warroom.store;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import io.warroom.RandomRecords;
import io.warroom.contract.Expect;
import io.warroom.contract.Oracle;
import io.warroom.ingest.Rec;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Three warroom processes on one database, as behind a load balancer: concurrent ingest to all
 * three, with every batch sent again in part to another node; one node killed with SIGKILL in the
 * middle, its senders moving to the others; and the alerting node killed, another taking over.
 * Every node's snapshot is checked against the {@link Oracle}, computed from what was sent.
 */
class ClusterTest {
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  static final int BATCH = 150;
  final AtomicInteger moved = new AtomicInteger();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void threeNodesShowOneTruthUnderConcurrentIngestAndAfterOneIsKilled() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String planJson = new JsonObject().put("id", "cluster").put("timezone", "UTC")
        .put("start", today.minusDays(1).toString()).put("end", today.plusDays(2).toString())
        .put("onlineChannels", List.of("tmall", "jd", "website"))
        .put("budget", Map.of("ads", 100000, "promotion", 50000, "crm", 20000))
        .put("staleFeedMinutes", 0).encode();
    Plan plan = PlanParser.parse(planJson);
    List<Rec> records = new RandomRecords(20261201, plan, System.currentTimeMillis()).list(6_000);
    List<List<Rec>> batches = new ArrayList<>();
    for (int i = 0; i < records.size(); i += BATCH) {
      batches.add(records.subList(i, Math.min(records.size(), i + BATCH)));
    }
    try (PgTestDb db = PgTestDb.create()) {
      Map<String, String> env = env(db, planJson, null);
      List<ServerProcess> nodes = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) nodes.add(ServerProcess.start(env));
        // First half: every node up. Each batch goes to one node, and its first half again to the next.
        AtomicInteger accepted = new AtomicInteger();
        send(nodes, batches.subList(0, batches.size() / 2), accepted, null);
        List<Oracle.R> sent = new ArrayList<>();
        for (Rec r : records.subList(0, batches.size() / 2 * BATCH)) sent.add(Expect.of(r));
        for (ServerProcess n : nodes) converges(n, sent, plan);
        assertEquals(sent.size(), accepted.get(), "each record accepted by exactly one node");
        assertEquals(sent.size(), db.number("SELECT count(*) FROM records"));

        // Second half: node 2 is killed mid-way; whatever it did not answer goes to the others.
        ServerProcess victim = nodes.get(2);
        send(nodes, batches.subList(batches.size() / 2, batches.size()), accepted, victim);
        assertFalse(victim.process.isAlive());
        System.out.println("batches moved off the killed node: " + moved.get());
        assertTrue(moved.get() > 0, "the node was killed with a batch under way");
        List<Oracle.R> all = new ArrayList<>();
        for (Rec r : records) all.add(Expect.of(r));
        for (ServerProcess n : nodes.subList(0, 2)) converges(n, all, plan);
        assertEquals(all.size(), db.number("SELECT count(*) FROM records"));
        assertTrue(accepted.get() <= all.size(), "no record accepted twice: " + accepted.get());
        // Only batches whose answer the killed node took with it may have been kept unanswered.
        assertTrue(accepted.get() >= all.size() - moved.get() * BATCH,
            "every record accepted by exactly one answer: " + accepted.get() + ", moved " + moved.get());
        for (ServerProcess n : nodes) assertFalse(n.output().contains("Thread blocked"), n.output());
      } finally {
        for (ServerProcess n : nodes) n.close();
      }
    }
  }

  @Test
  void theAlertingNodeKilledAnotherTakesOverAndEachAlertIsPostedOnce() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String planJson = new JsonObject().put("id", "alerts").put("timezone", "UTC")
        .put("start", today.minusDays(1).toString()).put("end", today.plusDays(2).toString())
        .put("staleFeedMinutes", 0)
        .put("alerts", List.of(
            Map.of("id", "orders-seen", "kpi", "orders", "window", "campaign", "op", ">",
                "warn", 0, "critical", 1_000_000),
            Map.of("id", "orders-many", "kpi", "orders", "window", "campaign", "op", ">",
                "warn", 50, "critical", 1_000_000),
            Map.of("id", "orders-more", "kpi", "orders", "window", "campaign", "op", ">",
                "warn", 100, "critical", 1_000_000))).encode();
    List<JsonObject> posted = Collections.synchronizedList(new ArrayList<>());
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", ex -> {
      posted.add(new JsonObject(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    hook.start();
    try (PgTestDb db = PgTestDb.create()) {
      Map<String, String> env = env(db, planJson,
          "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
      List<ServerProcess> nodes = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) nodes.add(ServerProcess.start(env));
        ServerProcess leader = only(nodes);
        List<ServerProcess> others = new ArrayList<>(nodes);
        others.remove(leader);

        ingest(others.get(0), orders("a", 10));
        eventually(() -> posted.size() == 1, 60_000, "the first alert posted");
        for (ServerProcess n : others) {
          eventually(() -> get(n, "/api/v1/alerts").equals(get(leader, "/api/v1/alerts")), 60_000,
              () -> "every node lists the same alerts: " + get(n, "/api/v1/alerts") + " and "
                  + get(leader, "/api/v1/alerts"));
        }
        // The alerting node's webhook queue is delivered in order: the next transition, once it
        // is through, shows the first was not posted again.
        ingest(others.get(1), orders("b", 50));
        eventually(() -> posted.size() >= 2, 60_000, "the second alert posted");
        assertEquals(List.of("orders-seen-1 firing", "orders-many-1 firing"), states(posted),
            "posted once, by one node");
        // orders-seen-1's figure moved from 10 to 60 orders with no transition: every node lists
        // it as it is now, not as the transition left it.
        for (ServerProcess n : others) {
          eventually(() -> get(n, "/api/v1/alerts").equals(get(leader, "/api/v1/alerts")), 60_000,
              () -> "every node lists the alerts of now: " + get(n, "/api/v1/alerts") + " and "
                  + get(leader, "/api/v1/alerts"));
        }
        assertTrue(get(leader, "/api/v1/alerts").contains("\"value\":60"), get(leader, "/api/v1/alerts"));

        assertEquals(137, leader.kill());
        eventually(() -> others.stream().filter(ClusterTest::alerting).count() == 1, 60_000,
            "one of the others takes over");
        ingest(others.get(1), orders("c", 50));
        // On the new alerting node's queue, a post on taking over would have come first.
        eventually(() -> posted.size() >= 3, 60_000, "the next alert posted by the new alerting node");
        assertEquals(List.of("orders-seen-1 firing", "orders-many-1 firing", "orders-more-1 firing"),
            states(posted), "taking over posts nothing again");
        assertEquals(1, others.stream().filter(ClusterTest::alerting).count());
      } finally {
        for (ServerProcess n : nodes) n.close();
        hook.stop(0);
      }
    }
  }

  /**
   * Sends the batches from three threads, batch k to node k % 3 and its first half again to the
   * next node. When {@code victim} is given it is killed once a third of the batches are answered;
   * a batch it did not answer goes to the next live node (sending again is always safe).
   */
  private void send(List<ServerProcess> nodes, List<List<Rec>> batches, AtomicInteger accepted,
      ServerProcess victim) throws Exception {
    ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
    for (int k = 0; k < batches.size(); k++) todo.add(k);
    AtomicInteger answered = new AtomicInteger();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread th = new Thread(() -> {
        Integer k;
        while ((k = todo.poll()) != null) {
          List<Rec> b = batches.get(k);
          try {
            accepted.addAndGet(post(nodes, k, b));
            int again = post(nodes, k + 1, b.subList(0, b.size() / 2));
            if (again != 0) errors.add(new AssertionError("batch " + k + ": " + again
                + " re-sent records accepted again by another node"));
            if (victim != null && answered.incrementAndGet() == batches.size() / 3) {
              Integer v = todo.poll();
              if (v != null) accepted.addAndGet(killDuring(victim, nodes, v, batches.get(v)));
              else victim.kill();
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        }
      });
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) th.join(120_000);
    assertEquals(List.of(), errors);
  }

  /**
   * Kills the victim while a batch sent to it is under way, then sends that batch to the others;
   * answers the records accepted.
   */
  private int killDuring(ServerProcess victim, List<ServerProcess> nodes, int k, List<Rec> records)
      throws Exception {
    var inFlight = http.sendAsync(request(victim, records), HttpResponse.BodyHandlers.ofString());
    victim.kill();
    try {
      return accepted(inFlight.get(30, TimeUnit.SECONDS), records);
    } catch (ExecutionException | IOException e) {
      moved.incrementAndGet();
      return post(nodes, k, records);
    }
  }

  private static HttpRequest request(ServerProcess n, List<Rec> records) {
    Plan plan = PlanParser.parse("{\"id\":\"x\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\","
        + "\"timezone\":\"UTC\"}");
    return HttpRequest.newBuilder(n.uri("/api/v1/events"))
        .header("Content-Type", "application/x-ndjson").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(RandomRecords.ndjson(records, plan))).build();
  }

  private static int accepted(HttpResponse<String> r, List<Rec> records) throws IOException {
    if (r.statusCode() != 200) throw new IOException(r.statusCode() + " " + r.body());
    JsonObject answer = new JsonObject(r.body());
    assertEquals(0, answer.getJsonArray("rejected").size(), r.body());
    assertEquals(records.size(), answer.getInteger("accepted") + answer.getInteger("duplicates"));
    return answer.getInteger("accepted");
  }

  /** Posts to node {@code k % n}, or the next live one; answers the records it accepted. */
  private int post(List<ServerProcess> nodes, int k, List<Rec> records) throws Exception {
    for (int i = 0; i < nodes.size(); i++) {
      ServerProcess n = nodes.get((k + i) % nodes.size());
      if (!n.process.isAlive()) continue;
      try {
        return accepted(http.send(request(n, records), HttpResponse.BodyHandlers.ofString()), records);
      } catch (IOException e) {
        // Only a dead node's failures are moved on (a killed process may take a moment to exit).
        if (!n.process.waitFor(5, TimeUnit.SECONDS)) throw e;
        moved.incrementAndGet();
      }
    }
    throw new IllegalStateException("no live node");
  }

  /** Waits until the node shows every sent order, then checks its whole snapshot. */
  private void converges(ServerProcess n, List<Oracle.R> sent, Plan plan) throws Exception {
    long orders = sent.stream().filter(r -> r.type().equals("order")
        && r.ts() >= plan.startMillis() && r.ts() < plan.endMillis()).count();
    long t0 = System.nanoTime();
    eventually(() -> kpis(n).at("/windows/campaign/orders").asLong() == orders, 60_000,
        "node on port " + n.port + " shows " + orders + " campaign orders");
    System.out.printf("node %d: all %d orders shown %d ms after the last answer was checked%n",
        n.port, orders, (System.nanoTime() - t0) / 1_000_000);
    Expect.windowsAndBreakdowns(kpis(n), sent, plan);
  }

  private static Map<String, String> env(PgTestDb db, String planJson, String hook)
      throws IOException {
    Path plan = Files.createTempFile("warroom-plan-", ".json");
    plan.toFile().deleteOnExit();
    Files.writeString(plan, planJson);
    Map<String, String> env = new HashMap<>(Map.of("WARROOM_PG_URL", db.url(),
        "WARROOM_PLAN", plan.toString(), "WARROOM_INGEST_RATE", "0",
        "WARROOM_TAIL_POLL_MS", "500"));
    if (hook != null) env.put("WARROOM_WEBHOOK_URLS", hook);
    return env;
  }

  private String orders(String prefix, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("{\"type\":\"order\",\"id\":\"").append(prefix).append(i).append("\",\"ts\":\"")
          .append(Instant.now()).append("\",\"customerId\":\"c").append(i)
          .append("\",\"amount\":10,\"channel\":\"tmall\"}\n");
    }
    return b.toString();
  }

  private void ingest(ServerProcess n, String ndjson) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(n.uri("/api/v1/events"))
        .header("Content-Type", "application/x-ndjson").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  private static List<String> states(List<JsonObject> posted) {
    synchronized (posted) {
      return posted.stream().map(p -> p.getString("id") + " " + p.getString("state")).toList();
    }
  }

  /** The one node that alerts (exactly one must). */
  private ServerProcess only(List<ServerProcess> nodes) throws Exception {
    eventually(() -> nodes.stream().filter(ClusterTest::alerting).count() == 1, 60_000,
        "exactly one node alerts");
    return nodes.stream().filter(ClusterTest::alerting).findFirst().orElseThrow();
  }

  private static boolean alerting(ServerProcess n) {
    try {
      return new JsonObject(get(n, "/ready")).getBoolean("alerting");
    } catch (RuntimeException e) {
      return false;
    }
  }

  private JsonNode kpis(ServerProcess n) {
    try {
      return JSON.readTree(get(n, "/api/v1/kpis"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String get(ServerProcess n, String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(n.uri(path))
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
