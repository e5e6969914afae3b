package io.warroom.plan;

import io.warroom.plan.Plan.AlertRule;
import io.warroom.plan.Plan.Week;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The built-in "monthly sales battle plan", for the calendar month of the given clock. */
public final class SeedPlan {
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  /** The plan's first risk, a price war eating the profit: gross margin should not fall below this. */
  public static final double PROFIT_FLOOR = 0.20;

  private SeedPlan() {}

  public static Plan forCurrentMonth(Clock clock) {
    return forMonth(LocalDate.now(clock.withZone(ZONE)).withDayOfMonth(1));
  }

  public static Plan forMonth(LocalDate first) {
    LocalDate start = first.withDayOfMonth(1);
    LocalDate end = start.plusMonths(1);
    Map<String, BigDecimal> targets = new LinkedHashMap<>();
    targets.put("revenue", new BigDecimal("12000000"));
    targets.put("newCustomers", new BigDecimal("21000"));
    targets.put("repurchaseRate", new BigDecimal("0.30"));
    targets.put("conversion", new BigDecimal("0.03"));
    targets.put("aov", new BigDecimal("300"));
    targets.put("roi", new BigDecimal("3.5"));
    targets.put("nps", new BigDecimal("65"));
    targets.put("onlineShare", new BigDecimal("0.70"));
    Map<String, Long> budget = new LinkedHashMap<>();
    budget.put("promotion", 150_000_000L);
    budget.put("ads", 180_000_000L);
    budget.put("live_content", 70_000_000L);
    budget.put("crm", 50_000_000L);
    budget.put("partners", 50_000_000L);
    List<Week> weeks = List.of(
        new Week(start, start.plusDays(7), "Marketing",
            List.of("market research report", "promotion plan final", "online channels ready"),
            List.of("monthly market report done")),
        new Week(start.plusDays(7), start.plusDays(14), "Sales",
            List.of("pre-heat campaign live", "ads and live streams at full budget",
                "peak-day stock and service ready"),
            List.of("peak-day revenue on plan")),
        new Week(start.plusDays(14), start.plusDays(21), "Operations",
            List.of("member repurchase push via CRM", "refund and after-sales follow-up",
                "partner channel promotions"),
            List.of("repurchase rate at 30 %")),
        new Week(start.plusDays(21), end, "Management",
            List.of("long-tail promotions", "NPS survey of the month's buyers",
                "campaign review and next month's plan"),
            List.of("monthly targets met", "next month's plan approved")));
    List<AlertRule> alerts = List.of(
        new AlertRule("conversion-low", "conversion", "last1h", "<", 0.027, 0.024, 300_000L, null,
            null));
    String month = start.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    return new Plan(String.format("%d-%02d", start.getYear(), start.getMonthValue()),
        month + " sales battle plan", ZONE, "CNY", start, end,
        List.of("tmall", "jd", "douyin_live", "wechat_mall", "website"), targets, budget, weeks,
        alerts, PROFIT_FLOOR, Plan.DEFAULT_STALE_FEED_MINUTES);
  }
}
