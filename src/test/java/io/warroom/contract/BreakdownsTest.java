package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.contract.BreakdownOracle.Expected;
import io.warroom.contract.BreakdownOracle.Sent;
import io.warroom.contract.BreakdownOracle.Sums;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Breakdowns (CONTRACT section 11) against {@link BreakdownOracle}: every dimension's top ten
 * with revenue, orders, units and share, the rest, the keys told apart, the cap, ties by key, and
 * tags once per tag; on every node that reads the store ({@link #nodes}).
 */
public class BreakdownsTest extends AppTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  static final ObjectMapper JSON = new ObjectMapper();
  protected TestApp app;
  final List<Sent> sent = new ArrayList<>();
  /** What was sent, request by request. */
  final List<List<Sent>> requests = new ArrayList<>();
  int ids;

  @BeforeEach
  void start() {
    app = start(Config.defaults(), PLAN, MutableClock.at("2026-11-20T12:00:00+08:00"));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  /**
   * The snapshots of every node that shows the records sent to {@link #app}: itself here; with
   * PostgreSQL also a node started afterwards (a rebuild) and one that was up all along.
   */
  protected List<JsonNode> nodes(int orders) {
    return List.of(snapshot(app));
  }

  static JsonNode snapshot(TestApp a) {
    try {
      return JSON.readTree(a.get("/api/v1/kpis").bodyAsString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Orders in the campaign window, as a node shows them. */
  static int campaignOrders(TestApp a) {
    return a.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders");
  }

  void send(List<Sent> batch) {
    send(batch, false);
  }

  /** Sends one request; with {@code skuChannels} each record's channel is its sku. */
  void send(List<Sent> batch, boolean skuChannels) {
    StringBuilder body = new StringBuilder();
    for (Sent s : batch) {
      String channel = skuChannels && s.sku() != null ? s.sku() : "tmall";
      JsonObject o = new JsonObject().put("type", s.type()).put("id", s.type() + "-" + (++ids))
          .put("ts", Instant.ofEpochMilli(s.ts()).toString()).put("channel", channel);
      if (s.type().equals("order")) {
        o.put("customerId", "c" + ids % 50).put("amount", s.amount());
        if (s.sku() != null) o.put("sku", s.sku());
        if (s.productCategory() != null) o.put("productCategory", s.productCategory());
        if (s.segment() != null) o.put("segment", s.segment());
        if (s.tags() != null) o.put("tags", new JsonArray(s.tags()));
        if (s.quantity() != null) o.put("quantity", s.quantity());
      } else {
        o.put("sessions", s.sessions());
      }
      if (s.region() != null) o.put("region", s.region());
      body.append(o.encode()).append('\n');
    }
    HttpResponse<Buffer> r = app.post("/api/v1/events", "application/x-ndjson", body.toString());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(batch.size(), r.bodyAsJsonObject().getInteger("accepted"), r.bodyAsString());
    sent.addAll(batch);
    requests.add(List.copyOf(batch));
  }

  static Sent order(long ts, String amount, String sku, String category, String region,
      String segment, List<String> tags, Integer quantity) {
    return new Sent("order", ts, new BigDecimal(amount), sku, category, region, segment, tags,
        quantity, 0);
  }

  static Sent visit(long ts, String region, int sessions) {
    return new Sent("visit", ts, BigDecimal.ZERO, null, null, region, null, null, null, sessions);
  }

  void expectEveryDimension(JsonNode snapshot) {
    for (String d : BreakdownOracle.DIMENSIONS) {
      expect(d, snapshot.at("/breakdowns/" + d),
          BreakdownOracle.ofRequests(requests, d, PLAN.startMillis(), PLAN.endMillis()));
    }
  }

  static void expect(String d, JsonNode actual, Expected e) {
    JsonNode top = actual.get("top");
    List<String> keys = new ArrayList<>();
    for (JsonNode t : top) keys.add(t.get("key").asText());
    assertEquals(e.topKeys(), keys, d + " top keys");
    for (JsonNode t : top) {
      String what = d + " " + t.get("key").asText();
      Sums s = e.top().get(t.get("key").asText());
      sums(what, s, t, d.equals("region"));
      Expect.ratio(BreakdownOracle.share(s.revenue, e.gross()), t.get("share"), what + " share");
    }
    sums(d + " other", e.other(), actual.get("other"), d.equals("region"));
    assertEquals(e.distinct(), actual.get("distinct").asInt(), d + " distinct");
    assertEquals(e.capped(), actual.get("capped").asBoolean(), d + " capped");
  }

  static void sums(String what, Sums s, JsonNode a, boolean region) {
    Expect.money(s.revenue, a.get("revenue"), what + " revenue");
    assertEquals(s.orders, a.get("orders").asLong(), what + " orders");
    assertEquals(s.units, a.get("units").asLong(), what + " units");
    if (region) {
      assertEquals(s.sessions, a.get("sessions").asLong(), what + " sessions");
      Expect.ratio(s.sessions == 0 ? null : Oracle.quotient(s.orders, s.sessions), a.get("conversion"),
          what + " conversion");
    }
  }

  static final String[] SKUS = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "绿茶",
      "水杯", "\uD83C\uDF75", "\uFFFDx"};
  static final String[] CATEGORIES = {"green", "home", "electronics", "books", "食品"};
  static final String[] REGIONS = {"华东", "华北", "华南", "west", "north", "east", "south",
      "central", "北京", "上海", "广州", "成都"};
  static final String[] SEGMENTS = {"30-45", "18-29", "46+", "b2b", "education"};
  static final String[] TAGS = {"green", "new", "bundle", "gift", "新品", "clearance"};

  @Test
  void everyDimensionHasItsTopTenTheRestAndItsKeysExactly() {
    Random rnd = new Random(19);
    long from = PLAN.startMillis();
    long now = Instant.parse("2026-11-20T04:00:00Z").toEpochMilli();
    for (int k = 0; k < 4; k++) {
      List<Sent> batch = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        // Some before the period: in no breakdown.
        long ts = rnd.nextInt(30) == 0 ? from - 1 - rnd.nextInt(1_000_000)
            : from + (long) (rnd.nextDouble() * (now - from));
        if (rnd.nextInt(4) == 0) {
          batch.add(visit(ts, rnd.nextBoolean() ? pick(rnd, REGIONS) : null, 1 + rnd.nextInt(40)));
          continue;
        }
        List<String> tags = null;
        if (rnd.nextBoolean()) {
          tags = new ArrayList<>();
          for (int t = rnd.nextInt(4); t >= 0; t--) tags.add(pick(rnd, TAGS)); // repeats too
        }
        batch.add(order(ts, (1 + rnd.nextInt(90_000)) + "." + (10 + rnd.nextInt(90)),
            rnd.nextInt(5) > 0 ? pick(rnd, SKUS) : null,
            rnd.nextInt(5) > 0 ? pick(rnd, CATEGORIES) : null,
            rnd.nextInt(5) > 0 ? pick(rnd, REGIONS) : null,
            rnd.nextInt(5) > 0 ? pick(rnd, SEGMENTS) : null, tags,
            rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(1000) : null));
      }
      send(batch);
    }
    for (JsonNode s : nodes(campaignOrdersSent())) expectEveryDimension(s);
  }

  @Test
  void tiesGoByKeyAndTagsCountOncePerOrder() {
    long ts = Instant.parse("2026-11-10T04:00:00Z").toEpochMilli();
    List<Sent> batch = new ArrayList<>();
    // Twelve keys with the same revenue, sent in reverse order: the first ten by key are shown.
    for (int i = 11; i >= 0; i--) {
      String key = "k" + (char) ('a' + i);
      batch.add(order(ts, "100.50", key, key, key, key, List.of(key, key, "all", "all"), 2));
    }
    send(batch);
    List<JsonNode> views = nodes(12);
    JsonNode s = views.get(0);
    for (String d : BreakdownOracle.DIMENSIONS) {
      List<String> keys = new ArrayList<>();
      s.at("/breakdowns/" + d + "/top").forEach(t -> keys.add(t.get("key").asText()));
      if (d.equals("tag")) {
        assertEquals("all", keys.get(0));
        assertEquals(12, s.at("/breakdowns/tag/top/0/orders").asLong(), "one count per order");
        assertEquals(List.of("ka", "kb", "kc", "kd", "ke", "kf", "kg", "kh", "ki"), keys.subList(1, 10));
      } else {
        assertEquals(List.of("ka", "kb", "kc", "kd", "ke", "kf", "kg", "kh", "ki", "kj"), keys);
      }
    }
    for (JsonNode n : views) expectEveryDimension(n);
  }

  @Test
  void keysFirstSeenPastTenThousandAreSummedInOther() {
    long ts = Instant.parse("2026-11-10T04:00:00Z").toEpochMilli();
    List<Sent> batch = new ArrayList<>();
    for (int i = 0; i < BreakdownOracle.CAP; i++) {
      batch.add(order(ts, "1.01", "sku-" + i, null, null, null, List.of("t" + i), null));
    }
    send(batch);
    // Past the cap: a new key with the most revenue of all is not told apart, an old one still is.
    send(List.of(order(ts, "99999.99", "late", null, "r", null, List.of("late"), 7),
        order(ts, "5000", "sku-42", null, null, null, List.of("t42", "late"), null),
        order(ts, "20", "late-2", null, null, null, null, null)));
    List<JsonNode> views = nodes(BreakdownOracle.CAP + 3);
    for (JsonNode s : views) {
      expectEveryDimension(s);
      assertTrue(s.at("/breakdowns/sku/capped").asBoolean());
      assertEquals("sku-42", s.at("/breakdowns/sku/top/0/key").asText());
      assertTrue(s.toString().length() < 64 * 1024);
    }
  }

  @Test
  void keysOneRequestFirstShowsPastTheCapAreToldApartInItsOrderOnEveryNode() {
    long ts = Instant.parse("2026-11-10T04:00:00Z").toEpochMilli();
    List<Sent> first = new ArrayList<>();
    for (int i = 0; i < BreakdownOracle.CAP - 5; i++) {
      first.add(order(ts, "1", String.format("k%05d", i), null, null, null, null, null));
    }
    send(first, true);
    // Five places left, ten new keys in one request, in reverse order with the largest last: the
    // five first in the request (z9 to z5) are told apart, though z0 to z4 come first by key and
    // bring more, as a rebuild and the other nodes meet them.
    List<Sent> crossing = new ArrayList<>();
    for (int j = 9; j >= 0; j--) crossing.add(order(ts, String.valueOf(109 - j), "z" + j, null, null, null, null, null));
    send(crossing, true);
    List<JsonNode> views = nodes(BreakdownOracle.CAP + 5);
    JsonNode channels = views.get(0).get("channels");
    for (JsonNode s : views) {
      expectEveryDimension(s);
      assertEquals("z5", s.at("/breakdowns/sku/top/0/key").asText());
      assertEquals(channels, s.get("channels"), "channels as the node that took the records");
    }
    // Channel tables tell apart 200,000 names: all ten z keys are listed, the largest first,
    // then 40 of the k keys; (other) holds the other 9,955 k keys.
    List<String> listed = new ArrayList<>();
    channels.fieldNames().forEachRemaining(listed::add);
    assertEquals(List.of("z0", "z1", "z2", "z3", "z4", "z5", "z6", "z7", "z8", "z9"), listed.subList(0, 10));
    assertEquals(51, listed.size());
    assertEquals(0, new BigDecimal(9_955).compareTo(channels.at("/(other)/revenue").decimalValue()),
        channels.get("(other)").toString());
  }

  /**
   * One request of 10,005 keys: the first 10,000 in the request's order are told apart, though
   * "k10000" to "k10004" (the largest) come before "k2" by code point.
   */
  @Test
  void pastTheCapKeysAreToldApartInTheRequestsOrder() {
    long ts = Instant.parse("2026-11-10T04:00:00Z").toEpochMilli();
    List<Sent> batch = new ArrayList<>();
    for (int i = 0; i < 10_005; i++) {
      String k = "k" + i;
      batch.add(order(ts, i < 10_000 ? "1" : "1000", k, null, null, null, List.of(k), 1));
    }
    send(batch);
    for (JsonNode s : nodes(10_005)) {
      expectEveryDimension(s);
      assertEquals("k0", s.at("/breakdowns/sku/top/0/key").asText());
      assertEquals(0, new BigDecimal(5_000 + 10_000 - 10).compareTo(
          s.at("/breakdowns/sku/other/revenue").decimalValue()), s.at("/breakdowns/sku/other").toString());
      assertTrue(s.at("/breakdowns/tag/capped").asBoolean());
    }
  }

  @Test
  void tenKeysOfTheLongestNamesAreListedInEveryDimension() {
    long ts = Instant.parse("2026-11-10T04:00:00Z").toEpochMilli();
    List<Sent> batch = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      StringBuilder key = new StringBuilder();
      key.appendCodePoint(0x4E00 + i);
      while (key.codePointCount(0, key.length()) < 200) key.appendCodePoint(0x1F600 + i);
      String k = key.toString();
      batch.add(order(ts, String.valueOf(1000 - i), k, k, k, k, List.of(k), 2));
    }
    send(batch);
    for (JsonNode s : nodes(12)) {
      expectEveryDimension(s);
      assertEquals(10, s.at("/breakdowns/tag/top").size());
      int bytes = s.toString().getBytes(StandardCharsets.UTF_8).length;
      assertTrue(bytes < 64 * 1024, bytes + " bytes");
    }
  }

  /**
   * Sixty channels and ad channels of the longest names and twenty counters too: the channels are
   * listed shorter, not the ten keys.
   */
  @Test
  void tenKeysOfTheLongestNamesBeatLongChannelNamesForRoom() {
    long ts = Instant.parse("2026-11-10T04:00:00Z").toEpochMilli();
    List<Sent> batch = new ArrayList<>();
    StringBuilder spends = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      StringBuilder key = new StringBuilder();
      key.appendCodePoint(0x4E00 + i);
      while (key.codePointCount(0, key.length()) < 200) key.appendCodePoint(0x1F600 + i % 12);
      String k = key.toString();
      batch.add(order(ts, String.valueOf(1000 - i), k, k, k, k, List.of(k), 2));
      spends.append(new JsonObject().put("type", "spend").put("id", "long-spend-" + i)
          .put("ts", Instant.ofEpochMilli(ts).toString()).put("category", "ads").put("amount", 10 + i)
          .put("adChannel", k).encode()).append('\n');
    }
    send(batch, true);
    HttpResponse<Buffer> r = app.post("/api/v1/events", "application/x-ndjson", spends.toString());
    assertEquals(60, r.bodyAsJsonObject().getInteger("accepted"), r.bodyAsString());
    StringBuilder counts = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      counts.append(new JsonObject().put("id", "long-count-" + i).put("ts", Instant.ofEpochMilli(ts).toString())
          .put("name", String.format("%03d", i) + "-".repeat(61)).put("value", 123456789).encode()).append('\n');
    }
    r = app.post("/api/v1/counts", "application/x-ndjson", counts.toString());
    assertEquals(20, r.bodyAsJsonObject().getInteger("accepted"), r.bodyAsString());
    for (JsonNode s : nodes(60)) {
      expectEveryDimension(s);
      for (String d : List.of("sku", "productCategory", "region", "segment", "tag")) {
        assertEquals(10, s.at("/breakdowns/" + d + "/top").size(), d);
      }
      assertTrue(s.get("channels").size() <= 51 && s.get("channels").has("(other)"), s.get("channels").size() + " channels");
      int bytes = s.toString().getBytes(StandardCharsets.UTF_8).length;
      assertTrue(bytes < 64 * 1024, bytes + " bytes");
    }
  }

  int campaignOrdersSent() {
    int n = 0;
    for (Sent s : sent) {
      if (s.type().equals("order") && s.ts() >= PLAN.startMillis() && s.ts() < PLAN.endMillis()) n++;
    }
    return n;
  }

  static String pick(Random rnd, String[] values) {
    return values[rnd.nextInt(values.length)];
  }
}
