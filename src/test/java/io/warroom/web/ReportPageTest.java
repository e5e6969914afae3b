package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.contract.BreakdownOracle;
import io.warroom.contract.ReportScenario;
import io.warroom.plan.SeedPlan;
import io.warroom.report.ReportTest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The printable report page in a real browser, under the server's Content-Security-Policy. */
@ExtendWith(VertxExtension.class)
class ReportPageTest {
  static List<String> row(Browser b, String table, int i) {
    return cells(rows(b, table).get(i));
  }

  static List<WebElement> rows(Browser b, String table) {
    return b.find("#" + table + " tbody").findElements(By.tagName("tr"));
  }

  static List<String> cells(WebElement tr) {
    return tr.findElements(By.tagName("td")).stream()
        .map(td -> td.getDomProperty("textContent").trim()).toList();
  }

  static void ready(Browser b) {
    b.waitFor(Duration.ofSeconds(10), () -> "true".equals(b.attr("body", "data-ready")),
        () -> b.find("body").getDomProperty("textContent"));
  }

  static void noErrors(Browser b) {
    assertEquals(List.of(), b.console().stream().map(Object::toString)
        .filter(s -> s.contains("SEVERE")).toList());
  }

  @Test
  void theEnglishPageShowsTheReportsFigures(Vertx vertx) {
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
            MutableClock.at("2026-11-30T12:00:00Z"));
        Browser b = Browser.start(1200, 900)) {
      assertEquals(200, app.post("/api/v1/events", "application/x-ndjson", ReportTest.DATA).statusCode());
      b.open("http://127.0.0.1:" + app.port + "/report.html"); // the browser's language: en-US
      ready(b);
      JsonObject snap = app.kpis();
      String revenueStatus = snap.getJsonArray("kpis").getJsonObject(0).getString("status");
      assertEquals(revenueStatus, rows(b, "kpis").get(0).getDomAttribute("data-status"));
      assertEquals(List.of("Revenue", "¥1,050.49", "¥12,000,000.00", "0.0%",
          Map.of("ok", "On track", "warning", "At risk", "critical", "Off track").get(revenueStatus),
          "¥0.00", "—"), row(b, "kpis", 0));
      assertEquals(List.of("Conversion", "0.31%", "3.00%", "10.4%"), row(b, "kpis", 3).subList(0, 4));
      assertEquals(List.of("Ad ROI", "5.00", "3.50", "143.0%"), row(b, "kpis", 5).subList(0, 4));
      assertEquals(List.of("NPS", "33.3", "65.0", "51.3%"), row(b, "kpis", 6).subList(0, 4));
      List<String> week2 = row(b, "weeks", 1);
      assertEquals(List.of("Week 2", "2026-11-08 – 2026-11-14"), week2.subList(0, 2));
      assertEquals("¥650.00", week2.get(3));
      // No sign-ups were counted, and week 2 has ended: the measured milestone was missed.
      WebElement signups = rows(b, "milestones").get(1);
      assertEquals("missed", signups.getDomAttribute("data-status"));
      assertEquals(List.of("Week 2", "5,000 sign-ups to watch the launch live stream", "0", "≥ 5,000",
          "Missed"), cells(signups));
      // Budget lines by the plan's labels, with the server's status.
      assertEquals(List.of("Promotions (discounts, gifts)", "¥1,500,000.00", "¥1,000.00", "0.1%"), row(b, "budget", 0).subList(0, 4));
      assertEquals(snap.getJsonObject("budget").getJsonObject("promotion").getString("status"),
          rows(b, "budget").get(0).getDomAttribute("data-status"));
      assertEquals(List.of("none"), row(b, "alerts", 0));
      // The seed plan's focus targets, without numbers as the document gives none.
      assertEquals(List.of("Key product A units", "Product", "A", "Units", "0", "—", "—", "—"), row(b, "focus", 0));
      assertTrue(b.text("#title").startsWith("November sales battle plan — report so far"), b.text("#title"));
      assertEquals("Print", b.text("#print"));
      noErrors(b);
    }
  }

  @Test
  void theChinesePageShowsChineseNamesThePreviousPeriodAndTheExperiment(Vertx vertx) {
    ReportScenario s = ReportScenario.start(vertx);
    try (Browser b = Browser.start(1400, 900)) {
      b.open("http://127.0.0.1:" + s.app.port + "/report.html?lang=zh-CN");
      ready(b);
      assertEquals("zh-CN", b.attr("html", "lang"));
      JsonObject snap = s.app.kpis();
      Map<String, String> names = Map.of("revenue", "销售额", "newCustomers", "新客户数",
          "repurchaseRate", "复购率", "conversion", "转化率", "aov", "客单价", "roi", "广告ROI",
          "nps", "客户满意度(NPS)", "onlineShare", "线上占比");
      List<WebElement> kpis = rows(b, "kpis");
      assertEquals(8, kpis.size());
      for (int i = 0; i < kpis.size(); i++) {
        String id = kpis.get(i).getDomAttribute("data-kpi");
        assertEquals(ReportScenario.KPIS.get(i), id);
        // the server's status, never one the page judged
        assertEquals(snap.getJsonArray("kpis").getJsonObject(i).getString("status"),
            kpis.get(i).getDomAttribute("data-status"), id);
        List<String> cells = new ArrayList<>(cells(kpis.get(i)));
        cells.remove(4);
        assertEquals(s.kpiRow(id, names.get(id)), cells, id);
      }
      // The plan's texts in Chinese, their markup shown as text.
      assertEquals("十一月作战计划 <script>alert(1)</script> — 阶段报告", b.text("#title"));
      assertEquals(0L, b.script("return document.querySelectorAll('#doc script, #doc b').length"));
      assertEquals(List.of("第 1 周", "月度报告 <b>定稿</b>", "", "", "待确认"), row(b, "milestones", 0));
      assertEquals("市场部", row(b, "weeks", 0).get(2));
      assertEquals("直播与内容制作", row(b, "budget", 1).get(0));
      // Usual channels by their Chinese names, others as sent.
      List<String> channels = new ArrayList<>();
      for (WebElement r : rows(b, "channels")) channels.add(cells(r).get(0));
      assertTrue(channels.containsAll(List.of("天猫", "京东", "线下门店")), channels.toString());
      // The experiment: variants, conversion, lift with its interval, decision.
      WebElement x = b.find("[data-experiment='checkout-v2']");
      assertEquals("结账页改版", x.findElement(By.tagName("h3")).getDomProperty("textContent"));
      List<WebElement> variants = x.findElements(By.cssSelector("tbody tr"));
      Object[] a = s.arm("A");
      assertEquals(List.of("A（对照组）", String.format("%,d", (Long) a[0]), String.format("%,d", (Long) a[1]),
          ReportScenario.pct((double) (Long) a[1] / (Long) a[0], 2), ReportScenario.money(a[2])),
          cells(variants.get(0)).subList(0, 5));
      assertEquals("better", variants.get(1).getDomAttribute("data-decision"));
      assertEquals("更好", cells(variants.get(1)).get(9));
      // The broken split of the second experiment is called out.
      assertEquals("样本比例失衡 (p < 0.0001)：分流与计划不符，结果不可信",
          b.text("[data-experiment='banner'] [data-srm]"));
      assertEquals(List.of("2026-11-11 20:00", "", ReportScenario.ANNOTATION, "live, a<b"), row(b, "annotations", 0));
      // The categories' breakdown, by their Chinese names.
      BreakdownOracle.Expected categories = s.breakdown("productCategory");
      List<List<String>> expected = new ArrayList<>();
      for (String key : categories.topKeys()) {
        BreakdownOracle.Sums c = categories.top().get(key);
        expected.add(ReportScenario.breakdownRow(ReportScenario.keyName(key, true), c,
            ReportScenario.pct(BreakdownOracle.share(c.revenue, categories.gross()), 1), false));
      }
      assertEquals(3, expected.size());
      assertEquals(expected, rows(b, "breakdown-productCategory").stream().map(ReportPageTest::cells).toList());
      assertEquals("按品类", b.text("[data-dimension='productCategory'] h3"));
      assertEquals("打印", b.text("#print"));
      noErrors(b);
    } finally {
      s.app.close();
    }
  }

  @Test
  void printingWaitsForTheFiguresAndPrintsThemOnOneLineEach(Vertx vertx) {
    ReportScenario s = ReportScenario.start(vertx);
    try (Browser b = Browser.start(720, 800)) { // near A4 portrait
      // Stand in for the print dialog: note the rows shown each time printing starts; and ask to
      // print as soon as the page's scripts have run, long before the figures are there.
      b.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
          "window.prints = []; window.print = () => window.prints.push("
              + "document.querySelectorAll('#kpis tbody tr').length);"
              + "document.addEventListener('DOMContentLoaded', () => window.print());"));
      // ?print=1 asks too
      b.open("http://127.0.0.1:" + s.app.port + "/report.html?print=1&lang=en");
      b.waitFor(Duration.ofSeconds(10), () -> Long.valueOf(2).equals(b.script("return window.prints.length")),
          () -> b.script("return window.prints") + " " + b.find("body").getDomProperty("textContent"));
      assertEquals(List.of(8L, 8L), b.script("return window.prints"));
      assertEquals("true", b.attr("body", "data-ready"));
      b.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
      assertEquals("none", b.script("return getComputedStyle(document.getElementById('nav')).display"));
      // Each week's dates on one line, as every time in the alerts and annotations.
      @SuppressWarnings("unchecked")
      List<Long> lines = (List<Long>) b.script("return [...document.querySelectorAll('td.dates')]"
          + ".filter(td => td.textContent !== '').map(td => {"
          + " const r = document.createRange(); r.selectNodeContents(td);"
          + " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; })");
      assertTrue(lines.size() >= 5, "4 weeks and the annotation: " + lines);
      assertEquals(List.of(1L), lines.stream().distinct().toList(), "lines per dates cell: " + lines);
      noErrors(b);
    } finally {
      s.app.close();
    }
  }
}
