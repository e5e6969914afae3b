package io.warroom.contract;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.warroom.MutableClock;
import io.warroom.SseClient;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.contract.ExperimentOracle.Declared;
import io.warroom.contract.ExperimentOracle.X;
import io.warroom.hardening.ExactSumsTest;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT section 12 over HTTP: per-variant figures, lift, z-test, always-valid p-value and
 * interval, decision and sample-ratio test, for an experiment with a real effect, one without but
 * with a broken split, and one too small to judge; records of undeclared experiments or variants,
 * or outside the period, are not counted. Checked against {@link ExperimentOracle}.
 */
public class ExperimentsTest extends AppTest {
  static final String PLAN = """
      {"id": "2026-11", "name": "AB", "timezone": "Asia/Shanghai", "currency": "CNY",
       "start": "2026-11-01", "end": "2026-12-01",
       "experiments": [
         {"id": "checkout-v2", "text": {"zh-CN": "结账页改版", "en": "Checkout v2"},
          "variants": ["A", "B"], "control": "A", "split": [0.5, 0.5]},
         {"id": "banner", "variants": ["ctl", "red", "blue"], "control": "ctl",
          "split": [0.5, 0.25, 0.25]},
         {"id": "tiny", "variants": ["A", "B"]}]}""";
  static final List<Declared> DECLARED = List.of(
      new Declared("checkout-v2", List.of("A", "B"), "A", new double[] {0.5, 0.5}),
      new Declared("banner", List.of("ctl", "red", "blue"), "ctl", new double[] {0.5, 0.25, 0.25}),
      new Declared("tiny", List.of("A", "B"), "A", new double[] {0.5, 0.5}));
  static final long FROM = Instant.parse("2026-10-31T16:00:00Z").toEpochMilli();
  static final long TO = Instant.parse("2026-11-30T16:00:00Z").toEpochMilli();

  protected TestApp app;
  protected final List<X> sent = new ArrayList<>();
  private int ids;

  protected Plan plan() {
    return PlanParser.parse(PLAN);
  }

  @BeforeEach
  void start() {
    app = start(Config.defaults(), plan(), MutableClock.at("2026-11-20T12:00:00+08:00"));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  /** Visits of about {@code sessions} sessions and {@code orders} orders for one variant. */
  void arm(StringBuilder out, SplittableRandom rnd, String experiment, String variant,
      long sessions, long orders, long from, long to) {
    long left = sessions;
    while (left > 0) {
      long s = Math.min(left, 1 + rnd.nextInt(40));
      left -= s;
      add(out, new X("visit", from + rnd.nextLong(to - from), experiment, variant, null, s));
    }
    for (long i = 0; i < orders; i++) {
      BigDecimal amount = BigDecimal.valueOf(100 + rnd.nextLong(99_900), 2);
      add(out, new X("order", from + rnd.nextLong(to - from), experiment, variant, amount, 0));
    }
  }

  void add(StringBuilder out, X r) {
    String id = "x-" + ids++;
    out.append("{\"type\":\"").append(r.type()).append("\",\"id\":\"").append(id)
        .append("\",\"ts\":\"").append(Instant.ofEpochMilli(r.ts())).append('"');
    if (r.type().equals("visit")) {
      out.append(",\"channel\":\"tmall\",\"sessions\":").append(r.sessions());
    } else {
      out.append(",\"customerId\":\"c-").append(ids % 97).append("\",\"channel\":\"tmall\",\"amount\":")
          .append(r.amount().toPlainString());
    }
    if (r.experiment() != null) out.append(",\"experiment\":\"").append(r.experiment()).append('"');
    if (r.variant() != null) out.append(",\"variant\":\"").append(r.variant()).append('"');
    out.append("}\n");
    sent.add(r);
  }

  void post(StringBuilder ndjson) {
    var r = app.post("/api/v1/events", "application/x-ndjson", ndjson.toString());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getJsonArray("rejected").isEmpty(), r.bodyAsString());
  }

  /** The records of every case, sent in two requests (the second also repeats the first's rows). */
  void sendAll() {
    SplittableRandom rnd = new SplittableRandom(2026_11_20L);
    long now = Instant.parse("2026-11-20T04:00:00Z").toEpochMilli();
    StringBuilder a = new StringBuilder();
    // A real effect: 3 % against 3.9 %.
    arm(a, rnd, "checkout-v2", "A", 30_000, 900, FROM, now);
    arm(a, rnd, "checkout-v2", "B", 30_200, 1_178, FROM, now);
    // No effect, but the split is broken: 50/25/25 planned, 20,000 / 10,000 / 11,500 seen.
    arm(a, rnd, "banner", "ctl", 20_000, 800, FROM, now);
    arm(a, rnd, "banner", "red", 10_000, 405, FROM, now);
    arm(a, rnd, "banner", "blue", 11_500, 452, FROM, now);
    post(a);
    StringBuilder b = new StringBuilder();
    // Too little to judge.
    arm(b, rnd, "tiny", "A", 400, 12, FROM, now);
    arm(b, rnd, "tiny", "B", 380, 20, FROM, now);
    // Not counted: undeclared experiment or variant, before the period.
    arm(b, rnd, "other", "A", 500, 30, FROM, now);
    arm(b, rnd, "checkout-v2", "C", 500, 30, FROM, now);
    arm(b, rnd, "checkout-v2", "B", 800, 40, FROM - 86_400_000L, FROM);
    // Not in any experiment, also with only one of the two fields (counted everywhere else).
    arm(b, rnd, null, null, 300, 10, FROM, now);
    arm(b, rnd, "checkout-v2", null, 200, 7, FROM, now);
    arm(b, rnd, null, "B", 100, 5, FROM, now);
    post(b);
  }

  JsonObject experiments(TestApp a) {
    return a.kpis().getJsonObject("experiments");
  }

  @Test
  void variantsLiftsAndTestsMatchTheOracle() {
    sendAll();
    JsonObject x = experiments(app);
    ExperimentOracle.check(x, DECLARED, sent, FROM, TO);
    long orders = sent.stream().filter(r -> r.type().equals("order") && r.ts() >= FROM).count();
    assertEquals(orders, app.kpis().getJsonObject("windows").getJsonObject("campaign")
        .getLong("orders"), "every order of the period counts in the campaign window");
    // The cases are what they are meant to be.
    JsonObject checkout = x.getJsonObject("checkout-v2");
    assertEquals("better", checkout.getJsonArray("results").getJsonObject(0).getString("decision"));
    assertEquals(false, checkout.getBoolean("srmWarning"));
    JsonObject banner = x.getJsonObject("banner");
    assertEquals(true, banner.getBoolean("srmWarning"));
    for (Object r : banner.getJsonArray("results")) {
      assertEquals("no difference yet", ((JsonObject) r).getString("decision"));
    }
    // The broken split raises the built-in alert once it has held for 5 minutes; the others do not.
    eventually(() -> activeRules("pending").contains("srm-banner"), 15_000,
        () -> "srm-banner pending: " + activeRules("pending"));
    assertTrue(firingRules().isEmpty(), firingRules().toString());
    app.clock.advance(Duration.ofMinutes(5));
    eventually(() -> firingRules().contains("srm-banner"), 15_000,
        () -> "srm-banner fires: " + firingRules());
    List<String> rules = firingRules();
    assertTrue(!rules.contains("srm-checkout-v2") && !rules.contains("srm-tiny"), rules.toString());
    // Its message gives the p-value as people write it (it is about 1e-200 here, not 200 zeros).
    JsonObject srm = app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active").stream()
        .map(a -> (JsonObject) a).filter(a -> a.getString("rule").equals("srm-banner")).findFirst()
        .orElseThrow();
    String p = String.format(Locale.ROOT, "%.1e", srm.getDouble("value"))
        .replaceFirst("e([+-])0(\\d)$", "e$1$2");
    assertEquals("experiment banner: sessions do not follow the planned split (sample ratio p-value "
        + p + ", warning below 0.001)", srm.getString("message"));
    JsonObject tiny = x.getJsonObject("tiny").getJsonArray("results").getJsonObject(0);
    assertEquals(1.0, tiny.getDouble("sequentialPValue"));
    assertEquals(null, tiny.getValue("ci"));
    // Repeats change nothing.
    StringBuilder again = new StringBuilder();
    int n = ids;
    ids = 0;
    List<X> before = List.copyOf(sent);
    arm(again, new SplittableRandom(2026_11_20L), "checkout-v2", "A", 30_000, 900, FROM,
        Instant.parse("2026-11-20T04:00:00Z").toEpochMilli());
    sent.clear();
    sent.addAll(before);
    ids = n;
    var r = app.post("/api/v1/events", "application/x-ndjson", again.toString());
    assertEquals(0, r.bodyAsJsonObject().getInteger("accepted"));
    ExperimentOracle.check(experiments(app), DECLARED, sent, FROM, TO);
  }

  @Test
  void theSectionIsResentOnlyWhenItChanges() throws Exception {
    try (SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
      List<String> names = new ArrayList<>();
      String first = null;
      while (!names.contains("snapshot")) {
        SseClient.Event e = sse.nextAny(5000);
        names.add(e.event());
        if (e.event().equals("experiments")) first = e.data();
      }
      assertTrue(first != null, "experiments sent on connect: " + names);
      // An order outside every experiment: a new snapshot, no new experiments event.
      StringBuilder plain = new StringBuilder();
      add(plain, new X("order", Instant.parse("2026-11-20T03:00:00Z").toEpochMilli(), null, null,
          new BigDecimal("10.00"), 0));
      post(plain);
      List<String> after = new ArrayList<>();
      while (!after.contains("snapshot")) after.add(sse.nextAny(5000).event());
      assertTrue(!after.contains("experiments"), "the section did not change: " + after);
      // An order of a variant: the section comes again, before its snapshot.
      StringBuilder tagged = new StringBuilder();
      add(tagged, new X("order", Instant.parse("2026-11-20T03:00:00Z").toEpochMilli(), "tiny", "B",
          new BigDecimal("10.00"), 0));
      post(tagged);
      SseClient.Event f = sse.nextAny(5000);
      while (!f.event().equals("experiments")) {
        assertNotEquals("snapshot", f.event(), "the section comes before its snapshot");
        f = sse.nextAny(5000);
      }
      assertNotEquals(first, f.data());
      assertEquals(1, new JsonObject(f.data()).getJsonObject("tiny").getJsonObject("variants")
          .getJsonObject("B").getInteger("orders"));
    }
  }

  @Test
  void theReportKeepsEveryCentOfAVariant() {
    // 100 orders of the largest amount and one of a cent: 100,000,000,000,000.01, which a double
    // cannot hold (the report read 1.0000000000000002E14 and printed ...000.02).
    StringBuilder b = new StringBuilder();
    long ts = Instant.parse("2026-11-20T03:00:00Z").toEpochMilli();
    for (int i = 0; i < 100; i++) {
      add(b, new X("order", ts, "tiny", "B", new BigDecimal("1000000000000"), 0));
    }
    add(b, new X("order", ts, "tiny", "B", new BigDecimal("0.01"), 0));
    post(b);
    BigDecimal expected = new BigDecimal("100000000000000.01");
    for (JsonObject shown : List.of(ExactSumsTest.exact(app.get("/api/v1/kpis"))
        .getJsonObject("experiments"), ExactSumsTest.exact(app.get("/api/v1/report"))
        .getJsonObject("experiments"))) {
      Object revenue = shown.getJsonObject("tiny").getJsonObject("variants").getJsonObject("B")
          .getValue("revenue");
      assertEquals(0, expected.compareTo(new BigDecimal(revenue.toString())), revenue.toString());
    }
    String csv = app.get("/api/v1/report?format=csv").bodyAsString();
    assertTrue(csv.contains("100000000000000.01") && !csv.contains("100000000000000.02"), csv);
  }

  private List<String> firingRules() {
    return activeRules("firing");
  }

  private List<String> activeRules(String state) {
    return app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active").stream()
        .map(a -> (JsonObject) a).filter(a -> a.getString("state").equals(state))
        .map(a -> a.getString("rule")).toList();
  }
}
