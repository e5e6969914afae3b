package io.warroom.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.warroom.MutableClock;
import io.warroom.SseClient;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.contract.AppTest;
import io.warroom.contract.Oracle;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Numbers that cannot be broken (issue 14, items 1 and 2): amounts at the documented limit add up
 * exactly in every figure, the snapshot stays small under a flood of channels while every KPI
 * counts every record, and a target beyond the plan's limit is refused. Expected values are
 * computed here with BigDecimal from what was sent.
 */
public class ExactSumsTest extends AppTest {
  static final String TS = "2026-11-11T10:00:00+08:00";
  static final String MAX = "1000000000000";
  protected final Plan plan = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  protected TestApp app;

  @AfterEach
  void stop() {
    if (app != null) app.close();
  }

  protected void start() {
    app = start(Config.from(Map.of("WARROOM_HTTP_PORT", "0", "WARROOM_HTTP_HOST", "127.0.0.1",
        "WARROOM_INGEST_RATE", "0"), new String[0]), plan, MutableClock.at("2026-11-11T12:00:00+08:00"));
  }

  /** Distinct channels in the flood (all beyond the 10,000 told apart). */
  protected int flood() {
    return 100_000;
  }

  /** What the server shows after a restart on the same data (only a durable store has one). */
  protected JsonObject afterRestart() {
    return null;
  }

  static void post(TestApp app, String path, StringBuilder ndjson) {
    HttpResponse<Buffer> r = app.post(path, "application/x-ndjson", ndjson.toString());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(0, r.bodyAsJsonObject().getJsonArray("rejected").size(), r.bodyAsString());
  }

  /** JSON with every decimal read exactly (Vert.x's JsonObject reads decimals as doubles). */
  static final ObjectMapper EXACT = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  public static JsonObject exact(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = EXACT.readValue(r.bodyAsString(), Map.class);
      return new JsonObject(m);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static BigDecimal dec(Object v) {
    return new BigDecimal(v.toString());
  }

  static void same(BigDecimal expected, Object actual, String what) {
    assertNotNull(actual, what);
    assertEquals(0, expected.compareTo(dec(actual)), what + ": expected " + expected.toPlainString()
        + " but was " + actual);
  }

  @Test
  void amountsAtTheLimitAddUpExactlyInEveryFigure() throws Exception {
    start();
    // 10,000 orders of the largest amount: 10^16 in all, beyond what cents in a long can be
    // multiplied by without care (the forecast divides it by a small elapsed share).
    BigDecimal gross = BigDecimal.ZERO;
    for (int batch = 0; batch < 10; batch++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        int n = batch * 1000 + i;
        String amount = n % 2 == 0 ? MAX : "999999999999.99";
        gross = gross.add(new BigDecimal(amount));
        b.append("{\"id\":\"big-").append(n).append("\",\"ts\":\"").append(TS)
            .append("\",\"customerId\":\"c").append(n % 997).append("\",\"amount\":").append(amount)
            .append(",\"channel\":\"tmall\",\"adChannel\":\"search\"}\n");
      }
      post(app, "/api/v1/orders", b);
    }
    // 100,000 ad spends of the largest amount: 10^17, which wrapped a long sum of cents before.
    BigDecimal spend = BigDecimal.ZERO;
    for (int batch = 0; batch < 10; batch++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 10_000; i++) {
        b.append("{\"id\":\"s-").append(batch).append('-').append(i).append("\",\"ts\":\"").append(TS)
            .append("\",\"category\":\"ads\",\"amount\":").append(MAX)
            .append(",\"adChannel\":\"search\"}\n");
        spend = spend.add(new BigDecimal(MAX));
      }
      post(app, "/api/v1/spend", b);
    }
    JsonObject s = exact(app.get("/api/v1/kpis"));
    check(s, gross, spend);

    // Every other way of reading the same figures answers too.
    HttpResponse<Buffer> report = app.get("/api/v1/report");
    assertEquals(200, report.statusCode(), report.bodyAsString());
    same(gross, exact(report).getJsonObject("campaign").getValue("grossRevenue"), "report");
    assertEquals(200, app.get("/api/v1/report?format=csv").statusCode());
    assertEquals(200, app.get("/api/v1/series").statusCode());
    assertEquals(200, app.get("/api/v1/plan/next").statusCode());
    assertEquals(200, app.get("/metrics").statusCode());
    try (SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
      JsonObject streamed = sse.snapshot(8000).json();
      same(spend, streamed.getJsonObject("windows").getJsonObject("campaign").getValue("adSpend"),
          "streamed adSpend");
    }
    JsonObject again = afterRestart();
    if (again != null) check(again, gross, spend);
  }

  void check(JsonObject s, BigDecimal gross, BigDecimal spend) {
    JsonObject c = s.getJsonObject("windows").getJsonObject("campaign");
    same(gross, c.getValue("revenue"), "revenue");
    same(gross, c.getValue("grossRevenue"), "grossRevenue");
    same(gross, c.getValue("attributedRevenue"), "attributedRevenue");
    assertEquals(10_000, c.getLong("orders"));
    assertEquals(Oracle.quotient(gross, BigDecimal.valueOf(10_000)), c.getDouble("aov"), "aov");
    same(spend, c.getValue("adSpend"), "adSpend");
    // the double nearest the exact quotient, also past 2^53 cents
    assertEquals(Oracle.quotient(gross, spend), c.getDouble("roi"));
    same(spend, s.getJsonObject("budget").getJsonObject("ads").getValue("spent"), "budget ads spent");
    assertEquals("critical", s.getJsonObject("budget").getJsonObject("ads").getString("status"));
    JsonObject search = s.getJsonObject("adChannels").getJsonObject("search");
    same(spend, search.getValue("spend"), "ad channel spend");
    same(gross, search.getValue("attributedRevenue"), "ad channel attributed");
    same(gross, s.getJsonObject("channels").getJsonObject("tmall").getValue("revenue"), "channel");
    JsonObject revenue = kpi(s, "revenue");
    same(gross, revenue.getValue("value"), "kpi revenue");
    double elapsed = s.getJsonObject("plan").getDouble("elapsed");
    same(gross.divide(new BigDecimal(elapsed), 2, RoundingMode.HALF_UP), revenue.getValue("forecast"),
        "forecast");
    same(new BigDecimal("12000000").multiply(new BigDecimal(elapsed)).setScale(2, RoundingMode.HALF_UP),
        revenue.getValue("expected"), "expected");
  }

  static JsonObject kpi(JsonObject s, String id) {
    for (Object o : s.getJsonArray("kpis")) {
      if (((JsonObject) o).getString("id").equals(id)) return (JsonObject) o;
    }
    throw new AssertionError("no kpi " + id);
  }

  @Test
  void aFloodOfChannelsKeepsTheSnapshotSmallAndEveryRecordCounted() {
    start();
    // Five real channels with most of the revenue, then 100,000 channels of one order each, with
    // names as wide as allowed (200 characters of three UTF-8 bytes).
    Map<String, BigDecimal> byChannel = new TreeMap<>();
    Map<String, Long> ordersByChannel = new TreeMap<>();
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (String ch : List.of("tmall", "jd", "douyin_live", "wechat_mall")) {
      for (int i = 0; i < 20; i++) {
        String amount = (1000 + 100 * ch.length() + i) + ".5";
        b.append(order("r-" + n++, ch, amount));
        byChannel.merge(ch, new BigDecimal(amount), BigDecimal::add);
        ordersByChannel.merge(ch, 1L, Long::sum);
      }
    }
    post(app, "/api/v1/orders", b);
    String wide = "渠".repeat(190);
    for (int batch = 0; batch < flood() / 10_000; batch++) {
      b = new StringBuilder();
      for (int i = 0; i < 10_000; i++) {
        String ch = wide + String.format("%06d", batch * 10_000 + i);
        String amount = String.valueOf(1 + (i % 7));
        b.append(order("f-" + n++, ch, amount));
        byChannel.merge(ch, new BigDecimal(amount), BigDecimal::add);
        ordersByChannel.merge(ch, 1L, Long::sum);
        // every record also names an ad channel of its own, and spends on it
        b.append("{\"type\":\"spend\",\"id\":\"sp-").append(n).append("\",\"ts\":\"").append(TS)
            .append("\",\"category\":\"ads\",\"amount\":1,\"adChannel\":\"").append(ch).append("\"}\n");
      }
      post(app, "/api/v1/events", eventsOf(b));
    }
    // The plan's fifth online channel first sells after the flood: still told apart and listed.
    b = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      String amount = (1700 + i) + ".5";
      b.append(order("r-" + n++, "website", amount));
      byChannel.merge("website", new BigDecimal(amount), BigDecimal::add);
      ordersByChannel.merge("website", 1L, Long::sum);
    }
    post(app, "/api/v1/orders", b);
    HttpResponse<Buffer> r = app.get("/api/v1/kpis");
    assertTrue(r.body().length() < 64 * 1024, "snapshot of " + r.body().length() + " bytes");
    JsonObject s = r.bodyAsJsonObject();
    BigDecimal gross = byChannel.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    long orders = ordersByChannel.values().stream().mapToLong(Long::longValue).sum();
    JsonObject c = s.getJsonObject("windows").getJsonObject("campaign");
    same(gross, c.getValue("grossRevenue"), "every order counted");
    assertEquals(orders, c.getLong("orders"));
    assertEquals(100 + flood(), c.getLong("orders"));

    JsonObject channels = s.getJsonObject("channels");
    assertTrue(channels.size() <= 51, channels.size() + " entries");
    assertTrue(channels.containsKey("(other)"));
    // The five real channels are the largest and are listed with their exact sums, largest first.
    List<String> names = new ArrayList<>(channels.fieldNames());
    List<String> top = byChannel.entrySet().stream()
        .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed()
            .thenComparing(Map.Entry.comparingByKey()))
        .limit(5).map(Map.Entry::getKey).toList();
    assertEquals(top, names.subList(0, 5));
    BigDecimal listed = BigDecimal.ZERO;
    long listedOrders = 0;
    for (String name : names) {
      JsonObject ch = channels.getJsonObject(name);
      if (!name.equals("(other)")) {
        same(byChannel.get(name), ch.getValue("revenue"), "channel " + name);
        assertEquals(ordersByChannel.get(name), ch.getLong("orders"));
      }
      listed = listed.add(dec(ch.getValue("revenue")));
      listedOrders += ch.getLong("orders");
    }
    same(gross, listed, "listed channels and (other) add up to the gross revenue");
    assertEquals(orders, listedOrders);
    for (int i = 1; i < names.size() - 1; i++) {
      assertTrue(dec(channels.getJsonObject(names.get(i - 1)).getValue("revenue"))
          .compareTo(dec(channels.getJsonObject(names.get(i)).getValue("revenue"))) >= 0,
          "largest first");
    }
    JsonObject ads = s.getJsonObject("adChannels");
    assertTrue(ads.size() <= 51 && ads.containsKey("(other)"), ads.size() + " ad entries");
    BigDecimal adSpend = BigDecimal.ZERO;
    for (String name : ads.fieldNames()) adSpend = adSpend.add(dec(ads.getJsonObject(name).getValue("spend")));
    same(BigDecimal.valueOf(flood()), adSpend, "ad spend listed and (other)");
    // Each entry, (other) too, carries its status: its ROI against the plan's 3.5.
    for (String name : ads.fieldNames()) {
      JsonObject a = ads.getJsonObject(name);
      Object roi = a.getValue("roi");
      String expected = roi == null ? null : ((Number) roi).doubleValue() >= 3.5 * 0.9 ? "ok"
          : ((Number) roi).doubleValue() >= 3.5 * 0.8 ? "warning" : "critical";
      assertTrue(a.containsKey("status"), name);
      assertEquals(expected, a.getString("status"), name);
    }
    same(BigDecimal.valueOf(flood()), c.getValue("adSpend"), "adSpend");

    // The report lists the same tables.
    JsonObject report = app.get("/api/v1/report").bodyAsJsonObject();
    assertEquals(channels, report.getJsonObject("channels"));
    assertEquals(ads, report.getJsonObject("adChannels"));
    JsonObject again = afterRestart();
    if (again != null) {
      same(gross, again.getJsonObject("windows").getJsonObject("campaign").getValue("grossRevenue"),
          "after a restart");
      assertEquals(names.subList(0, 5), new ArrayList<>(again.getJsonObject("channels").fieldNames())
          .subList(0, 5));
    }
  }

  /**
   * Section 5: the tables list the largest, whatever came first. One order on a channel of its own
   * per name, amounts drawn at random so most of the largest come after the first 10,000 names
   * (the old limit); each order's ad channel spends an amount with many ties (then attributed
   * revenue decides, then the name).
   */
  @Test
  void theLargestChannelsAreListedWhateverCameFirst() {
    start();
    Random random = new Random(14);
    Map<String, long[]> channels = new TreeMap<>(); // revenue cents, orders
    Map<String, long[]> ads = new TreeMap<>(); // spend cents, attributed cents
    int n = flood();
    for (int from = 0; from < n; from += 10_000) {
      StringBuilder b = new StringBuilder();
      for (int i = from; i < Math.min(n, from + 10_000); i++) {
        String ch = String.format("ch-%06d", i);
        String ad = String.format("ad-%06d", i);
        long cents = 1 + random.nextInt(100_000_000);
        long spend = 1 + random.nextInt(1_000);
        channels.put(ch, new long[] {cents, 1});
        ads.put(ad, new long[] {spend, cents});
        b.append("{\"type\":\"order\",\"id\":\"o-").append(i).append("\",\"ts\":\"").append(TS)
            .append("\",\"customerId\":\"c-").append(i).append("\",\"amount\":")
            .append(BigDecimal.valueOf(cents, 2).toPlainString()).append(",\"channel\":\"")
            .append(ch).append("\",\"adChannel\":\"").append(ad).append("\"}\n");
        b.append("{\"type\":\"spend\",\"id\":\"s-").append(i).append("\",\"ts\":\"").append(TS)
            .append("\",\"category\":\"ads\",\"amount\":")
            .append(BigDecimal.valueOf(spend, 2).toPlainString()).append(",\"adChannel\":\"")
            .append(ad).append("\"}\n");
      }
      post(app, "/api/v1/events", b);
    }
    JsonObject s = exact(app.get("/api/v1/kpis"));
    List<String> byRevenue = channels.entrySet().stream()
        .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
        .map(Map.Entry::getKey).limit(50).toList(); // stable: ties stay by name
    List<String> bySpend = ads.entrySet().stream()
        .sorted((x, y) -> x.getValue()[0] != y.getValue()[0]
            ? Long.compare(y.getValue()[0], x.getValue()[0])
            : Long.compare(y.getValue()[1], x.getValue()[1]))
        .map(Map.Entry::getKey).limit(50).toList();
    assertListed(byRevenue, channels, s.getJsonObject("channels"), "revenue", "orders");
    assertListed(bySpend, ads, s.getJsonObject("adChannels"), "spend", "attributedRevenue");
    assertTrue(byRevenue.stream().filter(k -> Integer.parseInt(k.substring(3)) >= 10_000).count()
        > 25, "most of the largest came after the first 10,000 names");
    JsonObject again = afterRestart();
    if (again != null) {
      assertListed(byRevenue, channels, again.getJsonObject("channels"), "revenue", "orders");
      assertListed(bySpend, ads, again.getJsonObject("adChannels"), "spend", "attributedRevenue");
    }
  }

  /** The table lists exactly {@code top} in that order with their sums, then (other) the rest. */
  private static void assertListed(List<String> top, Map<String, long[]> sums, JsonObject table,
      String first, String second) {
    List<String> names = new ArrayList<>(table.fieldNames());
    assertEquals(top.size() + 1, names.size(), names.toString());
    assertEquals(top, names.subList(0, top.size()));
    assertEquals("(other)", names.get(top.size()));
    long[] rest = new long[2];
    for (long[] v : sums.values()) {
      rest[0] += v[0];
      rest[1] += v[1];
    }
    for (String k : top) {
      JsonObject e = table.getJsonObject(k);
      same(BigDecimal.valueOf(sums.get(k)[0], 2), e.getValue(first), k + " " + first);
      same(first.equals("revenue") ? BigDecimal.valueOf(sums.get(k)[1])
          : BigDecimal.valueOf(sums.get(k)[1], 2), e.getValue(second), k + " " + second);
      rest[0] -= sums.get(k)[0];
      rest[1] -= sums.get(k)[1];
    }
    JsonObject other = table.getJsonObject("(other)");
    same(BigDecimal.valueOf(rest[0], 2), other.getValue(first), "(other) " + first);
    same(first.equals("revenue") ? BigDecimal.valueOf(rest[1]) : BigDecimal.valueOf(rest[1], 2),
        other.getValue(second), "(other) " + second);
  }

  static String order(String id, String channel, String amount) {
    return "{\"id\":\"" + id + "\",\"ts\":\"" + TS + "\",\"customerId\":\"c-" + id + "\",\"amount\":"
        + amount + ",\"channel\":\"" + channel + "\"}\n";
  }

  /** Orders as typed events (lines already typed are kept). */
  static StringBuilder eventsOf(StringBuilder ndjson) {
    StringBuilder out = new StringBuilder();
    for (String line : ndjson.toString().split("\n")) {
      if (line.isEmpty()) continue;
      out.append(line.startsWith("{\"type\"") ? line : "{\"type\":\"order\"," + line.substring(1))
          .append('\n');
    }
    return out;
  }

  @Test
  void aTargetOrBudgetBeyondTheLimitIsRefusedAndTheOldPlanKept() {
    start();
    JsonObject seed = new JsonObject(PlanParser.toJson(plan).toString());
    for (String[] bad : new String[][] {{"targets", "revenue", "1e20"},
        {"budget", "ads", "99999999999999999999"}, {"targets", "aov", "1000000000000.01"}}) {
      String body = seed.copy().encode().replace("\"" + bad[1] + "\":" + (bad[0].equals("targets")
          ? seed.getJsonObject("targets").getValue(bad[1]) : seed.getJsonObject("budget").getValue(bad[1])),
          "\"" + bad[1] + "\":" + bad[2]);
      HttpResponse<Buffer> r = TestApp.await(app.client.put("/api/v1/plan")
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
      assertEquals(400, r.statusCode(), body);
      assertEquals(bad[0] + "." + bad[1] + ": must be at most 1000000000000",
          r.bodyAsJsonObject().getString("error"));
    }
    assertEquals(seed, app.get("/api/v1/plan").bodyAsJsonObject());
    assertEquals(200, app.get("/api/v1/kpis").statusCode());
  }
}
