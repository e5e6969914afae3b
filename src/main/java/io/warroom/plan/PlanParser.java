package io.warroom.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warroom.ingest.ValidText;
import io.warroom.measure.Kpi;
import io.warroom.plan.Plan.AlertRule;
import io.warroom.plan.Plan.Experiment;
import io.warroom.plan.Plan.Focus;
import io.warroom.plan.Plan.Hook;
import io.warroom.plan.Plan.MarketRow;
import io.warroom.plan.Plan.Meeting;
import io.warroom.plan.Plan.Milestone;
import io.warroom.plan.Plan.Risk;
import io.warroom.plan.Plan.SignOff;
import io.warroom.plan.Plan.Strategy;
import io.warroom.plan.Plan.Team;
import io.warroom.plan.Plan.Week;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes plan JSON (CONTRACT sections 2, 9 to 15); every refusal names the field. A plan
 * stays within the limits of section 15, so that no plan can make the server slow or the snapshot
 * large.
 */
public final class PlanParser {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(32).maxNumberLength(100).maxStringLength(100_000).build());
  }
  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
  private static final Set<String> OPS = Set.of("<", "<=", ">", ">=");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}");
  private static final Pattern COUNTER = Pattern.compile("[a-z0-9_.-]{1,64}");

  /** The largest target or budget amount a plan may set (CONTRACT section 15). */
  public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");
  public static final int MAX_DAYS = 366;
  public static final int MAX_WEEKS = 60;
  public static final int MAX_RULES = 500;
  public static final int MAX_FOCUS = 100;
  public static final int MAX_EXPERIMENTS = 20;
  public static final int MAX_TEAMS = 50;
  /** Beyond section 15, so the snapshot stays small: budget lines, and items of lists of texts. */
  public static final int MAX_BUDGET_LINES = 50;
  public static final int MAX_ITEMS = 50;
  public static final int MAX_VARIANTS = 8;
  public static final int MAX_HOOKS = 10;
  /** Code points of a short text (names, activities, milestones) and of a long one (runbooks). */
  public static final int SHORT_TEXT = 200;
  public static final int LONG_TEXT = 1000;
  public static final Set<String> DIMENSIONS = Set.of("sku", "productCategory", "region", "segment",
      "tag");
  public static final Set<String> FOCUS_METRICS = Set.of("revenue", "orders", "units", "share");
  public static final Set<String> FORMATS = Set.of("json", "wecom", "dingtalk", "feishu", "slack");
  /** The formats whose robots can require signed posts (a secret). */
  private static final Set<String> SIGNED_FORMATS = Set.of("dingtalk", "feishu");
  public static final Set<String> LANGUAGES = Set.of("zh-CN", "en");

  private PlanParser() {}

  public static Plan parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new PlanException("plan", "not valid JSON (" + e.getOriginalMessage() + ")",
          "不是有效的 JSON（" + e.getOriginalMessage() + "）");
    }
    if (root == null || !root.isObject()) {
      throw new PlanException("plan", "must be a JSON object", "必须是 JSON 对象");
    }
    return parse(root);
  }

  public static Plan parse(JsonNode root) {
    String id = id(root, "id", "id");
    Text name = text(root.get("name"), "name", SHORT_TEXT, false);
    String tz = string(root, "timezone", false, "timezone");
    ZoneId zone;
    try {
      zone = ZoneId.of(tz == null ? "Asia/Shanghai" : tz);
    } catch (DateTimeException e) {
      throw new PlanException("timezone", "unknown time zone '" + clip(tz) + "'",
          "未知时区“" + clip(tz) + "”");
    }
    String currency = string(root, "currency", false, "currency");
    if (currency == null) currency = "CNY";
    if (!currency.matches("[A-Z]{3}")) {
      throw new PlanException("currency", "must be a 3-letter code", "必须是 3 位字母代码");
    }
    String language = string(root, "language", false, "language");
    if (language != null && !LANGUAGES.contains(language)) {
      throw new PlanException("language", "must be zh-CN or en", "必须是 zh-CN 或 en");
    }
    LocalDate start = date(root.get("start"), "start");
    LocalDate end = date(root.get("end"), "end");
    if (!end.isAfter(start)) throw new PlanException("end", "must be after start", "必须晚于开始时间");
    if (ChronoUnit.DAYS.between(start, end) > MAX_DAYS) {
      throw new PlanException("end", "a plan's period is at most " + MAX_DAYS + " days",
          "计划周期最长 " + MAX_DAYS + " 天");
    }
    Plan.Period previous = null;
    JsonNode pv = root.get("previous");
    if (pv != null && !pv.isNull()) {
      if (!pv.isObject()) {
        throw new PlanException("previous", "must be an object with start and end",
            "必须是包含 start 和 end 的对象");
      }
      LocalDate ps = date(pv.get("start"), "previous.start");
      LocalDate pe = date(pv.get("end"), "previous.end");
      if (!pe.isAfter(ps)) {
        throw new PlanException("previous.end", "must be after start", "必须晚于开始时间");
      }
      if (ChronoUnit.DAYS.between(ps, pe) > MAX_DAYS) {
        throw new PlanException("previous.end", "a period is at most " + MAX_DAYS + " days",
            "周期最长 " + MAX_DAYS + " 天");
      }
      if (pe.isAfter(start)) throw new PlanException("previous.end", "must not be after the plan's start",
          "不能晚于计划的开始时间");
      previous = new Plan.Period(ps, pe);
    }

    List<String> online = list(root.get("onlineChannels"), "onlineChannels", 100,
        (v, f) -> string(v, f, SHORT_TEXT));

    Map<String, BigDecimal> targets = new LinkedHashMap<>();
    Map<String, BigDecimal> growth = new LinkedHashMap<>();
    JsonNode t = root.get("targets");
    if (t != null && !t.isNull()) {
      if (!t.isObject()) throw new PlanException("targets", "must be an object", "必须是对象");
      for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = "targets." + e.getKey();
        if (!Kpi.targetIds().contains(e.getKey())) {
          throw new PlanException(clip(field), "unknown KPI; expected one of " + Kpi.targetIds(),
              "未知 KPI，应为以下之一：" + Kpi.targetIds());
        }
        JsonNode v = e.getValue();
        if (v.isNull()) continue;
        if (v.isObject()) {
          if (v.size() != 1 || !v.has("growth")) {
            throw new PlanException(field, "a relative target is {\"growth\": 0.05}",
                "相对目标的写法为 {\"growth\": 0.05}");
          }
          BigDecimal g = number(v.get("growth"), field + ".growth");
          if (g.compareTo(BigDecimal.valueOf(-1)) < 0 || g.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new PlanException(field + ".growth", "must be from -1 to 100", "必须在 -1 到 100 之间");
          }
          growth.put(e.getKey(), g);
        } else {
          targets.put(e.getKey(), amount(v, field));
        }
      }
    }

    Map<String, Long> budget = new LinkedHashMap<>();
    JsonNode b = root.get("budget");
    if (b != null && !b.isNull()) {
      if (!b.isObject()) throw new PlanException("budget", "must be an object", "必须是对象");
      if (b.size() > MAX_BUDGET_LINES) {
        throw new PlanException("budget", "at most " + MAX_BUDGET_LINES + " categories",
            "最多 " + MAX_BUDGET_LINES + " 个类目");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = "budget." + clip(e.getKey());
        if (e.getKey().isBlank()) throw new PlanException(field, "category must not be empty",
            "类目不能为空");
        checkText(e.getKey(), field, 64);
        BigDecimal amount = amount(e.getValue(), field);
        if (amount.stripTrailingZeros().scale() > 2) {
          throw new PlanException(field, "at most 2 decimals", "最多两位小数");
        }
        budget.put(e.getKey(), amount.movePointRight(2).longValueExact());
      }
    }
    Map<String, Text> labels = new LinkedHashMap<>();
    JsonNode bl = root.get("budgetLabels");
    if (bl != null && !bl.isNull()) {
      if (!bl.isObject()) throw new PlanException("budgetLabels", "must be an object", "必须是对象");
      for (Iterator<Map.Entry<String, JsonNode>> it = bl.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = "budgetLabels." + clip(e.getKey());
        Text label = text(e.getValue(), field, SHORT_TEXT, true);
        // A label of a category the budget no longer has is dropped.
        if (budget.containsKey(e.getKey())) labels.put(e.getKey(), label);
      }
    }

    List<Focus> focus = list(root.get("focus"), "focus", MAX_FOCUS, PlanParser::focus);
    Set<String> focusIds = unique(focus, Focus::id, "focus", "duplicate id", "重复的 id");

    List<Week> weeks = list(root.get("weeks"), "weeks", MAX_WEEKS, (w, p) -> week(w, p, focusIds));

    List<Team> teams = list(root.get("teams"), "teams", MAX_TEAMS, PlanParser::team);
    Set<String> teamIds = unique(teams, Team::id, "teams", "duplicate id", "重复的 id");

    List<AlertRule> alerts = list(root.get("alerts"), "alerts", MAX_RULES,
        (r, p) -> rule(r, p, focusIds, teamIds));
    unique(alerts, AlertRule::id, "alerts", "duplicate rule id", "重复的规则 id");

    Map<String, String> owners = new LinkedHashMap<>();
    JsonNode ow = root.get("owners");
    if (ow != null && !ow.isNull()) {
      if (!ow.isObject()) throw new PlanException("owners", "must be an object", "必须是对象");
      if (ow.size() > MAX_RULES + 100) {
        throw new PlanException("owners", "too many entries", "条目过多");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = ow.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = "owners." + clip(e.getKey());
        checkText(e.getKey(), field, 64);
        String team = string(e.getValue(), field, 64);
        if (!teamIds.contains(team)) throw new PlanException(field, "no team '" + clip(team) + "'",
            "不存在团队“" + clip(team) + "”");
        owners.put(e.getKey(), team);
      }
    }

    List<Experiment> experiments = list(root.get("experiments"), "experiments", MAX_EXPERIMENTS,
        PlanParser::experiment);
    unique(experiments, Experiment::id, "experiments", "duplicate id", "重复的 id");
    List<Risk> risks = list(root.get("risks"), "risks", MAX_ITEMS, PlanParser::risk);
    unique(risks, Risk::id, "risks", "duplicate id", "重复的 id");
    List<Strategy> strategies = list(root.get("strategies"), "strategies", MAX_ITEMS,
        PlanParser::strategy);
    List<MarketRow> market = list(root.get("market"), "market", MAX_ITEMS,
        (m, p) -> {
          object(m, p);
          return new MarketRow(text(m.get("dimension"), p + ".dimension", SHORT_TEXT, true),
              text(m.get("finding"), p + ".finding", LONG_TEXT, false),
              text(m.get("target"), p + ".target", LONG_TEXT, false));
        });
    List<Text> evaluation = list(root.get("evaluation"), "evaluation", MAX_ITEMS,
        (v, p) -> text(v, p, LONG_TEXT, true));
    List<Plan.KpiRow> kpiTable = list(root.get("kpiTable"), "kpiTable", MAX_ITEMS,
        (m, p) -> {
          object(m, p);
          String kpi = null;
          if (m.hasNonNull("kpi")) {
            if (!m.get("kpi").isTextual() || Kpi.of(m.get("kpi").asText()) == null) {
              throw new PlanException(p + ".kpi", "must be the id of a KPI, such as revenue",
                  "必须是 KPI 的 id，如 revenue");
            }
            kpi = m.get("kpi").asText();
          }
          return new Plan.KpiRow(kpi, text(m.get("name"), p + ".name", SHORT_TEXT, true),
              text(m.get("goal"), p + ".goal", SHORT_TEXT, false));
        });

    Double profitFloor = null;
    if (root.hasNonNull("profitFloor")) {
      BigDecimal f = nonNegative(root.get("profitFloor"), "profitFloor");
      if (f.compareTo(BigDecimal.ONE) >= 0) {
        throw new PlanException("profitFloor", "must be a gross margin below 1, such as 0.2",
            "必须是小于 1 的毛利率，如 0.2");
      }
      profitFloor = f.doubleValue();
    }
    int staleMinutes = minutes(root, "staleFeedMinutes", Plan.DEFAULT_STALE_FEED_MINUTES,
        "must be an integer from 0 (off) to 1440", "必须是 0（关闭）到 1440 之间的整数");
    int leadMinutes = minutes(root, "digestLeadMinutes", Plan.DEFAULT_DIGEST_LEAD_MINUTES,
        "must be an integer from 0 to 1440", "必须是 0 到 1440 之间的整数");
    Plan plan = Plan.builder(id, name == null ? Text.of(id) : name, zone, currency, start, end)
        .language(language).previous(previous).onlineChannels(online).targets(targets)
        .growth(growth).budgetCents(budget).budgetLabels(labels).weeks(weeks).alerts(alerts)
        .owners(owners).focus(focus).experiments(experiments).teams(teams).risks(risks)
        .strategies(strategies).market(market).evaluation(evaluation).kpiTable(kpiTable)
        .profitFloor(profitFloor)
        .staleFeedMinutes(staleMinutes).digestLeadMinutes(leadMinutes).build();
    WallBytes.check(plan);
    return plan;
  }

  private static Week week(JsonNode wk, String p, Set<String> focusIds) {
    object(wk, p);
    LocalDate ws = date(wk.get("start"), p + ".start");
    LocalDate we = date(wk.get("end"), p + ".end");
    if (!we.isAfter(ws)) throw new PlanException(p + ".end", "must be after start", "必须晚于开始时间");
    return new Week(ws, we, text(wk.get("owner"), p + ".owner", SHORT_TEXT, false),
        list(wk.get("activities"), p + ".activities", 20, (v, f) -> text(v, f, SHORT_TEXT, true)),
        list(wk.get("milestones"), p + ".milestones", 10, (v, f) -> milestone(v, f, focusIds)));
  }

  private static Milestone milestone(JsonNode m, String p, Set<String> focusIds) {
    if (m == null || m.isNull()) throw new PlanException(p, "is required", "必填");
    // A text (a string or an object of languages), or an object with a "text" of its own.
    if (m.isTextual() || m.isObject() && !m.has("text")) {
      if (m.isObject() && (m.has("metric") || m.has("done"))) {
        throw new PlanException(p + ".text", "is required", "必填");
      }
      return Milestone.text(text(m, p, SHORT_TEXT, true));
    }
    object(m, p);
    Text text = text(m.get("text"), p + ".text", SHORT_TEXT, true);
    SignOff done = null;
    JsonNode d = m.get("done");
    if (d != null && !d.isNull()) {
      object(d, p + ".done");
      String by = string(d, "by", true, p + ".done.by");
      checkText(by, p + ".done.by", SHORT_TEXT);
      String at = string(d, "at", true, p + ".done.at");
      try {
        done = new SignOff(by, Instant.parse(at).toEpochMilli());
      } catch (DateTimeException e) {
        throw new PlanException(p + ".done.at", "must be an instant such as 2026-11-07T18:00:00Z",
            "必须是时间点，如 2026-11-07T18:00:00Z");
      }
    }
    String metric = string(m, "metric", false, p + ".metric");
    if (metric == null) return new Milestone(text, null, null, null, null, null, done);
    if (done != null) throw new PlanException(p + ".done", "a measured milestone is not signed off",
        "按指标衡量的里程碑不能签核");
    if (Kpi.of(metric) == null && !focusIds.contains(metric)
        && !(metric.startsWith("counter:") && COUNTER.matcher(metric.substring(8)).matches())) {
      throw new PlanException(p + ".metric", "unknown metric '" + clip(metric)
          + "'; a KPI id, counter:<name> or a focus target's id",
          "未知指标“" + clip(metric) + "”，应为 KPI 的 id、counter:<name> 或重点目标的 id");
    }
    String window = string(m, "window", false, p + ".window");
    if (window == null) window = "week";
    if (!window.equals("week") && !window.equals("campaign")) {
      throw new PlanException(p + ".window", "must be week or campaign", "必须是 week 或 campaign");
    }
    String op = string(m, "op", false, p + ".op");
    if (op == null) op = ">=";
    if (!OPS.contains(op)) {
      throw new PlanException(p + ".op", "must be one of <, <=, >, >=", "必须是 <、<=、>、>= 之一");
    }
    JsonNode v = m.get("value");
    if (v != null && v.isObject()) {
      if (v.size() != 1 || !v.has("growth")) {
        throw new PlanException(p + ".value", "a number, or relative: {\"growth\": 0.05}",
            "必须是数字，或相对值 {\"growth\": 0.05}");
      }
      BigDecimal g = number(v.get("growth"), p + ".value.growth");
      if (g.compareTo(BigDecimal.valueOf(-1)) < 0 || g.compareTo(BigDecimal.valueOf(100)) > 0) {
        throw new PlanException(p + ".value.growth", "must be from -1 to 100", "必须在 -1 到 100 之间");
      }
      return new Milestone(text, metric, window, op, null, g, null);
    }
    BigDecimal goal = number(v, p + ".value");
    if (goal.abs().compareTo(MAX_AMOUNT) > 0) {
      throw new PlanException(p + ".value", "must be at most 1000000000000", "不能超过 1000000000000");
    }
    return new Milestone(text, metric, window, op, goal, null, null);
  }

  private static AlertRule rule(JsonNode r, String p, Set<String> focusIds, Set<String> teamIds) {
    object(r, p);
    String rid = id(r, "id", p + ".id");
    String kpi = string(r, "kpi", true, p + ".kpi");
    if (Kpi.of(kpi) == null && !focusIds.contains(kpi)) {
      throw new PlanException(p + ".kpi", "unknown KPI '" + clip(kpi) + "'",
          "未知 KPI“" + clip(kpi) + "”");
    }
    String window = string(r, "window", false, p + ".window");
    if (window == null) window = "last1h";
    if (!Kpi.WINDOWS.contains(window)) {
      throw new PlanException(p + ".window", "unknown window '" + clip(window)
          + "'; expected one of " + Kpi.WINDOWS,
          "未知时间窗口“" + clip(window) + "”，应为以下之一：" + Kpi.WINDOWS);
    }
    // Breakdowns are kept for the campaign only: a focus rule reads, and says, the campaign.
    if (Kpi.of(kpi) == null) window = "campaign";
    String op = string(r, "op", true, p + ".op");
    if (!OPS.contains(op)) {
      throw new PlanException(p + ".op", "must be one of <, <=, >, >=", "必须是 <、<=、>、>= 之一");
    }
    double warn = finite(r.get("warn"), p + ".warn");
    double critical = finite(r.get("critical"), p + ".critical");
    boolean below = op.startsWith("<");
    if (below ? critical > warn : critical < warn) {
      throw new PlanException(p + ".critical", "must be " + (below ? "at or below" : "at or above")
          + " warn for op " + op,
          "必须" + (below ? "不高于" : "不低于") + " warn（运算符为 " + op + "）");
    }
    String forText = string(r, "for", false, p + ".for");
    long forMillis = forText == null ? 0 : duration(forText, p + ".for");
    Double clear = r.hasNonNull("clear") ? finite(r.get("clear"), p + ".clear") : null;
    if (clear != null && clear < 0) throw new PlanException(p + ".clear", "must be >= 0", "不能小于 0");
    Long minSamples = null;
    if (r.hasNonNull("minSamples")) {
      JsonNode m = r.get("minSamples");
      if (!m.isIntegralNumber() || !m.canConvertToLong() || m.asLong() < 0) {
        throw new PlanException(p + ".minSamples", "must be an integer >= 0",
            "必须是不小于 0 的整数");
      }
      minSamples = m.asLong();
    }
    String owner = string(r, "owner", false, p + ".owner");
    if (owner != null && !teamIds.contains(owner)) {
      throw new PlanException(p + ".owner", "no team '" + clip(owner) + "'",
          "不存在团队“" + clip(owner) + "”");
    }
    Text runbook = text(r.get("runbook"), p + ".runbook", LONG_TEXT, false);
    return new AlertRule(rid, kpi, window, op, warn, critical, forMillis, clear, minSamples, owner,
        runbook);
  }

  private static Focus focus(JsonNode f, String p) {
    object(f, p);
    String id = id(f, "id", p + ".id");
    if (Kpi.of(id) != null) throw new PlanException(p + ".id", "'" + id + "' is a KPI's id",
        "“" + id + "”已是 KPI 的 id");
    String dimension = string(f, "dimension", true, p + ".dimension");
    if (!DIMENSIONS.contains(dimension)) {
      throw new PlanException(p + ".dimension", "must be one of " + new TreeSet<>(DIMENSIONS),
          "必须是以下之一：" + new TreeSet<>(DIMENSIONS));
    }
    String key = string(f, "key", true, p + ".key");
    checkText(key, p + ".key", SHORT_TEXT);
    String metric = string(f, "metric", false, p + ".metric");
    if (metric == null) metric = "revenue";
    if (!FOCUS_METRICS.contains(metric)) {
      throw new PlanException(p + ".metric", "must be one of revenue, orders, units, share",
          "必须是 revenue、orders、units、share 之一");
    }
    BigDecimal target = f.hasNonNull("target") ? amount(f.get("target"), p + ".target") : null;
    if (metric.equals("share") && target != null && target.compareTo(BigDecimal.ONE) > 0) {
      throw new PlanException(p + ".target", "a share is at most 1", "占比不能超过 1");
    }
    return new Focus(id, text(f.get("text"), p + ".text", SHORT_TEXT, false), dimension, key, metric,
        target);
  }

  private static Experiment experiment(JsonNode x, String p) {
    object(x, p);
    String id = id(x, "id", p + ".id");
    List<String> variants = list(x.get("variants"), p + ".variants", MAX_VARIANTS,
        (v, f) -> string(v, f, 64));
    if (variants.size() < 2) throw new PlanException(p + ".variants", "at least two variants",
        "至少需要两个变体");
    if (new HashSet<>(variants).size() != variants.size()) {
      throw new PlanException(p + ".variants", "variants must differ", "变体不能重复");
    }
    String control = string(x, "control", false, p + ".control");
    if (control == null) control = variants.get(0);
    if (!variants.contains(control)) {
      throw new PlanException(p + ".control", "must be one of the variants", "必须是其中一个变体");
    }
    List<Double> split = new ArrayList<>();
    JsonNode s = x.get("split");
    if (s == null || s.isNull()) {
      for (int i = 0; i < variants.size(); i++) split.add(1.0 / variants.size());
    } else {
      List<BigDecimal> shares = list(s, p + ".split", MAX_VARIANTS, (v, f) -> number(v, f));
      if (shares.size() != variants.size()) {
        throw new PlanException(p + ".split", "one share per variant", "每个变体需要一个占比");
      }
      BigDecimal total = BigDecimal.ZERO;
      for (int i = 0; i < shares.size(); i++) {
        if (shares.get(i).signum() <= 0) {
          throw new PlanException(p + ".split[" + i + "]", "must be > 0", "必须大于 0");
        }
        total = total.add(shares.get(i));
      }
      if (total.subtract(BigDecimal.ONE).abs().compareTo(new BigDecimal("0.001")) > 0) {
        throw new PlanException(p + ".split", "the shares must add up to 1", "各占比之和必须为 1");
      }
      for (BigDecimal share : shares) split.add(share.doubleValue());
    }
    return new Experiment(id, text(x.get("text"), p + ".text", SHORT_TEXT, false), variants, control,
        split);
  }

  private static Team team(JsonNode t, String p) {
    object(t, p);
    String id = id(t, "id", p + ".id");
    Meeting meeting = null;
    JsonNode m = t.get("meeting");
    if (m != null && !m.isNull()) {
      object(m, p + ".meeting");
      String day = string(m, "day", true, p + ".meeting.day");
      DayOfWeek dow = null;
      for (DayOfWeek d : DayOfWeek.values()) {
        if (d.name().substring(0, 3).equalsIgnoreCase(day)) dow = d;
      }
      if (dow == null) {
        throw new PlanException(p + ".meeting.day", "must be mon, tue, wed, thu, fri, sat or sun",
            "必须是 mon、tue、wed、thu、fri、sat 或 sun");
      }
      String time = string(m, "time", true, p + ".meeting.time");
      LocalTime at;
      try {
        if (!time.matches("\\d{2}:\\d{2}")) throw new DateTimeException(time);
        at = LocalTime.parse(time);
      } catch (DateTimeException e) {
        throw new PlanException(p + ".meeting.time", "must be a time of day such as 16:00",
            "必须是时刻，如 16:00");
      }
      meeting = new Meeting(dow, at);
    }
    List<Hook> hooks = list(t.get("webhooks"), p + ".webhooks", MAX_HOOKS, (h, f) -> {
      object(h, f);
      String url = string(h, "url", true, f + ".url");
      try {
        URI u = new URI(url);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
          throw new PlanException(f + ".url", "must be an http(s) URL", "必须是 http(s) 网址");
        }
      } catch (URISyntaxException e) {
        throw new PlanException(f + ".url", "must be an http(s) URL", "必须是 http(s) 网址");
      }
      if (url.length() > 2000) throw new PlanException(f + ".url", "at most 2000 characters",
          "最多 2000 个字符");
      String format = string(h, "format", false, f + ".format");
      if (format == null) format = "json";
      if (!FORMATS.contains(format)) {
        throw new PlanException(f + ".format", "must be one of json, wecom, dingtalk, feishu, slack",
            "必须是 json、wecom、dingtalk、feishu、slack 之一");
      }
      String secret = string(h, "secret", false, f + ".secret");
      if (secret != null) {
        if (!SIGNED_FORMATS.contains(format)) {
          throw new PlanException(f + ".secret", "only dingtalk and feishu robots sign their posts",
              "只有钉钉（dingtalk）和飞书（feishu）机器人支持加签");
        }
        if (!secret.matches("[\\x21-\\x7e]{1,200}")) {
          throw new PlanException(f + ".secret", "must be 1 to 200 printable ASCII characters "
              + "without spaces, as the robot's security settings show it",
              "必须是 1 到 200 个不含空格的可打印 ASCII 字符，与机器人安全设置中显示的一致");
        }
      }
      return new Hook(url, format, secret);
    });
    // A team's own lead, else the plan's.
    Integer lead = t.hasNonNull("digestLeadMinutes") ? minutes(t, "digestLeadMinutes", 0,
        p + ".digestLeadMinutes", "must be an integer from 0 to 1440",
        "必须是 0 到 1440 之间的整数") : null;
    return new Team(id, text(t.get("name"), p + ".name", SHORT_TEXT, false),
        text(t.get("duties"), p + ".duties", LONG_TEXT, false), meeting,
        text(t.get("schedule"), p + ".schedule", SHORT_TEXT, false), hooks, lead);
  }

  private static Risk risk(JsonNode r, String p) {
    object(r, p);
    return new Risk(id(r, "id", p + ".id"), text(r.get("text"), p + ".text", SHORT_TEXT, true),
        text(r.get("impact"), p + ".impact", LONG_TEXT, false),
        text(r.get("response"), p + ".response", LONG_TEXT, false),
        list(r.get("rules"), p + ".rules", MAX_ITEMS, (v, f) -> string(v, f, 64)));
  }

  private static Strategy strategy(JsonNode s, String p) {
    object(s, p);
    return new Strategy(text(s.get("text"), p + ".text", SHORT_TEXT, true),
        list(s.get("measures"), p + ".measures", 20, (v, f) -> text(v, f, LONG_TEXT, true)),
        text(s.get("department"), p + ".department", SHORT_TEXT, false),
        text(s.get("effect"), p + ".effect", LONG_TEXT, false));
  }

  /** The plan as the contract's JSON. */
  public static ObjectNode toJson(Plan plan) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("id", plan.id());
    o.set("name", json(plan.name()));
    o.put("timezone", plan.timezone().getId());
    o.put("currency", plan.currency());
    o.put("language", plan.language());
    o.put("start", plan.start().toString());
    o.put("end", plan.end().toString());
    if (plan.previous() != null) {
      o.putObject("previous").put("start", plan.previous().start().toString())
          .put("end", plan.previous().end().toString());
    }
    ArrayNode online = o.putArray("onlineChannels");
    plan.onlineChannels().forEach(online::add);
    ObjectNode targets = o.putObject("targets");
    plan.targets().forEach((k, v) -> targets.put(k, plain(v)));
    plan.growth().forEach((k, v) -> targets.putObject(k).put("growth", plain(v)));
    ObjectNode budget = o.putObject("budget");
    // Plain numbers (1500000, not 1.5E+6, which a JSON reader may turn into 1500000.0).
    plan.budgetCents().forEach((k, v) -> budget.put(k, plain(BigDecimal.valueOf(v, 2))));
    if (!plan.budgetLabels().isEmpty()) {
      ObjectNode labels = o.putObject("budgetLabels");
      plan.budgetLabels().forEach((k, v) -> labels.set(k, json(v)));
    }
    ArrayNode weeks = o.putArray("weeks");
    for (Week w : plan.weeks()) {
      ObjectNode wn = weeks.addObject();
      wn.put("start", w.start().toString());
      wn.put("end", w.end().toString());
      if (w.owner() != null) wn.set("owner", json(w.owner()));
      ArrayNode act = wn.putArray("activities");
      w.activities().forEach(a -> act.add(json(a)));
      ArrayNode ms = wn.putArray("milestones");
      for (Milestone m : w.milestones()) {
        if (!m.measured() && m.done() == null) {
          ms.add(json(m.text()));
          continue;
        }
        ObjectNode mn = ms.addObject();
        mn.set("text", json(m.text()));
        if (m.measured()) {
          mn.put("metric", m.metric());
          mn.put("window", m.window());
          mn.put("op", m.op());
          if (m.growth() != null) mn.putObject("value").put("growth", plain(m.growth()));
          else mn.put("value", plain(m.goal()));
        }
        if (m.done() != null) {
          mn.putObject("done").put("by", m.done().by())
              .put("at", Instant.ofEpochMilli(m.done().at()).toString());
        }
      }
    }
    ArrayNode alerts = o.putArray("alerts");
    for (AlertRule r : plan.alerts()) {
      ObjectNode rn = alerts.addObject();
      rn.put("id", r.id());
      rn.put("kpi", r.kpi());
      rn.put("window", r.window());
      rn.put("op", r.op());
      rn.put("warn", r.warn());
      if (r.critical() != null) rn.put("critical", r.critical());
      rn.put("for", r.forMillis() % 1000 == 0 ? (r.forMillis() / 1000) + "s" : r.forMillis() + "ms");
      if (r.clear() != null) rn.put("clear", r.clear());
      if (r.minSamples() != null) rn.put("minSamples", r.minSamples());
      if (r.owner() != null) rn.put("owner", r.owner());
      if (r.runbook() != null) rn.set("runbook", json(r.runbook()));
    }
    if (!plan.owners().isEmpty()) {
      ObjectNode owners = o.putObject("owners");
      plan.owners().forEach(owners::put);
    }
    if (!plan.focus().isEmpty()) {
      ArrayNode a = o.putArray("focus");
      for (Focus x : plan.focus()) {
        ObjectNode n = a.addObject().put("id", x.id());
        if (x.text() != null) n.set("text", json(x.text()));
        n.put("dimension", x.dimension()).put("key", x.key()).put("metric", x.metric());
        if (x.target() != null) n.put("target", plain(x.target()));
      }
    }
    if (!plan.experiments().isEmpty()) {
      ArrayNode a = o.putArray("experiments");
      for (Experiment x : plan.experiments()) {
        ObjectNode n = a.addObject().put("id", x.id());
        if (x.text() != null) n.set("text", json(x.text()));
        ArrayNode v = n.putArray("variants");
        x.variants().forEach(v::add);
        n.put("control", x.control());
        ArrayNode s = n.putArray("split");
        x.split().forEach(s::add);
      }
    }
    if (!plan.teams().isEmpty()) {
      ArrayNode a = o.putArray("teams");
      for (Team x : plan.teams()) {
        ObjectNode n = a.addObject().put("id", x.id());
        if (x.name() != null) n.set("name", json(x.name()));
        if (x.duties() != null) n.set("duties", json(x.duties()));
        if (x.meeting() != null) {
          n.putObject("meeting")
              .put("day", x.meeting().day().name().substring(0, 3).toLowerCase(Locale.ROOT))
              .put("time", x.meeting().time().toString());
        }
        if (x.schedule() != null) n.set("schedule", json(x.schedule()));
        if (x.digestLeadMinutes() != null) n.put("digestLeadMinutes", x.digestLeadMinutes());
        ArrayNode h = n.putArray("webhooks");
        for (Hook hook : x.webhooks()) {
          ObjectNode w = h.addObject().put("url", hook.url()).put("format", hook.format());
          if (hook.secret() != null) w.put("secret", hook.secret());
        }
      }
    }
    if (!plan.risks().isEmpty()) {
      ArrayNode a = o.putArray("risks");
      for (Risk x : plan.risks()) {
        ObjectNode n = a.addObject().put("id", x.id());
        n.set("text", json(x.text()));
        if (x.impact() != null) n.set("impact", json(x.impact()));
        if (x.response() != null) n.set("response", json(x.response()));
        ArrayNode r = n.putArray("rules");
        x.rules().forEach(r::add);
      }
    }
    if (!plan.strategies().isEmpty()) {
      ArrayNode a = o.putArray("strategies");
      for (Strategy x : plan.strategies()) {
        ObjectNode n = a.addObject();
        n.set("text", json(x.text()));
        ArrayNode m = n.putArray("measures");
        x.measures().forEach(t -> m.add(json(t)));
        if (x.department() != null) n.set("department", json(x.department()));
        if (x.effect() != null) n.set("effect", json(x.effect()));
      }
    }
    if (!plan.market().isEmpty()) {
      ArrayNode a = o.putArray("market");
      for (MarketRow x : plan.market()) {
        ObjectNode n = a.addObject();
        n.set("dimension", json(x.dimension()));
        if (x.finding() != null) n.set("finding", json(x.finding()));
        if (x.target() != null) n.set("target", json(x.target()));
      }
    }
    if (!plan.evaluation().isEmpty()) {
      ArrayNode a = o.putArray("evaluation");
      plan.evaluation().forEach(t -> a.add(json(t)));
    }
    if (!plan.kpiTable().isEmpty()) {
      ArrayNode a = o.putArray("kpiTable");
      for (Plan.KpiRow x : plan.kpiTable()) {
        ObjectNode n = a.addObject();
        if (x.kpi() != null) n.put("kpi", x.kpi());
        n.set("name", json(x.name()));
        if (x.goal() != null) n.set("goal", json(x.goal()));
      }
    }
    if (plan.profitFloor() != null) o.put("profitFloor", plan.profitFloor());
    o.put("staleFeedMinutes", plan.staleFeedMinutes());
    o.put("digestLeadMinutes", plan.digestLeadMinutes());
    return o;
  }

  /** A text as JSON: its string, or the object of its languages. */
  public static JsonNode json(Text t) {
    if (t == null) return JsonNodeFactory.instance.nullNode();
    if (t.plain() != null) return JsonNodeFactory.instance.textNode(t.plain());
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    t.byLanguage().forEach(o::put);
    return o;
  }

  /** "90s", "5m", "1h", "250ms", "1d" as milliseconds (at most 400 days). */
  public static long duration(String text, String field) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) throw new PlanException(field, "must be a duration such as 30s, 5m or 1h",
        "必须是时长，如 30s、5m 或 1h");
    long n = Long.parseLong(m.group(1));
    long ms = switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1000;
      case "m" -> n * 60_000;
      case "h" -> n * 3_600_000;
      default -> n * 86_400_000;
    };
    if (ms > Duration.ofDays(400).toMillis()) {
      throw new PlanException(field, "at most 400 days", "最长 400 天");
    }
    return ms;
  }

  /**
   * Checks a text of a plan: valid Unicode (no lone surrogate), no NUL, at most {@code max} code
   * points.
   */
  static void checkText(String s, String field, int max) {
    ValidText.Problem problem = ValidText.problemOf(s, max);
    if (problem != null) throw new PlanException(field, problem);
  }

  /** A text: a string, or an object of language tags to strings (at most 4). */
  static Text text(JsonNode v, String field, int max, boolean required) {
    if (v == null || v.isNull()) {
      if (required) throw new PlanException(field, "is required", "必填");
      return null;
    }
    if (v.isTextual()) {
      checkText(v.asText(), field, max);
      if (required && v.asText().isBlank()) {
        throw new PlanException(field, "must not be empty", "不能为空");
      }
      return Text.of(v.asText());
    }
    if (!v.isObject() || v.isEmpty()) {
      throw new PlanException(field, "must be a string or an object of languages such as "
          + "{\"zh-CN\": \"...\", \"en\": \"...\"}",
          "必须是字符串，或按语言给出的对象，如 {\"zh-CN\": \"...\", \"en\": \"...\"}");
    }
    if (v.size() > 4) throw new PlanException(field, "at most 4 languages", "最多 4 种语言");
    Map<String, String> byLanguage = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String f = field + "." + clip(e.getKey());
      if (!LANGUAGE.matcher(e.getKey()).matches()) {
        throw new PlanException(f, "not a language tag such as zh-CN or en",
            "不是语言标签，应如 zh-CN 或 en");
      }
      if (!e.getValue().isTextual()) throw new PlanException(f, "must be a string", "必须是字符串");
      checkText(e.getValue().asText(), f, max);
      byLanguage.put(e.getKey(), e.getValue().asText());
    }
    return new Text(null, byLanguage);
  }

  private static <T> List<T> list(JsonNode v, String field, int max,
      BiFunction<JsonNode, String, T> item) {
    List<T> out = new ArrayList<>();
    if (v == null || v.isNull()) return out;
    if (!v.isArray()) throw new PlanException(field, "must be an array", "必须是数组");
    if (v.size() > max) throw new PlanException(field, "at most " + max + " entries",
        "最多 " + max + " 项");
    for (int i = 0; i < v.size(); i++) out.add(item.apply(v.get(i), field + "[" + i + "]"));
    return out;
  }

  private static void object(JsonNode v, String field) {
    if (v == null || v.isNull()) throw new PlanException(field, "is required", "必填");
    if (!v.isObject()) throw new PlanException(field, "must be an object", "必须是对象");
  }

  /**
   * An id of a plan, rule, focus target, experiment, team or risk: 1 to 64 characters of text,
   * no control characters and no '/' (ids are parts of URLs).
   */
  private static String id(JsonNode o, String name, String field) {
    String s = string(o, name, true, field);
    checkText(s, field, 64);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7F || c == '/' || c == '\\') {
        throw new PlanException(field, "must not contain control characters, '/' or '\\'",
            "不能包含控制字符、“/”或“\\”");
      }
    }
    return s;
  }

  private static String string(JsonNode v, String field, int max) {
    if (v == null || v.isNull()) throw new PlanException(field, "is required", "必填");
    if (!v.isTextual()) throw new PlanException(field, "must be a string", "必须是字符串");
    if (v.asText().isBlank()) throw new PlanException(field, "must not be empty", "不能为空");
    checkText(v.asText(), field, max);
    return v.asText();
  }

  private static String string(JsonNode o, String name, boolean required, String field) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      if (required) throw new PlanException(field, "is required", "必填");
      return null;
    }
    return string(v, field, SHORT_TEXT);
  }

  /** The ids of a list's items; the first item whose id an earlier one has is refused. */
  private static <T> Set<String> unique(List<T> items, Function<T, String> id, String list,
      String reason, String reasonZh) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String k = id.apply(items.get(i));
      if (!seen.add(k)) {
        throw new PlanException(list + "[" + i + "].id", reason + " '" + k + "'",
            reasonZh + "“" + k + "”");
      }
    }
    return seen;
  }

  private static LocalDate date(JsonNode v, String field) {
    if (v == null || v.isNull()) throw new PlanException(field, "is required", "必填");
    if (!v.isTextual()) {
      throw new PlanException(field, "must be a date such as 2026-11-01", "必须是日期，如 2026-11-01");
    }
    try {
      LocalDate d = LocalDate.parse(v.asText());
      if (d.getYear() < 2000 || d.getYear() > 2200) {
        throw new PlanException(field, "must be a date between 2000 and 2200",
            "必须是 2000 到 2200 年之间的日期");
      }
      return d;
    } catch (DateTimeException e) {
      throw new PlanException(field, "must be a date such as 2026-11-01", "必须是日期，如 2026-11-01");
    }
  }

  private static BigDecimal number(JsonNode v, String field) {
    if (v == null || v.isNull()) throw new PlanException(field, "is required", "必填");
    if (!v.isNumber()) throw new PlanException(field, "must be a number", "必须是数字");
    BigDecimal d = v.decimalValue();
    if (d.scale() > 20 || d.precision() - d.scale() > 30) {
      throw new PlanException(field, "must be a number such as 12000000 or 0.03",
          "必须是数字，如 12000000 或 0.03");
    }
    return d;
  }

  private static double finite(JsonNode v, String field) {
    BigDecimal d = number(v, field);
    if (d.abs().compareTo(MAX_AMOUNT) > 0) {
      throw new PlanException(field, "must be at most 1000000000000", "不能超过 1000000000000");
    }
    return d.doubleValue();
  }

  /** A target or budget amount: from 0 to {@link #MAX_AMOUNT}. */
  private static BigDecimal amount(JsonNode v, String field) {
    BigDecimal n = nonNegative(v, field);
    if (n.compareTo(MAX_AMOUNT) > 0) {
      throw new PlanException(field, "must be at most 1000000000000", "不能超过 1000000000000");
    }
    return n;
  }

  private static BigDecimal nonNegative(JsonNode v, String field) {
    BigDecimal n = number(v, field);
    if (n.signum() < 0) throw new PlanException(field, "must be >= 0", "不能小于 0");
    return n;
  }

  private static int minutes(JsonNode root, String name, int dflt, String rule, String ruleZh) {
    return minutes(root, name, dflt, name, rule, ruleZh);
  }

  /** The same, an error naming {@code path}. */
  private static int minutes(JsonNode root, String name, int dflt, String path, String rule,
      String ruleZh) {
    if (!root.hasNonNull(name)) return dflt;
    JsonNode m = root.get(name);
    if (!m.isIntegralNumber() || !m.canConvertToInt() || m.asInt() < 0 || m.asInt() > 1440) {
      throw new PlanException(path, rule, ruleZh);
    }
    return m.asInt();
  }

  private static BigDecimal plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  /** A field name or value as shown in a message: at most 40 characters. */
  private static String clip(String s) {
    if (s == null) return null;
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
