package io.warroom.kpi;

import com.fasterxml.jackson.core.JsonGenerator;
import io.warroom.measure.Kpi;
import io.warroom.measure.Sum;
import io.warroom.measure.Sums;
import io.warroom.plan.Plan;
import io.warroom.plan.Plan.Milestone;
import io.warroom.plan.Plan.Week;
import io.warroom.plan.Text;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot's `phases` (CONTRACT section 10): each week of the plan with its state by the
 * clock, and its milestones with their status, decided here once (the page and the report only
 * show it). A measured milestone is `pending` before its week, `on-track` or `behind` during it
 * (the condition holds, or not, on the value so far) and `met` or `missed` once the week has ended;
 * a text milestone is `open` until an admin signs it off, then `done`. Nothing is done or met
 * because a date passed.
 *
 * <p>Values come from the aggregator's per-day sums: a window is a range of the plan's days (weeks
 * are whole days), so a record at a week's start counts in that week and one at its end in the
 * next, and the work is O(days), never a scan of records. Distinct-customer fields over a window
 * other than the whole campaign come from the aggregator's customer windows.
 */
public final class Phases implements Section {
  public static final Phases SECTION = new Phases();

  /** A milestone's figures: value and goal as numbers (null when unknown), status, sign-off. */
  public record Mark(Text text, String metric, String window, String op, Number value,
      BigDecimal goal, String status, Plan.SignOff done) {}

  /** A week: number from 1, period, state (done, current, next) and milestones. */
  public record Phase(int n, LocalDate start, LocalDate end, String state, List<Mark> milestones) {}

  private Phases() {}

  @Override
  public String name() {
    return "phases";
  }

  /** The phases of the plan at the figures' moment. */
  public static List<Phase> of(Figures f) {
    Plan plan = f.plan();
    Aggregator a = f.agg();
    long now = f.now();
    Map<Long, Totals> ranges = new HashMap<>();
    List<Phase> out = new ArrayList<>();
    int n = 0;
    for (Week w : plan.weeks()) {
      n++;
      long ws = millis(plan, w.start());
      long we = millis(plan, w.end());
      String state = now >= we ? "done" : now >= ws ? "current" : "next";
      List<Mark> marks = new ArrayList<>();
      for (Milestone m : w.milestones()) {
        if (!m.measured()) {
          marks.add(new Mark(m.text(), null, null, null, null, null,
              m.done() != null ? "done" : "open", m.done()));
          continue;
        }
        int from = m.window().equals("week") ? a.dayIndex(w.start()) : 0;
        int to = a.dayIndex(w.end());
        Number value;
        if (m.metric().startsWith("counter:")) {
          value = Kpi.count(a.countOver(m.metric().substring(8), from, to));
        } else if (Kpi.of(m.metric()) != null) {
          value = kpiOver(a, Kpi.of(m.metric()), from, to, ranges);
        } else {
          Plan.Focus target = a.breakdowns().focus(m.metric());
          value = target == null ? null : a.focusOver(target, from, to);
        }
        BigDecimal goal = m.growth() == null ? m.goal() : grown(a, m);
        String status;
        if (goal == null || now < ws) {
          status = "pending";
        } else if (now < we) {
          status = value != null && holds(value, m.op(), goal) ? "on-track" : "behind";
        } else {
          status = value != null && holds(value, m.op(), goal) ? "met" : "missed";
        }
        marks.add(new Mark(m.text(), m.metric(), m.window(), m.op(), value, goal, status, null));
      }
      out.add(new Phase(n, w.start(), w.end(), state, List.copyOf(marks)));
    }
    return out;
  }

  /** A KPI over the days [from, to) of the period. */
  private static Number kpiOver(Aggregator a, Kpi k, int from, int to, Map<Long, Totals> ranges) {
    if (from <= 0 && to >= a.periodDays().size()) return k.value(a.campaign());
    Totals sums = ranges.computeIfAbsent((long) from << 32 | to, key -> a.sumOver(from, to));
    if (!perCustomer(k)) return k.value(sums);
    Totals customers = a.customerWindow(from, to);
    return customers == null ? null : k.value(new WithCustomers(sums, customers));
  }

  /**
   * A relative goal: the metric's final value over the previous period times 1 + growth; null
   * while the previous period has no records (or the metric has no value there, or is not a KPI).
   */
  static BigDecimal grown(Aggregator a, Milestone m) {
    return Figures.grown(a.previous(), m.metric(), m.growth());
  }

  private static BigDecimal decimal(Number value) {
    return value instanceof BigDecimal d ? d
        : value instanceof Long l ? BigDecimal.valueOf(l)
        : value instanceof BigInteger b ? new BigDecimal(b)
        : BigDecimal.valueOf(value.doubleValue());
  }

  /** Whether a KPI counts distinct customers (not additive over days). */
  public static boolean perCustomer(Kpi k) {
    return k == Kpi.CUSTOMERS || k == Kpi.NEW_CUSTOMERS || k == Kpi.REPURCHASE_RATE;
  }

  /** Whether {@code value op goal} holds, compared as decimals. */
  static boolean holds(Number value, String op, BigDecimal goal) {
    int c = decimal(value).compareTo(goal);
    return switch (op) {
      case ">=" -> c >= 0;
      case ">" -> c > 0;
      case "<=" -> c <= 0;
      case "<" -> c < 0;
      default -> false;
    };
  }

  private static long millis(Plan plan, LocalDate d) {
    return d.atStartOfDay(plan.timezone()).toInstant().toEpochMilli();
  }

  @Override
  public void write(JsonGenerator g, Figures f) throws IOException {
    g.writeStartArray();
    for (Phase p : of(f)) {
      g.writeStartObject();
      g.writeNumberField("n", p.n());
      g.writeStringField("start", p.start().toString());
      g.writeStringField("end", p.end().toString());
      g.writeStringField("state", p.state());
      g.writeArrayFieldStart("milestones");
      for (Mark m : p.milestones()) {
        g.writeStartObject();
        g.writeFieldName("text");
        SnapshotWriter.text(g, m.text());
        if (m.metric() == null) {
          g.writeNullField("metric");
        } else {
          g.writeStringField("metric", m.metric());
          g.writeStringField("window", m.window());
          g.writeStringField("op", m.op());
        }
        g.writeFieldName("value");
        SnapshotWriter.number(g, m.value());
        g.writeFieldName("goal");
        SnapshotWriter.number(g, m.goal());
        g.writeStringField("status", m.status());
        if (m.done() != null) {
          g.writeStringField("by", m.done().by());
          g.writeStringField("at", Instant.ofEpochMilli(m.done().at()).toString());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** A window's sums with the distinct-customer counts of another Totals. */
  private record WithCustomers(Totals sums, Totals people) implements Sums {
    @Override public Sum gross() { return sums.gross(); }
    @Override public Sum refunds() { return sums.refunds(); }
    @Override public Sum revenue() { return sums.revenue(); }
    @Override public Sum sessions() { return sums.sessions(); }
    @Override public Sum adSpend() { return sums.adSpend(); }
    @Override public Sum attributed() { return sums.attributed(); }
    @Override public Sum online() { return sums.online(); }
    @Override public long orders() { return sums.orders(); }
    @Override public long refundCount() { return sums.refundCount(); }
    @Override public long adSpendCount() { return sums.adSpendCount(); }
    @Override public long customers() { return people.customers(); }
    @Override public long newCustomers() { return people.newCustomers(); }
    @Override public long repeaters() { return people.repeaters(); }
    @Override public long npsResponses() { return sums.npsResponses(); }
    @Override public long promoters() { return sums.promoters(); }
    @Override public long detractors() { return sums.detractors(); }
  }
}
