package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.demo.DemoClock;
import io.warroom.http.WarroomVerticle;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/** The login page and kiosk links as a person and a wall screen meet them (issue 16, item 8). */
@ExtendWith(VertxExtension.class)
class LoginPageTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  static final String VIEW = "view-secret-1-0123456789";
  static final String ADMIN = "admin-secret-0123456789";
  static final Duration LOAD = Duration.ofSeconds(30);
  static Browser b;
  TestApp app;

  @BeforeAll
  static void browser() {
    b = Browser.start(1366, 768);
  }

  @AfterAll
  static void closeBrowser() {
    b.close();
  }

  @BeforeEach
  void start(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults().withTokens(List.of(), ADMIN, VIEW), PLAN,
        MutableClock.at("2026-11-18T15:42:30+08:00"));
    b.driver.manage().deleteAllCookies();
  }

  @AfterEach
  void stop() {
    b.leave(app);
  }

  private String url() {
    return b.driver.getCurrentUrl().replace("http://127.0.0.1:" + app.port, "");
  }

  private void waitUrl(String expected) {
    b.waitFor(LOAD, () -> expected.equals(url()), this::url);
  }

  @Test
  void aWrongTokenSaysSoInThePageLanguageAndTvAndLangSurviveTheLogin() {
    b.open(Dash.url(app, "?tv=1&lang=zh-CN"));
    waitUrl("/login?tv=1&lang=zh-CN");
    assertEquals("zh-CN", b.attr("html", "lang"));
    assertEquals("进入作战室", b.text("form button[type=submit]"));
    assertTrue(b.driver.findElements(By.cssSelector(".error")).isEmpty(),
        "no error before a try");
    b.find("#token").sendKeys("not-the-token");
    b.find("form button[type=submit]").click();
    waitUrl("/login?failed=1&tv=1&lang=zh-CN");
    assertEquals("令牌不正确，请检查后重试。", b.text(".error"));
    assertEquals("alert", b.attr(".error", "role"));
    b.find("#token").sendKeys(VIEW);
    b.find("form button[type=submit]").click();
    waitUrl("/?tv=1&lang=zh-CN");
    // the wall opens in TV mode, in Chinese
    b.waitFor(LOAD, () -> "zh-CN".equals(b.attr("html", "lang")), () -> b.attr("html", "lang"));
    assertTrue(b.attr("html", "class").contains("tv"), b.attr("html", "class"));

    // English, asked by the URL; the link to the other language keeps tv
    b.driver.manage().deleteAllCookies();
    b.open(Dash.url(app, "login?failed=1&lang=en"));
    assertEquals("en", b.attr("html", "lang"));
    assertEquals("That token is not right. Check it and try again.", b.text(".error"));
    b.open(Dash.url(app, "?tv=1"));
    waitUrl("/login?tv=1");
    assertEquals("/login?tv=1&lang=zh-CN", b.attr(".lang a", "href")
        .replace("http://127.0.0.1:" + app.port, ""));
    b.find("#token").sendKeys("wrong");
    b.find("form button[type=submit]").click();
    waitUrl("/login?failed=1&tv=1");
    assertEquals("That token is not right. Check it and try again.", b.text(".error"));
    assertEquals(List.of(), Dash.consoleErrors(b, app));
  }

  @Test
  void aUsedKioskLinkShowsAPageThatSaysWhyInBothLanguages() {
    String link = kioskLink(app.client);
    b.open(Dash.url(app, link.substring(1) + "?lang=zh-CN"));
    waitUrl("/?tv=1&lang=zh-CN");
    b.driver.manage().deleteAllCookies();
    b.open(Dash.url(app, link.substring(1)));
    b.waitFor(LOAD, () -> !b.driver.findElements(By.cssSelector(".error")).isEmpty(),
        () -> b.driver.getPageSource());
    String body = b.text("main");
    assertFalse(body.contains("{"), "no raw JSON: " + body);
    assertTrue(body.contains("This kiosk link has been used or has expired."), body);
    assertTrue(body.contains("此信息亭链接已使用或已过期。"), body);
    assertEquals("en", b.attr("html", "lang"), "the browser's language first");
    assertEquals("/login?tv=1&lang=en", b.attr("p[lang=en] a", "href").replace("http://127.0.0.1:" + app.port, ""));
    b.find("p[lang=zh-CN] a").click();
    waitUrl("/login?tv=1&lang=zh-CN");
    // a feed or script still gets JSON
    HttpResponse<Buffer> again = TestApp.await(app.client.get(link).followRedirects(false).send());
    assertEquals(403, again.statusCode());
    assertEquals("this kiosk link is not valid (used or expired)", again.bodyAsJsonObject().getString("error"));
  }

  /** A demo runs its clock 100,000 times faster: 10 minutes of it pass in 6 ms. */
  @Test
  void kioskLinksExpireInRealTimeUnderTheDemoClock(Vertx vertx) throws Exception {
    WarroomVerticle demo = new WarroomVerticle(Config.defaults().withTokens(List.of(), ADMIN, VIEW),
        PLAN, new DemoClock(Instant.parse("2026-11-10T12:00:00Z"), 100_000),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), WarroomVerticle.memory());
    TestApp.await(vertx.deployVerticle(demo));
    WebClient c = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(demo.port()));
    long before = System.currentTimeMillis();
    HttpResponse<Buffer> made = TestApp.await(c.post("/api/v1/kiosk")
        .putHeader("Authorization", "Bearer " + ADMIN).send());
    long after = System.currentTimeMillis();
    long expires = Instant.parse(made.bodyAsJsonObject().getString("expiresAt")).toEpochMilli();
    assertTrue(expires >= before + 600_000 && expires <= after + 600_000,
        "ten real minutes from now: " + made.bodyAsString());
    Thread.sleep(1500); // 41 hours of demo time
    HttpResponse<Buffer> open = TestApp.await(c.get(made.bodyAsJsonObject().getString("url"))
        .followRedirects(false).send());
    assertEquals(303, open.statusCode(), open.bodyAsString());
    assertEquals("/?tv=1", open.getHeader("Location"));
    c.close();
  }

  @Test
  void aLanguageOnATvScreenAppliesToThatScreenOnly() {
    b.open(Dash.url(app, "login"));
    b.find("#token").sendKeys(VIEW);
    b.find("form button[type=submit]").click();
    waitUrl("/");
    live("en");
    // a wall screen in Chinese by its URL leaves nothing behind for the next screen
    b.open(Dash.url(app, "?tv=1&lang=zh-CN"));
    live("zh-CN");
    assertEquals(null, b.script("return localStorage.getItem('warroom.lang')"));
    b.open(Dash.url(app, "?tv=1"));
    live("en");
    // a desk screen's choice is remembered there, and still not taken by a wall screen
    b.open(Dash.url(app, ""));
    live("en");
    b.find("[data-lang=zh-CN]").click();
    b.waitFor(LOAD, () -> "zh-CN".equals(b.attr("html", "lang")), () -> b.attr("html", "lang"));
    b.open(Dash.url(app, "?tv=1"));
    live("en");
    b.open(Dash.url(app, ""));
    live("zh-CN");
  }

  /** The page is live, its plan's name shown, in the language expected. */
  private void live(String lang) {
    b.waitFor(LOAD, () -> "live".equals(b.attr("[data-field=conn]", "data-state"))
        && !b.text("[data-field=name]").equals("warroom") && lang.equals(b.attr("html", "lang")),
        () -> b.attr("[data-field=conn]", "data-state") + " " + b.attr("html", "lang"));
  }

  private static String kioskLink(WebClient c) {
    HttpResponse<Buffer> r = TestApp.await(c.post("/api/v1/kiosk")
        .putHeader("Authorization", "Bearer " + ADMIN).send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject o = r.bodyAsJsonObject();
    return o.getString("url");
  }
}
