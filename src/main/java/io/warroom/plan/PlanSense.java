package io.warroom.plan;

import io.warroom.measure.Kpi;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Rules a new plan must keep beyond its shape, for the mistakes a person makes typing one: a
 * conversion target, threshold or milestone of 3 meant as 3 %, a growth of 5 meant as 5 %, a
 * target of 0 meant as none, cents past the second decimal, a week outside the period or over
 * another. Checked where a plan comes in (PUT, preview, the plan file),
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
    for (Map.Entry<String, BigDecimal> e : plan.growth().entrySet()) {
      growth(e.getValue(), "targets." + e.getKey() + ".growth");
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
      // Two weeks at once would both be "current": in order, each after the one before.
      if (i > 0 && w.start().isBefore(weeks.get(i - 1).end())) {
        LocalDate before = weeks.get(i - 1).end();
        throw new PlanException(p + ".start", "must not be before the end of weeks[" + (i - 1) + "] ("
            + before + "): weeks do not overlap", "不能早于 weeks[" + (i - 1) + "] 的结束日期（" + before
            + "）：各周不能重叠");
      }
      for (int j = 0; j < w.milestones().size(); j++) {
        Plan.Milestone m = w.milestones().get(j);
        if (!m.measured()) continue;
        String mp = p + ".milestones[" + j + "].value";
        if (m.growth() != null) growth(m.growth(), mp + ".growth");
        else if (m.goal() != null) bounded(unit(plan, m.metric()), m.goal().doubleValue(), mp);
      }
    }
    for (int i = 0; i < plan.focus().size(); i++) {
      Plan.Focus f = plan.focus().get(i);
      if (f.target() != null && f.target().signum() == 0) {
        throw new PlanException("focus[" + i + "].target", "must be more than 0 (leave the target out for none)",
            "必须大于 0（不设目标请留空）");
      }
    }
    for (int i = 0; i < plan.alerts().size(); i++) {
      Plan.AlertRule r = plan.alerts().get(i);
      Kpi.Unit unit = unit(plan, r.kpi());
      bounded(unit, r.warn(), "alerts[" + i + "].warn");
      if (r.critical() != null) bounded(unit, r.critical(), "alerts[" + i + "].critical");
    }
    return plan;
  }

  /** The unit of what a rule or milestone names: a KPI, a focus target or a counter (a count). */
  private static Kpi.Unit unit(Plan plan, String metric) {
    Kpi kpi = Kpi.of(metric);
    if (kpi != null) return kpi.unit;
    for (Plan.Focus f : plan.focus()) if (f.id().equals(metric)) return f.unit();
    return Kpi.Unit.COUNT;
  }

  /** A threshold or goal within what its unit can reach: a share 0 to 1, a score -100 to 100. */
  private static void bounded(Kpi.Unit unit, double v, String field) {
    if (unit == Kpi.Unit.SHARE && v > 1) {
      throw new PlanException(field, "a share is at most 1 (3 % is written 0.03)", "比率不能超过 1（3% 写作 0.03）");
    }
    if (unit == Kpi.Unit.SCORE && Math.abs(v) > 100) {
      throw new PlanException(field, "a score is from -100 to 100", "分值必须在 -100 到 100 之间");
    }
  }

  /** A relative target: more than -1 (a target of 0) and at most 1 (doubling). */
  private static void growth(BigDecimal g, String field) {
    if (g.compareTo(BigDecimal.ONE.negate()) <= 0 || g.compareTo(BigDecimal.ONE) > 0) {
      throw new PlanException(field, "must be more than -1 and at most 1 (+5 % is written 0.05)",
          "必须大于 -1 且不超过 1（+5% 写作 0.05）");
    }
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
