package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The plan editor in a real browser, under the server's Content-Security-Policy: an admin signs in
 * through the login page, reaches the editor from the dashboard, sees a bad value refused at its
 * field (in the page's language), previews and puts a good plan, and the dashboard shows it.
 */
@ExtendWith(VertxExtension.class)
class PlanEditorPageTest {
  static final String ADMIN = "boss-0123456789abc", VIEW = "wall-0123456789abc";
  static final Duration WAIT = Duration.ofSeconds(15);

  static JsonObject plan(TestApp app) {
    return TestApp.await(app.client.get("/api/v1/plan").putHeader("Authorization", "Bearer " + ADMIN)
        .send()).bodyAsJsonObject();
  }

  static WebElement field(Browser b, String path) {
    return b.find("#editor [data-path=\"" + path + "\"]");
  }

  static void type(WebElement input, String value) {
    input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    input.sendKeys(value);
  }

  /** Types a value the server refuses into a field and saves: waits for the message at a field. */
  static void saveRefused(Browser b, String path, String value) {
    type(field(b, path), value);
    b.find("#save").click();
    b.waitFor(WAIT, () -> !b.driver.findElements(By.cssSelector(".field-error")).isEmpty(),
        () -> b.text("#status"));
  }

  /** Picks an option of a select as a user would: the value, then its change event. */
  static void choose(Browser b, String path, String value) {
    b.script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))",
        field(b, path), value);
    assertEquals(value, field(b, path).getDomProperty("value"));
  }

  @Test
  void anAdminEditsThePlanAndTheDashboardShowsIt(Vertx vertx) {
    try (TestApp app = TestApp.deploy(vertx, Config.defaults().withTokens(List.of(), ADMIN, VIEW),
            SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at("2026-11-16T10:00:00+08:00"));
        Browser b = Browser.start(1280, 900)) {
      Dash.ingest(app, "/api/v1/orders", "[{\"id\":\"o1\",\"ts\":\"2026-11-12T10:00:00+08:00\","
          + "\"customerId\":\"c1\",\"amount\":1000000,\"channel\":\"tmall\"}]");
      String base = "http://127.0.0.1:" + app.port + "/";
      b.open(base + "login");
      b.find("#token").sendKeys(ADMIN);
      b.find("form button[type=submit]").click();
      b.waitFor(WAIT, () -> b.driver.getCurrentUrl().equals(base),  b.driver::getCurrentUrl);
      WebElement link = b.find("[data-field=planLink]");
      b.waitFor(WAIT, link::isDisplayed, () -> "the dashboard's link to the editor stays hidden");
      link.click();
      b.waitFor(WAIT, () -> "true".equals(b.attr("body", "data-ready")), () -> b.text("#status"));

      // A bad value: refused by the server, its message shown at that field.
      saveRefused(b, "targets.revenue", "lots");
      assertEquals("targets.revenue", b.attr(".field-error", "data-for"));
      assertEquals("must be a number", b.text(".field-error"));
      assertEquals("true", field(b, "targets.revenue").getDomAttribute("aria-invalid"));
      assertEquals("Refused: targets.revenue: must be a number", b.text("#status"));
      assertEquals(SeedPlan.forMonth(LocalDate.of(2026, 11, 1)).id(), plan(app).getString("id"));

      // A good plan: previewed, then put in force.
      type(field(b, "targets.revenue"), "4000000");
      type(field(b, "name.en"), "Double 11 war room");
      type(field(b, "name.zh-CN"), "双十一作战室");
      type(field(b, "weeks[0].activities[0].en"), "Market research report");
      WebElement measured = field(b, "weeks[0].milestones[0].measured");
      if (!measured.isSelected()) measured.click();
      choose(b, "weeks[0].milestones[0].kind", "abs");
      type(field(b, "weeks[0].milestones[0].value"), "50000");
      choose(b, "weeks[0].milestones[0].metric", "revenue");
      type(field(b, "alerts[0].warn"), "0.028");
      b.find("#preview").click();
      b.waitFor(WAIT, () -> b.find("#previewOut").isDisplayed(), () -> b.text("#status"));
      assertTrue(b.driver.findElements(By.cssSelector(".field-error")).isEmpty(), "the error is cleared");
      String previewed = b.attr("#previewTable tr[data-kpi=revenue]", "data-status");
      // Focus targets by their names in the plan, shares as percentages, statuses in the wall's words.
      assertEquals("Green product promotion", b.text("#previewTable tr[data-kpi=green-products] th"));
      assertEquals("Key product A units", b.text("#previewTable tr[data-kpi=product-a-units] th"));
      assertEquals("0.0%", b.text("#previewTable tr[data-kpi=green-products] [data-field=value]"));
      assertEquals("0", b.text("#previewTable tr[data-kpi=product-a-units] [data-field=value]"));
      assertEquals("Off track", b.text("#previewTable tr[data-kpi=revenue] [data-field=status]"));
      b.find("#save").click();
      b.waitFor(WAIT, () -> b.text("#status").startsWith("Saved"), () -> b.text("#status"));
      JsonObject put = plan(app);
      assertEquals(4000000, put.getJsonObject("targets").getInteger("revenue"));
      assertEquals(new JsonObject().put("zh-CN", "双十一作战室").put("en", "Double 11 war room"),
          put.getJsonObject("name"));
      assertEquals("Market research report", put.getJsonArray("weeks").getJsonObject(0)
          .getJsonArray("activities").getJsonObject(0).getString("en"));
      JsonObject milestone = put.getJsonArray("weeks").getJsonObject(0).getJsonArray("milestones").getJsonObject(0);
      assertEquals("revenue", milestone.getString("metric"));
      assertEquals(50000, milestone.getInteger("value"));
      assertEquals(0.028, put.getJsonArray("alerts").getJsonObject(0).getDouble("warn"));
      String inForce = app.kpisAs(ADMIN).getJsonArray("kpis").getJsonObject(0).getString("status");
      assertEquals(inForce, previewed, "the preview showed the status the plan has in force");

      b.open(base + "?lang=en");
      b.waitFor(WAIT, () -> b.text("[data-field=name]").equals("Double 11 war room"),
          () -> b.text("[data-field=name]"));
      b.waitFor(WAIT, () -> b.text(".hero [data-field=target]").contains("4,000,000"),
          () -> b.text(".hero [data-field=target]"));
      assertEquals(inForce, b.attr(".hero", "data-status"));
      b.open(base + "plan.html?lang=zh-CN");
      b.waitFor(WAIT, () -> "true".equals(b.attr("body", "data-ready")), () -> b.text("#status"));
      assertEquals("作战计划编辑", b.text("h1"));
      assertEquals("双十一作战室", field(b, "name.zh-CN").getDomProperty("value"));
      // On the Chinese page a refused value's reason reads in Chinese, at its field.
      saveRefused(b, "targets.revenue", "很多");
      assertEquals("targets.revenue", b.attr(".field-error", "data-for"));
      assertEquals("必须是数字", b.text(".field-error"));
      assertEquals("被拒绝：targets.revenue: 必须是数字", b.text("#status"));
      assertEquals(4000000, plan(app).getJsonObject("targets").getInteger("revenue"));
      // 转化率≥3% typed as 3: refused at its field, with how to write it.
      type(field(b, "targets.revenue"), "4000000");
      type(field(b, "targets.conversion"), "3");
      b.find("#save").click();
      b.waitFor(WAIT, () -> b.driver.findElements(By.cssSelector(".field-error[data-for='targets.conversion']"))
          .size() == 1, () -> b.text("#status"));
      assertEquals("比率不能超过 1（3% 写作 0.03）", b.text(".field-error"));
      assertEquals(0.03, plan(app).getJsonObject("targets").getDouble("conversion"));
      type(field(b, "targets.conversion"), "");
      assertEquals("0.03 即 3%", field(b, "targets.conversion").getDomAttribute("placeholder"));
      // The browser logs the refused PUT's 400 itself; nothing else may show.
      assertEquals(List.of(), b.console().stream().map(Object::toString)
          .filter(s -> s.contains("SEVERE"))
          .filter(s -> !s.contains("/api/v1/plan - Failed to load resource: the server responded with a status of 400"))
          .toList());
    }
  }

  @Test
  void theViewTokenCannotEdit(Vertx vertx) {
    try (TestApp app = TestApp.deploy(vertx, Config.defaults().withTokens(List.of(), ADMIN, VIEW),
            SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at("2026-11-16T10:00:00+08:00"));
        Browser b = Browser.start(1280, 900)) {
      String base = "http://127.0.0.1:" + app.port + "/";
      b.open(base + "login");
      b.find("#token").sendKeys(VIEW);
      b.find("form button[type=submit]").click();
      b.waitFor(WAIT, () -> b.driver.getCurrentUrl().equals(base), b.driver::getCurrentUrl);
      b.open(base + "plan.html?lang=en");
      b.waitFor(WAIT, () -> b.find("#denied").isDisplayed(), () -> b.text("#status"));
      assertTrue(b.find("#signin").isDisplayed());
      assertTrue(b.driver.findElements(By.cssSelector("#editor [data-path]")).isEmpty());
    }
  }
}
