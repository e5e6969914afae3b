package io.warroom.plan;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.warroom.plan.Plan.AlertRule;
import io.warroom.plan.Plan.Experiment;
import io.warroom.plan.Plan.Focus;
import io.warroom.plan.Plan.Milestone;
import io.warroom.plan.Plan.Week;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most bytes a plan's own parts can take in the snapshot, whatever the figures: its name,
 * budget lines, focus targets, experiments, weeks with their milestones, and the alert names its
 * rules can pin on a status. The feeds' parts are bounded on their own (channel and breakdown
 * tables, counters); a plan whose parts could pass {@link #LIMIT} is refused, so that
 * GET /api/v1/kpis stays under 64 KiB (CONTRACT section 5) with the widest feeds too.
 *
 * <p>Each figure is counted at its widest ({@link #NUMBER} characters), each text as written.
 */
public final class WallBytes {
  /**
   * What a plan's parts may take: 64 KiB less the fixed fields and the feeds' parts when the
   * snapshot lists no channel or breakdown names (100 counters of 64-character names, about 17 KB
   * at their widest sums), with room to spare.
   */
  public static final int LIMIT = 36 * 1024;
  /** The widest number written: a double such as -1.2345678901234567E-300, or a sum of cents. */
  static final int NUMBER = 24;
  static final int BUDGET_LINE = 47 + 2 * NUMBER;
  static final int ALARM = 62;
  static final int FOCUS = 101 + 4 * NUMBER;
  static final int WEEK = 83;
  static final int MEASURED = 89 + 2 * NUMBER;
  /** A text milestone, with room for who signs it off ({@link #SIGNER} bytes, else counted). */
  static final int TEXT_MILESTONE = 105;
  static final int SIGNER = 32;
  static final int EXPERIMENT = 85 + NUMBER;
  static final int VARIANT = 68 + 6 * NUMBER;
  static final int RESULT = 93 + 5 * NUMBER;
  /** A default rule's name ("forecast-newCustomers") when the plan sets none for a figure. */
  static final int DEFAULT_RULE = 32;

  private WallBytes() {}

  /** The parts' bytes by the plan field that holds them. */
  public static Map<String, Integer> parts(Plan plan) {
    Map<String, Integer> rid = new HashMap<>();
    for (AlertRule r : plan.alerts()) rid.merge(r.kpi(), quoted(r.id()), Math::max);
    Map<String, Integer> parts = new LinkedHashMap<>();
    parts.put("name", text(plan.name()));

    int budget = 0;
    for (String category : plan.budgetCents().keySet()) {
      int rule = Math.max(quoted("budget-" + category), rid.getOrDefault("budget." + category, 0));
      budget += BUDGET_LINE + quoted(category) + ALARM + rule;
    }
    parts.put("budget", budget);

    int focus = 0;
    for (Focus f : plan.focus()) {
      focus += FOCUS + quoted(f.id());
      Integer rule = rid.remove(f.id());
      if (rule != null) focus += ALARM + rule;
    }
    parts.put("focus", focus);

    int experiments = 0;
    for (Experiment x : plan.experiments()) {
      experiments += EXPERIMENT + quoted(x.id()) + text(x.text()) + quoted(x.control());
      for (String v : x.variants()) experiments += VARIANT + RESULT + 2 * quoted(v);
    }
    parts.put("experiments", experiments);

    int weeks = 0;
    for (Week w : plan.weeks()) {
      weeks += WEEK;
      for (Milestone m : w.milestones()) {
        weeks += text(m.text());
        if (m.measured()) weeks += MEASURED + quoted(m.metric());
        else weeks += TEXT_MILESTONE + (m.done() == null ? SIGNER : quoted(m.done().by()));
      }
    }
    parts.put("weeks", weeks);

    // A status of the catalogue or of the feed, with the longest rule that can watch it.
    int alerts = 0;
    for (Map.Entry<String, Integer> e : rid.entrySet()) {
      if (!e.getKey().startsWith("budget.")) alerts += ALARM + Math.max(DEFAULT_RULE, e.getValue());
    }
    parts.put("alerts", alerts);
    return parts;
  }

  /** The sum of {@link #parts}. */
  public static int total(Plan plan) {
    return total(parts(plan));
  }

  /** Whether the plan's parts stay within {@link #LIMIT}. */
  public static boolean fits(Plan plan) {
    return total(plan) <= LIMIT;
  }

  private static int total(Map<String, Integer> parts) {
    return parts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Refuses a plan whose parts could pass {@link #LIMIT}, naming the field that takes most. */
  public static void check(Plan plan) {
    Map<String, Integer> parts = parts(plan);
    int total = total(parts);
    if (total <= LIMIT) return;
    Map.Entry<String, Integer> most = parts.entrySet().stream()
        .max(Map.Entry.comparingByValue()).orElseThrow();
    throw new PlanException(most.getKey(), "the plan's parts on the wall could take " + total
        + " bytes of the snapshot, " + most.getKey() + " " + most.getValue() + " of them; at most "
        + LIMIT + " fit: use fewer or shorter entries", "计划在大屏上的内容可能占快照 " + total
        + " 字节，其中 " + most.getKey() + " 占 " + most.getValue() + " 字节；最多容纳 " + LIMIT
        + " 字节：请减少条目或缩短内容");
  }

  /** A string's bytes as JSON writes it, quotes included. */
  static int quoted(String s) {
    return s == null ? 4 : JsonStringEncoder.getInstance().quoteAsUTF8(s).length + 2;
  }

  /** A text's bytes as the snapshot writes it: a string, or an object of languages. */
  static int text(Text t) {
    if (t == null) return 4;
    if (t.plain() != null) return quoted(t.plain());
    int n = 2;
    for (Map.Entry<String, String> e : t.byLanguage().entrySet()) {
      n += quoted(e.getKey()) + 1 + quoted(e.getValue()) + 1;
    }
    return n;
  }
}
