package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import io.warroom.plan.Text;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The breakdown widget and the focus tiles in the real browser: the top keys of a dimension with
 * their figures, switching dimension by its button and by itself on the TV, the focus targets with
 * the snapshot's status, in English and Chinese.
 */
@ExtendWith(VertxExtension.class)
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
  void showsTopKeysSwitchesDimensionsAndFocusTilesInBothLanguages(Vertx vertx) {
    Plan plan = unitsOfAAndGreenShare();
    app = TestApp.deploy(vertx, Config.defaults(), plan, new MutableClock(NOW.toInstant()));
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
    b.waitFor(WAIT, () -> "Key product A units".equals(b.text("[data-kpi=product-a-units] .tile-label")),
        () -> b.text("[data-kpi=product-a-units] .tile-label"));
    assertEquals(null, b.attr("[data-kpi=green-products]", "data-status"), "no status: no data-status");
    assertEquals(Dash.percent(300, 450, 1), b.text("[data-kpi=green-products] .tile-value"));

    b.find("[data-id=breakdowns] button[data-dim=region]").click();
    b.waitFor(WAIT, () -> rows().equals(List.of("华东", "西南")), () -> String.valueOf(rows()));
    // 华东: 2 orders over 40 sessions.
    assertEquals(Dash.percent(2, 40, 2), cells("华东").get(5));
    assertEquals("East China", cells("华东").get(0), "a usual region by its English name");
    assertEquals("Region", b.text("[data-id=breakdowns] [data-field=keyHead]"));
    assertEquals(List.of(), Dash.consoleErrors(b, app));

    b.open(Dash.url(app, "?lang=zh-CN&tv=1"));
    b.waitFor(WAIT, () -> rows().size() == 2, () -> String.valueOf(rows()));
    assertEquals("产品", b.text("[data-id=breakdowns] [data-field=keyHead]"));
    b.waitFor(WAIT, () -> "重点产品A销量".equals(b.text("[data-kpi=product-a-units] .tile-label")),
        () -> b.text("[data-kpi=product-a-units] .tile-label"));
    // On the TV the dimension turns by itself.
    b.waitFor(Duration.ofSeconds(20), () -> "productCategory".equals(
        b.attr("[data-id=breakdowns]", "data-dim")), () -> b.attr("[data-id=breakdowns]", "data-dim"));
    assertEquals("品类", b.text("[data-id=breakdowns] [data-field=keyHead]"));
    assertTrue(rows().containsAll(List.of("green", "home")), String.valueOf(rows()));
    assertEquals("绿色产品", cells("green").get(0), "a usual key by its Chinese name");
    assertEquals(List.of(), Dash.consoleErrors(b, app));
  }

  /**
   * A focus tile carries the snapshot's change against the same point of the previous period as
   * every KPI tile does (data-change, absent when there is none), and its line in the tile's title.
   */
  @Test
  void aFocusTileCarriesItsChangeAgainstThePreviousPeriod(Vertx vertx) {
    Plan plan = unitsOfAAndGreenShare();
    app = TestApp.deploy(vertx, Config.defaults(), plan, new MutableClock(NOW.toInstant()));
    String ts = NOW.minusHours(2).toOffsetDateTime().toString();
    String before = NOW.minusMonths(1).minusHours(2).toOffsetDateTime().toString();
    // October to the same point: 2 units of A, nothing green; November: 3 units of A, +50 %; the
    // green share against none has no change
    Dash.ingest(app, "/api/v1/events", "["
        + order("p1", before, "80.00", "A", "home", "华东", 2)
        + "," + order("o1", ts, "100.00", "A", "home", "华东", 3)
        + "," + order("o2", ts, "300.00", "G1", "green", "华东", 1) + "]");
    JsonObject a = app.get("/api/v1/kpis").bodyAsJsonObject().getJsonArray("kpis").stream()
        .map(JsonObject.class::cast).filter(k -> "product-a-units".equals(k.getString("id"))).findFirst().orElseThrow();
    assertEquals(0.5, a.getDouble("change"), a.encode());

    b.open(Dash.url(app, "?lang=en"));
    String tile = "[data-id=focus] [data-kpi=product-a-units]";
    b.waitFor(WAIT, () -> !b.driver.findElements(By.cssSelector(tile)).isEmpty()
        && "3".equals(b.text(tile + " .tile-value")), () -> String.valueOf(shownFocus()));
    assertEquals("0.5", b.attr(tile, "data-change"));
    assertEquals(null, b.attr("[data-id=focus] [data-kpi=green-products]", "data-change"), "no change: no data-change");
    b.waitFor(WAIT, () -> b.attr(tile, "title").endsWith(" · +50.0% vs. last period at this point"),
        () -> b.attr(tile, "title"));
    assertEquals(List.of(), Dash.consoleErrors(b, app));
  }

  /** Regions the table folds into "other": their conversion is their orders over their sessions. */
  @Test
  void theOtherRegionsConvertAsTheirOrdersOverTheirSessions(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        new MutableClock(NOW.toInstant()));
    String ts = NOW.minusHours(2).toOffsetDateTime().toString();
    // twelve regions by revenue, R01 first; region i has i + 1 orders and 7 * i + 30 sessions
    StringBuilder body = new StringBuilder("[");
    long[] sessions = new long[12];
    for (int i = 0; i < 12; i++) {
      String region = String.format("R%02d", i + 1);
      for (int k = 0; k <= i; k++) {
        BigDecimal amount = new BigDecimal(12_000 - i * 900).divide(BigDecimal.valueOf(i + 1), 2,
            RoundingMode.DOWN);
        body.append(body.length() > 1 ? "," : "")
            .append(order("r" + i + "-" + k, ts, amount.toPlainString(), "S", "home", region, 1));
      }
      sessions[i] = 7L * i + 30;
      body.append(",{\"type\":\"visit\",\"id\":\"rv").append(i).append("\",\"ts\":\"").append(ts)
          .append("\",\"channel\":\"tmall\",\"sessions\":").append(sessions[i])
          .append(",\"region\":\"").append(region).append("\"}");
    }
    Dash.ingest(app, "/api/v1/events", body.append(']').toString());

    b.open(Dash.url(app, "?lang=en"));
    b.find("[data-id=breakdowns] button[data-dim=region]").click();
    b.waitFor(WAIT, () -> !b.driver.findElements(By.cssSelector("[data-id=breakdowns] tbody tr.other")).isEmpty()
        && rows().size() > 0 && rows().get(0).equals("R01"), () -> String.valueOf(rows()));
    Browser.settle(300); // any refit after the fonts
    int n = rows().size();
    assertTrue(n < 10, "the table folds some of the top ten: " + rows());
    long orders = 0;
    long folded = 0;
    for (int i = n; i < 12; i++) {
      orders += i + 1;
      folded += sessions[i];
    }
    assertEquals(Dash.percent(orders, folded, 2), otherCells().get(5), "other: " + otherCells());
    assertEquals(List.of(), Dash.consoleErrors(b, app));
  }

  /**
   * The wall's usual screen (1920x1080) with the seed plan's four focus targets, three of them with
   * a status, and twelve products: the focus targets take one line each, so the table shows at
   * least four products whole inside the panel, and the "other" row sums exactly the products it
   * does not show. Snapshots that do not change the breakdowns make the widget neither measure the
   * table nor touch its rows.
   */
  @Test
  void atTheWallsSizeFourFocusTargetsLeaveFourProductsAndOtherSumsTheRestExactly(Vertx vertx) {
    List<Plan.Focus> seedFocus = SeedPlan.forMonth(LocalDate.of(2026, 11, 1)).focus();
    // product A's units on target, green's share far short, the 30-45 group 13 % short, new markets none
    List<BigDecimal> targets = Arrays.asList(new BigDecimal("3"), new BigDecimal("0.9"), new BigDecimal("4.6"), null);
    List<Plan.Focus> focus = new ArrayList<>();
    for (int i = 0; i < seedFocus.size(); i++) {
      Plan.Focus x = seedFocus.get(i);
      focus.add(new Plan.Focus(x.id(), x.text(), x.dimension(), x.key(), x.metric(), targets.get(i)));
    }
    Plan plan = SeedPlan.forMonth(LocalDate.of(2026, 11, 1)).toBuilder().focus(focus).build();
    app = TestApp.deploy(vertx, Config.defaults(), plan, new MutableClock(NOW.toInstant()));
    String ts = NOW.minusHours(2).toOffsetDateTime().toString();
    // twelve products, by revenue: A (two orders), then P01 to P11; 4 orders of the 30-45 group
    List<String> skus = new ArrayList<>();
    List<BigDecimal> revenue = new ArrayList<>();
    List<Integer> units = new ArrayList<>();
    List<Integer> orders = new ArrayList<>();
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 12; i++) {
      String sku = i == 0 ? "A" : String.format("P%02d", i);
      BigDecimal amount = new BigDecimal(1200 - i * 97).add(new BigDecimal("0.37"));
      int quantity = 1 + i % 3;
      String segment = i < 4 ? "30-45" : "18-29";
      String category = i % 4 == 1 ? "green" : "home";
      String region = i % 5 == 2 ? "西南" : "华东";
      if (i > 0) body.append(',');
      body.append(order("w" + i, ts, amount.toPlainString(), sku, category, region, quantity, segment));
      skus.add(sku);
      revenue.add(amount);
      units.add(quantity);
      orders.add(1);
    }
    // A's second order, of another group
    body.append(',').append(order("w-a2", ts, "55.25", "A", "home", "华东", 2, "46+")).append(']');
    revenue.set(0, revenue.get(0).add(new BigDecimal("55.25")));
    units.set(0, units.get(0) + 2); // 1 + 2: on target
    orders.set(0, 2);
    Dash.ingest(app, "/api/v1/events", body.toString());

    for (String lang : List.of("en", "zh-CN")) {
      b.open(Dash.url(app, "?lang=" + lang));
      b.waitFor(WAIT, () -> !b.driver.findElements(By.cssSelector("[data-id=breakdowns] tbody tr.other")).isEmpty()
          && b.driver.findElements(By.cssSelector("[data-id=focus] [data-kpi]")).size() == 4
          && rows().size() < 12, () -> String.valueOf(rows()));
      b.waitFor(WAIT, () -> Dash.tileStatusMismatches(b, app).isEmpty(), () -> Dash.tileStatusMismatches(b, app));
      Browser.settle(300); // any refit after the focus strip and the fonts
      List<String> shown = rows();
      int n = shown.size();
      assertTrue(n >= 4, lang + ": only " + shown + " shown");
      assertEquals(skus.subList(0, n), shown);

      // every row, "other" last, whole inside the table's box and the panel's padding
      String outside = String.valueOf(b.script("""
          const panel = document.querySelector('[data-id=breakdowns]');
          const pr = panel.getBoundingClientRect();
          const pad = parseFloat(getComputedStyle(panel).paddingBottom);
          const box = panel.querySelector('.breakdown-table').getBoundingClientRect();
          const out = [];
          const trs = [...panel.querySelectorAll('tbody tr')];
          if (!trs.at(-1).classList.contains('other')) out.push('other is not last');
          for (const tr of trs) {
            const r = tr.getBoundingClientRect();
            if (r.height < 5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5 || r.bottom > pr.bottom - pad + 0.5)
              out.push((tr.dataset.key || 'other') + ' ' + r.top + '-' + r.bottom + ' in ' + box.top + '-' + box.bottom);
          }
          // each focus target's figure and status whole inside its tile
          for (const tile of panel.querySelectorAll('[data-kpi]')) {
            const t = tile.getBoundingClientRect();
            for (const sel of ['.tile-value', '.chip']) {
              const e = tile.querySelector(sel);
              if (!e.textContent) continue;
              const r = e.getBoundingClientRect();
              if (r.width < 1 || e.scrollWidth > e.clientWidth + 1 || r.left < t.left - 0.5 || r.right > t.right + 0.5
                  || r.top < t.top - 0.5 || r.bottom > t.bottom + 0.5 || t.bottom > box.top + 0.5)
                out.push(tile.dataset.kpi + ' ' + sel + ' "' + e.textContent + '" not whole');
            }
          }
          return out.join('; ');"""));
      assertEquals("", outside, lang);
      // a focus target's key by its usual name, as the table names it (in the tile's title on the wall)
      assertEquals(lang.equals("en") ? "Category · Green products" : "品类 · 绿色产品", b.script(
          "return document.querySelector(\"[data-id=focus] [data-kpi='green-products'] .muted\").textContent"));

      // "other": the products not shown, summed exactly
      BigDecimal foldedRevenue = revenue.subList(n, 12).stream().reduce(BigDecimal.ZERO, BigDecimal::add);
      int foldedUnits = units.subList(n, 12).stream().mapToInt(Integer::intValue).sum();
      int foldedOrders = orders.subList(n, 12).stream().mapToInt(Integer::intValue).sum();
      String label = lang.equals("en") ? "Other (" + (12 - n) + " more)" : "其他(另" + (12 - n) + "项)";
      assertEquals(List.of(label, Dash.yuan(foldedRevenue, 0), "", String.valueOf(foldedOrders), String.valueOf(foldedUnits)),
          otherCells().subList(0, 5), lang);
      assertEquals(List.of(Dash.yuan(revenue.get(0), 0), "2", "3"),
          List.of(cells("A").get(1), cells("A").get(3), cells("A").get(4)), lang);

      // the statuses the snapshot gives, each with its chip on the strip
      assertEquals("ok", b.attr("[data-kpi=product-a-units]", "data-status"));
      assertEquals("critical", b.attr("[data-kpi=green-products]", "data-status"));
      assertEquals(null, b.attr("[data-kpi=new-markets]", "data-status"), "no status: no data-status");
      String offTrack = lang.equals("en") ? "Off track" : "落后";
      assertEquals(offTrack, b.text("[data-kpi=green-products] .chip"));
      assertEquals("3", b.text("[data-kpi=product-a-units] .tile-value"));

      // snapshots that leave the breakdowns as they are: nothing measured, no row touched
      b.script("""
          window.__measured = 0;
          window.__touched = 0;
          const table = document.querySelector('[data-id=breakdowns] .breakdown-table');
          const own = Element.prototype.getBoundingClientRect;
          Element.prototype.getBoundingClientRect = function () {
            if (table.contains(this)) window.__measured++;
            return own.call(this);
          };
          for (const [proto, name] of [[Element.prototype, 'scrollHeight'], [Element.prototype, 'clientHeight'],
              [HTMLElement.prototype, 'offsetHeight']]) {
            const get = Object.getOwnPropertyDescriptor(proto, name).get;
            Object.defineProperty(proto, name, { configurable: true, get() {
              if (table.contains(this)) window.__measured++;
              return get.call(this);
            } });
          }
          new MutationObserver((m) => { window.__touched += m.length; })
            .observe(table, { subtree: true, childList: true, characterData: true, attributes: true });""");
      String held = b.text("[data-id=health] [data-field=held]");
      for (int i = 0; i < 3; i++) {
        String at = NOW.minusMinutes(5 - i).toOffsetDateTime().toString();
        Dash.ingest(app, "/api/v1/events", "[{\"type\":\"visit\",\"id\":\"v-" + lang + i + "\",\"ts\":\"" + at
            + "\",\"channel\":\"tmall\",\"sessions\":10}]");
        Browser.settle(400);
      }
      b.waitFor(WAIT, () -> !held.equals(b.text("[data-id=health] [data-field=held]")), () -> held);
      assertEquals("0 0", b.script("return window.__measured + ' ' + window.__touched"), lang);
      assertEquals(List.of(), Dash.consoleErrors(b, app));
    }
  }

  /**
   * Alerts on focus targets (a count and a share), fired by the server: the panel and the banner
   * name the target by its text in the page's language, and give its value (the snapshot's) and
   * threshold in the target's unit, never as a raw i18n key or plain decimals.
   */
  @Test
  void alertsOnFocusTargetsNameTheTargetAndShowItsUnit(Vertx vertx) {
    Plan plan = SeedPlan.forMonth(LocalDate.of(2026, 11, 1)).toBuilder()
        .focus(List.of(
            new Plan.Focus("product-a-units", Text.zhEn("重点产品A销量", "Key product A units"), "sku", "A",
                "units", new BigDecimal("500")),
            new Plan.Focus("new-markets", Text.zhEn("新市场渗透率", "New market share"), "tag", "new-market",
                "share", new BigDecimal("0.01"))))
        .alerts(List.of(
            new Plan.AlertRule("a-units-low", "product-a-units", "campaign", "<", 500, 400.0, 0, null, null, null, null),
            new Plan.AlertRule("new-markets-low", "new-markets", "campaign", "<", 0.01, null, 0, null, null, null, null)))
        .build();
    app = TestApp.deploy(vertx, Config.defaults(), plan, new MutableClock(NOW.toInstant()));
    String ts = NOW.minusHours(2).toOffsetDateTime().toString();
    // 361 units of A; new markets 12.10 of 100,000.00 gross: a share of 0.000121
    String tagged = order("n1", ts, "12.10", "G1", "green", "西南", 1);
    Dash.ingest(app, "/api/v1/events", "[" + order("a1", ts, "99987.90", "A", "home", "华东", 361) + ","
        + tagged.substring(0, tagged.length() - 1) + ",\"tags\":[\"new-market\"]}]");
    b.waitFor(WAIT, () -> Dash.firing(app).size() == 2, () -> String.valueOf(Dash.firing(app)));
    JsonObject snap = app.kpis();
    assertEquals(361, Dash.kpi(snap, "product-a-units").getNumber("value").intValue());
    assertEquals(0.000121, Dash.kpi(snap, "new-markets").getDouble("value"), 1e-12);

    for (String lang : List.of("en", "zh-CN")) {
      boolean en = lang.equals("en");
      b.open(Dash.url(app, "?lang=" + lang));
      b.waitFor(WAIT, () -> alertCard("a-units-low").size() == 3 && alertCard("new-markets-low").size() == 3
          && !alertCard("a-units-low").get(0).startsWith("kpi.") && !b.text("[data-field=alarm]").isEmpty(),
          () -> alertCard("a-units-low") + " " + alertCard("new-markets-low"));
      assertEquals(en
          ? List.of("Key product A units · campaign", "361 vs 400", "361, under the critical threshold 400")
          : List.of("重点产品A销量 · 活动期", "361，阈值 400", "361，低于严重阈值 400"), alertCard("a-units-low"), lang);
      assertEquals(en
          ? List.of("New market share · campaign", "0.01% vs 1.00%", "0.01%, under the warning threshold 1.00%")
          : List.of("新市场渗透率 · 活动期", "0.01%，阈值 1.00%", "0.01%，低于警告阈值 1.00%"), alertCard("new-markets-low"), lang);
      assertEquals(en ? "Critical: Key product A units · campaign" : "严重告警：重点产品A销量 · 活动期",
          b.text("[data-field=alarm]"), lang);
      assertEquals(List.of(), Dash.consoleErrors(b, app));
    }
  }

  /**
   * Seven focus targets with large figures on the wall, at three sizes in both languages: the
   * strip shows as many tiles as fit, none overlapping another, each name at least 4 em wide (5 in Chinese, or
   * whole), each figure and status chip whole inside its tile and the panel, the figures the
   * snapshot's; the rest are counted in "+N more".
   */
  @Test
  void sevenFocusTargetsWithLargeFiguresFitTheStripAtThreeSizesInBothLanguages(Vertx vertx) {
    Plan plan = SeedPlan.forMonth(LocalDate.of(2026, 11, 1)).toBuilder().focus(List.of(
        new Plan.Focus("product-a-revenue", Text.zhEn("重点产品A销售额", "Key product A revenue"), "sku", "A",
            "revenue", new BigDecimal("3500000000")),
        new Plan.Focus("product-b-units", Text.zhEn("重点产品B销量", "Key product B units"), "sku", "B",
            "units", new BigDecimal("200000")),
        new Plan.Focus("segment-30-45", Text.zhEn("重点触达30-45岁客群", "Reach customers aged 30-45"), "segment",
            "30-45", "orders", new BigDecimal("10")),
        new Plan.Focus("green-products", Text.zhEn("绿色产品促销", "Green product promotion"), "productCategory",
            "green", "share", new BigDecimal("0.05")),
        new Plan.Focus("new-markets", Text.zhEn("新市场渗透率", "New market penetration"), "tag", "new-market",
            "share", null),
        new Plan.Focus("southwest-revenue", Text.zhEn("西南区域销售额", "Southwest region revenue"), "region", "西南",
            "revenue", new BigDecimal("1900000000")),
        new Plan.Focus("product-c-revenue", Text.zhEn("重点产品C销售额", "Key product C revenue"), "sku", "C",
            "revenue", new BigDecimal("2000000000")))).build();
    app = TestApp.deploy(vertx, Config.defaults(), plan, new MutableClock(NOW.toInstant()));
    String ts = NOW.minusHours(2).toOffsetDateTime().toString();
    String green = order("f3", ts, "987654.32", "G1", "green", "西南", 1, "30-45");
    Dash.ingest(app, "/api/v1/events", "["
        + order("f1", ts, "2963433667.00", "A", "home", "华东", 1, "30-45") + ","
        + order("f2", ts, "1234567.89", "B", "home", "华北", 123456, "30-45") + ","
        + green.substring(0, green.length() - 1) + ",\"tags\":[\"new-market\"]},"
        + order("f4", ts, "1987654321.09", "C", "home", "西南", 2, "18-29") + "]");
    JsonObject snap = app.kpis();
    List<String> ids = plan.focus().stream().map(Plan.Focus::id).toList();

    List<String> found = new ArrayList<>();
    for (int[] size : LayoutTest.SIZES) {
      try (Browser wall = Browser.start(size[0], size[1])) {
        for (String lang : List.of("en", "zh-CN")) {
          String at = size[0] + "x" + size[1] + " " + lang;
          wall.open(Dash.url(app, "?tv=1&lang=" + lang));
          wall.waitFor(WAIT, () -> wall.driver.findElements(By.cssSelector("[data-id=focus] [data-kpi]")).size() == 7
              && !wall.text("[data-kpi=product-a-revenue] .tile-label").isEmpty()
              && !wall.text("[data-kpi=product-a-revenue] .tile-value").isEmpty(), () -> at);
          Browser.settle(600); // fonts and the strip's fitting
          @SuppressWarnings("unchecked")
          Map<String, Object> got = (Map<String, Object>) wall.script(STRIP);
          String problems = String.valueOf(got.get("problems"));
          if (!problems.isEmpty()) found.add(at + ": " + problems);
          // the page's own check: nothing in the panel overlaps, is cut or reaches past it
          String page = String.valueOf(wall.script(LayoutTest.PROBLEMS)).lines()
              .filter(l -> l.contains("breakdowns ") || l.contains("focus ")).reduce("", (x, y) -> x + y + "; ");
          if (!page.isEmpty()) found.add(at + ": " + page);
          @SuppressWarnings("unchecked")
          Map<String, Object> shown = (Map<String, Object>) got.get("shown");
          assertTrue(!shown.isEmpty(), at + ": no tile shown");
          for (var e : shown.entrySet()) {
            JsonObject k = Dash.kpi(snap, e.getKey());
            assertEquals(tileFigure(k, lang), e.getValue(), at + " " + e.getKey());
          }
          int rest = 7 - shown.size();
          assertEquals(rest == 0 ? "" : lang.equals("en") ? "+" + rest + " more" : "另有 " + rest + " 个",
              got.get("more"), at);
          // coloured by the tiles it counts, which carry their statuses: none of its own
          assertEquals(null, wall.attr("[data-id=focus] .focus-more", "data-status"), at);
          assertTrue(ids.containsAll(shown.keySet()), at + " " + shown.keySet());
          assertEquals(List.of(), Dash.consoleErrors(wall, app));
        }
      }
    }
    assertEquals("", String.join("\n", found));

    // on the TV the strip turns to the targets it had no room for, every 12 s
    b.open(Dash.url(app, "?tv=1&lang=en"));
    b.waitFor(WAIT, () -> !shownFocus().isEmpty() && shownFocus().get(0).equals("product-a-revenue"), () -> String.valueOf(shownFocus()));
    List<String> first = shownFocus();
    assertTrue(first.size() < 7, String.valueOf(first));
    String next = ids.get(first.size());
    b.waitFor(Duration.ofSeconds(15), () -> !shownFocus().isEmpty() && shownFocus().get(0).equals(next), () -> String.valueOf(shownFocus()));
  }

  /** The ids of the focus tiles shown, in order. */
  static List<String> shownFocus() {
    return b.driver.findElements(By.cssSelector("[data-id=focus] [data-kpi]")).stream()
        .filter(e -> e.isDisplayed()).map(e -> e.getDomAttribute("data-kpi")).toList();
  }

  /** A focus tile's figure as the page must write it: money whole (from 10,000 in 万 in Chinese), counts whole, shares to 0.1 %. */
  static String tileFigure(JsonObject k, String lang) {
    BigDecimal v = new BigDecimal(k.getValue("value").toString());
    return switch (k.getString("unit")) {
      case "money" -> lang.equals("en") ? Dash.yuan(v, 0) : Dash.wan(v);
      case "share" -> Dash.decimal(v.movePointRight(2), 1) + "%";
      default -> Dash.decimal(v, 0);
    };
  }

  /**
   * The focus strip measured: the figures of the tiles shown by id, the "+N more" text, and what is
   * wrong: tiles overlapping each other or the count, a name narrower than 4 em (5 in Chinese) unless whole, a
   * figure or chip cut or outside its tile, a tile outside the panel's padding box.
   */
  static final String STRIP = """
      const panel = document.querySelector('[data-id=breakdowns]');
      const cs = getComputedStyle(panel);
      const p = panel.getBoundingClientRect();
      const box = { left: p.left + panel.clientLeft + parseFloat(cs.paddingLeft), top: p.top + panel.clientTop,
        right: p.left + panel.clientLeft + panel.clientWidth - parseFloat(cs.paddingRight), bottom: p.top + panel.clientTop + panel.clientHeight };
      const out = [];
      const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      const inside = (r, b) => r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5;
      const tiles = [...panel.querySelectorAll('[data-id=focus] [data-kpi]')].filter(shown);
      const more = panel.querySelector('[data-id=focus] [data-field=more]');
      const boxes = tiles.map((t) => [t.dataset.kpi, t.getBoundingClientRect()]);
      if (more && shown(more) && more.textContent) boxes.push(['more', more.getBoundingClientRect()]);
      for (let i = 0; i < boxes.length; i++) {
        const [a, r] = boxes[i];
        if (!inside(r, box)) out.push(a + ' outside the panel');
        for (let j = i + 1; j < boxes.length; j++) {
          const [c, q] = boxes[j];
          if (Math.min(r.right, q.right) - Math.max(r.left, q.left) > 0.5 && Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top) > 0.5)
            out.push(a + ' overlaps ' + c);
        }
      }
      const figures = {};
      for (const t of tiles) {
        const r = t.getBoundingClientRect();
        const label = t.querySelector('.tile-label');
        const em = document.documentElement.lang === 'zh-CN' ? 5 : 4;
        const need = Math.min(label.scrollWidth, em * parseFloat(getComputedStyle(label).fontSize));
        if (label.getBoundingClientRect().width < need - 1) out.push(t.dataset.kpi + ' name ' + label.getBoundingClientRect().width + ' px wide');
        for (const sel of ['.tile-value', '.chip']) {
          const e = t.querySelector(sel);
          if (!e.textContent) continue;
          if (!shown(e) || e.scrollWidth > e.clientWidth || !inside(e.getBoundingClientRect(), r))
            out.push(t.dataset.kpi + ' ' + sel + ' "' + e.textContent + '" cut');
        }
        figures[t.dataset.kpi] = t.querySelector('.tile-value').textContent;
      }
      return { problems: out.join('; '), shown: figures, more: more && shown(more) ? more.textContent : '' };""";

  /** An alert card's title, value against threshold and message, by its rule; empty when not shown. */
  static List<String> alertCard(String rule) {
    Object got = b.script("""
        const li = [...document.querySelectorAll('[data-id=alerts] li.alert')]
          .find((x) => x.dataset.key.startsWith(arguments[0] + '-'));
        return li ? ['.what', '.alert-value', '.alert-msg'].map((s) => li.querySelector(s).textContent.trim()) : [];""",
        rule);
    return ((List<?>) got).stream().map(String::valueOf).toList();
  }

  static String order(String id, String ts, String amount, String sku, String category,
      String region, int quantity, String segment) {
    String o = order(id, ts, amount, sku, category, region, quantity);
    return o.substring(0, o.length() - 1) + ",\"segment\":\"" + segment + "\"}";
  }

  /** The seed plan with two focus targets: product A's units (target 10) and the green share (none). */
  static Plan unitsOfAAndGreenShare() {
    return SeedPlan.forMonth(LocalDate.of(2026, 11, 1)).toBuilder().focus(List.of(
        new Plan.Focus("product-a-units", Text.zhEn("重点产品A销量", "Key product A units"), "sku", "A",
            "units", new BigDecimal("10")),
        new Plan.Focus("green-products", Text.zhEn("绿色产品促销", "Green product promotion"),
            "productCategory", "green", "share", null))).build();
  }

  static List<String> otherCells() {
    return b.driver.findElements(By.cssSelector("[data-id=breakdowns] tbody tr.other td"))
        .stream().map(e -> e.getDomProperty("textContent").trim()).toList();
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
