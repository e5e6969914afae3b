package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A KPI tile, and the revenue hero, show the change against the same point of the previous period,
 * in both languages; NPS by its difference in points.
 */
@ExtendWith(VertxExtension.class)
class PreviousTileTest {
  static String order(String id, String ts, String customer, String amount, boolean isNew) {
    return "{\"type\":\"order\",\"id\":\"" + id + "\",\"ts\":\"" + ts + "\",\"customerId\":\""
        + customer + "\",\"amount\":" + amount + ",\"channel\":\"tmall\",\"newCustomer\":" + isNew + "}";
  }

  static String nps(String id, String ts, int score) {
    return "{\"type\":\"nps\",\"id\":\"" + id + "\",\"ts\":\"" + ts + "\",\"score\":" + score + "}";
  }

  @Test
  void aTileShowsItsChangeAgainstTheSamePointOfThePreviousPeriod(Vertx vertx) {
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 12, 1)),
            MutableClock.at("2026-12-10T12:00:00+08:00"));
        Browser b = Browser.start(1400, 1000)) {
      // November to the same point (Nov 10 12:00): 2 orders of 100 and 300, AOV 200; one after
      // the point does not count. December: one order of 250, AOV 250: +25 %.
      String body = String.join("\n",
          order("n1", "2026-11-03T10:00:00+08:00", "a", "100", true),
          order("n2", "2026-11-10T11:59:59+08:00", "b", "300", false),
          order("n3", "2026-11-10T12:00:00+08:00", "c", "1000", true),
          order("d1", "2026-12-09T09:00:00+08:00", "d", "250", true),
          // NPS: November -33.3 (1 promoter, 2 detractors), December -40 (1, 1 passive, 3): worse,
          // though value / previous - 1 is +20 %
          nps("p1", "2026-11-05T10:00:00+08:00", 9), nps("p2", "2026-11-05T10:00:00+08:00", 3),
          nps("p3", "2026-11-05T10:00:00+08:00", 5),
          nps("q1", "2026-12-05T10:00:00+08:00", 10), nps("q2", "2026-12-05T10:00:00+08:00", 7),
          nps("q3", "2026-12-05T10:00:00+08:00", 0), nps("q4", "2026-12-05T10:00:00+08:00", 6),
          nps("q5", "2026-12-05T10:00:00+08:00", 2));
      assertEquals(200, app.post("/api/v1/events", "application/x-ndjson", body).statusCode());
      b.open("http://127.0.0.1:" + app.port + "/?lang=en");
      String tile = "[data-kpi=aov]";
      b.waitFor(Duration.ofSeconds(15), () -> b.attr(tile, "data-change") != null,
          () -> b.find(tile).getDomProperty("outerHTML"));
      assertEquals(0.25, Double.parseDouble(b.attr(tile, "data-change")), 1e-12);
      assertEquals("+25.0% vs. last period at this point", b.text(tile + " [data-field=change]"));
      // New customers: 1 against 1 by the same point: no change.
      assertEquals(0.0, Double.parseDouble(b.attr("[data-kpi=newCustomers]", "data-change")));
      // Repurchase: none of November's two customers had ordered twice by then, 0 %: no change
      // can be taken against 0, but there was a last period
      assertEquals("last period at this point 0.0%", b.text("[data-kpi=repurchaseRate] [data-field=change]"));
      // Revenue, on the hero: 250 against 400, -37.5 %, as the snapshot gives it
      String hero = "[data-id=hero]";
      assertEquals("-0.375", b.attr(hero, "data-change"));
      assertEquals("−37.5% vs. last period at this point", b.text(hero + " [data-field=change]"));
      // NPS keeps the snapshot's change but reads in points: -40 against -33.3
      String nps = "[data-kpi=nps]";
      assertEquals(0.2, Double.parseDouble(b.attr(nps, "data-change")), 1e-12);
      assertEquals("−6.7 pts vs. last period at this point", b.text(nps + " [data-field=change]"));
      b.open("http://127.0.0.1:" + app.port + "/?lang=zh-CN");
      b.waitFor(Duration.ofSeconds(15), () -> b.text(tile + " [data-field=change]").startsWith("较上期同期"),
          () -> b.text(tile + " [data-field=change]"));
      assertEquals("较上期同期 +25.0%", b.text(tile + " [data-field=change]").replace(" %", "%"));
      assertEquals("上期同期 0.0%", b.text("[data-kpi=repurchaseRate] [data-field=change]"));
      assertEquals("-0.375", b.attr(hero, "data-change"));
      assertEquals("较上期同期 −37.5%", b.text(hero + " [data-field=change]").replace(" %", "%"));
      assertEquals("较上期同期 −6.7分", b.text(nps + " [data-field=change]"));
      assertEquals(List.of(), b.console().stream().map(Object::toString)
          .filter(s -> s.contains("SEVERE")).toList());
    }
  }
}
