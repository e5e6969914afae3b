package io.warroom.kpi;

import io.warroom.measure.Kpi;
import io.warroom.measure.Status;
import io.warroom.measure.Sum;
import io.warroom.measure.Sums;
import io.warroom.plan.Plan;
import io.warroom.plan.Plan.AlertRule;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one moment, each with its status, decided once: the snapshot, the report and the
 * metrics read them, the page only shows them. A figure's status is its own judgement against the
 * plan, raised to at least the severity of an alert firing on it.
 */
public record Figures(Plan plan, Aggregator agg, long now, double elapsed, List<Target> targets,
    List<BudgetLine> budget, Feed feed, Keyed.Ranking<ChannelSums> channels,
    Keyed.Ranking<AdChannelSums> adChannels, List<FocusTarget> focus, List<String> recovering,
    Listing listing) {

  /**
   * How much of the channel and breakdown tables the snapshot lists by name (entries, and bytes of
   * their names); the rest is summed under "(other)" and `other`, so every figure still counts
   * every record. The snapshot takes the first that keeps it under its limit. The full listing has
   * room for ten breakdown keys of the longest names (200 code points of 4 bytes); the next ones
   * list fewer channels first (the contract promises "at most 50" of them, but ten breakdown
   * keys), then give breakdown names (the widest part) less room step by step, so a top of long
   * names lists fewer of them before it lists none; the last lists no names at all.
   */
  public enum Listing {
    FULL(50, 6 * 1024, Breakdowns.TOP, Breakdowns.TOP * (4 * 200 + 8)),
    SHORT_CHANNELS(10, 6 * 1024, Breakdowns.TOP, Breakdowns.TOP * (4 * 200 + 8)),
    HALF_KEYS(10, 6 * 1024, Breakdowns.TOP, Breakdowns.TOP * (400 + 8)),
    QUARTER_KEYS(10, 1024, Breakdowns.TOP, Breakdowns.TOP * (200 + 8)),
    SHORT(10, 1024, Breakdowns.TOP, 600),
    SHORTEST(3, 256, 3, 256),
    /** Names none: room for a plan as large as it may be (plan/WallBytes) beside wide counters. */
    NONE(0, 0, 0, 0);

    final int channels;
    final int channelBytes;
    final int keys;
    final int keyBytes;

    Listing(int channels, int channelBytes, int keys, int keyBytes) {
      this.channels = channels;
      this.channelBytes = channelBytes;
      this.keys = keys;
      this.keyBytes = keyBytes;
    }
  }

  /**
   * A focus target of the plan (section 11): its campaign value, its status (10 % and 20 % short
   * of the target, or by a plan rule on its id) raised by the most severe alert firing on it.
   */
  public record FocusTarget(Plan.Focus focus, Number value, Status status, Alarm alarm,
      Number previous, Double change) {}

  /**
   * A KPI the plan targets: its campaign value, the target, for cumulative KPIs the share of the
   * target expected by now and the value projected to the period's end, its status, and the most
   * severe alert firing on it; its value in the previous period to the same point, and the change
   * against that ({@code value / previous - 1}, null when either is null or previous is 0).
   */
  public record Target(Kpi kpi, Number value, BigDecimal target, Number expected, Number forecast,
      Status status, Alarm alarm, Number previous, Double change) {}

  /** A budget category: allocated and spent cents, and how its burn stands. */
  public record BudgetLine(String category, Sum allocated, Sum spent, Status status, Alarm alarm) {}

  /**
   * The feeds: when a record last reached the aggregates (from any node), minutes since (inside the
   * period, while the plan watches for silence), and how that stands.
   */
  public record Feed(Long lastFedAt, Double idleMinutes, Status status, Alarm alarm) {}

  /** The figure id the alerts on a budget category watch. */
  public static String budgetId(String category) {
    return "budget." + category;
  }

  /**
   * The most the snapshot's {@code recovering} list takes (500 rules of 64 characters would take
   * 33 KB): it fits the room the plan's share (plan/WallBytes), the feeds' widest parts and the
   * fixed fields leave under the snapshot's limit; the rest are left out.
   */
  public static final int RECOVERING_BYTES = 512;

  /** The figure id the stale-feed alert watches. */
  public static final String FEED_ID = "feedIdleMinutes";

  /**
   * @param firing the firing alerts
   * @param lastFedAt when a record last reached the aggregates, or null
   * @param quietSince since when the feeds count as silent (the last record, or the start)
   */
  public static Figures of(Aggregator agg, long now, Collection<Alarm> firing, Long lastFedAt,
      long quietSince) {
    Plan plan = agg.plan();
    // the most severe per figure id
    Map<String, Alarm> alarms = new HashMap<>();
    for (Alarm a : firing) {
      // of two as severe, one that holds: the figure is recovering only when its worst all are
      alarms.merge(a.kpi(), a, (x, y) -> {
        int c = y.severity().compareTo(x.severity());
        return c > 0 || c == 0 && x.recovering() && !y.recovering() ? y : x;
      });
    }
    double elapsed = plan.elapsed(now);
    List<Target> targets = new ArrayList<>();
    for (Map.Entry<String, BigDecimal> e : plan.targets().entrySet()) {
      Kpi k = Kpi.of(e.getKey());
      if (k != null) {
        targets.add(target(plan, k, e.getValue(), agg.campaign(), agg.previous().toDate(), elapsed,
            alarms));
      }
    }
    for (Map.Entry<String, BigDecimal> e : plan.growth().entrySet()) {
      Kpi k = Kpi.of(e.getKey());
      if (k == null || plan.targets().containsKey(k.id)) continue;
      targets.add(target(plan, k, grown(agg.previous(), k.id, e.getValue()), agg.campaign(),
          agg.previous().toDate(), elapsed, alarms));
    }
    if (!plan.growth().isEmpty()) {
      // Relative and absolute targets together, in the order of the plan's KPI table.
      targets.sort(Comparator.comparingInt(t -> Kpi.TARGETS.indexOf(t.kpi())));
    }
    List<BudgetLine> budget = new ArrayList<>();
    for (Map.Entry<String, Long> b : plan.budgetCents().entrySet()) {
      Sum allocated = Sum.of(b.getValue());
      Sum spent = agg.spent(b.getKey());
      Status s = b.getValue() <= 0 ? null
          : Status.ofBurn(spent.doubleValue() / b.getValue(), elapsed);
      Alarm a = alarms.get(budgetId(b.getKey()));
      budget.add(new BudgetLine(b.getKey(), allocated, spent, raise(s, a), a));
    }
    Double idle = null;
    Status feed = null;
    if (plan.staleFeedMinutes() > 0 && now >= plan.startMillis() && now < plan.endMillis()) {
      idle = Math.floor(Math.max(0, now - Math.max(quietSince, plan.startMillis())) / 6_000.0) / 10;
      feed = Status.ofIdle(idle, plan.staleFeedMinutes());
    }
    Alarm feedAlarm = alarms.get(FEED_ID);
    List<FocusTarget> focus = new ArrayList<>();
    for (Plan.Focus x : plan.focus()) focus.add(focus(plan, agg, x, alarms));
    Listing full = Listing.FULL;
    return new Figures(plan, agg, now, elapsed, List.copyOf(targets), List.copyOf(budget),
        new Feed(lastFedAt, idle, raise(feed, feedAlarm), feedAlarm),
        agg.channels().rank(full.channels, full.channelBytes, Keyed.OTHER),
        agg.adChannels().rank(full.channels, full.channelBytes, Keyed.OTHER),
        List.copyOf(focus), recovering(firing), full);
  }

  /**
   * The rules of the firing alerts that are recovering, the critical ones first, then by id, as
   * many as fit in {@link #RECOVERING_BYTES} of the snapshot.
   */
  static List<String> recovering(Collection<Alarm> firing) {
    List<Alarm> back = new ArrayList<>();
    for (Alarm a : firing) if (a.recovering()) back.add(a);
    back.sort(Comparator.comparing(Alarm::severity).reversed().thenComparing(Alarm::rule));
    List<String> out = new ArrayList<>();
    int bytes = 0;
    for (Alarm a : back) {
      bytes += a.rule().getBytes(StandardCharsets.UTF_8).length + 3; // quoted, a comma
      if (bytes > RECOVERING_BYTES) break;
      out.add(a.rule());
    }
    return List.copyOf(out);
  }

  private static FocusTarget focus(Plan plan, Aggregator agg, Plan.Focus x,
      Map<String, Alarm> alarms) {
    Number value = agg.breakdowns().value(x);
    Status status = null;
    if (value != null && x.target() != null) {
      AlertRule rule = judgingRule(plan, x.id());
      status = rule != null
          ? Status.byThresholds(rule.op(), value.doubleValue(), rule.warn(), rule.critical())
          : Status.byShortfall(value.doubleValue(), x.target().doubleValue());
    }
    Alarm a = alarms.get(x.id());
    Number previous = agg.previous().focusToDate(x);
    return new FocusTarget(x, value, raise(status, a), a, previous, change(value, previous));
  }

  /** {@code value / previous - 1}; null when either is null or previous is 0. */
  public static Double change(Number value, Number previous) {
    if (value == null || previous == null || previous.doubleValue() == 0) return null;
    if (!Double.isFinite(value.doubleValue()) || !Double.isFinite(previous.doubleValue())) return null;
    // in decimals to 34 digits, so that 2.18725 - 1 is 1.18725 (not 1.1872499999999997) and the
    // answer is the double nearest the exact change
    BigDecimal v = value instanceof BigDecimal b ? b : new BigDecimal(value.toString());
    BigDecimal p = previous instanceof BigDecimal b ? b : new BigDecimal(previous.toString());
    return v.divide(p, MathContext.DECIMAL128).subtract(BigDecimal.ONE).doubleValue();
  }

  /** The previous period to the same point as now (CONTRACT section 13). */
  public Sums previousToDate() {
    return agg.previous().toDate();
  }

  /** The whole previous period. */
  public Sums previousWhole() {
    return agg.previous().whole();
  }

  /**
   * A relative target (or goal): the previous period's final value times 1 + growth, or null.
   * Money and counts exactly; a ratio's is the double nearest the exact product, as the ratio
   * itself is (its rounded value times 1.05 was a digit off).
   */
  static BigDecimal grown(Previous previous, String kpiId, BigDecimal growth) {
    Kpi k = Kpi.of(kpiId);
    if (k == null || previous == null || previous.records() == 0) return null;
    BigDecimal base = k.decimal(previous.whole());
    if (base == null) return null;
    BigDecimal t = base.multiply(BigDecimal.ONE.add(growth), MathContext.DECIMAL128);
    if (k.value(previous.whole()) instanceof Double) t = BigDecimal.valueOf(t.doubleValue());
    t = t.stripTrailingZeros();
    return t.scale() < 0 ? t.setScale(0) : t;
  }

  /**
   * The share of {@code target} a cumulative KPI's plan calls for once {@code elapsed} of the
   * period has passed (money to the cent); null without a target. The snapshot's `expected` and
   * the pace rules read it.
   */
  public static Number expected(Kpi k, BigDecimal target, double elapsed) {
    if (target == null) return null;
    if (k.unit == Kpi.Unit.MONEY) {
      return target.multiply(new BigDecimal(elapsed)).setScale(2, RoundingMode.HALF_UP);
    }
    return target.doubleValue() * elapsed;
  }

  /**
   * A cumulative KPI's {@code value} projected to the period's end at its pace so far (money to the
   * cent); null before any of the period passed. The snapshot's `forecast` and the forecast rules
   * read it.
   */
  public static Number forecast(Kpi k, Number value, double elapsed) {
    if (elapsed <= 0 || value == null) return null;
    if (k.unit == Kpi.Unit.MONEY) {
      return ((BigDecimal) value).divide(new BigDecimal(elapsed), 2, RoundingMode.HALF_UP);
    }
    return value.doubleValue() / elapsed;
  }

  /** The target of a KPI in force: the plan's number, or a relative one resolved; or null. */
  public static BigDecimal targetOf(Aggregator agg, String kpiId) {
    BigDecimal t = agg.plan().targets().get(kpiId);
    if (t != null) return t;
    BigDecimal g = agg.plan().growth().get(kpiId);
    return g == null ? null : grown(agg.previous(), kpiId, g);
  }

  private static Target target(Plan plan, Kpi k, BigDecimal target, Totals campaign,
      Sums toDate, double elapsed, Map<String, Alarm> alarms) {
    Number value = k.value(campaign);
    Number expected = null;
    Number forecast = null;
    Double reference = target == null ? null : target.doubleValue();
    if (k.cumulative) {
      expected = expected(k, target, elapsed);
      forecast = forecast(k, value, elapsed);
      reference = expected == null ? null : expected.doubleValue();
    }
    Status status = null;
    if (value != null && reference != null) {
      AlertRule rule = judgingRule(plan, k);
      status = rule != null
          ? Status.byThresholds(rule.op(), value.doubleValue(), rule.warn(), rule.critical())
          : Status.byShortfall(value.doubleValue(), reference);
    }
    Alarm a = alarms.get(k.id);
    Number previous = k.value(toDate);
    return new Target(k, value, target, expected, forecast, raise(status, a), a, previous,
        change(value, previous));
  }

  /**
   * The plan rule whose thresholds judge a KPI's campaign value: for cumulative KPIs only a rule on
   * the campaign window; for others one on the campaign window first, else any rule on that KPI.
   */
  static AlertRule judgingRule(Plan plan, Kpi k) {
    AlertRule r = judgingRule(plan, k.id);
    return k.cumulative && r != null && !r.window().equals("campaign") ? null : r;
  }

  private static AlertRule judgingRule(Plan plan, String id) {
    AlertRule any = null;
    for (AlertRule r : plan.alerts()) {
      if (!r.kpi().equals(id)) continue;
      if (r.window().equals("campaign")) return r;
      if (any == null) any = r;
    }
    return any;
  }

  /** The same figures listing the tables as {@code l} says. */
  public Figures listing(Listing l) {
    return new Figures(plan, agg, now, elapsed, targets, budget, feed,
        agg.channels().rank(l.channels, l.channelBytes, Keyed.OTHER),
        agg.adChannels().rank(l.channels, l.channelBytes, Keyed.OTHER), focus, recovering, l);
  }

  /** An ad channel's ROI against the plan's ROI target; null without spend or target. */
  public Status adChannelStatus(AdChannelSums c) {
    BigDecimal target = plan.targets().get(Kpi.ROI.id);
    Double roi = c.roi();
    if (target == null || roi == null) return null;
    return Status.byShortfall(roi, target.doubleValue());
  }

  /** The sections of the snapshot that travel as events of their own, in the order written. */
  public List<Section> sections() {
    return agg.sections();
  }

  /** The target entry of a KPI, or null. */
  public Target target(String id) {
    for (Target t : targets) if (t.kpi().id.equals(id)) return t;
    return null;
  }

  private static Status raise(Status s, Alarm a) {
    return a == null ? s : Status.max(s, a.severity());
  }
}
