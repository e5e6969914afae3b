package io.warroom.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.alert.Alert;
import io.warroom.alert.Rule;
import io.warroom.alert.Rules;
import io.warroom.kpi.AdChannelSums;
import io.warroom.kpi.Alarm;
import io.warroom.kpi.ChannelSums;
import io.warroom.kpi.Figures;
import io.warroom.kpi.Phases;
import io.warroom.kpi.Previous;
import io.warroom.kpi.Keyed;
import io.warroom.kpi.Section;
import io.warroom.kpi.SnapshotWriter;
import io.warroom.kpi.Totals;
import io.warroom.measure.Kpi;
import io.warroom.measure.Status;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.Text;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The campaign report (GET /api/v1/report): each KPI against its target with its status, week by
 * week against the plan's phases, budget, channel tables, breakdowns and the alerts that fired.
 * It reads the same {@link Figures} the snapshot is written from, so its figures equal the
 * dashboard's by construction; the weeks add the aggregator's per-day sums.
 */
public final class Report {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final CsvMapper CSV = new CsvMapper();
  private static final CsvSchema COLUMNS = CsvSchema.builder().addColumn("section")
      .addColumn("item").addColumn("metric").addColumn("value").addColumn("target")
      .addColumn("completion").addColumn("status").addColumn("previous").addColumn("change")
      .setUseHeader(true).build();

  private Report() {}

  /** The report of the figures {@code f} (snapshot {@code seq}) and the alerts that fired. */
  public static ObjectNode build(Figures f, long seq, List<Alert> fired) {
    Plan plan = f.plan();
    ObjectNode r = NODES.objectNode();
    r.put("asOf", Instant.ofEpochMilli(f.now()).toString());
    r.put("seq", seq);
    ObjectNode p = r.putObject("plan");
    p.put("id", plan.id());
    p.set("name", PlanParser.json(plan.name()));
    p.put("timezone", plan.timezone().getId());
    p.put("currency", plan.currency());
    p.put("start", plan.start().toString());
    p.put("end", plan.end().toString());
    p.put("elapsed", f.elapsed());
    p.put("language", plan.language());
    // as the snapshot's plan.previous: the period's dates, and the instant its to-date part ends
    Previous prev = f.agg().previous();
    Plan.Period period = Previous.period(plan);
    p.putObject("previous").put("start", period.start().toString())
        .put("end", period.end().toString())
        .put("toDate", Instant.ofEpochMilli(prev.toDateMillis()).toString());
    r.put("final", f.elapsed() >= 1.0);

    ArrayNode kpis = r.putArray("kpis");
    for (Figures.Target t : f.targets()) {
      ObjectNode o = kpis.addObject();
      o.put("id", t.kpi().id);
      o.put("unit", t.kpi().unit.wire());
      o.put("decimals", t.kpi().decimals);
      o.set("value", number(t.value()));
      o.set("target", number(t.target()));
      o.set("completion", completion(t.value(), t.target()));
      o.put("status", Status.wire(t.status()));
      alert(o, t.alarm());
      // the previous period to the same point (CONTRACT section 13), as the snapshot's kpis
      o.set("previous", number(t.previous()));
      o.set("change", number(t.change()));
    }
    for (Figures.FocusTarget t : f.focus()) {
      ObjectNode o = kpis.addObject();
      o.put("id", t.focus().id());
      o.put("unit", t.focus().unit().wire());
      o.set("value", number(t.value()));
      o.set("target", number(t.focus().target()));
      o.set("completion", completion(t.value(), t.focus().target()));
      o.put("status", Status.wire(t.status()));
      alert(o, t.alarm());
      o.set("previous", number(t.previous()));
      o.set("change", number(t.change()));
      o.put("focus", true);
      if (t.focus().text() != null) o.set("text", PlanParser.json(t.focus().text()));
      o.put("dimension", t.focus().dimension());
      o.put("key", t.focus().key());
      o.put("metric", t.focus().metric());
    }

    ArrayNode weeks = r.putArray("weeks");
    List<Totals> days = f.agg().periodDays();
    BigDecimal revenueTarget = plan.targets().get(Kpi.REVENUE.id);
    List<Phases.Phase> phases = Phases.of(f);
    int weekNo = 0;
    for (Plan.Week w : plan.weeks()) {
      Phases.Phase phase = phases.get(weekNo++);
      int from = (int) Math.max(0, ChronoUnit.DAYS.between(plan.start(), w.start()));
      int to = (int) Math.min(days.size(), ChronoUnit.DAYS.between(plan.start(), w.end()));
      Totals sum = new Totals();
      for (int d = from; d < to; d++) sum.merge(days.get(d), 1);
      ObjectNode o = weeks.addObject();
      o.put("start", w.start().toString());
      o.put("end", w.end().toString());
      if (w.owner() != null) o.set("owner", PlanParser.json(w.owner()));
      ArrayNode act = o.putArray("activities");
      w.activities().forEach(a -> act.add(PlanParser.json(a)));
      ArrayNode ms = o.putArray("milestones");
      o.put("state", phase.state());
      for (Phases.Mark m : phase.milestones()) {
        // as the snapshot's phases carry it: the server's status, never a tick by date
        ObjectNode mn = ms.addObject();
        mn.set("text", PlanParser.json(m.text()));
        mn.put("metric", m.metric());
        if (m.op() != null) mn.put("op", m.op());
        mn.set("value", number(m.value()));
        mn.set("goal", number(m.goal()));
        mn.put("status", m.status());
        if (m.done() != null) {
          mn.put("by", m.done().by()).put("at", Instant.ofEpochMilli(m.done().at()).toString());
        }
      }
      BigDecimal revenue = Kpi.money(sum.revenue());
      o.set("revenue", number(revenue));
      if (revenueTarget != null && !days.isEmpty()) {
        // The week's share of the month's revenue target, by its number of days.
        BigDecimal t = revenueTarget.multiply(BigDecimal.valueOf(Math.max(0, to - from)))
            .divide(BigDecimal.valueOf(days.size()), 2, RoundingMode.HALF_UP);
        o.set("revenueTarget", number(t));
        o.set("completion", completion(revenue, t));
      }
      o.put("orders", sum.orders());
      o.set("sessions", number(Kpi.SESSIONS.value(sum)));
      o.set("conversion", number(Kpi.CONVERSION.value(sum)));
      o.set("adSpend", number(Kpi.AD_SPEND.value(sum)));
      o.set("roi", number(Kpi.ROI.value(sum)));
    }

    ArrayNode budget = r.putArray("budget");
    for (Figures.BudgetLine b : f.budget()) {
      ObjectNode o = budget.addObject();
      o.put("category", b.category());
      Text label = plan.budgetLabels().get(b.category());
      if (label != null) o.set("label", PlanParser.json(label));
      BigDecimal allocated = Kpi.money(b.allocated());
      BigDecimal spent = Kpi.money(b.spent());
      o.set("allocated", number(allocated));
      o.set("spent", number(spent));
      o.set("completion", completion(spent, allocated));
      o.put("status", Status.wire(b.status()));
    }
    ObjectNode channels = r.putObject("channels");
    for (Map.Entry<String, ChannelSums> c : f.channels().top()) channel(channels, c.getKey(), c.getValue());
    if (f.channels().rest() != null) channel(channels, Keyed.OTHER, f.channels().rest());
    ObjectNode ads = r.putObject("adChannels");
    for (Map.Entry<String, AdChannelSums> c : f.adChannels().top()) {
      adChannel(ads, c.getKey(), c.getValue(), f.adChannelStatus(c.getValue()));
    }
    if (f.adChannels().rest() != null) {
      adChannel(ads, Keyed.OTHER, f.adChannels().rest(), f.adChannelStatus(f.adChannels().rest()));
    }
    r.set("breakdowns", section(f.agg().breakdowns(), f));
    ObjectNode campaign = r.putObject("campaign");
    for (Kpi k : Kpi.values()) campaign.set(k.id, number(k.value(f.agg().campaign())));
    ArrayNode alerts = r.putArray("alerts");
    Map<String, Rule> rules = new HashMap<>();
    for (Rule rule : Rules.derive(plan)) rules.put(rule.id(), rule);
    for (Alert a : fired) {
      ObjectNode o = (ObjectNode) node(a.toJson());
      Rule rule = rules.get(a.rule());
      if (rule != null && rule.recovering(a)) o.put("recovering", true);
      alerts.add(o);
    }
    r.set("experiments", section(f.agg().experiments(), f));
    return r;
  }

  /** A value of Vert.x JSON (an alert's) as a tree, numbers as {@link #number} writes them. */
  static JsonNode node(Object v) {
    if (v == null) return NODES.nullNode();
    if (v instanceof JsonObject o) {
      ObjectNode n = NODES.objectNode();
      for (Map.Entry<String, Object> e : o) n.set(e.getKey(), node(e.getValue()));
      return n;
    }
    if (v instanceof JsonArray a) {
      ArrayNode n = NODES.arrayNode();
      for (Object x : a) n.add(node(x));
      return n;
    }
    if (v instanceof Boolean b) return NODES.booleanNode(b);
    if (v instanceof Integer i) return NODES.numberNode(i.longValue());
    if (v instanceof Number x) return number(x);
    return NODES.textNode(v.toString());
  }

  /**
   * A section of the snapshot (breakdowns, experiments), as the same writer writes it, read back
   * from its text as decimals (through a double, 1e14 + 0.01 read 1.0000000000000002E14).
   */
  private static JsonNode section(Section s, Figures f) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      s.write(g, f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tree(out.toString());
  }

  private static void channel(ObjectNode into, String name, ChannelSums c) {
    ObjectNode o = into.putObject(name);
    o.set("revenue", number(Kpi.money(c.gross)));
    o.put("orders", c.orders);
    o.set("sessions", number(Kpi.count(c.sessions)));
    o.set("conversion", number(c.conversion()));
  }

  private static void adChannel(ObjectNode into, String name, AdChannelSums c, Status status) {
    ObjectNode o = into.putObject(name);
    o.set("spend", number(Kpi.money(c.spend)));
    o.set("attributedRevenue", number(Kpi.money(c.attributed)));
    o.set("roi", number(c.roi()));
    o.put("status", Status.wire(status));
  }

  /** value / target rounded to 4 decimals (0.9731 is 97.31 %), or null without both. */
  static JsonNode completion(Number value, BigDecimal target) {
    if (value == null || target == null || target.signum() == 0) return NODES.nullNode();
    BigDecimal v = value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
    return NODES.numberNode(plain(v.divide(target, 4, RoundingMode.HALF_UP)));
  }

  /** A catalogue value as a JSON number (decimals plain, 2800000 not 2.8E+6), or null. */
  static JsonNode number(Number n) {
    if (n == null) return NODES.nullNode();
    if (n instanceof BigDecimal d) return NODES.numberNode(plain(d));
    if (n instanceof Long l) return NODES.numberNode(l);
    if (n instanceof BigInteger b) return NODES.numberNode(b);
    return NODES.numberNode(n.doubleValue());
  }

  /** Without trailing zeros, never in exponent notation (2800000, not 2.8E+6). */
  public static BigDecimal plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  /**
   * The report as one CSV table for spreadsheets: section, item, metric, value, target,
   * completion, status, previous, change; one row per figure (KPIs, weeks, milestones and their
   * sign-offs, budget, channels, ad channels, breakdowns, alerts, experiments, annotations).
   * Numbers are plain decimals as the JSON has them (5978, never 5978.0); text cells a
   * spreadsheet would run as a formula are neutralised.
   */
  public static String csv(ObjectNode r) {
    return csv(r, "en");
  }

  /** The CSV table with milestone texts in {@code lang} (else English, else the first given). */
  public static String csv(ObjectNode r, String lang) {
    List<String[]> rows = new ArrayList<>();
    for (JsonNode k : r.get("kpis")) {
      rows.add(row("kpi", k.get("id").asText(), "value", k.get("value"), k.get("target"),
          k.get("completion"), k.path("status"), k.get("previous"), k.get("change")));
    }
    for (JsonNode w : r.get("weeks")) {
      String item = w.get("start").asText() + ".." + w.get("end").asText();
      rows.add(row("week", item, "revenue", w.get("revenue"), w.get("revenueTarget"),
          w.get("completion")));
      for (String f : List.of("orders", "sessions", "conversion", "adSpend", "roi")) {
        rows.add(row("week", item, f, w.get(f), null, null));
      }
      for (JsonNode m : w.get("milestones")) {
        String ms = text(plainText(m.path("text"), lang));
        rows.add(new String[] {"milestone", text(item), ms, cell(m.get("value")),
            cell(m.get("goal")), "", cell(m.get("status")), "", ""});
        if (m.path("by").isTextual()) {
          // who signed it off, and when: as an annotation's row, the texts in value and target
          rows.add(new String[] {"signoff", text(item), ms, text(m.get("by").asText()),
              text(m.path("at").asText()), "", "", "", ""});
        }
      }
    }
    for (JsonNode c : r.get("budget")) {
      rows.add(row("budget", c.get("category").asText(), "spent", c.get("spent"), c.get("allocated"),
          c.get("completion"), c.path("status"), null, null));
    }
    table(rows, "channel", r.get("channels"));
    table(rows, "adChannel", r.get("adChannels"));
    for (Iterator<Map.Entry<String, JsonNode>> it = r.path("breakdowns").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> d = it.next();
      for (JsonNode t : d.getValue().path("top")) {
        figures(rows, "breakdown", d.getKey() + "/" + t.path("key").asText(), t);
      }
      JsonNode other = d.getValue().path("other");
      if (counted(other)) figures(rows, "breakdown", d.getKey() + "/" + Keyed.OTHER, other);
    }
    for (JsonNode a : r.get("alerts")) {
      rows.add(row("alert", a.path("rule").asText(a.path("id").asText()),
          a.path("severity").asText(), a.get("value"), a.get("threshold"), null, a.get("state"),
          null, null));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = r.path("experiments").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> x = it.next();
      table(rows, "experiment", x.getValue().path("variants"), x.getKey() + "/");
      rows.add(row("experiment", x.getKey(), "srmPValue", x.getValue().get("srmPValue"), null, null,
          x.getValue().get("srmWarning").asBoolean() ? NODES.textNode("srm") : null, null, null));
      for (JsonNode res : x.getValue().path("results")) {
        String item = x.getKey() + "/" + res.path("variant").asText();
        JsonNode ci = res.path("ci");
        rows.add(row("experiment", item, "lift", res.get("lift"), null, null,
            res.get("decision"), null, null));
        rows.add(row("experiment", item, "ciLow", ci.isArray() ? ci.get(0) : null, null, null));
        rows.add(row("experiment", item, "ciHigh", ci.isArray() ? ci.get(1) : null, null, null));
        rows.add(row("experiment", item, "pValue", res.get("pValue"), null, null));
        rows.add(row("experiment", item, "sequentialPValue", res.get("sequentialPValue"), null, null));
      }
    }
    for (JsonNode a : r.path("annotations")) {
      String item = a.path("ts").asText() + (a.path("end").isTextual() ? ".." + a.get("end").asText() : "");
      List<String> tags = new ArrayList<>();
      a.path("tags").forEach(t -> tags.add(t.asText()));
      rows.add(new String[] {"annotation", text(item), "text", text(a.path("text").asText()),
          text(String.join(";", tags)), "", "", "", ""});
    }
    try {
      return CSV.writer(COLUMNS).writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The report as one printable HTML document in {@code lang} (zh-CN or en), every text escaped;
   * serve it with {@link #HTML_CSP}. {@code root} leads from its URL to the site's root (such as
   * "../../"), where the web font and the icon are.
   */
  public static String html(ObjectNode r, String lang, String root) {
    return ReportHtml.render(r, lang, root);
  }

  /** The Content-Security-Policy of {@link #html}: no script, its own style block. */
  public static final String HTML_CSP = ReportHtml.CSP;

  /** A plan text of the JSON as one string: the plain string, else English, else the first. */
  private static String plainText(JsonNode t, String lang) {
    if (t.isTextual()) return t.asText();
    if (t.has(lang)) return t.get(lang).asText();
    if (t.has("en")) return t.get("en").asText();
    return t.elements().hasNext() ? t.elements().next().asText() : "";
  }

  private static void table(List<String[]> rows, String section, JsonNode t) {
    table(rows, section, t, "");
  }

  private static void table(List<String[]> rows, String section, JsonNode t, String prefix) {
    for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> c = it.next();
      JsonNode status = c.getValue().get("status");
      for (Iterator<Map.Entry<String, JsonNode>> f = c.getValue().fields(); f.hasNext(); ) {
        Map.Entry<String, JsonNode> e = f.next();
        if (e.getValue().isNumber() || e.getValue().isNull()) {
          rows.add(row(section, prefix + c.getKey(), e.getKey(), e.getValue(), null, null, status,
              null, null));
        }
      }
    }
  }

  /** One row per number (or null) of {@code o}: its field is the metric. */
  private static void figures(List<String[]> rows, String section, String item, JsonNode o) {
    for (Iterator<Map.Entry<String, JsonNode>> f = o.fields(); f.hasNext(); ) {
      Map.Entry<String, JsonNode> e = f.next();
      if (e.getValue().isNumber() || e.getValue().isNull()) {
        rows.add(row(section, item, e.getKey(), e.getValue(), null, null));
      }
    }
  }

  /** Whether a breakdown's sums hold anything: orders, or (regions) sessions. */
  static boolean counted(JsonNode sums) {
    return sums.path("orders").asLong() > 0 || sums.path("sessions").asDouble() > 0;
  }

  private static String[] row(String section, String item, String metric, JsonNode value,
      JsonNode target, JsonNode completion) {
    return row(section, item, metric, value, target, completion, null, null, null);
  }

  private static String[] row(String section, String item, String metric, JsonNode value,
      JsonNode target, JsonNode completion, JsonNode status, JsonNode previous, JsonNode change) {
    return new String[] {section, text(item), metric, cell(value), cell(target), cell(completion),
        cell(status), cell(previous), cell(change)};
  }

  /** A number as plain decimal text (5978, not 5978.0), text neutralised, or empty. */
  private static String cell(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return "";
    if (n.isNumber()) return SnapshotWriter.plain(n.decimalValue());
    return text(n.asText());
  }

  /** Text a spreadsheet would run as a formula (= + - @, or a leading TAB or CR) gets a quote. */
  public static String text(String s) {
    if (s.isEmpty()) return s;
    return "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
  }

  private static JsonNode tree(String json) {
    try {
      return MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** As the snapshot's: the alert that raised the status, its rule, severity and window. */
  private static void alert(ObjectNode o, Alarm alarm) {
    if (alarm == null) return;
    ObjectNode a = o.putObject("alert");
    a.put("rule", alarm.rule());
    a.put("severity", alarm.severity().wire());
    if (alarm.window() == null) a.putNull("window");
    else a.put("window", alarm.window());
  }
}
