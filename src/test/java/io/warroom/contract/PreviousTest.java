package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The previous period (CONTRACT section 13): `windows.previous` and `windows.previousToDate`,
 * every field exact against the oracle at minute edges, as the clock moves, with late records,
 * after a rebuild; `previous` and `change` on each KPI.
 */
public class PreviousTest extends AppTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long MINUTE = 60_000L;
  protected TestApp app;
  protected Plan plan;
  final List<Oracle.R> sent = new ArrayList<>();
  /** The breakdown fields of the orders sent, by id (the seed plan's focus targets read them). */
  final Map<String, Keys> keys = new LinkedHashMap<>();

  /** An order's sku, category, segment, tags and quantity. */
  record Keys(String sku, String category, String segment, List<String> tags, long quantity) {}
  final Random rnd = new Random(18);
  int seq;

  @AfterEach
  void stop() {
    if (app != null) app.close();
  }

  void startAt(Plan p, String iso) {
    plan = p;
    app = start(Config.defaults(), p, MutableClock.at(iso));
  }

  /** Builds the aggregates again from what the store keeps (PostgreSQL: a restart). */
  protected void rebuild() {
    var r = TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(PlanParser.toJson(plan).toString())));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  long[] previous() {
    LocalDate[] given = plan.previous() == null ? null
        : new LocalDate[] {plan.previous().start(), plan.previous().end()};
    LocalDate[] p = Oracle.previousPeriod(plan.start(), plan.end(), given);
    return new long[] {p[0].atStartOfDay(plan.timezone()).toInstant().toEpochMilli(),
        p[1].atStartOfDay(plan.timezone()).toInstant().toEpochMilli()};
  }

  /** Sends records: ts each, one record of a random type per ts. */
  void send(List<Long> times) {
    JsonArray body = new JsonArray();
    for (long ts : times) {
      String id = "p" + (seq++);
      String iso = Instant.ofEpochMilli(ts).toString();
      int kind = rnd.nextInt(10);
      JsonObject o = new JsonObject().put("id", id).put("ts", iso);
      if (kind < 5) {
        String customer = "c" + rnd.nextInt(25);
        BigDecimal amount = BigDecimal.valueOf(1 + rnd.nextInt(90_000), 2);
        String channel = rnd.nextBoolean() ? "tmall" : "store";
        Boolean isNew = rnd.nextInt(3) == 0 ? Boolean.TRUE : rnd.nextBoolean() ? Boolean.FALSE : null;
        String ad = rnd.nextBoolean() ? "search" : null;
        o.put("type", "order").put("customerId", customer).put("amount", amount)
            .put("channel", channel);
        Keys k = new Keys(rnd.nextBoolean() ? "A" : "B", rnd.nextBoolean() ? "green" : "home",
            rnd.nextBoolean() ? "30-45" : "18-29",
            rnd.nextBoolean() ? List.of("new-market") : List.of("vip"), 1 + rnd.nextInt(3));
        o.put("sku", k.sku()).put("productCategory", k.category()).put("segment", k.segment())
            .put("tags", new JsonArray(k.tags())).put("quantity", k.quantity());
        keys.put(id, k);
        if (isNew != null) o.put("newCustomer", isNew);
        if (ad != null) o.put("adChannel", ad);
        sent.add(new Oracle.R("order", id, ts, amount, customer, channel, isNew, ad, null, null, null));
      } else if (kind == 5) {
        BigDecimal amount = BigDecimal.valueOf(1 + rnd.nextInt(5_000), 2);
        o.put("type", "refund").put("orderId", "x").put("amount", amount);
        sent.add(new Oracle.R("refund", id, ts, amount, null, null, null, null, null, null, null));
      } else if (kind == 6) {
        BigDecimal amount = BigDecimal.valueOf(rnd.nextInt(20_000), 2);
        String category = rnd.nextBoolean() ? "ads" : "crm";
        o.put("type", "spend").put("category", category).put("amount", amount);
        sent.add(new Oracle.R("spend", id, ts, amount, null, null, null, null, category, null, null));
      } else if (kind < 9) {
        int sessions = 1 + rnd.nextInt(40);
        String channel = rnd.nextBoolean() ? "tmall" : "store";
        o.put("type", "visit").put("channel", channel).put("sessions", sessions);
        sent.add(new Oracle.R("visit", id, ts, null, null, channel, null, null, null, sessions, null));
      } else {
        int score = rnd.nextInt(11);
        o.put("type", "nps").put("score", score);
        sent.add(new Oracle.R("nps", id, ts, null, null, null, null, null, null, null, score));
      }
      body.add(o);
    }
    JsonObject answer = app.post("/api/v1/events", "application/json", body.encode())
        .bodyAsJsonObject();
    assertEquals(times.size(), answer.getInteger("accepted"), answer.encode());
  }

  /** Times around the edges that matter now: both periods' ends and the to-date point. */
  List<Long> edges(int randomOnes) {
    long[] p = previous();
    long now = app.clock.millis();
    long cut = Oracle.previousToDateEnd(plan.startMillis(), plan.endMillis(), p[0], p[1], now);
    List<Long> t = new ArrayList<>();
    for (long edge : new long[] {p[0], p[1], cut, cut - MINUTE, cut + MINUTE}) {
      for (long d : new long[] {-1, 0, 1, 59_999}) {
        long ts = edge + d;
        if (ts <= now) t.add(ts);
      }
    }
    for (int i = 0; i < randomOnes; i++) {
      long ts = rnd.nextInt(3) == 0
          ? cut + (rnd.nextInt(11) - 5) * MINUTE + rnd.nextInt(60_000)
          : p[0] + (long) (rnd.nextDouble() * (p[1] - p[0]));
      if (ts <= now) t.add(ts);
      if (rnd.nextInt(5) == 0) t.add(plan.startMillis() + (long) (rnd.nextDouble() * (now - plan.startMillis())));
    }
    return t;
  }

  /** The snapshot's previous windows and KPI comparisons against the oracle at its asOf. */
  JsonNode check() throws Exception {
    JsonNode s = JSON.readTree(app.get("/api/v1/kpis").bodyAsString());
    long[] p = previous();
    long asOf = Instant.parse(s.get("asOf").asText()).toEpochMilli();
    long cut = Oracle.previousToDateEnd(plan.startMillis(), plan.endMillis(), p[0], p[1], asOf);
    Set<String> online = Set.copyOf(plan.onlineChannels());
    Oracle.Window whole = Oracle.window(sent, p[0], p[1], online);
    Oracle.Window toDate = Oracle.window(sent, p[0], cut, online);
    Expect.window("previous", s.at("/windows/previous"), whole);
    Expect.window("previousToDate", s.at("/windows/previousToDate"), toDate);
    Oracle.Window campaign = Oracle.window(sent, plan.startMillis(), plan.endMillis(), online);
    int focus = 0;
    for (JsonNode k : s.get("kpis")) {
      String id = k.get("id").asText();
      if (k.path("focus").asBoolean()) {
        focus++;
        // Their values are FocusTest's; here their value to the same point of the previous period.
        Plan.Focus f = plan.focus().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
        Object prev = focusValue(f, p[0], cut);
        Object value = focusValue(f, plan.startMillis(), plan.endMillis());
        expectNumber(prev, k.get("previous"), id + ".previous");
        Expect.ratio(Oracle.change(value, prev), k.get("change"), id + ".change");
        continue;
      }
      Object prev = Oracle.value(toDate, id);
      Object value = Oracle.value(campaign, id);
      expectNumber(prev, k.get("previous"), id + ".previous");
      Expect.ratio(Oracle.change(value, prev), k.get("change"), id + ".change");
    }
    assertEquals(plan.focus().size(), focus);
    assertEquals(Instant.ofEpochMilli(cut).toString(), s.at("/plan/previous/toDate").asText());
    // The report compares every KPI as the snapshot does, focus targets included.
    JsonNode report = JSON.readTree(app.get("/api/v1/report").bodyAsString());
    assertEquals(s.get("kpis").size(), report.get("kpis").size());
    for (int i = 0; i < s.get("kpis").size(); i++) {
      JsonNode k = s.get("kpis").get(i);
      JsonNode r = report.get("kpis").get(i);
      assertEquals(k.get("id"), r.get("id"));
      for (String field : List.of("previous", "change")) {
        assertTrue(r.has(field), k.get("id") + " in the report has " + field);
        assertEquals(String.valueOf(k.get(field)), String.valueOf(r.get(field)), k.get("id") + " " + field);
      }
    }
    return s;
  }

  /** A focus target's value over the orders sent in [from, to), counted the plain way. */
  Object focusValue(Plan.Focus f, long from, long to) {
    BigDecimal revenue = BigDecimal.ZERO;
    BigDecimal gross = BigDecimal.ZERO;
    long orders = 0;
    long units = 0;
    for (Oracle.R r : sent) {
      if (!r.type().equals("order") || r.ts() < from || r.ts() >= to) continue;
      gross = gross.add(r.amount());
      Keys k = keys.get(r.id());
      if (k == null) continue; // sent without breakdown fields
      boolean match = switch (f.dimension()) {
        case "sku" -> f.key().equals(k.sku());
        case "productCategory" -> f.key().equals(k.category());
        case "segment" -> f.key().equals(k.segment());
        case "tag" -> k.tags().contains(f.key());
        default -> false;
      };
      if (!match) continue;
      revenue = revenue.add(r.amount());
      orders++;
      units += k.quantity();
    }
    return switch (f.metric()) {
      case "orders" -> (Object) orders;
      case "units" -> (Object) units;
      case "share" -> gross.signum() == 0 ? null
          : (Object) ((double) revenue.movePointRight(2).longValueExact()
              / gross.movePointRight(2).longValueExact());
      default -> revenue;
    };
  }

  static void expectNumber(Object expected, JsonNode actual, String what) {
    if (expected instanceof BigDecimal d) Expect.money(d, actual, what);
    else if (expected instanceof Long l) assertEquals(l.longValue(), actual.asLong(), what);
    else Expect.ratio((Double) expected, actual, what);
  }

  @Test
  void aMonthAfterAShorterMonthAtEveryMinuteEdge() throws Exception {
    // March 2027 is compared with February (28 days): past 28 days, to date is the whole of it.
    startAt(SeedPlan.forMonth(LocalDate.of(2027, 3, 1)), "2027-03-10T12:34:56.789+08:00");
    JsonNode s = check();
    assertEquals("2027-02-01", s.at("/plan/previous/start").asText());
    assertEquals("2027-03-01", s.at("/plan/previous/end").asText());
    assertEquals(0, s.at("/windows/previous/orders").asLong());
    send(edges(150));
    check();
    for (long step : new long[] {3_211, 1, 59_999, MINUTE, 37 * MINUTE + 5}) {
      app.clock.advance(Duration.ofMillis(step));
      check();
      send(edges(20)); // late records on both sides of the point
      check();
    }
    rebuild();
    check();
    app.clock.set(Instant.parse("2027-03-28T23:59:30+08:00"));
    send(edges(40));
    check();
    app.clock.set(Instant.parse("2027-03-29T00:00:00+08:00"));
    s = check();
    assertEquals(s.at("/windows/previous").toString(), s.at("/windows/previousToDate").toString());
    assertTrue(s.at("/windows/previous/orders").asLong() > 100);
    app.clock.set(Instant.parse("2027-04-01T00:05:00+08:00")); // after the period: all of both
    check();
    rebuild();
    check();
  }

  @Test
  void anEndedPlanKeepsTheComparisonOfItsEnd() throws Exception {
    // November (30 days) against October (31): once November is over, the previous period to
    // date is October's first 30 days, as the report of the ended campaign says, not all of it.
    startAt(SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), "2026-11-30T23:30:00+08:00");
    send(edges(120));
    check();
    app.clock.set(Instant.parse("2026-12-05T10:00:00+08:00"));
    JsonNode s = check();
    assertEquals("2026-10-30T16:00:00Z", s.at("/plan/previous/toDate").asText());
    rebuild();
    s = check();
    assertEquals("2026-10-30T16:00:00Z", s.at("/plan/previous/toDate").asText());
  }

  @Test
  void aPlanOfDaysAndAGivenPreviousPeriod() throws Exception {
    Plan days = SeedPlan.forMonth(LocalDate.of(2027, 3, 1)).toBuilder()
        .period(LocalDate.of(2027, 3, 5), LocalDate.of(2027, 3, 15)).weeks(List.of()).build();
    startAt(days, "2027-03-07T00:00:00+08:00");
    assertEquals("2027-02-23", check().at("/plan/previous/start").asText());
    send(edges(120));
    check();
    app.clock.advance(Duration.ofMinutes(61).plusMillis(1));
    send(edges(30));
    check();
    rebuild();
    check();
    app.close();
    app = null;

    Plan given = days.toBuilder()
        .previous(new Plan.Period(LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 4))).build();
    sent.clear();
    startAt(given, "2027-03-07T19:00:00+08:00");
    JsonNode s = check();
    assertEquals("2027-01-04", s.at("/plan/previous/end").asText());
    send(edges(120));
    s = check();
    // 2 days 19 h into a 10-day plan: the 3-day previous period is not yet whole.
    assertTrue(s.at("/windows/previousToDate/orders").asLong()
        < s.at("/windows/previous/orders").asLong());
    rebuild();
    check();
  }

  @Test
  void relativeTargetsComeFromThePreviousPeriodsFinalValues() throws Exception {
    Plan p = SeedPlan.forMonth(LocalDate.of(2027, 3, 1));
    p = p.toBuilder().growth(Map.of("newCustomers", new BigDecimal("0.05"),
        "aov", new BigDecimal("-0.1"))).build();
    Map<String, BigDecimal> targets = new LinkedHashMap<>(p.targets());
    targets.remove("aov");
    p = p.toBuilder().targets(targets).build();
    startAt(p, "2027-03-03T08:00:00+08:00");
    JsonNode s = check();
    // No records in February yet: no target, no status.
    assertTrue(kpi(s, "newCustomers").get("target").isNull());
    assertTrue(kpi(s, "newCustomers").get("status").isNull());
    assertTrue(kpi(s, "aov").get("target").isNull());
    send(edges(200));
    for (int round = 0; round < 2; round++) {
      s = check();
      long[] pp = previous();
      Oracle.Window whole = Oracle.window(sent, pp[0], pp[1], Set.copyOf(plan.onlineChannels()));
      BigDecimal nc = BigDecimal.valueOf(whole.newCustomers.size()).multiply(new BigDecimal("1.05"));
      assertTrue(whole.newCustomers.size() > 0);
      assertEquals(0, nc.compareTo(kpi(s, "newCustomers").get("target").decimalValue()),
          kpi(s, "newCustomers").toString());
      // the previous AOV as the exact quotient times 0.9, then the nearest double (its rounded
      // value times 0.9 was a digit off)
      double aov = whole.gross.multiply(new BigDecimal("0.9"))
          .divide(BigDecimal.valueOf(whole.orders), new MathContext(60)).doubleValue();
      assertEquals(aov, kpi(s, "aov").get("target").asDouble(), 0, kpi(s, "aov").toString());
      assertTrue(kpi(s, "newCustomers").hasNonNull("status"));
      rebuild();
    }
  }

  static JsonNode kpi(JsonNode s, String id) {
    for (JsonNode k : s.get("kpis")) if (k.get("id").asText().equals(id)) return k;
    throw new AssertionError("no kpi " + id);
  }
}
