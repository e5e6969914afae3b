package io.warroom.demo;

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
import io.warroom.Config;
import io.warroom.TestApp;
import io.warroom.http.WarroomVerticle;
import io.warroom.measure.Kpi;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo feed: plausible data through the real ingest path, and its settings. */
public class DemoTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));

  static BigDecimal dec(Object o) {
    return new BigDecimal(String.valueOf(o));
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
  void theDemoFillsEveryKpiThroughTheIngestApiWithConsistentTotals() throws Exception {
    DemoClock clock = new DemoClock(new DemoData(PLAN).peakEve(), 600);
    Config config = Config.defaults().withTokens(List.of("feed:f-secret-0123456789", "demo:d-secret-0123456789"), null, null);
    Vertx server = Vertx.vertx();
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
      JsonObject snap = null;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline) {
        snap = TestApp.await(client.get("/api/v1/kpis").send()).bodyAsJsonObject();
        if (allPresent(snap)) break;
        Thread.sleep(200);
      }
      assertTrue(allPresent(snap), "every KPI non-null within a minute: " + snap.encodePrettily());
      long before = snap.getJsonObject("ingest").getLong("accepted");
      Thread.sleep(1500); // live records keep coming
      TestApp.await(feedVertx.close());
      snap = TestApp.await(client.get("/api/v1/kpis").send()).bodyAsJsonObject();
      assertTrue(snap.getJsonObject("ingest").getLong("accepted") > before);
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
      TestApp.await(server.close());
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
