package io.warroom.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GET /api/v1/catalogue tells the page how each figure is shown, as the server shows it in chat
 * and the report: each KPI by its unit and decimals, the gross margin and each budget line of the
 * plan as shares to 0.1 %, the feed's idle minutes to 0.1; and a pace rule's shares.
 */
@ExtendWith(VertxExtension.class)
class CatalogueTest {
  @Test
  void namesHowEveryFigureIsShown(Vertx vertx) {
    Plan plan = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), plan,
        new MutableClock(Instant.parse("2026-11-18T07:00:00Z")))) {
      JsonObject c = app.get("/api/v1/catalogue").bodyAsJsonObject();
      List<String> expected = new ArrayList<>(List.of(
          "revenue money 2 cumulative targetable", "grossRevenue money 2",
          "refunds money 2", "orders count 0", "aov money 2 targetable", "sessions count 0",
          "conversion share 2 targetable", "customers count 0",
          "newCustomers count 0 cumulative targetable", "repurchaseRate share 1 targetable",
          "adSpend money 2", "attributedRevenue money 2", "roi ratio 2 targetable",
          "npsResponses count 0", "nps score 1 targetable", "onlineShare share 1 targetable",
          "grossMargin share 1", "feedIdleMinutes count 1"));
      for (String category : plan.budgetCents().keySet()) expected.add("budget." + category + " share 1");
      List<String> got = new ArrayList<>();
      for (Object o : c.getJsonArray("figures")) {
        JsonObject f = (JsonObject) o;
        got.add(f.getString("id") + " " + f.getString("unit") + " " + f.getInteger("decimals")
            + (f.getBoolean("cumulative", false) ? " cumulative" : "")
            + (f.getBoolean("targetable", false) ? " targetable" : ""));
      }
      assertEquals(expected, got);
      assertEquals(new JsonArray().add("campaign").add("today").add("last1h").add("last15m"),
          c.getJsonArray("windows"));
      assertEquals(new JsonObject().put("warning", 0.9).put("critical", 0.8), c.getJsonObject("paceShare"));
    }
  }
}
