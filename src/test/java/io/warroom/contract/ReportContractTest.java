package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.contract.BreakdownOracle.Expected;
import io.warroom.contract.BreakdownOracle.Sums;
import io.warroom.report.Report;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The report's three forms over {@link ReportScenario}: JSON with the previous period and the
 * experiments, the printable HTML (GET /api/v1/report?format=html) in Chinese and English with
 * exact figures, the server's statuses and every text escaped, and the CSV with experiments and
 * annotations and no float artefacts; in every form the breakdowns, against {@link BreakdownOracle}.
 */
@ExtendWith(VertxExtension.class)
public class ReportContractTest {
  static ReportScenario s;

  @BeforeAll
  static void start(Vertx vertx) {
    s = ReportScenario.start(vertx);
  }

  @AfterAll
  static void stop() {
    s.app.close();
  }

  static JsonObject kpi(JsonArray kpis, String id) {
    for (Object o : kpis) if (((JsonObject) o).getString("id").equals(id)) return (JsonObject) o;
    throw new AssertionError(id);
  }

  @Test
  void jsonHasEachKpisPreviousPeriodAndTheExperiments() {
    JsonObject rep = s.app.get("/api/v1/report").bodyAsJsonObject();
    JsonObject snap = s.app.kpis();
    for (String id : ReportScenario.KPIS) {
      JsonObject k = kpi(rep.getJsonArray("kpis"), id);
      Object previous = s.previous(id);
      assertTrue(previous != null, id + ": the scenario has a previous value");
      assertEquals(0, new BigDecimal(previous.toString()).compareTo(new BigDecimal(k.getValue("previous").toString())),
          id + " previous: " + previous + " vs " + k.getValue("previous"));
      assertEquals(s.change(id), k.getDouble("change"), 1e-12, id + " change");
      // the same as the snapshot's entry
      JsonObject sk = kpi(snap.getJsonArray("kpis"), id);
      assertEquals(sk.getValue("previous"), k.getValue("previous"), id);
      assertEquals(sk.getString("status"), k.getString("status"), id);
    }
    assertEquals("zh-CN", rep.getJsonObject("plan").getString("language"));
    // the same as the snapshot's: the period's dates
    assertEquals(snap.getJsonObject("plan").getJsonObject("previous"),
        rep.getJsonObject("plan").getJsonObject("previous"));
    assertEquals("2026-10-01", rep.getJsonObject("plan").getJsonObject("previous").getString("start"));
    assertEquals("2026-10-20T04:00:00Z", rep.getJsonObject("plan").getJsonObject("previous").getString("toDate"));
    s.checkExperiments(rep.getJsonObject("experiments"));
    assertEquals(snap.getJsonObject("experiments"), rep.getJsonObject("experiments"));
    assertEquals("better", rep.getJsonObject("experiments").getJsonObject("checkout-v2")
        .getJsonArray("results").getJsonObject(0).getString("decision"));
  }

  static JsonNode tree(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Whether a dimension's `other` holds anything, so the report lists it. */
  static boolean counted(Sums other) {
    return other.orders > 0 || other.sessions > 0;
  }

  @Test
  void jsonHasTheSnapshotsBreakdowns() {
    String body = s.app.get("/api/v1/report").bodyAsString();
    // the snapshot's figures (numbers compared as numbers: the report writes 0.0 as 0)
    assertEquals(s.app.kpis().getJsonObject("breakdowns"), new JsonObject(body).getJsonObject("breakdowns"));
    JsonNode rep = tree(body);
    for (String d : BreakdownOracle.DIMENSIONS) {
      BreakdownsTest.expect(d, rep.at("/breakdowns/" + d), s.breakdown(d));
    }
    // the scenario has it all: more than ten products, a region seen on visits only, no segment
    assertTrue(counted(s.breakdown("sku").other()));
    assertTrue(s.breakdown("region").topKeys().contains("西北"));
    assertEquals(0, rep.at("/breakdowns/segment/top").size());
    assertEquals(0, rep.at("/breakdowns/segment/distinct").asInt());
  }

  @Test
  void csvHasARowPerDimensionKeyAndFigure() {
    List<String[]> rows = csv();
    Map<String, List<String>> metrics = new LinkedHashMap<>();
    for (String[] r : rows) {
      if (r[0].equals("breakdown")) metrics.computeIfAbsent(r[1], k -> new ArrayList<>()).add(r[2]);
    }
    Set<String> items = new LinkedHashSet<>();
    for (String d : BreakdownOracle.DIMENSIONS) {
      Expected e = s.breakdown(d);
      boolean region = d.equals("region");
      for (String key : e.topKeys()) {
        String item = d + "/" + key;
        items.add(item);
        Sums x = e.top().get(key);
        csvSums(rows, item, x, region);
        assertEquals(BreakdownOracle.share(x.revenue, e.gross()),
            Double.valueOf(find(rows, "breakdown", item, "share")[3]), item);
        assertEquals(region ? List.of("revenue", "orders", "units", "sessions", "conversion", "share")
            : List.of("revenue", "orders", "units", "share"), metrics.get(item), item);
      }
      if (counted(e.other())) {
        items.add(d + "/(other)");
        csvSums(rows, d + "/(other)", e.other(), region);
      }
    }
    // a row for each key and `other` with anything in it; none for segments, none sent
    assertEquals(items, metrics.keySet());
    assertTrue(items.contains("sku/(other)") && items.contains("sku/<i>X</i>"), items.toString());
  }

  static void csvSums(List<String[]> rows, String item, Sums x, boolean region) {
    assertEquals(0, x.revenue.compareTo(new BigDecimal(find(rows, "breakdown", item, "revenue")[3])),
        item);
    assertEquals(String.valueOf(x.orders), find(rows, "breakdown", item, "orders")[3], item);
    assertEquals(String.valueOf(x.units), find(rows, "breakdown", item, "units")[3], item);
    if (region) {
      assertEquals(String.valueOf(x.sessions), find(rows, "breakdown", item, "sessions")[3], item);
      String conversion = find(rows, "breakdown", item, "conversion")[3];
      if (x.sessions == 0) assertEquals("", conversion, item);
      else assertEquals((double) x.orders / x.sessions, Double.parseDouble(conversion), item);
    }
  }

  @Test
  void htmlHasATableForEachDimensionWithKeysInBothLanguages() {
    for (String lang : List.of("en", "zh-CN")) {
      boolean zh = lang.equals("zh-CN");
      String doc = html(lang).bodyAsString();
      for (String d : BreakdownOracle.DIMENSIONS) {
        Expected e = s.breakdown(d);
        boolean region = d.equals("region");
        if (e.topKeys().isEmpty()) {
          assertFalse(doc.contains("data-dimension=\"" + d + "\""), d + " has no table");
          continue;
        }
        List<List<String>> expected = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String key : e.topKeys()) {
          Sums x = e.top().get(key);
          String name = ReportScenario.keyName(key, zh).replace("<", "&lt;").replace(">", "&gt;");
          expected.add(ReportScenario.breakdownRow(name, x,
              ReportScenario.pct(BreakdownOracle.share(x.revenue, e.gross()), 1), region));
          keys.add(key.replace("<", "&lt;").replace(">", "&gt;"));
        }
        if (counted(e.other())) {
          expected.add(ReportScenario.breakdownRow(zh ? "其他" : "Other", e.other(), "", region));
        }
        List<Row> rows = rows(doc, "breakdown-" + d);
        assertEquals(expected, rows.stream().map(Row::cells).toList(), d + " " + lang);
        assertEquals(keys, rows.subList(0, keys.size()).stream().map(r -> r.attr("data-key")).toList());
      }
      assertFalse(doc.contains("data-capped"), "no dimension is capped");
      if (zh) {
        assertTrue(doc.contains("<h2>分项明细</h2>\n<div class=\"breakdown\" data-dimension=\"sku\">\n<h3>按产品</h3>"), doc);
        assertTrue(doc.contains("<h3>按地区</h3>\n<table id=\"breakdown-region\">\n<thead><tr><th>地区</th>"
            + "<th>销售额</th><th>订单</th><th>件数</th><th>占比</th><th>访问量</th><th>转化率</th></tr></thead>"), doc);
      } else {
        assertTrue(doc.contains("<h2>Breakdowns</h2>\n<div class=\"breakdown\" data-dimension=\"sku\">\n<h3>By product</h3>"), doc);
        assertTrue(doc.contains("<h3>By tag</h3>\n<table id=\"breakdown-tag\">\n<thead><tr><th>Tag</th>"
            + "<th>Revenue</th><th>Orders</th><th>Units</th><th>Share</th></tr></thead>"), doc);
      }
    }
    // A capped dimension says so above its table.
    ObjectNode capped = (ObjectNode) tree(s.app.get("/api/v1/report").bodyAsString());
    ((ObjectNode) capped.at("/breakdowns/sku")).put("capped", true);
    assertTrue(Report.html(capped, "en", "").contains("<h3>By product</h3>\n<p class=\"capped\" data-capped=\"true\">"
        + "Only the first 10,000 keys seen are told apart; orders of later keys are in Other</p>\n"
        + "<table id=\"breakdown-sku\">"));
  }

  /** Rows of a table of the HTML report: each row's attributes and cell texts (entities kept). */
  record Row(String attrs, List<String> cells) {
    String attr(String name) {
      Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(attrs);
      return m.find() ? m.group(1) : null;
    }
  }

  static List<Row> rows(String html, String table) {
    int at = html.indexOf("<table id=\"" + table + "\">");
    assertTrue(at >= 0, table + " in " + html);
    String body = html.substring(html.indexOf("<tbody>", at), html.indexOf("</tbody>", at));
    List<Row> out = new ArrayList<>();
    Matcher tr = Pattern.compile("<tr([^>]*)>(.*?)</tr>").matcher(body);
    while (tr.find()) {
      List<String> cells = new ArrayList<>();
      Matcher td = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(tr.group(2));
      while (td.find()) cells.add(td.group(1));
      out.add(new Row(tr.group(1), cells));
    }
    return out;
  }

  static HttpResponse<Buffer> html(String lang) {
    HttpResponse<Buffer> r = s.app.get("/api/v1/report?format=html" + (lang == null ? "" : "&lang=" + lang));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("text/html; charset=utf-8", r.getHeader("Content-Type"));
    return r;
  }

  static final Map<String, String> ZH = new LinkedHashMap<>();
  static final Map<String, String> EN = new LinkedHashMap<>();

  static {
    String[][] names = {{"revenue", "销售额", "Revenue"}, {"newCustomers", "新客户数", "New customers"},
        {"repurchaseRate", "复购率", "Repurchase rate"}, {"conversion", "转化率", "Conversion"},
        {"aov", "客单价", "Average order value"}, {"roi", "广告ROI", "Ad ROI"},
        {"nps", "客户满意度(NPS)", "NPS"}, {"onlineShare", "线上占比", "Online share"}};
    for (String[] n : names) {
      ZH.put(n[0], n[1]);
      EN.put(n[0], n[2]);
    }
  }

  @Test
  void htmlInThePlansLanguageWithExactFiguresAndTheServersStatuses() {
    HttpResponse<Buffer> r = html(null); // the plan's language: zh-CN
    String doc = r.bodyAsString();
    assertTrue(doc.startsWith("<!doctype html>\n<html lang=\"zh-CN\">"), doc);
    String csp = r.getHeader("Content-Security-Policy");
    assertTrue(csp.startsWith("default-src 'none';") && !csp.contains("script-src"), csp);
    JsonObject snap = s.app.kpis();
    List<Row> kpis = rows(doc, "kpis");
    assertEquals(8, kpis.size());
    for (Row row : kpis) {
      String id = row.attr("data-kpi");
      assertEquals(kpi(snap.getJsonArray("kpis"), id).getString("status"), row.attr("data-status"), id);
      List<String> cells = new ArrayList<>(row.cells());
      String status = cells.remove(4);
      assertEquals(Map.of("ok", "正常", "warning", "预警", "critical", "落后").get(row.attr("data-status")), status);
      assertEquals(s.kpiRow(id, ZH.get(id)), cells, id);
    }
    // Plan texts in Chinese, escaped: the name's markup is text, never an element.
    assertTrue(doc.contains("<h1 id=\"title\">十一月作战计划 &lt;script&gt;alert(1)&lt;/script&gt; — 阶段报告</h1>"), doc);
    assertFalse(doc.contains("<script"), doc);
    assertFalse(doc.contains("<b>"), doc);
    assertEquals(List.of("第 1 周", "月度报告 &lt;b&gt;定稿&lt;/b&gt;", "", "", "待确认"), rows(doc, "milestones").get(0).cells());
    List<String> week1 = rows(doc, "weeks").get(0).cells();
    assertEquals(List.of("第 1 周", "2026-11-01 – 2026-11-07", "市场部"), week1.subList(0, 3));
    // Budget by the plan's label or a translated name, never the raw key.
    List<Row> budget = rows(doc, "budget");
    assertEquals("广告", budget.get(0).cells().get(0));
    assertEquals("直播与内容制作", budget.get(1).cells().get(0));
    assertEquals(snap.getJsonObject("budget").getJsonObject("ads").getString("status"), budget.get(0).attr("data-status"));
    // The annotation in the plan's zone, its text escaped.
    assertEquals(List.of("2026-11-11 20:00", "", "=launch &lt;script&gt;x&lt;/script&gt;", "live, a&lt;b"),
        rows(doc, "annotations").get(0).cells());
    // Times in the plan's zone.
    assertTrue(doc.contains("截至 2026-11-20 12:00"), doc);
  }

  @Test
  void htmlInEnglishWithTheExperiment() {
    String doc = html("en").bodyAsString();
    assertTrue(doc.startsWith("<!doctype html>\n<html lang=\"en\">"), doc);
    for (Row row : rows(doc, "kpis")) {
      List<String> cells = new ArrayList<>(row.cells());
      cells.remove(4);
      assertEquals(s.kpiRow(row.attr("data-kpi"), EN.get(row.attr("data-kpi"))), cells);
    }
    assertTrue(doc.contains("<h1 id=\"title\">November plan &lt;script&gt;alert(1)&lt;/script&gt; — report so far</h1>"), doc);
    assertEquals("Live streams &amp; content", rows(doc, "budget").get(1).cells().get(0));
    // The experiment: one table of its variants.
    JsonObject x = s.app.get("/api/v1/report").bodyAsJsonObject().getJsonObject("experiments")
        .getJsonObject("checkout-v2");
    JsonObject res = x.getJsonArray("results").getJsonObject(0);
    int at = doc.indexOf("<div class=\"experiment\" data-experiment=\"checkout-v2\">");
    assertTrue(at > 0, doc);
    assertTrue(doc.startsWith("<div class=\"experiment\" data-experiment=\"checkout-v2\">\n<h3>Checkout v2</h3>\n<table", at), doc);
    String table = doc.substring(at, doc.indexOf("</table>", at));
    List<Row> variants = rows(table.replace("<table class=\"variants\">", "<table id=\"v\">") + "</table>", "v");
    Object[] a = s.arm("A");
    Object[] b = s.arm("B");
    assertEquals(List.of("A (control)", ReportScenario.grouped(0).format(a[0]), ReportScenario.grouped(0).format(a[1]),
        ReportScenario.pct((double) (long) a[1] / (long) a[0], 2), ReportScenario.money(a[2]),
        ReportScenario.money(((BigDecimal) a[2]).divide(BigDecimal.valueOf((long) a[1]), 2, RoundingMode.HALF_UP)),
        "", "", "", ""), variants.get(0).cells());
    double lift = ((double) (long) b[1] / (long) b[0]) / ((double) (long) a[1] / (long) a[0]) - 1;
    List<String> vb = variants.get(1).cells();
    assertEquals("B", vb.get(0));
    assertEquals(ReportScenario.pct((double) (long) b[1] / (long) b[0], 2), vb.get(3));
    JsonArray ci = res.getJsonArray("ci");
    assertEquals(ReportScenario.signedPct(lift) + " [" + ReportScenario.signedPct(ci.getDouble(0)) + ", "
        + ReportScenario.signedPct(ci.getDouble(1)) + "]", vb.get(6));
    assertEquals(p4(res.getDouble("pValue")), vb.get(7));
    assertEquals(p4(res.getDouble("sequentialPValue")), vb.get(8));
    assertEquals("better", vb.get(9));
    assertEquals("better", variants.get(1).attr("data-decision"));
    assertFalse(table.contains("data-srm"), "the split holds: no warning");
    // The broken split is called out above its table, with its p-value.
    JsonObject banner = s.app.get("/api/v1/report").bodyAsJsonObject().getJsonObject("experiments")
        .getJsonObject("banner");
    assertTrue(banner.getBoolean("srmWarning"));
    assertTrue(doc.contains("<div class=\"experiment\" data-experiment=\"banner\">\n<h3>Banner &lt;i&gt;red&lt;/i&gt;</h3>\n"
        + "<p class=\"srm\" data-srm=\"true\">Sample ratio mismatch (p "
        + (banner.getDouble("srmPValue") < 0.0001 ? "&lt; 0.0001" : "= " + p4(banner.getDouble("srmPValue")))
        + "): the split differs from the plan, results are not trustworthy</p>"), doc);
  }

  static String p4(double p) {
    return p < 0.0001 ? "<0.0001".replace("<", "&lt;") : new BigDecimal(p).setScale(4, RoundingMode.HALF_UP).toPlainString();
  }

  @Test
  void badFormatOrLanguageIsA400NamingTheParameter() {
    HttpResponse<Buffer> r = s.app.get("/api/v1/report?format=html&lang=fr");
    assertEquals(400, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("error").startsWith("lang:"), r.bodyAsString());
    r = s.app.get("/api/v1/report?format=pdf");
    assertEquals(400, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("error").startsWith("format:"), r.bodyAsString());
    // a language tag in any case, as the pages take it
    String doc = s.app.get("/api/v1/report?format=html&lang=zh-cn").bodyAsString();
    assertTrue(doc.startsWith("<!doctype html>\n<html lang=\"zh-CN\">"), doc.substring(0, 60));
  }

  static List<String[]> csv() {
    String body = s.app.get("/api/v1/report?format=csv").bodyAsString();
    assertFalse(Pattern.compile("\\d\\.0(,|\\r?\\n|$)").matcher(body).find(), body);
    List<String[]> out = new ArrayList<>();
    try (MappingIterator<String[]> it = new CsvMapper().readerForArrayOf(String.class)
        .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(body)) {
      while (it.hasNext()) out.add(it.next());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  static String[] find(List<String[]> rows, String section, String item, String metric) {
    for (String[] r : rows) if (r[0].equals(section) && r[1].equals(item) && r[2].equals(metric)) return r;
    throw new AssertionError(section + "/" + item + "/" + metric);
  }

  @Test
  void csvHasPreviousPeriodExperimentAndAnnotationsWithoutFloatArtefacts() {
    List<String[]> rows = csv();
    assertEquals(List.of("section", "item", "metric", "value", "target", "completion", "status",
        "previous", "change"), List.of(rows.get(0)));
    JsonObject snap = s.app.kpis();
    for (String id : ReportScenario.KPIS) {
      String[] k = find(rows, "kpi", id, "value");
      assertEquals(0, new BigDecimal(s.value(id).toString()).compareTo(new BigDecimal(k[3])), id);
      assertEquals(kpi(snap.getJsonArray("kpis"), id).getString("status"), k[6], id);
      assertEquals(0, new BigDecimal(s.previous(id).toString()).compareTo(new BigDecimal(k[7])), id);
      assertEquals(s.change(id), Double.parseDouble(k[8]), 1e-12, id);
    }
    Object[] a = s.arm("A");
    assertEquals(a[0].toString(), find(rows, "experiment", "checkout-v2/A", "sessions")[3]);
    assertEquals(a[1].toString(), find(rows, "experiment", "checkout-v2/A", "orders")[3]);
    assertEquals(0, ((BigDecimal) a[2]).compareTo(new BigDecimal(find(rows, "experiment", "checkout-v2/A", "revenue")[3])));
    assertEquals("better", find(rows, "experiment", "checkout-v2/B", "lift")[6]);
    // The annotation: its moment, its text neutralised for spreadsheets, its tags.
    String[] note = find(rows, "annotation", "2026-11-11T12:00:00Z", "text");
    assertEquals("'" + ReportScenario.ANNOTATION, note[3]);
    assertEquals("live;a<b", note[4]);
  }
}
