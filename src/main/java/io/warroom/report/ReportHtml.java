package io.warroom.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.warroom.kpi.Breakdowns;
import io.warroom.kpi.Catalogue;
import io.warroom.measure.Kpi;
import io.warroom.notify.Words;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report (the JSON of {@link Report#build}) as one printable HTML document in Chinese or
 * English: every text escaped, money to the cent with thousands separators, shares as
 * percentages, times in the plan's zone, statuses as the server decided them ({@code data-status}).
 * GET /api/v1/report?format=html answers it, and /report.html shows its {@code main}.
 */
final class ReportHtml {
  private static final String CSS = css();
  /** The document's policy: no script at all, its one style block by hash, the web font. */
  static final String CSP = "default-src 'none'; style-src 'self' 'sha256-" + sha256(CSS) + "'; "
      + "font-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";

  private final JsonNode r;
  private final String lang;
  private final boolean zh;
  private final String currency;
  private final ZoneId zone;
  private final StringBuilder out = new StringBuilder(16_384);
  private final String root;

  private ReportHtml(JsonNode r, String lang, String root) {
    this.r = r;
    this.lang = lang;
    this.root = root;
    this.zh = Words.zh(lang);
    this.currency = r.path("plan").path("currency").asText("CNY");
    this.zone = ZoneId.of(r.path("plan").path("timezone").asText("UTC"));
  }

  static String render(JsonNode report, String lang, String root) {
    return new ReportHtml(report, lang, root).document();
  }

  private String document() {
    JsonNode plan = r.path("plan");
    String title = text(plan.get("name")) + " — "
        + (r.path("final").asBoolean() ? w("最终报告", "final report") : w("阶段报告", "report so far"));
    out.append("<!doctype html>\n<html lang=\"").append(zh ? "zh-CN" : "en").append("\">\n<head>\n")
        .append("<meta charset=\"utf-8\">\n<title>").append(esc(title)).append("</title>\n")
        .append("<link rel=\"icon\" href=\"").append(root).append("favicon.svg\" type=\"image/svg+xml\">\n")
        .append("<link rel=\"stylesheet\" href=\"").append(root)
        .append("vendor/noto-sans-sc/5.3.0/noto-sans-sc.css\">\n")
        .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n<header id=\"head\">\n<h1 id=\"title\">")
        .append(esc(title)).append("</h1>\n<p id=\"period\">")
        .append(esc(w("活动期 ", "Period ") + span(plan.path("start").asText(), plan.path("end").asText())
            + " · " + zone.getId() + " · " + currency + " · " + w("截至 ", "as of ")
            + time(r.path("asOf").asText())))
        .append("</p>\n</header>\n<main id=\"report\">\n");
    kpis();
    focus();
    weeks();
    milestones();
    budget();
    channels();
    adChannels();
    breakdowns();
    experiments();
    alerts();
    annotations();
    out.append("</main>\n</body>\n</html>\n");
    return out.toString();
  }

  // ---- sections

  private void kpis() {
    JsonNode prev = r.path("plan").path("previous");
    String prevHead = w("上期同期", "Previous period to date");
    if (prev.has("start")) {
      prevHead += " (" + date(prev.get("start").asText()) + " – " + time(prev.path("toDate").asText()) + ")";
    }
    open("kpis", w("KPI 与目标", "KPIs against targets"), "KPI", w("实际", "Value"), w("目标", "Target"),
        w("完成率", "Completion"), w("状态", "Status"), prevHead, w("变化", "Change"));
    int n = 0;
    for (JsonNode k : r.path("kpis")) {
      if (k.path("focus").asBoolean()) continue;
      n++;
      String id = k.path("id").asText();
      out.append("<tr data-kpi=\"").append(esc(id)).append('"').append(statusAttr(k)).append('>');
      td(kpiName(id), "text");
      String[] figures = valueAndTarget(k);
      td(figures[0]);
      td(figures[1]);
      td(completion(k.get("completion")));
      td(statusOf(k), "status");
      td(byUnit(k, k.get("previous")));
      td("score".equals(k.path("unit").asText()) ? points(k) : change(k.get("change")));
      out.append("</tr>\n");
    }
    close(n, 7);
  }

  private void focus() {
    List<JsonNode> focus = new ArrayList<>();
    for (JsonNode k : r.path("kpis")) if (k.path("focus").asBoolean()) focus.add(k);
    if (focus.isEmpty()) return;
    open("focus", w("重点目标", "Focus targets"), w("重点目标", "Focus target"), w("维度", "Dimension"),
        w("键", "Key"), w("指标", "Metric"), w("实际", "Value"), w("目标", "Target"),
        w("完成率", "Completion"), w("状态", "Status"));
    for (JsonNode k : focus) {
      out.append("<tr data-kpi=\"").append(esc(k.path("id").asText())).append('"')
          .append(statusAttr(k)).append('>');
      String t = text(k.get("text"));
      td(t.isEmpty() ? k.path("id").asText() : t, "text");
      td(dimension(k.path("dimension").asText()), "text");
      td(Words.name(k.path("key").asText(), lang), "text");
      td(metric(k.path("metric").asText()), "text");
      String[] figures = valueAndTarget(k);
      td(figures[0]);
      td(figures[1]);
      td(completion(k.get("completion")));
      td(statusOf(k), "status");
      out.append("</tr>\n");
    }
    close(focus.size(), 8);
  }

  private void weeks() {
    open("weeks", w("每周进度", "Week by week"), w("周", "Week"), w("日期", "Dates"), w("负责", "Owner"),
        w("销售额", "Revenue"), w("销售额目标", "Revenue target"), w("完成率", "Completion"),
        w("订单", "Orders"), w("转化率", "Conversion"), w("广告花费", "Ad spend"), "ROI");
    int i = 0;
    for (JsonNode wk : r.path("weeks")) {
      i++;
      out.append("<tr data-state=\"").append(esc(wk.path("state").asText())).append("\">");
      td(w("第 " + i + " 周", "Week " + i), "text");
      td(span(wk.path("start").asText(), wk.path("end").asText()), "text dates");
      td(text(wk.get("owner")), "text");
      td(money(wk.get("revenue")));
      td(money(wk.get("revenueTarget")));
      td(pct(wk.get("completion"), 1));
      td(count(wk.get("orders")));
      td(pct(wk.get("conversion"), Kpi.CONVERSION.decimals));
      td(money(wk.get("adSpend")));
      td(fixed(wk.get("roi"), Kpi.ROI.decimals));
      out.append("</tr>\n");
    }
    close(i, 10);
  }

  private void milestones() {
    open("milestones", w("里程碑", "Milestones"), w("周", "Week"), w("里程碑", "Milestone"),
        w("实际", "Value"), w("目标", "Goal"), w("状态", "Status"));
    int i = 0;
    int n = 0;
    for (JsonNode wk : r.path("weeks")) {
      i++;
      for (JsonNode m : wk.path("milestones")) {
        n++;
        out.append("<tr").append(statusAttr(m)).append('>');
        td(w("第 " + i + " 周", "Week " + i), "text");
        td(text(m.get("text")), "text");
        String metric = m.path("metric").isTextual() ? m.get("metric").asText() : null;
        String[] figures = metric == null ? new String[] {"", ""}
            : valueAndGoal(metric, m.get("value"), m.get("goal"));
        td(figures[0]);
        td(m.path("goal").isNumber() ? withOp(m.path("op").asText(""), figures[1]) : figures[1]);
        String s = milestoneStatus(m.path("status").asText());
        if (m.path("by").isTextual()) {
          s += " (" + w(m.get("by").asText() + " 确认于 " + time(m.path("at").asText()),
              "signed off by " + m.get("by").asText() + ", " + time(m.path("at").asText())) + ")";
        }
        td(s, "status");
        out.append("</tr>\n");
      }
    }
    close(n, 5);
  }

  /** A goal with its comparison, as the wall shows it: "≥ 5,000", "< 2.0%" (no goal yet: "—" alone). */
  private static String withOp(String op, String goal) {
    if (op.isEmpty() || goal.isEmpty()) return goal;
    return op.replace(">=", "≥").replace("<=", "≤") + " " + goal;
  }

  private void budget() {
    open("budget", w("预算", "Budget"), w("类别", "Category"), w("预算", "Allocated"),
        w("已花费", "Spent"), w("消耗比例", "Spent of allocation"), w("状态", "Status"));
    int n = 0;
    for (JsonNode b : r.path("budget")) {
      n++;
      out.append("<tr data-category=\"").append(esc(b.path("category").asText())).append('"')
          .append(statusAttr(b)).append('>');
      td(category(b), "text");
      td(money(b.get("allocated")));
      td(money(b.get("spent")));
      td(pct(b.get("completion"), 1));
      td(status(b.path("status")), "status");
      out.append("</tr>\n");
    }
    close(n, 5);
  }

  private void channels() {
    open("channels", w("销售渠道", "Channels"), w("渠道", "Channel"), w("销售额", "Revenue"),
        w("订单", "Orders"), w("访问量", "Sessions"), w("转化率", "Conversion"));
    int n = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = r.path("channels").fields(); it.hasNext(); n++) {
      Map.Entry<String, JsonNode> c = it.next();
      out.append("<tr>");
      td(other(c.getKey()), "text");
      td(money(c.getValue().get("revenue")));
      td(count(c.getValue().get("orders")));
      td(count(c.getValue().get("sessions")));
      td(pct(c.getValue().get("conversion"), Kpi.CONVERSION.decimals));
      out.append("</tr>\n");
    }
    close(n, 5);
  }

  private void adChannels() {
    open("adChannels", w("广告渠道", "Ad channels"), w("广告渠道", "Ad channel"), w("花费", "Spend"),
        w("归因销售额", "Attributed revenue"), "ROI", w("状态", "Status"));
    int n = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = r.path("adChannels").fields(); it.hasNext(); n++) {
      Map.Entry<String, JsonNode> c = it.next();
      out.append("<tr").append(statusAttr(c.getValue())).append('>');
      td(other(c.getKey()), "text");
      td(money(c.getValue().get("spend")));
      td(money(c.getValue().get("attributedRevenue")));
      td(fixed(c.getValue().get("roi"), Kpi.ROI.decimals));
      td(status(c.getValue().path("status")), "status");
      out.append("</tr>\n");
    }
    close(n, 5);
  }

  private void breakdowns() {
    List<Map.Entry<String, JsonNode>> shown = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = r.path("breakdowns").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> d = it.next();
      JsonNode b = d.getValue();
      if (!b.path("top").isEmpty() || Report.counted(b.path("other"))) shown.add(d);
    }
    if (shown.isEmpty()) return;
    out.append("<section id=\"s-breakdowns\"><h2>").append(esc(w("分项明细", "Breakdowns")))
        .append("</h2>\n");
    for (Map.Entry<String, JsonNode> d : shown) {
      String dim = d.getKey();
      JsonNode b = d.getValue();
      boolean region = dim.equals("region");
      String name = dimension(dim);
      out.append("<div class=\"breakdown\" data-dimension=\"").append(esc(dim)).append("\">\n<h3>")
          .append(esc(w("按" + name, "By " + name.toLowerCase(Locale.ROOT)))).append("</h3>\n");
      if (b.path("capped").asBoolean()) {
        String cap = Words.grouped(BigDecimal.valueOf(Breakdowns.MAX_KEYS), 0);
        out.append("<p class=\"capped\" data-capped=\"true\">").append(esc(w(
            "仅单独统计最先出现的 " + cap + " 项，之后新出现的项计入“其他”",
            "Only the first " + cap + " keys seen are told apart; orders of later keys are in Other")))
            .append("</p>\n");
      }
      out.append("<table id=\"breakdown-").append(esc(dim)).append("\">\n");
      List<String> columns = new ArrayList<>(List.of(name, w("销售额", "Revenue"), w("订单", "Orders"),
          w("件数", "Units"), w("占比", "Share")));
      if (region) columns.addAll(List.of(w("访问量", "Sessions"), w("转化率", "Conversion")));
      head(columns.toArray(String[]::new));
      out.append("<tbody>\n");
      for (JsonNode t : b.path("top")) {
        out.append("<tr data-key=\"").append(esc(t.path("key").asText())).append("\">");
        breakdownRow(Words.name(t.path("key").asText(), lang), t, pct(t.get("share"), 1), region);
      }
      if (Report.counted(b.path("other"))) {
        out.append("<tr class=\"other\">");
        breakdownRow(w("其他", "Other"), b.get("other"), "", region);
      }
      out.append("</tbody>\n</table>\n</div>\n");
    }
    out.append("</section>\n");
  }

  private void breakdownRow(String name, JsonNode sums, String share, boolean region) {
    td(name, "text");
    td(money(sums.get("revenue")));
    td(count(sums.get("orders")));
    td(count(sums.get("units")));
    td(share);
    if (region) {
      td(count(sums.get("sessions")));
      td(pct(sums.get("conversion"), Kpi.CONVERSION.decimals));
    }
    out.append("</tr>\n");
  }

  private void experiments() {
    JsonNode all = r.path("experiments");
    if (all.isEmpty()) return;
    out.append("<section id=\"s-experiments\"><h2>").append(esc(w("A/B 测试", "A/B experiments")))
        .append("</h2>\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode x = e.getValue();
      String name = text(x.get("text"));
      out.append("<div class=\"experiment\" data-experiment=\"").append(esc(e.getKey()))
          .append("\">\n<h3>").append(esc(name.isEmpty() ? e.getKey() : name)).append("</h3>\n");
      if (x.path("srmWarning").asBoolean()) {
        out.append("<p class=\"srm\" data-srm=\"true\">").append(esc(w(
            "样本比例失衡 (p " + pIs(x.get("srmPValue")) + ")：分流与计划不符，结果不可信",
            "Sample ratio mismatch (p " + pIs(x.get("srmPValue"))
                + "): the split differs from the plan, results are not trustworthy")))
            .append("</p>\n");
      }
      out.append("<table class=\"variants\">\n");
      head(w("版本", "Variant"), w("访问", "Sessions"), w("订单", "Orders"), w("转化率", "Conversion"),
          w("销售额", "Revenue"), w("客单价", "AOV"), w("提升 [95% 区间]", "Lift [95 % interval]"),
          w("p 值", "p-value"), w("序贯 p 值", "Sequential p-value"), w("结论", "Decision"));
      out.append("<tbody>\n");
      String control = x.path("control").asText();
      for (Iterator<Map.Entry<String, JsonNode>> v = x.path("variants").fields(); v.hasNext(); ) {
        Map.Entry<String, JsonNode> arm = v.next();
        JsonNode res = null;
        for (JsonNode c : x.path("results")) {
          if (c.path("variant").asText().equals(arm.getKey())) res = c;
        }
        out.append("<tr data-variant=\"").append(esc(arm.getKey())).append('"');
        if (res != null) out.append(" data-decision=\"").append(esc(res.path("decision").asText())).append('"');
        out.append('>');
        td(arm.getKey() + (arm.getKey().equals(control) ? w("（对照组）", " (control)") : ""), "text");
        td(count(arm.getValue().get("sessions")));
        td(count(arm.getValue().get("orders")));
        td(pct(arm.getValue().get("conversion"), 2));
        td(money(arm.getValue().get("revenue")));
        td(money(arm.getValue().get("aov")));
        if (res == null) {
          td("");
          td("");
          td("");
          td("");
        } else {
          JsonNode ci = res.path("ci");
          td(change(res.get("lift")) + (ci.isArray()
              ? " [" + change(ci.get(0)) + ", " + change(ci.get(1)) + "]" : ""));
          td(pValue(res.get("pValue")));
          td(pValue(res.get("sequentialPValue")));
          td(decision(res.path("decision").asText()), "text");
        }
        out.append("</tr>\n");
      }
      out.append("</tbody>\n</table>\n</div>\n");
    }
    out.append("</section>\n");
  }

  private void alerts() {
    open("alerts", w("已触发告警", "Alerts that fired"), w("告警", "Alert"), w("级别", "Severity"),
        w("状态", "State"), w("数值", "Value"), w("阈值", "Threshold"), w("开始", "Since"),
        w("恢复", "Resolved"));
    int n = 0;
    for (JsonNode a : r.path("alerts")) {
      n++;
      String kpi = a.path("kpi").asText();
      String window = a.path("window").isTextual() ? a.get("window").asText() : null;
      out.append("<tr data-rule=\"").append(esc(a.path("rule").asText())).append("\" data-severity=\"")
          .append(esc(a.path("severity").asText())).append("\">");
      // pace and forecast watch the same figure over the same window: their titles tell them apart
      String rule = a.path("rule").asText();
      td(rule.startsWith("pace-") ? figureName(kpi) + w("落后进度", " behind pace")
          : rule.startsWith("forecast-") ? figureName(kpi) + w("预测未达目标", " forecast under target")
          : figureName(kpi) + (window == null ? "" : w("（", " (") + Words.window(window, lang) + w("）", ")")),
          "text");
      td(a.path("severity").asText().equals("critical") ? w("严重", "Critical") : w("警告", "Warning"), "text");
      String state = a.path("state").asText();
      td(switch (state) {
        case "firing" -> a.path("recovering").asBoolean() ? w("触发中·恢复中", "Firing · recovering")
            : w("触发中", "Firing");
        case "pending" -> w("待触发", "Pending");
        case "resolved" -> w("已恢复", "Resolved");
        default -> state;
      }, "text");
      String[] figures = valueAndGoal(kpi, a.get("value"), a.get("threshold"));
      td(figures[0]);
      td(figures[1]);
      td(millis(a.get("since")), "text dates");
      td(millis(a.get("resolvedAt")), "text dates");
      out.append("</tr>\n");
    }
    close(n, 7);
  }

  private void annotations() {
    open("annotations", w("标注", "Annotations"), w("开始", "From"), w("结束", "To"),
        w("内容", "Text"), w("标签", "Tags"));
    int n = 0;
    for (JsonNode a : r.path("annotations")) {
      n++;
      out.append("<tr>");
      td(time(a.path("ts").asText()), "text dates");
      td(a.path("end").isTextual() ? time(a.get("end").asText()) : "", "text dates");
      td(a.path("text").asText(), "text");
      List<String> tags = new ArrayList<>();
      a.path("tags").forEach(t -> tags.add(t.asText()));
      td(String.join(", ", tags), "text");
      out.append("</tr>\n");
    }
    close(n, 4);
  }

  // ---- table writing

  private void open(String id, String title, String... columns) {
    out.append("<section id=\"s-").append(id).append("\"><h2>").append(esc(title))
        .append("</h2>\n<table id=\"").append(id).append("\">\n");
    head(columns);
    out.append("<tbody>\n");
  }

  private void head(String... columns) {
    out.append("<thead><tr>");
    for (String c : columns) out.append("<th>").append(esc(c)).append("</th>");
    out.append("</tr></thead>\n");
  }

  private void close(int rows, int columns) {
    if (rows == 0) {
      out.append("<tr class=\"none\"><td class=\"text\" colspan=\"").append(columns).append("\">")
          .append(esc(w("无", "none"))).append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n</section>\n");
  }

  private void td(String text) {
    out.append("<td>").append(esc(text)).append("</td>");
  }

  private void td(String text, String cls) {
    out.append("<td class=\"").append(cls).append("\">").append(esc(text)).append("</td>");
  }

  private static String statusAttr(JsonNode o) {
    JsonNode s = o.path("status");
    return s.isTextual() ? " data-status=\"" + esc(s.asText()) + "\"" : "";
  }

  /** Text for HTML content and attribute values: &, <, >, " and ' as entities. */
  static String esc(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  // ---- words

  private String w(String zhText, String enText) {
    return zh ? zhText : enText;
  }

  /** A plan text of the JSON (CONTRACT section 9): the language's entry, else en, else the first. */
  private String text(JsonNode t) {
    if (t == null || t.isNull() || t.isMissingNode()) return "";
    if (t.isTextual()) return t.asText();
    JsonNode v = t.get(lang);
    if (v == null && lang.indexOf('-') > 0) v = t.get(lang.substring(0, lang.indexOf('-')));
    if (v == null) v = t.get("en");
    if (v == null && t.elements().hasNext()) v = t.elements().next();
    return v == null ? "" : v.asText();
  }

  private String kpiName(String id) {
    return Words.kpi(id, null, lang);
  }

  /** A KPI, {@code budget.<category>} by its label, or the id itself. */
  private String figureName(String id) {
    if (id.startsWith("budget.")) {
      String c = id.substring("budget.".length());
      for (JsonNode b : r.path("budget")) {
        if (b.path("category").asText().equals(c)) c = category(b);
      }
      return w("预算「" + c + "」消耗", "Budget \"" + c + "\" spent");
    }
    for (JsonNode k : r.path("kpis")) {
      if (k.path("focus").asBoolean() && k.path("id").asText().equals(id) && k.has("text")) {
        return text(k.get("text"));
      }
    }
    return kpiName(id);
  }

  private String category(JsonNode b) {
    if (b.has("label")) return text(b.get("label"));
    return Words.name(b.path("category").asText(), lang);
  }

  /** A channel or key by its usual name, "(other)" in the report's language. */
  private String other(String key) {
    return key.equals("(other)") ? w("其他", "Other") : Words.name(key, lang);
  }

  /** A KPI's status, and the window of the alert that raised it when that is not the campaign's. */
  private String statusOf(JsonNode k) {
    String s = status(k.path("status"));
    String window = k.path("alert").path("window").asText("campaign");
    return window.equals("campaign") ? s : s + " · " + Words.window(window, lang);
  }

  private String status(JsonNode s) {
    if (!s.isTextual()) return "—";
    return switch (s.asText()) {
      case "ok" -> w("正常", "On track");
      case "warning" -> w("预警", "At risk");
      case "critical" -> w("落后", "Off track");
      default -> s.asText();
    };
  }

  private String milestoneStatus(String s) {
    return switch (s) {
      case "pending" -> w("未开始", "Not started");
      case "on-track" -> w("达标中", "On track");
      case "behind" -> w("落后", "Behind");
      case "met" -> w("已达成", "Met");
      case "missed" -> w("未达成", "Missed");
      case "open" -> w("待确认", "Awaiting sign-off");
      case "done" -> w("已完成", "Done");
      default -> s;
    };
  }

  private String decision(String d) {
    return switch (d) {
      case "better" -> w("更好", "better");
      case "worse" -> w("更差", "worse");
      case "no difference yet" -> w("暂无差异", "no difference yet");
      default -> d;
    };
  }

  private String dimension(String d) {
    return switch (d) {
      case "sku" -> w("产品", "Product");
      case "productCategory" -> w("品类", "Category");
      case "region" -> w("地区", "Region");
      case "segment" -> w("客群", "Segment");
      case "tag" -> w("标签", "Tag");
      default -> d;
    };
  }

  private String metric(String m) {
    return switch (m) {
      case "revenue" -> w("销售额", "Revenue");
      case "orders" -> w("订单", "Orders");
      case "units" -> w("件数", "Units");
      case "share" -> w("占比", "Share");
      default -> m;
    };
  }

  // ---- numbers and times

  private static BigDecimal dec(JsonNode n) {
    return n == null || !n.isNumber() ? null : n.decimalValue();
  }

  private String money(JsonNode n) {
    BigDecimal v = dec(n);
    return v == null ? "—" : Words.money(v, currency);
  }

  private static String count(JsonNode n) {
    BigDecimal v = dec(n);
    return v == null ? "—" : Words.grouped(v, 0);
  }

  private static String fixed(JsonNode n, int decimals) {
    BigDecimal v = dec(n);
    return v == null ? "—" : Words.grouped(v, decimals);
  }

  private static String pct(JsonNode n, int decimals) {
    BigDecimal v = dec(n);
    return v == null ? "—" : Words.grouped(v.movePointRight(2), decimals) + "%";
  }

  /** A change as a signed percentage with one decimal: +4.2%, -1.0%. */
  private static String change(JsonNode n) {
    BigDecimal v = dec(n);
    if (v == null) return "—";
    String p = Words.grouped(v.movePointRight(2).abs(), 1) + "%";
    BigDecimal rounded = v.movePointRight(2).setScale(1, RoundingMode.HALF_UP);
    return (rounded.signum() > 0 ? "+" : rounded.signum() < 0 ? "-" : "") + p;
  }

  /**
   * A score's change in points, one decimal, as the wall gives it (+6.3 pts, 较上期 +6.3分): value /
   * previous - 1 of two negative NPS reads backwards.
   */
  private String points(JsonNode k) {
    BigDecimal v = dec(k.get("value"));
    BigDecimal p = dec(k.get("previous"));
    if (v == null || p == null) return "—";
    BigDecimal d = v.subtract(p).setScale(1, RoundingMode.HALF_UP);
    String sign = d.signum() > 0 ? "+" : d.signum() < 0 ? "-" : "";
    return sign + Words.grouped(d.abs(), 1) + w("分", " pts");
  }

  /** "= 0.0123", or "< 0.0001" (never "= <0.0001"). */
  private static String pIs(JsonNode n) {
    String p = pValue(n);
    return p.startsWith("<") ? "< " + p.substring(1) : "= " + p;
  }

  private static String pValue(JsonNode n) {
    BigDecimal v = dec(n);
    if (v == null) return "—";
    return v.compareTo(new BigDecimal("0.0001")) < 0 ? "<0.0001"
        : v.setScale(4, RoundingMode.HALF_UP).toPlainString();
  }

  /** How a figure is written: its unit's wire name and its decimals. */
  private record Unit(String name, int decimals) {
    static Unit of(JsonNode k) {
      String unit = k.path("unit").asText();
      return new Unit(unit, k.path("decimals").asInt(unit.equals("ratio") ? 2 : 1));
    }
  }

  /**
   * The unit of a figure named by id: a counter, a KPI of the catalogue, a budget burn, a focus
   * target of the report; null when unknown.
   */
  private Unit unitOf(String id) {
    if (id.startsWith("counter:")) return new Unit("count", 0);
    Catalogue.Shown shown = Catalogue.shown(id);
    if (shown != null) return new Unit(shown.unit().wire(), shown.decimals());
    for (JsonNode f : r.path("kpis")) if (f.path("id").asText().equals(id)) return Unit.of(f);
    return null;
  }

  /** A value in its unit with {@code extra} more decimals than usual; plain when the unit is unknown. */
  private String format(Unit u, JsonNode n, int extra) {
    if (u == null) {
      BigDecimal v = dec(n);
      return v == null ? "—" : Report.plain(v).toPlainString();
    }
    return switch (u.name()) {
      case "money" -> extra == 0 || dec(n) == null ? money(n) : Words.money(dec(n), currency, 2 + extra);
      case "share" -> pct(n, u.decimals() + extra);
      case "count" -> extra == 0 ? count(n) : fixed(n, extra);
      default -> fixed(n, u.decimals() + extra);
    };
  }

  /** A value of a KPI entry of the report by its unit and decimals. */
  private String byUnit(JsonNode k, JsonNode n) {
    return format(Unit.of(k), n, 0);
  }

  /**
   * A milestone's (or alert's) value and goal, with decimals added while they differ but read
   * alike (a conversion of 2.996 % is not 3.00 %, 2,500 new customers not a goal of 2,500.05).
   */
  private String[] valueAndGoal(String metric, JsonNode value, JsonNode goal) {
    Unit u = unitOf(metric);
    return Words.apart(dec(value), dec(goal),
        extra -> new String[] {format(u, value, extra), format(u, goal, extra)});
  }

  /** A KPI's (or focus target's) value and target, read apart when they differ. */
  private String[] valueAndTarget(JsonNode k) {
    Unit u = Unit.of(k);
    JsonNode value = k.get("value");
    JsonNode target = k.get("target");
    return Words.apart(dec(value), dec(target),
        extra -> new String[] {format(u, value, extra), format(u, target, extra)});
  }

  /** A completion share: one short of the whole never reads as 100.0 %. */
  private static String completion(JsonNode n) {
    BigDecimal v = dec(n);
    if (v != null && v.compareTo(BigDecimal.ONE) < 0 && v.compareTo(new BigDecimal("0.999")) > 0) {
      v = new BigDecimal("0.999");
    }
    return v == null ? "—" : Words.grouped(v.movePointRight(2), 1) + "%";
  }

  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  /** An ISO instant of the JSON in the plan's zone: 2026-11-11 02:00. */
  private String time(String iso) {
    if (iso == null || iso.isEmpty()) return "—";
    return MINUTE.withZone(zone).format(Instant.parse(iso));
  }

  private String millis(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return "";
    return n.isNumber() ? MINUTE.withZone(zone).format(Instant.ofEpochMilli(n.asLong())) : time(n.asText());
  }

  /** A yyyy-MM-dd date of the JSON, or the date part of an instant in the plan's zone. */
  private String date(String iso) {
    return iso.length() == 10 ? iso : LocalDate.ofInstant(Instant.parse(iso), zone).toString();
  }

  /** A period of dates with an exclusive end, as people say it: its first and last day. */
  private static String span(String start, String endExclusive) {
    return start + " – " + LocalDate.parse(endExclusive).minusDays(1);
  }

  private static String sha256(String s) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest
          .getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String css() {
    try (InputStream in = ReportHtml.class.getClassLoader().getResourceAsStream("webroot/css/report.css")) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
