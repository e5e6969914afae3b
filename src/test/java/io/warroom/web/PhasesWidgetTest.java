package io.warroom.web;

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
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The phases widget in the real browser shows each milestone's status from the snapshot as
 * `data-status` (CONTRACT section 8), never a tick because a date has passed.
 */
@ExtendWith(VertxExtension.class)
class PhasesWidgetTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 15, 0, 0, 0, SeedPlan.ZONE);
  static final Duration LOAD = Duration.ofSeconds(10);
  Browser b;
  TestApp app;

  @AfterEach
  void stop() {
    if (b != null) b.close();
    if (app != null) app.close();
  }

  List<String> statuses() {
    return b.driver.findElements(By.cssSelector("[data-id=phases] .milestone")).stream()
        .map(e -> e.getDomAttribute("data-status")).toList();
  }

  @Test
  void milestonesShowTheServersStatuses(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    assertEquals(200, app.post("/api/v1/counts", "application/json", new JsonObject().put("id", "s")
        .put("ts", "2026-11-05T20:00:00+08:00").put("name", SeedPlan.LIVE_SIGNUPS).put("value", 5000).encode())
        .statusCode());
    JsonArray week3 = new JsonArray()
        .add(new JsonObject().put("type", "visit").put("id", "v").put("ts", "2026-11-16T10:00:00+08:00")
            .put("channel", "tmall").put("sessions", 100));
    for (int i = 0; i < 2; i++) {
      week3.add(new JsonObject().put("type", "order").put("id", "o" + i).put("ts", "2026-11-17T10:00:00+08:00")
          .put("customerId", "c" + i).put("amount", 100).put("channel", "tmall"));
    }
    assertEquals(200, app.post("/api/v1/events", "application/json", week3.encode()).statusCode());
    b = Browser.start(1920, 1080);
    b.open(Dash.url(app, "?lang=en"));
    // week 1's text milestone is open although its week has ended; week 2's 5,000 sign-ups are
    // met; week 3's conversion (2 %) is behind; week 4's are pending
    List<String> expected = List.of("open", "met", "behind", "pending", "pending");
    b.waitFor(LOAD, () -> expected.equals(statuses()), () -> String.valueOf(statuses()));
    assertEquals(200, app.post("/api/v1/plan/milestones", "application/json",
        "{\"week\":1,\"index\":0,\"done\":true,\"by\":\"PM\"}").statusCode());
    List<String> signed = List.of("done", "met", "behind", "pending", "pending");
    b.waitFor(LOAD, () -> signed.equals(statuses()), () -> String.valueOf(statuses()));
    b.open(Dash.url(app, "?lang=zh-CN"));
    b.waitFor(LOAD, () -> signed.equals(statuses()), () -> String.valueOf(statuses()));
    assertEquals("已达成", b.text("[data-id=phases] .phase:nth-child(2) .ms-status"));
    assertEquals("已完成", b.text("[data-id=phases] .phase:nth-child(1) .ms-status"));
  }

  @Test
  void thePlanPageShowsTheMarketAnalysisAndStrategiesInBothLanguages(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    b = Browser.start(1280, 900);
    for (String lang : List.of("zh-CN", "en")) {
      b.open(Dash.url(app, "?lang=" + lang).replaceFirst("/(\\?|$)", "/plan-view.html$1"));
      b.waitFor(LOAD, () -> b.driver.findElements(By.cssSelector("#strategies tbody tr")).size() == 6,
          () -> b.text("body"));
      List<String> strategies = b.driver.findElements(By.cssSelector("#strategies tbody tr td:first-child"))
          .stream().map(e -> e.getText()).toList();
      assertEquals(PLAN.strategies().stream().map(x -> x.text().in(lang)).toList(), strategies);
      List<String> market = b.driver.findElements(By.cssSelector("#market tbody tr td:first-child"))
          .stream().map(e -> e.getText()).toList();
      assertEquals(PLAN.market().stream().map(x -> x.dimension().in(lang)).toList(), market);
    }
  }
}
