package io.warroom.plan;

import io.warroom.measure.Kpi;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Rules a new plan must keep beyond its shape, for the mistakes a person makes typing one: a
 * conversion target of 3 meant as 3 %, a target of 0 meant as none, cents past the second
 * decimal, a week outside the period. Checked where a plan comes in (PUT, preview, the plan file),
 * not where a stored plan is read back, so a plan kept before a rule was added still starts.
 */
public final class PlanSense {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private PlanSense() {}

  /** The plan itself, or a {@link PlanException} naming the first field that breaks a rule. */
  public static Plan check(Plan plan) {
    for (Map.Entry<String, BigDecimal> e : plan.targets().entrySet()) {
      target(Kpi.of(e.getKey()), e.getValue(), "targets." + e.getKey());
    }
    List<Plan.Week> weeks = plan.weeks();
    for (int i = 0; i < weeks.size(); i++) {
      Plan.Week w = weeks.get(i);
      String p = "weeks[" + i + "]";
      if (w.start().isBefore(plan.start())) {
        throw new PlanException(p + ".start", "must not be before the plan's start (" + plan.start() + ")",
            "不能早于计划的开始日期（" + plan.start() + "）");
      }
      if (w.end().isAfter(plan.end())) {
        throw new PlanException(p + ".end", "must not be after the plan's end (" + plan.end() + ")",
            "不能晚于计划的结束日期（" + plan.end() + "）");
      }
    }
    return plan;
  }

  private static void target(Kpi kpi, BigDecimal v, String field) {
    switch (kpi.unit) {
      case SHARE -> {
        if (v.compareTo(BigDecimal.ONE) > 0) {
          throw new PlanException(field, "a share is at most 1 (3 % is written 0.03)",
              "比率不能超过 1（3% 写作 0.03）");
        }
      }
      case SCORE -> {
        if (v.compareTo(HUNDRED) > 0) {
          throw new PlanException(field, "a score is at most 100", "分值不能超过 100");
        }
        return; // an NPS target of 0 is a real goal
      }
      case MONEY -> {
        if (v.stripTrailingZeros().scale() > 2) {
          throw new PlanException(field, "an amount has at most 2 decimals", "金额最多两位小数");
        }
      }
      case COUNT -> {
        if (v.stripTrailingZeros().scale() > 0) {
          throw new PlanException(field, "a count is a whole number", "数量必须是整数");
        }
      }
      default -> { }
    }
    if (v.signum() == 0) {
      throw new PlanException(field, "must be more than 0 (leave the target out for none)",
          "必须大于 0（不设目标请留空）");
    }
  }
}
