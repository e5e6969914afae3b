package io.warroom.kpi;

import java.util.List;
import java.util.Set;

/** Names of the per-window fields (CONTRACT section 5) and of the plan's targets. */
public final class Fields {
  private Fields() {}

  public static final List<String> WINDOW_FIELDS = List.of("revenue", "grossRevenue", "refunds",
      "orders", "aov", "sessions", "conversion", "customers", "newCustomers", "repurchaseRate",
      "adSpend", "attributedRevenue", "roi", "npsResponses", "nps", "onlineShare");

  public static final List<String> WINDOWS = List.of("campaign", "today", "last1h", "last15m");

  public static final List<String> TARGETS = List.of("revenue", "newCustomers", "repurchaseRate",
      "conversion", "aov", "roi", "nps", "onlineShare");

  /** Targets compared with the expected share of the target at the elapsed time. */
  public static final Set<String> CUMULATIVE = Set.of("revenue", "newCustomers");

  /** Targets that are amounts of money. */
  public static final Set<String> MONEY = Set.of("revenue", "grossRevenue", "refunds", "aov",
      "adSpend", "attributedRevenue");
}
