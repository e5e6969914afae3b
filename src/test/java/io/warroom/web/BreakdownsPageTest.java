package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import io.warroom.plan.Text;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The breakdown widget and the focus tiles in the real browser: the top keys of a dimension with
 * their figures, switching dimension by its button and by itself on the TV, the focus targets with
 * the snapshot's status, in English and Chinese.
 */
class BreakdownsPageTest {
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 15, 42, 30, 0, SeedPlan.ZONE);
  static final Duration WAIT = Duration.ofSeconds(10);
  static Browser b;
  TestApp app;

  @BeforeAll
  static void browser() {
    b = Browser.start(1920, 1080);
  }

  @AfterAll
  static void closeBrowser() {
    if (b != null) b.close();
  }

  @AfterEach
  void stop() {
    b.leave(app);
  }

  @Test
  void showsTopKeysSwitchesDimensionsAndFocusTilesInBothLanguages() {
    Plan seed = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
    Plan plan = seed.toBuilder().focus(List.of(
        new Plan.Focus("product-a-units", Text.zhEn("重点产品A销量", "Key product A units"), "sku", "A",
            "units", new BigDecimal("10")),
        new Plan.Focus("green-products", Text.zhEn("绿色产品促销", "Green product promotion"),
            "productCategory", "green", "share", null))).build();
    app = TestApp.start(Config.defaults(), plan, new MutableClock(NOW.toInstant()));
    String ts = NOW.minusHours(2).toOffsetDateTime().toString();
    Dash.ingest(app, "/api/v1/events", "["
        + order("o1", ts, "100.00", "A", "home", "华东", 2)
        + "," + order("o2", ts, "50.00", "A", "home", "西南", 1)
        + "," + order("o3", ts, "300.00", "G1", "green", "华东", 1)
        + ",{\"type\":\"visit\",\"id\":\"v1\",\"ts\":\"" + ts + "\",\"channel\":\"tmall\",\"sessions\":40,\"region\":\"华东\"}]");

    b.open(Dash.url(app, "?lang=en"));
    b.waitFor(WAIT, () -> rows().size() == 2, () -> String.valueOf(rows()));
    assertEquals(List.of("G1", "A"), rows());
    assertEquals("Product", b.text("[data-id=breakdowns] [data-field=keyHead]"));
    // G1: 300 of 450 gross; A: 150, 3 units over 2 orders.
    assertEquals(List.of("G1", Dash.yuan(new BigDecimal("300"), 0), Dash.percent(300, 450, 1), "1", "1"),
        cells("G1").subList(0, 5));
    assertEquals(List.of("A", Dash.yuan(new BigDecimal("150"), 0), Dash.percent(150, 450, 1), "2", "3"),
        cells("A").subList(0, 5));

    // Units of A: 3 against a target of 10, more than 20 % short.
    assertEquals("critical", b.attr("[data-kpi=product-a-units]", "data-status"));
    assertEquals("3", b.text("[data-kpi=product-a-units] .tile-value"));
    assertEquals("Key product A units", b.text("[data-kpi=product-a-units] .tile-label"));
    assertEquals("none", b.attr("[data-kpi=green-products]", "data-status"));
    assertEquals(Dash.percent(300, 450, 1), b.text("[data-kpi=green-products] .tile-value"));

    b.find("[data-id=breakdowns] button[data-dim=region]").click();
    b.waitFor(WAIT, () -> rows().equals(List.of("华东", "西南")), () -> String.valueOf(rows()));
    // 华东: 2 orders over 40 sessions.
    assertEquals(Dash.percent(2, 40, 2), cells("华东").get(5));
    assertEquals("Region", b.text("[data-id=breakdowns] [data-field=keyHead]"));
    assertEquals(List.of(), Dash.consoleErrors(b, app));

    b.open(Dash.url(app, "?lang=zh-CN&tv=1"));
    b.waitFor(WAIT, () -> rows().size() == 2, () -> String.valueOf(rows()));
    assertEquals("产品", b.text("[data-id=breakdowns] [data-field=keyHead]"));
    assertEquals("重点产品A销量", b.text("[data-kpi=product-a-units] .tile-label"));
    // On the TV the dimension turns by itself.
    b.waitFor(Duration.ofSeconds(20), () -> "productCategory".equals(
        b.attr("[data-id=breakdowns]", "data-dim")), () -> b.attr("[data-id=breakdowns]", "data-dim"));
    assertEquals("品类", b.text("[data-id=breakdowns] [data-field=keyHead]"));
    assertTrue(rows().containsAll(List.of("green", "home")), String.valueOf(rows()));
    assertEquals(List.of(), Dash.consoleErrors(b, app));
  }

  static String order(String id, String ts, String amount, String sku, String category,
      String region, int quantity) {
    return "{\"type\":\"order\",\"id\":\"" + id + "\",\"ts\":\"" + ts + "\",\"customerId\":\"c-" + id
        + "\",\"amount\":" + amount + ",\"channel\":\"tmall\",\"sku\":\"" + sku
        + "\",\"productCategory\":\"" + category + "\",\"region\":\"" + region + "\",\"quantity\":"
        + quantity + "}";
  }

  static List<String> rows() {
    return b.driver.findElements(By.cssSelector("[data-id=breakdowns] tbody tr[data-key]")).stream()
        .map(e -> e.getDomAttribute("data-key")).toList();
  }

  static List<String> cells(String key) {
    return b.driver.findElements(By.cssSelector("[data-id=breakdowns] tbody tr[data-key='" + key + "'] td"))
        .stream().map(e -> e.getDomProperty("textContent").trim()).toList();
  }
}
