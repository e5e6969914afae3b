package io.warroom.plan;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The campaign the KPIs are measured against (CONTRACT section 2). Immutable; built by
 * {@link PlanParser} or {@link SeedPlan}. Maps keep the order the plan gave. {@code profitFloor}
 * is the lowest acceptable gross margin (a fraction; null: none) and {@code staleFeedMinutes} how
 * long the feeds may be silent before that is an alert (0: never).
 */
public record Plan(
    String id,
    String name,
    ZoneId timezone,
    String currency,
    LocalDate start,
    LocalDate end,
    List<String> onlineChannels,
    Map<String, BigDecimal> targets,
    Map<String, Long> budgetCents,
    List<Week> weeks,
    List<AlertRule> alerts,
    Double profitFloor,
    int staleFeedMinutes) {

  /** Minutes without any record before the feed counts as stale, when the plan does not say. */
  public static final int DEFAULT_STALE_FEED_MINUTES = 10;

  /** A plan without a profit floor and with the default stale-feed limit. */
  public Plan(String id, String name, ZoneId timezone, String currency, LocalDate start,
      LocalDate end, List<String> onlineChannels, Map<String, BigDecimal> targets,
      Map<String, Long> budgetCents, List<Week> weeks, List<AlertRule> alerts) {
    this(id, name, timezone, currency, start, end, onlineChannels, targets, budgetCents, weeks,
        alerts, null, DEFAULT_STALE_FEED_MINUTES);
  }

  public record Week(LocalDate start, LocalDate end, String owner, List<String> activities,
      List<String> milestones) {}

  /**
   * A rule from the plan's `alerts`. {@code clear} is the hysteresis margin (null: none) and
   * {@code minSamples} the smallest denominator before the value is judged (null: any).
   */
  public record AlertRule(String id, String kpi, String window, String op, double warn,
      double critical, long forMillis, Double clear, Long minSamples) {}

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
}
