package io.warroom;

import io.warroom.measure.Kpi;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed plan with every target absolute: new customers 21,000 (the figure of CONTRACT section
 * 2's example) in place of the seed's +5 % on the previous month, for tests of pace, forecast and
 * the rules derived from absolute targets.
 */
public final class SeedPlans {
  private SeedPlans() {}

  public static Plan absolute(LocalDate month) {
    Plan p = SeedPlan.forMonth(month);
    Map<String, BigDecimal> targets = new LinkedHashMap<>();
    for (Kpi k : Kpi.TARGETS) {
      if (k == Kpi.NEW_CUSTOMERS) targets.put(k.id, new BigDecimal("21000"));
      else if (p.targets().containsKey(k.id)) targets.put(k.id, p.targets().get(k.id));
    }
    return p.toBuilder().targets(targets).growth(Map.of()).build();
  }
}
