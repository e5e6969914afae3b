package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.warroom.MutableClock;
import io.warroom.SeedPlans;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.contract.Oracle.R;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A generated month of at least 10,000 records of every type, sent in every body format, with
 * repeats and invalid rows mixed in; every field of the snapshot is checked against {@link Oracle}
 * at three points in time (now, 37 minutes later, and after midnight in plan time).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class DatasetTest extends AppTest {
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  static final String[] CHANNELS = {"tmall", "jd", "douyin_live", "wechat_mall", "website",
      "offline_store", "partner_shop"};
  static final String[] AD_CHANNELS = {"search", "feed", "live", "social"};
  static final String[] CATEGORIES = {"promotion", "ads", "live_content", "crm", "partners"};

  final Plan plan = SeedPlans.absolute(LocalDate.of(2026, 11, 1));
  final Set<String> online = Set.copyOf(plan.onlineChannels());
  final Instant now = OffsetDateTime.parse("2026-11-20T14:30:30+08:00").toInstant();
  final Random random = new Random(20261111);
  final List<R> sent = new ArrayList<>();
  TestApp app;
  long expectedAccepted;
  long expectedDuplicates;
  long expectedRejected;

  @BeforeAll
  void startServer(Vertx vertx) {
    this.vertx = vertx; // the class's: the server lives across the ordered tests
    app = start(Config.defaults(), plan, new MutableClock(now));
  }

  @AfterAll
  void stopServer() {
    if (app != null) app.close();
  }

  @Test
  @Order(1)
  void ingestEveryTypeInEveryFormat() {
    List<R> orders = generate(12_000, this::order);
    List<R> refunds = generate(10_000, i -> refund(i, orders));
    List<R> spend = generate(10_000, this::spend);
    List<R> visits = generate(10_000, this::visit);
    List<R> nps = generate(10_000, this::nps);

    // Orders as JSON arrays, the last 2,000 through /events as NDJSON.
    sendAll("/api/v1/orders", "application/json", orders.subList(0, 10_000), b -> jsonArray(b, false));
    sendAll("/api/v1/events", "application/x-ndjson", orders.subList(10_000, 12_000),
        b -> ndjson(b, true));
    sendAll("/api/v1/refunds", "application/x-ndjson", refunds, b -> ndjson(b, false));
    sendAll("/api/v1/spend", "text/csv", spend, this::spendCsv);
    sendAll("/api/v1/visits", "text/csv", visits.subList(0, 5_000), this::visitCsv);
    sendAll("/api/v1/visits", "application/json", visits.subList(5_000, 10_000),
        b -> jsonArray(b, false));
    sendAll("/api/v1/events", "application/json", nps.subList(0, 4_000), b -> jsonArray(b, true));
    sendAll("/api/v1/nps", "application/x-ndjson", nps.subList(4_000, 10_000), b -> ndjson(b, false));

    // Repeats: a whole batch of orders again, and spend rows again in CSV.
    JsonNode again = send("/api/v1/orders", "application/json", jsonArray(orders.subList(0, 1000), false));
    assertEquals(0, again.get("accepted").asInt());
    assertEquals(1000, again.get("duplicates").asInt());
    expectedDuplicates += 1000;
    JsonNode spendAgain = send("/api/v1/spend", "text/csv", spendCsv(spend.subList(500, 800)));
    assertEquals(300, spendAgain.get("duplicates").asInt());
    expectedDuplicates += 300;

    // Invalid rows beside valid ones: the valid are kept, each invalid one is named.
    String mixed = "{\"id\":\"bad-1\",\"ts\":\"2026-11-20T10:00:00+08:00\",\"customerId\":\"c\","
        + "\"amount\":0,\"channel\":\"tmall\"}\n"
        + "{\"id\":\"bad-2\",\"ts\":\"2026-11-20T10:00:00+08:00\",\"customerId\":\"c\","
        + "\"amount\":\"12.50\",\"channel\":\"tmall\"}\n";
    JsonNode bad = send("/api/v1/orders", "application/x-ndjson", mixed);
    assertEquals(0, bad.get("accepted").asInt());
    assertEquals(2, bad.get("rejected").size());
    expectedRejected += 2;

    assertTrue(sent.stream().filter(r -> r.type().equals("order")).count() >= 10_000);
  }

  @Test
  @Order(2)
  void snapshotMatchesTheIndependentComputationNow() throws Exception {
    check(now);
  }

  @Test
  @Order(3)
  void windowsRollWithTheClockAlone() throws Exception {
    app.clock.advance(Duration.ofMinutes(37));
    check(app.clock.instant());
  }

  @Test
  @Order(4)
  void todayStartsAgainAtMidnightPlanTime() throws Exception {
    app.clock.set(OffsetDateTime.parse("2026-11-21T00:10:00+08:00").toInstant());
    check(app.clock.instant());
  }

  void check(Instant at) throws Exception {
    JsonNode s = JSON.readTree(app.get("/api/v1/kpis").bodyAsString());
    long t = at.toEpochMilli();

    assertEquals(at.toString(), s.get("asOf").asText());
    Expect.windowsAndBreakdowns(s, sent, plan);
    long start = plan.startMillis();
    long end = plan.endMillis();
    double elapsed = (double) (t - start) / (end - start);
    assertEquals(elapsed, s.at("/plan/elapsed").doubleValue());
    assertKpis(s.get("kpis"), Oracle.window(sent, start, end, online), elapsed);
    assertEquals(Set.of(CATEGORIES), fieldNames(s.get("budget")));
    assertEquals(sent.size(), s.at("/ingest/accepted").asLong());
    assertEquals(expectedDuplicates, s.at("/ingest/duplicates").asLong());
    assertEquals(expectedRejected, s.at("/ingest/rejected").asLong());
  }

  void assertKpis(JsonNode kpis, Oracle.Window c, double elapsed) {
    List<String> ids = new ArrayList<>();
    kpis.forEach(k -> {
      if (!k.path("focus").asBoolean()) ids.add(k.get("id").asText()); // focus targets follow: FocusTest's
    });
    assertEquals(List.of("revenue", "newCustomers", "repurchaseRate", "conversion", "aov", "roi",
        "nps", "onlineShare"), ids);
    JsonNode revenue = kpis.get(0);
    assertMoney(c.revenue(), revenue.get("value"), "kpi revenue");
    assertEquals(0, new BigDecimal("12000000").compareTo(revenue.get("target").decimalValue()));
    BigDecimal expected = new BigDecimal(1_200_000_000L).multiply(new BigDecimal(elapsed))
        .setScale(0, RoundingMode.HALF_UP).movePointLeft(2);
    assertMoney(expected, revenue.get("expected"), "expected revenue");
    BigDecimal forecast = BigDecimal.valueOf(Oracle.cents(c.revenue()))
        .divide(new BigDecimal(elapsed), 0, RoundingMode.HALF_UP).movePointLeft(2);
    assertMoney(forecast, revenue.get("forecast"), "forecast revenue");
    assertEquals(status(c.revenue().doubleValue(), expected.doubleValue()),
        revenue.get("status").asText());

    JsonNode nc = kpis.get(1);
    assertEquals(c.newCustomers.size(), nc.get("value").asLong());
    assertEquals(21000 * elapsed, nc.get("expected").doubleValue(), 1e-9);
    assertEquals(c.newCustomers.size() / elapsed, nc.get("forecast").doubleValue(), 1e-9);
    assertEquals(status(c.newCustomers.size(), 21000 * elapsed), nc.get("status").asText());

    assertRatioKpi(kpis.get(2), c.repurchaseRate(), 0.30);
    // Conversion is judged by the plan's own rule (warn 0.027, critical 0.024).
    JsonNode conv = kpis.get(3);
    assertRatio(c.conversion(), conv.get("value"), "kpi conversion");
    double cv = c.conversion();
    assertEquals(cv < 0.024 ? "critical" : cv < 0.027 ? "warning" : "ok", conv.get("status").asText());
    JsonNode aov = kpis.get(4);
    assertRatio(c.aov(), aov.get("value"), "kpi aov");
    assertEquals(status(c.aov(), 300), aov.get("status").asText());
    assertRatioKpi(kpis.get(5), c.roi(), 3.5);
    assertRatioKpi(kpis.get(6), c.nps(), 65);
    assertRatioKpi(kpis.get(7), c.onlineShare(), 0.70);
  }

  void assertRatioKpi(JsonNode k, Double value, double target) {
    assertRatio(value, k.get("value"), "kpi " + k.get("id").asText());
    assertEquals(status(value, target), k.get("status").asText(), "status of " + k.get("id"));
    assertEquals(target, k.get("target").doubleValue());
  }

  static String status(double value, double reference) {
    if (value >= 0.9 * reference) return "ok";
    if (value >= 0.8 * reference) return "warning";
    return "critical";
  }

  static void assertMoney(BigDecimal expected, JsonNode actual, String what) {
    Expect.money(expected, actual, what);
  }

  static void assertRatio(Double expected, JsonNode actual, String what) {
    Expect.ratio(expected, actual, what);
  }

  static Set<String> fieldNames(JsonNode o) {
    return Expect.fieldNames(o);
  }

  // ---- generation ----

  interface Gen {
    R make(int i);
  }

  List<R> generate(int n, Gen g) {
    List<R> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(g.make(i));
    return out;
  }

  long ts() {
    long t = now.toEpochMilli();
    long start = plan.startMillis();
    int p = random.nextInt(100);
    if (p < 60) return start - 86_400_000L + (long) (random.nextDouble() * (t - 7_200_000L - start + 86_400_000L));
    if (p < 85) return t - (long) (random.nextDouble() * 7_200_000L);
    if (p < 95) return t - (long) (random.nextDouble() * (t - (t - 14 * 3_600_000L)));
    return t + (long) (random.nextDouble() * 299_000L);
  }

  BigDecimal money(int maxUnits, boolean allowZero) {
    long cents = (allowZero ? 0 : 1) + (long) (random.nextDouble() * maxUnits * 100);
    if (random.nextInt(5) == 0) cents = Math.max(allowZero ? 0 : 100, cents / 100 * 100);
    return BigDecimal.valueOf(cents, 2);
  }

  R order(int i) {
    String customer = "cust-" + random.nextInt(3000);
    Boolean isNew = switch (random.nextInt(3)) {
      case 0 -> Boolean.TRUE;
      case 1 -> Boolean.FALSE;
      default -> null;
    };
    String ad = random.nextInt(10) < 4 ? AD_CHANNELS[random.nextInt(AD_CHANNELS.length)] : null;
    return new R("order", "o-" + i, ts(), money(2000, false), customer,
        CHANNELS[random.nextInt(CHANNELS.length)], isNew, ad, null, null, null);
  }

  R refund(int i, List<R> orders) {
    return new R("refund", "r-" + i, ts(), money(150, false), null, null, null, null, null, null,
        null);
  }

  R spend(int i) {
    String ad = random.nextInt(2) == 0 ? AD_CHANNELS[random.nextInt(AD_CHANNELS.length)] : null;
    return new R("spend", "s-" + i, ts(), money(5000, true), null, null, null, ad,
        CATEGORIES[random.nextInt(CATEGORIES.length)], null, null);
  }

  R visit(int i) {
    return new R("visit", "v-" + i, ts(), null, null, CHANNELS[random.nextInt(CHANNELS.length)],
        null, null, null, 1 + random.nextInt(400), null);
  }

  R nps(int i) {
    return new R("nps", "n-" + i, ts(), null, random.nextBoolean() ? "cust-" + random.nextInt(3000) : null,
        null, null, null, null, null, random.nextInt(11));
  }

  // ---- bodies ----

  void sendAll(String path, String contentType, List<R> records, Function<List<R>, String> body) {
    for (int i = 0; i < records.size(); i += 1000) {
      List<R> batch = records.subList(i, Math.min(records.size(), i + 1000));
      JsonNode answer = send(path, contentType, body.apply(batch));
      assertEquals(batch.size(), answer.get("accepted").asInt(), path + " " + answer);
      assertEquals(0, answer.get("rejected").size(), path + " " + answer);
      sent.addAll(batch);
    }
  }

  JsonNode send(String path, String contentType, String body) {
    HttpResponse<Buffer> r = app.post(path, contentType, body);
    assertEquals(200, r.statusCode(), path + ": " + r.bodyAsString());
    try {
      return JSON.readTree(r.bodyAsString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String tsText(long millis, boolean utc) {
    Instant t = Instant.ofEpochMilli(millis);
    return utc ? t.toString() : t.atOffset(ZoneOffset.ofHours(8)).toString();
  }

  String json(R r, boolean withType) {
    StringBuilder b = new StringBuilder("{");
    if (withType) b.append("\"type\":\"").append(r.type()).append("\",");
    b.append("\"id\":\"").append(r.id()).append("\",\"ts\":\"")
        .append(tsText(r.ts(), r.id().hashCode() % 3 == 0)).append('"');
    if (r.amount() != null) b.append(",\"amount\":").append(r.amount().toPlainString());
    if (r.customerId() != null) b.append(",\"customerId\":\"").append(r.customerId()).append('"');
    if (r.channel() != null) b.append(",\"channel\":\"").append(r.channel()).append('"');
    if (r.newCustomer() != null) b.append(",\"newCustomer\":").append(r.newCustomer());
    if (r.adChannel() != null) b.append(",\"adChannel\":\"").append(r.adChannel()).append('"');
    if (r.category() != null) b.append(",\"category\":\"").append(r.category()).append('"');
    if (r.sessions() != null) b.append(",\"sessions\":").append(r.sessions());
    if (r.score() != null) b.append(",\"score\":").append(r.score());
    if (r.type().equals("refund")) b.append(",\"orderId\":\"o-").append(r.id().substring(2)).append('"');
    b.append(",\"note\":\"unknown fields are ignored\"}");
    return b.toString();
  }

  String jsonArray(List<R> batch, boolean withType) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < batch.size(); i++) {
      if (i > 0) b.append(",\n");
      b.append(json(batch.get(i), withType));
    }
    return b.append("]").toString();
  }

  String ndjson(List<R> batch, boolean withType) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < batch.size(); i++) {
      b.append(json(batch.get(i), withType)).append(i % 250 == 0 ? "\r\n\n" : "\n");
    }
    return b.toString();
  }

  String spendCsv(List<R> batch) {
    StringBuilder b = new StringBuilder("id,ts,category,amount,adChannel,impressions,clicks\n");
    for (R r : batch) {
      b.append(r.id()).append(',').append(tsText(r.ts(), false)).append(',').append(r.category())
          .append(',').append(r.amount().toPlainString()).append(',')
          .append(r.adChannel() == null ? "" : r.adChannel()).append(',')
          .append(r.adChannel() == null ? "" : "1000").append(',')
          .append(r.adChannel() == null ? "" : "37").append('\n');
    }
    return b.toString();
  }

  String visitCsv(List<R> batch) {
    StringBuilder b = new StringBuilder("\"ts\",id,channel,sessions\r\n");
    for (R r : batch) {
      b.append(tsText(r.ts(), true)).append(',').append(r.id()).append(",\"").append(r.channel())
          .append("\",").append(r.sessions()).append("\r\n");
    }
    return b.toString();
  }
}
