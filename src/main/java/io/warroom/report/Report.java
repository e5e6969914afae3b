package io.warroom.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warroom.kpi.Aggregator;
import io.warroom.kpi.Money;
import io.warroom.plan.Plan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The campaign report (GET /api/v1/report): each KPI against its target, week by week against the
 * plan's phases, budget, channel tables and the alerts that fired. KPI, channel and budget figures
 * are read from the very snapshot the dashboard shows, so they are equal to it by construction;
 * the weeks add the aggregator's per-day sums.
 */
public final class Report {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Report() {}

  /**
   * Builds the report from a snapshot (the bytes GET /api/v1/kpis answers at the same moment), the
   * aggregator it came from, and the alerts that fired (empty until an alert engine supplies them).
   */
  public static ObjectNode build(byte[] snapshot, Aggregator agg, List<JsonNode> alerts) {
    JsonNode snap;
    try {
      snap = MAPPER.readTree(snapshot);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Plan plan = agg.plan();
    ObjectNode r = MAPPER.createObjectNode();
    r.put("asOf", snap.get("asOf").asText());
    r.put("seq", snap.get("seq").asLong());
    r.set("plan", snap.get("plan"));
    r.put("final", snap.get("plan").get("elapsed").asDouble() >= 1.0);

    ArrayNode kpis = r.putArray("kpis");
    for (JsonNode k : snap.get("kpis")) {
      ObjectNode o = kpis.addObject();
      o.put("id", k.get("id").asText());
      o.set("value", k.get("value"));
      o.set("target", k.get("target"));
      o.set("completion", completion(k.get("value"), k.get("target")));
      o.set("status", k.get("status"));
    }

    ArrayNode weeks = r.putArray("weeks");
    long[][] days = agg.periodDays();
    BigDecimal revenueTarget = plan.targets().get("revenue");
    long periodDays = days.length;
    for (Plan.Week w : plan.weeks()) {
      int from = (int) Math.max(0, ChronoUnit.DAYS.between(plan.start(), w.start()));
      int to = (int) Math.min(periodDays, ChronoUnit.DAYS.between(plan.start(), w.end()));
      long[] sum = new long[6];
      for (int d = from; d < to; d++) for (int i = 0; i < 6; i++) sum[i] += days[d][i];
      ObjectNode o = weeks.addObject();
      o.put("start", w.start().toString());
      o.put("end", w.end().toString());
      if (w.owner() != null) o.put("owner", w.owner());
      ArrayNode act = o.putArray("activities");
      w.activities().forEach(act::add);
      ArrayNode ms = o.putArray("milestones");
      w.milestones().forEach(ms::add);
      o.put("revenue", new BigDecimal(Money.format(sum[0] - sum[1])));
      if (revenueTarget != null && periodDays > 0) {
        // The week's share of the month's revenue target, by its number of days.
        BigDecimal t = revenueTarget.multiply(BigDecimal.valueOf(Math.max(0, to - from)))
            .divide(BigDecimal.valueOf(periodDays), 2, RoundingMode.HALF_UP);
        t = plain(t);
        o.put("revenueTarget", t);
        o.set("completion", completion(o.get("revenue"), o.get("revenueTarget")));
      }
      o.put("orders", sum[2]);
      o.put("sessions", sum[3]);
      ratio(o, "conversion", sum[2], sum[3]);
      o.put("adSpend", new BigDecimal(Money.format(sum[4])));
      ratio(o, "roi", sum[5], sum[4]);
    }

    ArrayNode budget = r.putArray("budget");
    for (Iterator<Map.Entry<String, JsonNode>> it = snap.get("budget").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> b = it.next();
      ObjectNode o = budget.addObject();
      o.put("category", b.getKey());
      o.set("allocated", b.getValue().get("allocated"));
      o.set("spent", b.getValue().get("spent"));
      o.set("completion", completion(b.getValue().get("spent"), b.getValue().get("allocated")));
    }
    r.set("channels", snap.get("channels"));
    r.set("adChannels", snap.get("adChannels"));
    r.set("campaign", snap.get("windows").get("campaign"));
    ArrayNode fired = r.putArray("alerts");
    alerts.forEach(fired::add);
    return r;
  }

  /**
   * The alerts that fired, from GET /api/v1/alerts' shape ({@code active} and {@code history} of
   * transitions, newest first): each alert (episode id) that reached {@code firing}, once, as its
   * latest transition says (so a resolved one has its resolvedAt), oldest first.
   */
  public static List<JsonNode> fired(String alertsJson) {
    JsonNode list;
    try {
      list = MAPPER.readTree(alertsJson);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, JsonNode> latest = new java.util.LinkedHashMap<>();
    java.util.Set<String> firedIds = new java.util.HashSet<>();
    for (String part : List.of("active", "history")) {
      for (JsonNode a : list.path(part)) {
        String id = a.path("id").asText();
        latest.putIfAbsent(id, a);
        if (a.path("state").asText().equals("firing")) firedIds.add(id);
      }
    }
    List<JsonNode> out = new java.util.ArrayList<>();
    for (Map.Entry<String, JsonNode> e : latest.entrySet()) {
      if (firedIds.contains(e.getKey())) out.add(e.getValue());
    }
    out.sort(java.util.Comparator.comparing((JsonNode a) -> a.path("since").asText()));
    return out;
  }

  /** value / target rounded to 4 decimals (0.9731 is 97.31 %), or null without both. */
  static JsonNode completion(JsonNode value, JsonNode target) {
    if (value == null || target == null || value.isNull() || target.isNull()
        || target.decimalValue().signum() == 0) {
      return MAPPER.nullNode();
    }
    return MAPPER.getNodeFactory().numberNode(plain(value.decimalValue()
        .divide(target.decimalValue(), 4, RoundingMode.HALF_UP)));
  }

  /** Without trailing zeros, never in exponent notation (2800000, not 2.8E+6). */
  public static BigDecimal plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  private static void ratio(ObjectNode o, String field, long a, long b) {
    if (b == 0) o.putNull(field);
    else o.put(field, (double) a / b);
  }

  public static String json(ObjectNode report) {
    return report.toString();
  }

  /**
   * The report as one CSV table for spreadsheets: section, item, metric, value, target, completion;
   * one row per figure.
   */
  public static String csv(ObjectNode r) {
    StringBuilder b = new StringBuilder("section,item,metric,value,target,completion\n");
    for (JsonNode k : r.get("kpis")) {
      row(b, "kpi", k.get("id").asText(), "value", k.get("value"), k.get("target"), k.get("completion"));
    }
    for (JsonNode w : r.get("weeks")) {
      String item = w.get("start").asText() + ".." + w.get("end").asText();
      row(b, "week", item, "revenue", w.get("revenue"), w.get("revenueTarget"), w.get("completion"));
      for (String f : List.of("orders", "sessions", "conversion", "adSpend", "roi")) {
        row(b, "week", item, f, w.get(f), null, null);
      }
      row(b, "week", item, "milestones", MAPPER.getNodeFactory().textNode(
          String.join("; ", MAPPER.convertValue(w.get("milestones"), String[].class))), null, null);
    }
    for (JsonNode c : r.get("budget")) {
      row(b, "budget", c.get("category").asText(), "spent", c.get("spent"), c.get("allocated"),
          c.get("completion"));
    }
    table(b, "channel", r.get("channels"));
    table(b, "adChannel", r.get("adChannels"));
    for (JsonNode a : r.get("alerts")) {
      row(b, "alert", a.path("rule").asText(a.path("id").asText()), a.path("severity").asText(),
          a.get("value"), a.get("threshold"), null);
    }
    return b.toString();
  }

  private static void table(StringBuilder b, String section, JsonNode t) {
    for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> c = it.next();
      for (Iterator<Map.Entry<String, JsonNode>> f = c.getValue().fields(); f.hasNext(); ) {
        Map.Entry<String, JsonNode> e = f.next();
        row(b, section, c.getKey(), e.getKey(), e.getValue(), null, null);
      }
    }
  }

  private static void row(StringBuilder b, String section, String item, String metric,
      JsonNode value, JsonNode target, JsonNode completion) {
    b.append(cell(section)).append(',').append(cell(item)).append(',').append(cell(metric))
        .append(',').append(num(value)).append(',').append(num(target)).append(',')
        .append(num(completion)).append('\n');
  }

  private static String num(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return "";
    return n.isTextual() ? cell(n.asText()) : n.asText();
  }

  private static String cell(String s) {
    return s.isEmpty() ? s : csvCell(s);
  }

  /**
   * One CSV cell, always quoted. A cell starting with a character a spreadsheet takes for a formula
   * ({@code = + - @}, TAB or CR) gets a leading {@code '} so it is shown as text.
   */
  public static String csvCell(String s) {
    String v = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    return '"' + v.replace("\"", "\"\"") + '"';
  }
}
