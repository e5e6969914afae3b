package io.warroom.demo;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.http.WarroomVerticle;
import io.warroom.measure.Kpi;
import io.warroom.measure.Significance;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo feed: plausible data through the real ingest path, and its settings. */
@ExtendWith(VertxExtension.class)
public class DemoTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));

  static BigDecimal dec(Object o) {
    return new BigDecimal(String.valueOf(o));
  }

  private static JsonObject kpis(WebClient client) {
    return TestApp.await(client.get("/api/v1/kpis").send()).bodyAsJsonObject();
  }

  static boolean allPresent(JsonObject snap) {
    for (String w : List.of("campaign", "today", "last1h")) {
      JsonObject win = snap.getJsonObject("windows").getJsonObject(w);
      for (String f : Kpi.ids()) if (win.getValue(f) == null) return false;
    }
    for (Object k : snap.getJsonArray("kpis")) if (((JsonObject) k).getValue("value") == null) return false;
    return snap.getJsonObject("windows").getJsonObject("last15m").getLong("orders") > 0;
  }

  @Test
  void theDemoFillsEveryKpiThroughTheIngestApiWithConsistentTotals(Vertx server) throws Exception {
    DemoClock clock = new DemoClock(new DemoData(PLAN).peakEve(), 600);
    Config config = Config.defaults().withTokens(List.of("feed:f-secret-0123456789", "demo:d-secret-0123456789"), null, null);
    // The server on the test's Vert.x; the feed, a client of it, on its own, closed to stop it.
    Vertx feedVertx = Vertx.vertx();
    try {
      WarroomVerticle app = new WarroomVerticle(config, PLAN, clock,
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), WarroomVerticle.memory());
      TestApp.await(server.deployVerticle(app));
      DemoFeed feed = new DemoFeed(PLAN, clock, "127.0.0.1", app.port(), "d-secret-0123456789");
      TestApp.await(feedVertx.deployVerticle(feed));
      TestApp.await(feed.backfilled());
      WebClient client = WebClient.create(server, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(app.port()));
      eventually(() -> allPresent(kpis(client)), 60_000,
          () -> "every KPI non-null within a minute: " + kpis(client).encodePrettily());
      long before = kpis(client).getJsonObject("ingest").getLong("accepted");
      eventually(() -> kpis(client).getJsonObject("ingest").getLong("accepted") > before, 10_000,
          "live records keep coming");
      TestApp.await(feedVertx.close());
      JsonObject snap = kpis(client);
      assertEquals(0, snap.getJsonObject("ingest").getLong("rejected"));
      assertEquals(0, snap.getJsonObject("ingest").getLong("duplicates"));

      JsonObject c = snap.getJsonObject("windows").getJsonObject("campaign");
      JsonObject channels = snap.getJsonObject("channels");
      JsonObject ads = snap.getJsonObject("adChannels");
      assertEquals(0, dec(c.getValue("grossRevenue")).compareTo(sum(channels, "revenue")));
      assertEquals(c.getLong("orders"), sum(channels, "orders").longValueExact());
      assertEquals(c.getLong("sessions"), sum(channels, "sessions").longValueExact());
      assertEquals(0, dec(c.getValue("adSpend")).compareTo(sum(ads, "spend")));
      assertEquals(0, dec(c.getValue("adSpend")).compareTo(
          dec(snap.getJsonObject("budget").getJsonObject("ads").getValue("spent"))));
      assertEquals(0, dec(c.getValue("attributedRevenue")).compareTo(sum(ads, "attributedRevenue")));
      assertEquals(0, dec(c.getValue("revenue")).compareTo(
          dec(c.getValue("grossRevenue")).subtract(dec(c.getValue("refunds")))));
      JsonObject today = snap.getJsonObject("windows").getJsonObject("today");
      JsonObject h1 = snap.getJsonObject("windows").getJsonObject("last1h");
      JsonObject m15 = snap.getJsonObject("windows").getJsonObject("last15m");
      for (String f : List.of("grossRevenue", "refunds", "orders", "sessions", "customers",
          "newCustomers", "adSpend", "attributedRevenue", "npsResponses")) {
        assertTrue(dec(m15.getValue(f)).compareTo(dec(h1.getValue(f))) <= 0, f);
        assertTrue(dec(h1.getValue(f)).compareTo(dec(c.getValue(f))) <= 0, f);
        assertTrue(dec(today.getValue(f)).compareTo(dec(c.getValue(f))) <= 0, f);
      }
      // The campaign's hourly revenue series adds up to the campaign revenue.
      JsonObject series = TestApp.await(client.get("/api/v1/series").send()).bodyAsJsonObject();
      BigDecimal hours = BigDecimal.ZERO;
      for (Object v : series.getJsonObject("campaign").getJsonArray("revenue")) hours = hours.add(dec(v));
      assertEquals(0, hours.compareTo(dec(c.getValue("revenue"))));

      // Plausible for the seed plan's business.
      within(c, "conversion", 0.02, 0.06);
      within(c, "aov", 200, 400);
      within(c, "roi", 2.5, 5.5);
      within(c, "nps", 40, 85);
      within(c, "onlineShare", 0.6, 0.9);
      within(c, "repurchaseRate", 0.1, 0.5);
      double refundShare = dec(c.getValue("refunds")).doubleValue() / dec(c.getValue("grossRevenue")).doubleValue();
      assertTrue(refundShare > 0.01 && refundShare < 0.06, "refunds " + refundShare);
      client.close();
    } finally {
      TestApp.await(feedVertx.close());
    }
  }

  static void within(JsonObject w, String f, double lo, double hi) {
    double v = w.getDouble(f);
    assertTrue(v >= lo && v <= hi, f + " = " + v + " outside " + lo + ".." + hi);
  }

  static BigDecimal sum(JsonObject table, String field) {
    BigDecimal s = BigDecimal.ZERO;
    for (Map.Entry<String, Object> e : table) s = s.add(dec(((JsonObject) e.getValue()).getValue(field)));
    return s;
  }

  @Test
  void theMonthFollowsThePhasesAndTheHourOfDayAndRepeatsExactly() {
    DemoData data = new DemoData(PLAN);
    long[] ordersByDay = new long[30];
    long[] ordersByHour = new long[24];
    StringBuilder all = new StringBuilder();
    data.generate(data.startMinute(), data.endMinute(), all);
    for (String line : all.toString().split("\n")) {
      JsonObject r = new JsonObject(line);
      if (!r.getString("type").equals("order")) continue;
      ZonedDateTime t = Instant.parse(r.getString("ts")).atZone(PLAN.timezone());
      ordersByDay[t.getDayOfMonth() - 1]++;
      ordersByHour[t.getHour()]++;
    }
    long month = 0;
    for (long d : ordersByDay) month += d;
    assertTrue(month > 30_000 && month < 55_000, "orders in the month: " + month);
    long firstWeek = (ordersByDay[0] + ordersByDay[1] + ordersByDay[2] + ordersByDay[3]) / 4;
    assertTrue(ordersByDay[10] > 5 * firstWeek, "11.11: " + ordersByDay[10] + " vs " + firstWeek);
    assertTrue(ordersByDay[9] > firstWeek && ordersByDay[8] > firstWeek, "pre-heat");
    assertTrue(ordersByDay[27] < ordersByDay[15], "long tail");
    assertTrue(ordersByHour[21] > 10 * ordersByHour[4], "evening vs night");
    // Same minutes, same records: a restarted demo only sends duplicates.
    StringBuilder again = new StringBuilder();
    new DemoData(PLAN).generate(data.startMinute(), data.startMinute() + 600, again);
    assertTrue(all.toString().startsWith(again.toString()));
  }

  /** Sessions and orders per variant, summed from the records themselves. */
  static final class Arms {
    final Map<String, long[]> byVariant = new TreeMap<>();

    void add(JsonObject r) {
      long[] a = byVariant.computeIfAbsent(r.getString("experiment") + "/" + r.getString("variant"),
          k -> new long[2]);
      if (r.getString("type").equals("visit")) a[0] += r.getLong("sessions");
      else a[1]++;
    }

    long[] get(String experiment, String variant) {
      return byVariant.getOrDefault(experiment + "/" + variant, new long[2]);
    }

    /** The decision of section 12 for B against A. */
    String decision(String experiment) {
      long[] a = get(experiment, "A");
      long[] b = get(experiment, "B");
      Double p = Significance.zTest(a[1], a[0], b[1], b[0]);
      Significance.Sequential s = Significance.sequential(a[1], a[0], b[1], b[0]);
      double seq = Math.max(s == null ? 1 : s.pValue(), p == null ? 0 : p);
      double lift = ((double) b[1] / b[0]) / ((double) a[1] / a[0]) - 1;
      return seq < 0.05 ? (lift > 0 ? "better" : "worse") : "no difference yet";
    }
  }

  @Test
  void theDemoRunsTwoDeclaredExperimentsOneWithARealEffectAndOneWithout() {
    Plan plan = DemoData.withExperiments(PLAN);
    assertEquals(List.of("checkout-v2", "banner-colour"),
        plan.experiments().stream().map(Plan.Experiment::id).toList());
    for (Plan.Experiment x : plan.experiments()) {
      assertEquals(List.of("A", "B"), x.variants());
      assertEquals("A", x.control());
      assertEquals(List.of(0.5, 0.5), x.split());
    }
    // A plan with experiments of its own keeps them.
    assertEquals(plan, DemoData.withExperiments(plan));

    DemoData data = new DemoData(plan);
    StringBuilder all = new StringBuilder();
    data.generate(data.startMinute(), data.endMinute(), all);
    Map<String, String> channelOf = Map.of("checkout-v2", "tmall", "banner-colour", "jd");
    Arms arms = new Arms();
    long peakEve = new DemoData(plan).peakEve().toEpochMilli();
    String[] atPeakEve = null;
    int day = 0;
    long dayEnd = plan.start().plusDays(1).atStartOfDay(plan.timezone()).toInstant().toEpochMilli();
    for (String line : all.toString().split("\n")) {
      JsonObject r = new JsonObject(line);
      long ts = Instant.parse(r.getString("ts")).toEpochMilli();
      if (atPeakEve == null && ts >= peakEve) {
        atPeakEve = new String[] {arms.decision("checkout-v2"), arms.decision("banner-colour")};
      }
      while (ts >= dayEnd) { // a look at the end of each day, as a screen watched all month
        assertEquals("no difference yet", arms.decision("banner-colour"), "banner-colour, day " + day);
        day++;
        dayEnd += 86_400_000L;
      }
      String type = r.getString("type");
      if (!type.equals("visit") && !type.equals("order")) {
        assertFalse(r.containsKey("experiment"), line);
        continue;
      }
      String x = r.getString("experiment");
      if (x == null) {
        assertFalse(channelOf.containsValue(r.getString("channel")), "no variant: " + line);
        continue;
      }
      assertEquals(channelOf.get(x), r.getString("channel"), line);
      assertTrue(List.of("A", "B").contains(r.getString("variant")), line);
      arms.add(r);
    }
    // The real effect is clear by the demo's start, the null one never is.
    assertEquals("better", atPeakEve[0]);
    assertEquals("no difference yet", atPeakEve[1]);
    assertEquals("better", arms.decision("checkout-v2"));
    assertEquals("no difference yet", arms.decision("banner-colour"));
    // Planned 50/50 split and a 20 % lift on Tmall, none on JD: within sampling error.
    long[] a = arms.get("checkout-v2", "A");
    long[] b = arms.get("checkout-v2", "B");
    double lift = ((double) b[1] / b[0]) / ((double) a[1] / a[0]) - 1;
    assertTrue(lift > 0.12 && lift < 0.28, "checkout-v2 lift " + lift);
    assertTrue(Math.abs((double) a[0] / (a[0] + b[0]) - 0.5) < 0.005, "split " + a[0] + " " + b[0]);
    long[] ja = arms.get("banner-colour", "A");
    long[] jb = arms.get("banner-colour", "B");
    double jLift = ((double) jb[1] / jb[0]) / ((double) ja[1] / ja[0]) - 1;
    assertTrue(Math.abs(jLift) < 0.08, "banner-colour lift " + jLift);
  }

  @Test
  void theDemoPlaysThePreviousMonthSoTheTilesCompareAtOnce(Vertx server) throws Exception {
    Plan plan = DemoData.withExperiments(PLAN);
    MutableClock clock = new MutableClock(new DemoData(plan).peakEve());
    long now = clock.millis();
    // The server on the test's Vert.x; the feed, a client of it, on its own, closed to stop it.
    Vertx feedVertx = Vertx.vertx();
    try {
      WarroomVerticle app = new WarroomVerticle(Config.defaults(), plan, clock,
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), WarroomVerticle.memory());
      TestApp.await(server.deployVerticle(app));
      DemoFeed feed = new DemoFeed(plan, clock, "127.0.0.1", app.port(), null);
      TestApp.await(feedVertx.deployVerticle(feed));
      TestApp.await(feed.backfilled());
      TestApp.await(feedVertx.close());
      WebClient client = WebClient.create(server, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(app.port()));
      JsonObject snap = TestApp.await(client.get("/api/v1/kpis").send()).bodyAsJsonObject();
      client.close();
      assertEquals(0, snap.getJsonObject("ingest").getLong("rejected"));

      // October in full, and October to the same minute as now in November.
      DemoData prev = DemoData.previous(plan);
      assertEquals(LocalDate.of(2026, 10, 1).atStartOfDay(plan.timezone()).toInstant().toEpochMilli(),
          prev.startMinute() * 60_000L);
      assertEquals(plan.startMillis(), prev.endMinute() * 60_000L);
      long cut = prev.startMinute() * 60_000L + (now - plan.startMillis()) / 60_000L * 60_000L;
      StringBuilder lines = new StringBuilder();
      prev.generate(prev.startMinute(), prev.endMinute(), lines);
      long orders = 0;
      long ordersToDate = 0;
      BigDecimal revenueToDate = BigDecimal.ZERO;
      for (String line : lines.toString().split("\n")) {
        JsonObject r = new JsonObject(line);
        assertFalse(r.containsKey("experiment"), "the previous month ran no experiment");
        boolean toDate = Instant.parse(r.getString("ts")).toEpochMilli() < cut;
        if (r.getString("type").equals("order")) {
          orders++;
          if (toDate) {
            ordersToDate++;
            revenueToDate = revenueToDate.add(dec(r.getValue("amount")));
          }
        } else if (r.getString("type").equals("refund") && toDate) {
          revenueToDate = revenueToDate.subtract(dec(r.getValue("amount")));
        }
      }
      JsonObject w = snap.getJsonObject("windows");
      assertEquals(orders, w.getJsonObject("previous").getLong("orders"));
      assertEquals(ordersToDate, w.getJsonObject("previousToDate").getLong("orders"));
      assertEquals(0, revenueToDate.compareTo(dec(w.getJsonObject("previousToDate").getValue("revenue"))));
      JsonObject revenue = kpi(snap, "revenue");
      assertEquals(0, revenueToDate.compareTo(dec(revenue.getValue("previous"))));
      double expected = dec(revenue.getValue("value")).doubleValue() / revenueToDate.doubleValue() - 1;
      assertEquals(expected, revenue.getDouble("change"), 1e-9);
      // A realistic month at a slightly lower level: this month is ahead, not by miles.
      assertTrue(expected > 0.05 && expected < 0.35, "revenue change " + expected);
      for (String k : List.of("conversion", "aov", "orders", "newCustomers")) {
        JsonObject t = kpi(snap, k);
        if (t != null) assertTrue(t.getValue("change") != null, k + " has a change: " + t);
      }

      // The experiments, counted from the records of November so far.
      DemoData data = new DemoData(plan);
      StringBuilder nov = new StringBuilder();
      data.generate(data.startMinute(), Math.floorDiv(now, 60_000L), nov);
      Arms arms = new Arms();
      for (String line : nov.toString().split("\n")) {
        JsonObject r = new JsonObject(line);
        if (r.containsKey("experiment")) arms.add(r);
      }
      JsonObject xs = snap.getJsonObject("experiments");
      assertEquals(List.of("checkout-v2", "banner-colour"), List.copyOf(xs.fieldNames()));
      for (String x : List.of("checkout-v2", "banner-colour")) {
        for (String v : List.of("A", "B")) {
          JsonObject got = xs.getJsonObject(x).getJsonObject("variants").getJsonObject(v);
          assertEquals(arms.get(x, v)[0], got.getLong("sessions"), x + " " + v);
          assertEquals(arms.get(x, v)[1], got.getLong("orders"), x + " " + v);
        }
        assertEquals(arms.decision(x), xs.getJsonObject(x).getJsonArray("results").getJsonObject(0)
            .getString("decision"), x);
      }
      assertEquals("better", arms.decision("checkout-v2"));
      assertEquals("no difference yet", arms.decision("banner-colour"));
    } finally {
      TestApp.await(feedVertx.close());
    }
  }

  static JsonObject kpi(JsonObject snap, String id) {
    for (Object k : snap.getJsonArray("kpis")) {
      if (id.equals(((JsonObject) k).getString("id"))) return (JsonObject) k;
    }
    return null;
  }

  @Test
  void aDemoIntoADatabaseMustBeAskedFor() {
    Map<String, String> pg = Map.of("WARROOM_PG_URL", "postgresql://postgres@127.0.0.1:5432/shop");
    Config.ConfigException e = assertThrows(Config.ConfigException.class,
        () -> Config.demo(pg, new String[] {"--demo"}));
    assertEquals("WARROOM_DEMO: refusing to play the demo into the database WARROOM_PG_URL names:"
        + " its synthetic records would stay there among real ones. Unset WARROOM_PG_URL for an"
        + " in-memory demo, or add --demo-into-database (WARROOM_DEMO_INTO_DATABASE=true) if this"
        + " database is meant for the demo", e.getMessage());
    assertThrows(Config.ConfigException.class, () -> Config.demo(Map.of(), new String[] {"--demo",
        "--pg-url", "postgresql://postgres@127.0.0.1:5432/shop"}));
    assertTrue(Config.demo(pg, new String[] {"--demo", "--demo-into-database"}).on());
    Map<String, String> asked = new HashMap<>(pg);
    asked.put("WARROOM_DEMO_INTO_DATABASE", "true");
    assertTrue(Config.demo(asked, new String[] {"--demo"}).on());
    // Without the demo the database is used as always; the switch alone is a mistake.
    assertFalse(Config.demo(pg, new String[0]).on());
    assertEquals("WARROOM_DEMO_INTO_DATABASE: only applies with WARROOM_DEMO=true (--demo)",
        assertThrows(Config.ConfigException.class,
            () -> Config.demo(pg, new String[] {"--demo-into-database"})).getMessage());
  }

  @Test
  void demoSettings() {
    assertEquals(new Config.Demo(true, 60), Config.demo(Map.of(), new String[] {"--demo"}));
    assertEquals(new Config.Demo(true, 720),
        Config.demo(Map.of(), new String[] {"--demo", "--demo-speed", "720"}));
    assertEquals(new Config.Demo(true, 5), Config.demo(Map.of("WARROOM_DEMO", "true",
        "WARROOM_DEMO_SPEED", "5"), new String[0]));
    assertFalse(Config.demo(Map.of(), new String[0]).on());
    // The server's own settings still parse around the switch.
    assertEquals(9090, Config.from(Map.of(), new String[] {"--demo", "--http-port", "9090"}).httpPort());
    assertEquals("WARROOM_DEMO_SPEED: 0 is outside 1..100000", assertThrows(Config.ConfigException.class,
        () -> Config.demo(Map.of(), new String[] {"--demo", "--demo-speed", "0"})).getMessage());
    assertEquals("WARROOM_DEMO: must be true or false", assertThrows(Config.ConfigException.class,
        () -> Config.demo(Map.of("WARROOM_DEMO", "yes"), new String[0])).getMessage());
    assertEquals("WARROOM_DEMO_SPEED: only applies with WARROOM_DEMO=true (--demo)",
        assertThrows(Config.ConfigException.class,
            () -> Config.demo(Map.of(), new String[] {"--demo-speed", "10"})).getMessage());
  }
}
