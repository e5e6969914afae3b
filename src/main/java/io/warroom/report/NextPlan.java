package io.warroom.report;

import io.warroom.kpi.Aggregator;
import io.warroom.kpi.Totals;
import io.warroom.measure.Kpi;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import io.warroom.plan.Text;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Next month's plan draft (GET /api/v1/plan/next), for a person to edit and PUT:
 * <ul>
 *   <li>period: the month after this plan's start month, same time zone, currency, channels, alerts;
 *       the weeks keep their owners, activities and milestones at the same day offsets;
 *   <li>cumulative targets (revenue, new customers): this month's actual +5 % (the seed plan's
 *       "new customers +5 % on the previous month"), where there is an actual;
 *   <li>ratio targets (repurchase rate, conversion, AOV, ROI, NPS, online share): the higher of this
 *       month's actual and its target: a bar that was beaten moves up, one that was missed stays;
 *   <li>focus targets: revenue, orders and units of a key as the cumulative targets, a share as the
 *       ratio targets (a target the plan left without a number gets one from the actual);
 *   <li>budget: the same total, split by return. Ads are the one category whose revenue is measured
 *       (attributed revenue / ad spend = ROI): its share is scaled by ROI / ROI target, within
 *       0.8x..1.25x; the other categories keep their proportions and absorb the difference.
 * </ul>
 */
public final class NextPlan {
  static final BigDecimal GROWTH = new BigDecimal("1.05");
  static final double MIN_FACTOR = 0.8;
  static final double MAX_FACTOR = 1.25;

  private NextPlan() {}

  public static Plan derive(Aggregator agg) {
    Plan p = agg.plan();
    Totals t = agg.campaign();
    LocalDate start = p.start().withDayOfMonth(1).plusMonths(1);
    LocalDate end = start.plusMonths(1);

    Map<String, BigDecimal> targets = new LinkedHashMap<>();
    for (Map.Entry<String, BigDecimal> e : p.targets().entrySet()) {
      String id = e.getKey();
      Kpi kpi = Kpi.of(id);
      Number actual = kpi == null ? null : kpi.value(t);
      BigDecimal next;
      if (actual == null || kpi.cumulative && actual.doubleValue() <= 0) {
        next = e.getValue(); // nothing to grow from: the target stays (a target of 0 is refused)
      } else if (kpi.cumulative) {
        next = new BigDecimal(actual.toString()).multiply(GROWTH)
            .setScale(0, kpi.unit == Kpi.Unit.MONEY ? RoundingMode.HALF_UP : RoundingMode.CEILING);
      } else {
        // money and scores to 2 decimals, shares and ratios to 4
        int scale = kpi.unit == Kpi.Unit.MONEY || kpi.unit == Kpi.Unit.SCORE ? 2 : 4;
        BigDecimal a = BigDecimal.valueOf(actual.doubleValue()).setScale(scale, RoundingMode.HALF_UP);
        next = a.max(e.getValue());
      }
      targets.put(id, Report.plain(next.max(BigDecimal.ZERO).min(PlanParser.MAX_AMOUNT)));
    }

    List<Plan.Week> weeks = new ArrayList<>();
    for (int i = 0; i < p.weeks().size(); i++) {
      Plan.Week w = p.weeks().get(i);
      LocalDate ws = min(start.plusDays(ChronoUnit.DAYS.between(p.start(), w.start())), end);
      LocalDate we = i == p.weeks().size() - 1 ? end
          : min(start.plusDays(ChronoUnit.DAYS.between(p.start(), w.end())), end);
      if (!we.isAfter(ws)) continue;
      // Sign-offs belong to this month.
      weeks.add(new Plan.Week(ws, we, w.owner(), w.activities(),
          w.milestones().stream().map(m -> m.signedOff(null)).toList()));
    }
    String month = start.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    return p.toBuilder().id(String.format("%d-%02d", start.getYear(), start.getMonthValue()))
        .name(Text.zhEn(start.getMonthValue() + "月销售作战策划(草案,来自" + p.id() + ")",
            month + " sales battle plan (draft from " + p.id() + ")"))
        .period(start, end).previous(null).targets(targets).focus(focus(agg))
        .budgetCents(budget(p.budgetCents(), adsFactor(p, t))).weeks(weeks)
        .evaluation(evaluation(p, start)).build();
  }

  /** The seed's line that names the next month names the month after the draft's. */
  static List<Text> evaluation(Plan p, LocalDate start) {
    Text old = SeedPlan.nextMonthLine(p.start());
    return p.evaluation().stream().map(t -> t.equals(old) ? SeedPlan.nextMonthLine(start) : t).toList();
  }

  /**
   * Focus targets: revenue, orders and units of the key as cumulative targets (this month's
   * actual +5 %, where there is one), a share as a ratio (the higher of actual and target).
   */
  static List<Plan.Focus> focus(Aggregator agg) {
    List<Plan.Focus> out = new ArrayList<>();
    for (Plan.Focus f : agg.plan().focus()) {
      Number actual = agg.breakdowns().value(f);
      BigDecimal next = f.target();
      if (f.metric().equals("share")) {
        if (actual != null && actual.doubleValue() > 0) { // a share of 0 is no target
          BigDecimal a = BigDecimal.valueOf(actual.doubleValue()).setScale(4, RoundingMode.HALF_UP);
          next = next == null ? a : a.max(next);
        }
      } else if (actual != null && new BigDecimal(actual.toString()).signum() > 0) {
        next = new BigDecimal(actual.toString()).multiply(GROWTH).setScale(0,
            f.metric().equals("revenue") ? RoundingMode.HALF_UP : RoundingMode.CEILING);
      }
      if (next != null) next = Report.plain(next.min(PlanParser.MAX_AMOUNT));
      out.add(new Plan.Focus(f.id(), f.text(), f.dimension(), f.key(), f.metric(), next));
    }
    return out;
  }

  /** ROI / ROI target within [0.8, 1.25]; 1 when either is unknown. */
  static double adsFactor(Plan p, Totals t) {
    BigDecimal target = p.targets().get(Kpi.ROI.id);
    Double roi = Kpi.ROI.number(t);
    if (roi == null || target == null || target.signum() == 0) return 1.0;
    return Math.max(MIN_FACTOR, Math.min(MAX_FACTOR, roi / target.doubleValue()));
  }

  /**
   * The same total in whole currency units: ads scaled by {@code factor}, the others sharing the
   * rest in their old proportions; the rounding remainder goes to the largest other category.
   */
  static Map<String, Long> budget(Map<String, Long> old, double factor) {
    long total = old.values().stream().mapToLong(Long::longValue).sum();
    Long ads = old.get(Aggregator.ADS);
    long othersOld = total - (ads == null ? 0 : ads);
    if (ads == null || othersOld == 0 || factor == 1.0) return new LinkedHashMap<>(old);
    long newAds = Math.min(total, Math.round(ads * factor / 100.0) * 100);
    long othersNew = total - newAds;
    Map<String, Long> out = new LinkedHashMap<>();
    long given = 0;
    String largest = null;
    for (Map.Entry<String, Long> e : old.entrySet()) {
      if (e.getKey().equals(Aggregator.ADS)) {
        out.put(e.getKey(), newAds);
        continue;
      }
      long v = BigDecimal.valueOf(e.getValue()).multiply(BigDecimal.valueOf(othersNew))
          .divide(BigDecimal.valueOf(othersOld), -2, RoundingMode.DOWN).longValueExact();
      out.put(e.getKey(), v);
      given += v;
      if (largest == null || e.getValue() > old.get(largest)) largest = e.getKey();
    }
    out.merge(largest, othersNew - given, Long::sum);
    return out;
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }
}
