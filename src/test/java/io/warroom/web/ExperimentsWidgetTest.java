package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.PlanParser;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The experiments widget in headless Chromium: per experiment the variants' figures, the lift with
 * its interval and the decision as the snapshot has them, the SRM warning, in English and Chinese.
 */
@ExtendWith(VertxExtension.class)
class ExperimentsWidgetTest {
  static final String PLAN = """
      {"id": "2026-11", "name": "AB", "timezone": "Asia/Shanghai", "currency": "CNY",
       "start": "2026-11-01", "end": "2026-12-01",
       "experiments": [
         {"id": "checkout-v2", "text": {"zh-CN": "结账页改版", "en": "Checkout v2"},
          "variants": ["A", "B"]},
         {"id": "banner", "text": {"zh-CN": "横幅颜色", "en": "Banner colour"}, "variants": ["ctl", "red"], "split": [0.5, 0.5]}]}""";
  static final Duration WAIT = Duration.ofSeconds(15);
  static Browser b;
  static TestApp app;

  @BeforeAll
  static void start(Vertx vertx) {
    b = Browser.start(1920, 1400);
    app = TestApp.deploy(vertx, Config.defaults(), PlanParser.parse(PLAN),
        MutableClock.at("2026-11-20T12:00:00+08:00"));
    assertEquals(200, app.post("/api/v1/events", "application/x-ndjson",
        records("2026-11-19T10:00:00Z")).statusCode());
  }

  /** Both experiments' visits and orders at {@code ts}: B converts better, the banner's split is broken. */
  static String records(String ts) {
    StringBuilder out = new StringBuilder();
    visits(out, ts, "checkout-v2", "A", 30_000);
    visits(out, ts, "checkout-v2", "B", 30_000);
    orders(out, ts, "checkout-v2", "A", 900);
    orders(out, ts, "checkout-v2", "B", 1_200);
    visits(out, ts, "banner", "ctl", 12_000);
    visits(out, ts, "banner", "red", 9_000);
    orders(out, ts, "banner", "ctl", 360);
    orders(out, ts, "banner", "red", 270);
    return out.toString();
  }

  @AfterAll
  static void stop() {
    if (b != null) b.close();
    if (app != null) app.close();
  }

  static int n;

  static void visits(StringBuilder out, String ts, String x, String v, int sessions) {
    for (int left = sessions; left > 0; left -= 100) {
      out.append("{\"type\":\"visit\",\"id\":\"v").append(n++).append("\",\"ts\":\"").append(ts).append("\","
          + "\"channel\":\"tmall\",\"sessions\":").append(Math.min(100, left)).append(",\"experiment\":\"")
          .append(x).append("\",\"variant\":\"").append(v).append("\"}\n");
    }
  }

  static void orders(StringBuilder out, String ts, String x, String v, int orders) {
    for (int i = 0; i < orders; i++) {
      out.append("{\"type\":\"order\",\"id\":\"o").append(n++).append("\",\"ts\":\"").append(ts).append("\","
          + "\"customerId\":\"c").append(i).append("\",\"amount\":12.5,\"channel\":\"tmall\",\"experiment\":\"")
          .append(x).append("\",\"variant\":\"").append(v).append("\"}\n");
    }
  }

  String row(String x, String v, String field) {
    return b.text("[data-experiment=\"" + x + "\"] [data-variant=\"" + v + "\"] ." + field);
  }

  @Test
  void showsEachExperimentAsTheSnapshotHasIt() {
    JsonObject x = app.kpis().getJsonObject("experiments");
    JsonObject checkout = x.getJsonObject("checkout-v2").getJsonArray("results").getJsonObject(0);
    assertEquals("better", checkout.getString("decision"));
    assertTrue(x.getJsonObject("banner").getBoolean("srmWarning"));

    b.open(Dash.url(app, "?lang=en"));
    b.waitFor(WAIT, () -> row("checkout-v2", "B", "decision").equals("better"),
        () -> b.find("[data-id=experiments]").getDomProperty("textContent"));
    assertEquals("Checkout v2", b.text("[data-experiment=\"checkout-v2\"] .experiment-title"));
    assertEquals("A (control)", row("checkout-v2", "A", "name"));
    assertEquals("30,000", row("checkout-v2", "B", "sessions"));
    assertEquals("1,200", row("checkout-v2", "B", "orders"));
    assertEquals("4.00%", row("checkout-v2", "B", "conversion"));
    double[] ci = {checkout.getJsonArray("ci").getDouble(0), checkout.getJsonArray("ci").getDouble(1)};
    String pct = "%+.1f%%";
    assertEquals(String.format(Locale.ROOT, "+33.3%% [" + pct + ", " + pct + "]",
        ci[0] * 100, ci[1] * 100), row("checkout-v2", "B", "lift"));
    assertEquals("better", b.attr("[data-experiment=\"checkout-v2\"] [data-variant=B] .decision",
        "data-decision"));
    assertEquals("false", b.attr("[data-experiment=\"checkout-v2\"]", "data-srm"));
    assertTrue(!b.find("[data-experiment=\"checkout-v2\"] .srm-warning").isDisplayed());
    // a hidden warning carries no status: a check counting critical statuses finds none there
    assertEquals(null, b.attr("[data-experiment=\"checkout-v2\"] .srm-warning", "data-status"));
    assertEquals("true", b.attr("[data-experiment=banner]", "data-srm"));
    assertTrue(b.find("[data-experiment=banner] .srm-warning").isDisplayed());
    // as severe as its alert, which is a warning: the card and the alert panel agree
    assertEquals("warning", b.attr("[data-experiment=banner] .srm-warning", "data-status"));
    assertEquals("no difference yet", row("banner", "red", "decision"));
    // Its alert reads as a broken split with the p-value as people write it, not "0.00 vs 0.00".
    String p = String.format(Locale.ROOT, "%.1e", x.getJsonObject("banner").getDouble("srmPValue"))
        .replaceFirst("e([+-])0(\\d)$", "e$1$2");
    b.waitFor(WAIT, () -> b.text("[data-id=alerts]").contains("A/B split broken · Banner colour"),
        () -> b.text("[data-id=alerts]"));
    String card = b.text("[data-id=alerts]");
    JsonObject srm = app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active").stream()
        .map(JsonObject.class::cast).filter(a -> a.getString("rule").equals("srm-banner"))
        .findFirst().orElseThrow();
    assertEquals("warning", srm.getString("severity"));
    assertTrue(card.contains(p + " vs 0.001"), card);
    assertTrue(card.contains("sample ratio p = " + p + ", under 0.001"), card);

    b.open(Dash.url(app, "?lang=zh-CN"));
    b.waitFor(WAIT, () -> row("checkout-v2", "B", "decision").equals("更好"),
        () -> b.find("[data-id=experiments]").getDomProperty("textContent"));
    assertEquals("结账页改版", b.text("[data-experiment=\"checkout-v2\"] .experiment-title"));
    assertEquals("暂无差异", row("banner", "red", "decision"));
    assertTrue(b.text("[data-experiment=banner] .srm-warning").startsWith("样本比例失衡"));
    b.waitFor(WAIT, () -> b.text("[data-id=alerts]").contains("A/B 分流异常 · 横幅颜色"),
        () -> b.text("[data-id=alerts]"));
    for (var e : b.console()) {
      assertTrue(!e.getLevel().toString().equals("SEVERE"), e.getMessage());
    }
  }
}
