package io.warroom.plan;

import io.warroom.measure.Kpi;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaign the KPIs are measured against (CONTRACT sections 2 and 9 to 14). Immutable; built by
 * {@link PlanParser}, {@link SeedPlan} or a {@link Builder}. Maps keep the order the plan gave.
 *
 * @param language the language of notifications and digests ({@code zh-CN} or {@code en})
 * @param previous the period compared with, or null for the default (section 13)
 * @param targets absolute targets by KPI id
 * @param growth relative targets by KPI id: the previous period's final value times 1 + growth
 * @param budgetLabels how each budget category is called
 * @param owners owner teams of rules by rule id, then KPI id, then {@code "*"}
 * @param profitFloor the lowest acceptable gross margin (a fraction; null: none)
 * @param staleFeedMinutes how long the feeds may be silent before that is an alert (0: never)
 * @param digestLeadMinutes how long before a team's meeting its weekly digest goes out
 */
public record Plan(
    String id,
    Text name,
    ZoneId timezone,
    String currency,
    String language,
    LocalDate start,
    LocalDate end,
    Period previous,
    List<String> onlineChannels,
    Map<String, BigDecimal> targets,
    Map<String, BigDecimal> growth,
    Map<String, Long> budgetCents,
    Map<String, Text> budgetLabels,
    List<Week> weeks,
    List<AlertRule> alerts,
    Map<String, String> owners,
    List<Focus> focus,
    List<Experiment> experiments,
    List<Team> teams,
    List<Risk> risks,
    List<Strategy> strategies,
    List<MarketRow> market,
    List<Text> evaluation,
    List<KpiRow> kpiTable,
    Double profitFloor,
    int staleFeedMinutes,
    int digestLeadMinutes) {

  /** Minutes without any record before the feed counts as stale, when the plan does not say. */
  public static final int DEFAULT_STALE_FEED_MINUTES = 10;
  public static final int DEFAULT_DIGEST_LEAD_MINUTES = 30;

  /** A period of dates in the plan's time zone, end exclusive. */
  public record Period(LocalDate start, LocalDate end) {}

  /**
   * A week of the plan: its period, owner, activities and milestones.
   */
  public record Week(LocalDate start, LocalDate end, Text owner, List<Text> activities,
      List<Milestone> milestones) {}

  /**
   * A week's milestone (section 10): a text, measured when it names a {@code metric} (a KPI id,
   * {@code counter:<name>} or a focus target's id) over the {@code window} ({@code week} or
   * {@code campaign}), held when {@code value op goal}; else signed off by an admin ({@code done}).
   * The goal is a number, or relative ({@code growth}: the previous period's final value of the
   * metric times 1 + growth; {@code goal} is then null).
   */
  public record Milestone(Text text, String metric, String window, String op, BigDecimal goal,
      BigDecimal growth, SignOff done) {
    public static Milestone text(Text t) {
      return new Milestone(t, null, null, null, null, null, null);
    }

    public static Milestone measured(Text t, String metric, String window, String op,
        BigDecimal goal) {
      return new Milestone(t, metric, window, op, goal, null, null);
    }

    public boolean measured() {
      return metric != null;
    }

    public Milestone signedOff(SignOff s) {
      return new Milestone(text, metric, window, op, goal, growth, s);
    }
  }

  /** Who signed a milestone off, and when (epoch ms). */
  public record SignOff(String by, long at) {}

  /**
   * A rule from the plan's `alerts`. {@code clear} is the hysteresis margin (null: none) and
   * {@code minSamples} the smallest denominator before the value is judged (null: any);
   * {@code owner} the team that owns it (null: by the plan's owners map) and {@code runbook} what
   * to do (null: a risk's response).
   */
  public record AlertRule(String id, String kpi, String window, String op, double warn,
      Double critical, long forMillis, Double clear, Long minSamples, String owner, Text runbook) {
    public AlertRule(String id, String kpi, String window, String op, double warn, double critical,
        long forMillis, Double clear, Long minSamples) {
      this(id, kpi, window, op, warn, critical, forMillis, clear, minSamples, null, null);
    }
  }

  /**
   * A focus target (section 11): a metric of one key of a breakdown dimension; {@code target}
   * null when the plan names what it pushes without a number.
   */
  public record Focus(String id, Text text, String dimension, String key, String metric,
      BigDecimal target) {
    /** How its metric is measured: money, a share, or a count. */
    public Kpi.Unit unit() {
      return switch (metric) {
        case "revenue" -> Kpi.Unit.MONEY;
        case "share" -> Kpi.Unit.SHARE;
        default -> Kpi.Unit.COUNT;
      };
    }
  }

  /** An A/B experiment (section 12); {@code split} sums to 1, one share per variant. */
  public record Experiment(String id, Text text, List<String> variants, String control,
      List<Double> split) {}

  /** A team (section 14): who they are, what they do, when they meet, where they are told. */
  public record Team(String id, Text name, Text duties, Meeting meeting, Text schedule,
      List<Hook> webhooks, Integer digestLeadMinutes) {
    public Team(String id, Text name, Text duties, Meeting meeting, Text schedule, List<Hook> webhooks) {
      this(id, name, duties, meeting, schedule, webhooks, null);
    }

    /** How long before its meeting the team's digest goes out: its own lead, else the plan's. */
    public int digestLead(Plan plan) {
      return digestLeadMinutes != null ? digestLeadMinutes : plan.digestLeadMinutes();
    }
  }

  /** A weekly meeting: the day and the time of day in the plan's time zone. */
  public record Meeting(DayOfWeek day, LocalTime time) {}

  /**
   * A webhook, the message format it takes, and the robot's signing secret (DingTalk and Feishu
   * robots with signature security; null for none).
   */
  public record Hook(String url, String format, String secret) {}

  /** The signing secret of the webhook {@code url} takes in {@code format}, or null. */
  public String secretOf(String url, String format) {
    for (Team t : teams) {
      for (Hook h : t.webhooks()) {
        if (h.secret() != null && h.url().equals(url) && h.format().equals(format)) return h.secret();
      }
    }
    return null;
  }

  /** A risk with its impact and response, and the alert rules that watch for it. */
  public record Risk(String id, Text text, Text impact, Text response, List<String> rules) {}

  /** A strategy: its measures, the department in charge and the effect expected. */
  public record Strategy(Text text, List<Text> measures, Text department, Text effect) {}

  /** A row of the market analysis: the dimension, the finding, and the target it leads to. */
  public record MarketRow(Text dimension, Text finding, Text target) {}

  /** A row of the document's KPI table: the KPI it names (when one of the catalogue), its name and goal as written. */
  public record KpiRow(String kpi, Text name, Text goal) {}

  /** Start of the period, epoch ms. */
  public long startMillis() {
    return start.atStartOfDay(timezone).toInstant().toEpochMilli();
  }

  /** End of the period (exclusive), epoch ms. */
  public long endMillis() {
    return end.atStartOfDay(timezone).toInstant().toEpochMilli();
  }

  /** Share of the period elapsed at {@code nowMillis}, clamped to [0, 1]. */
  public double elapsed(long nowMillis) {
    long s = startMillis();
    long e = endMillis();
    if (nowMillis <= s) return 0;
    if (nowMillis >= e) return 1;
    return (double) (nowMillis - s) / (e - s);
  }

  /** The team with this id, or null. */
  public Team team(String id) {
    for (Team t : teams) if (t.id().equals(id)) return t;
    return null;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static Builder builder(String id, Text name, ZoneId timezone, String currency,
      LocalDate start, LocalDate end) {
    return new Builder(id, name, timezone, currency, start, end);
  }

  /** The default language of notifications: Chinese for plans in yuan, else English. */
  public static String defaultLanguage(String currency) {
    return "CNY".equals(currency) ? "zh-CN" : "en";
  }

  /** Builds a plan; every list and map defaults to empty. */
  public static final class Builder {
    private String id;
    private Text name;
    private ZoneId timezone;
    private String currency;
    private String language;
    private LocalDate start;
    private LocalDate end;
    private Period previous;
    private List<String> onlineChannels = List.of();
    private Map<String, BigDecimal> targets = Map.of();
    private Map<String, BigDecimal> growth = Map.of();
    private Map<String, Long> budgetCents = Map.of();
    private Map<String, Text> budgetLabels = Map.of();
    private List<Week> weeks = List.of();
    private List<AlertRule> alerts = List.of();
    private Map<String, String> owners = Map.of();
    private List<Focus> focus = List.of();
    private List<Experiment> experiments = List.of();
    private List<Team> teams = List.of();
    private List<Risk> risks = List.of();
    private List<Strategy> strategies = List.of();
    private List<MarketRow> market = List.of();
    private List<Text> evaluation = List.of();
    private List<KpiRow> kpiTable = List.of();
    private Double profitFloor;
    private int staleFeedMinutes = DEFAULT_STALE_FEED_MINUTES;
    private int digestLeadMinutes = DEFAULT_DIGEST_LEAD_MINUTES;

    private Builder(String id, Text name, ZoneId timezone, String currency, LocalDate start,
        LocalDate end) {
      this.id = id;
      this.name = name;
      this.timezone = timezone;
      this.currency = currency;
      this.start = start;
      this.end = end;
    }

    private Builder(Plan p) {
      this(p.id, p.name, p.timezone, p.currency, p.start, p.end);
      language = p.language;
      previous = p.previous;
      onlineChannels = p.onlineChannels;
      targets = p.targets;
      growth = p.growth;
      budgetCents = p.budgetCents;
      budgetLabels = p.budgetLabels;
      weeks = p.weeks;
      alerts = p.alerts;
      owners = p.owners;
      focus = p.focus;
      experiments = p.experiments;
      teams = p.teams;
      risks = p.risks;
      strategies = p.strategies;
      market = p.market;
      evaluation = p.evaluation;
      kpiTable = p.kpiTable;
      profitFloor = p.profitFloor;
      staleFeedMinutes = p.staleFeedMinutes;
      digestLeadMinutes = p.digestLeadMinutes;
    }

    public Builder id(String v) { id = v; return this; }
    public Builder name(Text v) { name = v; return this; }
    public Builder timezone(ZoneId v) { timezone = v; return this; }
    public Builder period(LocalDate s, LocalDate e) { start = s; end = e; return this; }
    public Builder language(String v) { language = v; return this; }
    public Builder previous(Period v) { previous = v; return this; }
    public Builder onlineChannels(List<String> v) { onlineChannels = v; return this; }
    public Builder targets(Map<String, BigDecimal> v) { targets = v; return this; }
    public Builder growth(Map<String, BigDecimal> v) { growth = v; return this; }
    public Builder budgetCents(Map<String, Long> v) { budgetCents = v; return this; }
    public Builder budgetLabels(Map<String, Text> v) { budgetLabels = v; return this; }
    public Builder weeks(List<Week> v) { weeks = v; return this; }
    public Builder alerts(List<AlertRule> v) { alerts = v; return this; }
    public Builder owners(Map<String, String> v) { owners = v; return this; }
    public Builder focus(List<Focus> v) { focus = v; return this; }
    public Builder experiments(List<Experiment> v) { experiments = v; return this; }
    public Builder teams(List<Team> v) { teams = v; return this; }
    public Builder risks(List<Risk> v) { risks = v; return this; }
    public Builder strategies(List<Strategy> v) { strategies = v; return this; }
    public Builder market(List<MarketRow> v) { market = v; return this; }
    public Builder evaluation(List<Text> v) { evaluation = v; return this; }
    public Builder kpiTable(List<KpiRow> v) { kpiTable = v; return this; }
    public Builder profitFloor(Double v) { profitFloor = v; return this; }
    public Builder staleFeedMinutes(int v) { staleFeedMinutes = v; return this; }
    public Builder digestLeadMinutes(int v) { digestLeadMinutes = v; return this; }

    public Plan build() {
      return new Plan(id, name, timezone, currency,
          language != null ? language : defaultLanguage(currency), start, end, previous,
          List.copyOf(onlineChannels), ordered(targets), ordered(growth), ordered(budgetCents),
          ordered(budgetLabels), List.copyOf(weeks), List.copyOf(alerts), ordered(owners),
          List.copyOf(focus), List.copyOf(experiments), List.copyOf(teams), List.copyOf(risks),
          List.copyOf(strategies), List.copyOf(market), List.copyOf(evaluation), List.copyOf(kpiTable), profitFloor,
          staleFeedMinutes, digestLeadMinutes);
    }

    private static <K, V> Map<K, V> ordered(Map<K, V> m) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
  }
}
