package io.warroom.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warroom.measure.Kpi;
import io.warroom.plan.Plan.AlertRule;
import io.warroom.plan.Plan.Week;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes plan JSON (CONTRACT section 2); every refusal names the field. */
public final class PlanParser {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Set<String> OPS = Set.of("<", "<=", ">", ">=");
  /** The largest target or budget amount a plan may set (CONTRACT section 15). */
  public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");

  private PlanParser() {}

  public static Plan parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new PlanException("plan", "not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject()) throw new PlanException("plan", "must be a JSON object");
    return parse(root);
  }

  public static Plan parse(JsonNode root) {
    String id = text(root, "id", true);
    String name = text(root, "name", false);
    String tz = text(root, "timezone", false);
    ZoneId zone;
    try {
      zone = ZoneId.of(tz == null ? "Asia/Shanghai" : tz);
    } catch (DateTimeException e) {
      throw new PlanException("timezone", "unknown time zone '" + tz + "'");
    }
    String currency = text(root, "currency", false);
    if (currency == null) currency = "CNY";
    if (!currency.matches("[A-Z]{3}")) throw new PlanException("currency", "must be a 3-letter code");
    LocalDate start = date(root.get("start"), "start");
    LocalDate end = date(root.get("end"), "end");
    if (!end.isAfter(start)) throw new PlanException("end", "must be after start");

    List<String> online = strings(root.get("onlineChannels"), "onlineChannels");

    Map<String, BigDecimal> targets = new LinkedHashMap<>();
    JsonNode t = root.get("targets");
    if (t != null && !t.isNull()) {
      if (!t.isObject()) throw new PlanException("targets", "must be an object");
      for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = "targets." + e.getKey();
        if (!Kpi.targetIds().contains(e.getKey())) {
          throw new PlanException(field, "unknown KPI; expected one of " + Kpi.targetIds());
        }
        if (e.getValue().isNull()) continue;
        targets.put(e.getKey(), amount(e.getValue(), field));
      }
    }

    Map<String, Long> budget = new LinkedHashMap<>();
    JsonNode b = root.get("budget");
    if (b != null && !b.isNull()) {
      if (!b.isObject()) throw new PlanException("budget", "must be an object");
      for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = "budget." + e.getKey();
        if (e.getKey().isBlank()) throw new PlanException(field, "category must not be empty");
        BigDecimal amount = amount(e.getValue(), field);
        if (amount.stripTrailingZeros().scale() > 2) {
          throw new PlanException(field, "at most 2 decimals");
        }
        budget.put(e.getKey(), amount.movePointRight(2).longValueExact());
      }
    }

    List<Week> weeks = new ArrayList<>();
    JsonNode w = root.get("weeks");
    if (w != null && !w.isNull()) {
      if (!w.isArray()) throw new PlanException("weeks", "must be an array");
      for (int i = 0; i < w.size(); i++) {
        String p = "weeks[" + i + "]";
        JsonNode wk = w.get(i);
        if (!wk.isObject()) throw new PlanException(p, "must be an object");
        LocalDate ws = date(wk.get("start"), p + ".start");
        LocalDate we = date(wk.get("end"), p + ".end");
        if (!we.isAfter(ws)) throw new PlanException(p + ".end", "must be after start");
        weeks.add(new Week(ws, we, text(wk, "owner", false, p + ".owner"),
            strings(wk.get("activities"), p + ".activities"),
            strings(wk.get("milestones"), p + ".milestones")));
      }
    }

    List<AlertRule> alerts = new ArrayList<>();
    JsonNode a = root.get("alerts");
    if (a != null && !a.isNull()) {
      if (!a.isArray()) throw new PlanException("alerts", "must be an array");
      Set<String> ids = new java.util.HashSet<>();
      for (int i = 0; i < a.size(); i++) {
        String p = "alerts[" + i + "]";
        JsonNode r = a.get(i);
        if (!r.isObject()) throw new PlanException(p, "must be an object");
        String rid = text(r, "id", true, p + ".id");
        if (!ids.add(rid)) throw new PlanException(p + ".id", "duplicate rule id '" + rid + "'");
        String kpi = text(r, "kpi", true, p + ".kpi");
        if (Kpi.of(kpi) == null) {
          throw new PlanException(p + ".kpi", "unknown KPI '" + kpi + "'");
        }
        String window = text(r, "window", false, p + ".window");
        if (window == null) window = "last1h";
        if (!Kpi.WINDOWS.contains(window)) {
          throw new PlanException(p + ".window", "unknown window '" + window + "'; expected one of "
              + Kpi.WINDOWS);
        }
        String op = text(r, "op", true, p + ".op");
        if (!OPS.contains(op)) throw new PlanException(p + ".op", "must be one of <, <=, >, >=");
        double warn = number(r.get("warn"), p + ".warn").doubleValue();
        double critical = number(r.get("critical"), p + ".critical").doubleValue();
        boolean below = op.startsWith("<");
        if (below ? critical > warn : critical < warn) {
          throw new PlanException(p + ".critical", "must be " + (below ? "at or below" : "at or above")
              + " warn for op " + op);
        }
        String forText = text(r, "for", false, p + ".for");
        long forMillis = forText == null ? 0 : duration(forText, p + ".for");
        Double clear = r.hasNonNull("clear") ? nonNegative(r.get("clear"), p + ".clear").doubleValue()
            : null;
        Long minSamples = null;
        if (r.hasNonNull("minSamples")) {
          JsonNode m = r.get("minSamples");
          if (!m.isIntegralNumber() || m.asLong() < 0) {
            throw new PlanException(p + ".minSamples", "must be an integer >= 0");
          }
          minSamples = m.asLong();
        }
        alerts.add(new AlertRule(rid, kpi, window, op, warn, critical, forMillis, clear, minSamples));
      }
    }
    Double profitFloor = null;
    if (root.hasNonNull("profitFloor")) {
      BigDecimal f = nonNegative(root.get("profitFloor"), "profitFloor");
      if (f.compareTo(BigDecimal.ONE) >= 0) {
        throw new PlanException("profitFloor", "must be a gross margin below 1, such as 0.2");
      }
      profitFloor = f.doubleValue();
    }
    int staleMinutes = Plan.DEFAULT_STALE_FEED_MINUTES;
    if (root.hasNonNull("staleFeedMinutes")) {
      JsonNode m = root.get("staleFeedMinutes");
      if (!m.isIntegralNumber() || m.asLong() < 0 || m.asLong() > 1440) {
        throw new PlanException("staleFeedMinutes", "must be an integer from 0 (off) to 1440");
      }
      staleMinutes = m.asInt();
    }
    return new Plan(id, name == null ? id : name, zone, currency, start, end, List.copyOf(online),
        java.util.Collections.unmodifiableMap(targets),
        java.util.Collections.unmodifiableMap(budget), List.copyOf(weeks), List.copyOf(alerts),
        profitFloor, staleMinutes);
  }

  /** The plan as the contract's JSON. */
  public static ObjectNode toJson(Plan plan) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("id", plan.id());
    o.put("name", plan.name());
    o.put("timezone", plan.timezone().getId());
    o.put("currency", plan.currency());
    o.put("start", plan.start().toString());
    o.put("end", plan.end().toString());
    ArrayNode online = o.putArray("onlineChannels");
    plan.onlineChannels().forEach(online::add);
    ObjectNode targets = o.putObject("targets");
    plan.targets().forEach(targets::put);
    ObjectNode budget = o.putObject("budget");
    // Plain numbers (1500000, not 1.5E+6, which a JSON reader may turn into 1500000.0).
    plan.budgetCents().forEach((k, v) -> {
      BigDecimal amount = BigDecimal.valueOf(v, 2).stripTrailingZeros();
      budget.put(k, amount.scale() < 0 ? amount.setScale(0) : amount);
    });
    ArrayNode weeks = o.putArray("weeks");
    for (Week w : plan.weeks()) {
      ObjectNode wn = weeks.addObject();
      wn.put("start", w.start().toString());
      wn.put("end", w.end().toString());
      if (w.owner() != null) wn.put("owner", w.owner());
      ArrayNode act = wn.putArray("activities");
      w.activities().forEach(act::add);
      ArrayNode ms = wn.putArray("milestones");
      w.milestones().forEach(ms::add);
    }
    ArrayNode alerts = o.putArray("alerts");
    for (AlertRule r : plan.alerts()) {
      ObjectNode rn = alerts.addObject();
      rn.put("id", r.id());
      rn.put("kpi", r.kpi());
      rn.put("window", r.window());
      rn.put("op", r.op());
      rn.put("warn", r.warn());
      rn.put("critical", r.critical());
      rn.put("for", r.forMillis() % 1000 == 0 ? (r.forMillis() / 1000) + "s" : r.forMillis() + "ms");
      if (r.clear() != null) rn.put("clear", r.clear());
      if (r.minSamples() != null) rn.put("minSamples", r.minSamples());
    }
    if (plan.profitFloor() != null) o.put("profitFloor", plan.profitFloor());
    o.put("staleFeedMinutes", plan.staleFeedMinutes());
    return o;
  }

  /** "90s", "5m", "1h", "250ms", "1d" as milliseconds. */
  public static long duration(String text, String field) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) throw new PlanException(field, "must be a duration such as 30s, 5m or 1h");
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> Duration.ofSeconds(n).toMillis();
      case "m" -> Duration.ofMinutes(n).toMillis();
      case "h" -> Duration.ofHours(n).toMillis();
      default -> Duration.ofDays(n).toMillis();
    };
  }

  private static String text(JsonNode o, String name, boolean required) {
    return text(o, name, required, name);
  }

  private static String text(JsonNode o, String name, boolean required, String field) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      if (required) throw new PlanException(field, "is required");
      return null;
    }
    if (!v.isTextual()) throw new PlanException(field, "must be a string");
    if (required && v.asText().isBlank()) throw new PlanException(field, "must not be empty");
    if (v.asText().length() > 200) throw new PlanException(field, "at most 200 characters");
    return v.asText();
  }

  private static LocalDate date(JsonNode v, String field) {
    if (v == null || v.isNull()) throw new PlanException(field, "is required");
    if (!v.isTextual()) throw new PlanException(field, "must be a date such as 2026-11-01");
    try {
      return LocalDate.parse(v.asText());
    } catch (DateTimeException e) {
      throw new PlanException(field, "must be a date such as 2026-11-01");
    }
  }

  private static List<String> strings(JsonNode v, String field) {
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) return out;
    if (!v.isArray()) throw new PlanException(field, "must be an array of strings");
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) throw new PlanException(field + "[" + i + "]", "must be a string");
      out.add(v.get(i).asText());
    }
    return out;
  }

  private static BigDecimal number(JsonNode v, String field) {
    if (v == null || v.isNull()) throw new PlanException(field, "is required");
    if (!v.isNumber()) throw new PlanException(field, "must be a number");
    return v.decimalValue();
  }

  /** A target or budget amount: from 0 to {@link #MAX_AMOUNT}. */
  private static BigDecimal amount(JsonNode v, String field) {
    BigDecimal n = nonNegative(v, field);
    if (n.compareTo(MAX_AMOUNT) > 0) throw new PlanException(field, "must be at most 1000000000000");
    return n;
  }

  private static BigDecimal nonNegative(JsonNode v, String field) {
    BigDecimal n = number(v, field);
    if (n.signum() < 0) throw new PlanException(field, "must be >= 0");
    return n;
  }
}
