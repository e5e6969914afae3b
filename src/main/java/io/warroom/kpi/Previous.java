package io.warroom.kpi;

import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.measure.Sum;
import io.warroom.measure.Sums;
import io.warroom.plan.Plan;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * The previous period (CONTRACT section 13): its whole sums and its sums from its start to the
 * same point as now in the plan's period, to the minute. Kept as sums per minute of the period
 * (minutes without records take nothing) and, per customer, the minute of their first order, of
 * their second and of their first new-customer order, counted per minute; the to-date window is
 * running totals that take in the minutes it passes, so a push costs nothing and a minute costs
 * one minute's sums. A record of the previous period that arrives late lands in its minute, and
 * in the to-date totals when its minute is already inside. The focus targets' keys are kept the
 * same way ({@link PreviousFocus}).
 */
public final class Previous {
  private static final long MINUTE = Aggregator.MINUTE;
  private static final int FIRST = 0;
  private static final int SECOND = 1;
  private static final int NEW = 2;

  private final long from;
  private final long to;
  private final long planStart;
  private final long planEnd;
  private final int minutes;
  /** Sums of each minute of the period (no customers), null where none. */
  private final Totals[] buckets;
  private final Totals whole = new Totals();
  private final Totals toDate = new Totals();
  /** Per kind (first order, second order, first new-customer order): customers per minute. */
  private final int[][] at = new int[3][];
  /** Per customer number, per kind: the minute + 1 (0: none). */
  private int[] customers = new int[3 * 64];
  private final long[] wholeCounts = new long[3];
  private final long[] toDateCounts = new long[3];
  private final PreviousFocus focus;
  private long records;
  /** Minutes [0, cut) of the period are in the to-date totals. */
  private int cut;

  Previous(Plan plan) {
    Plan.Period p = period(plan);
    this.from = p.start().atStartOfDay(plan.timezone()).toInstant().toEpochMilli();
    this.to = p.end().atStartOfDay(plan.timezone()).toInstant().toEpochMilli();
    this.planStart = plan.startMillis();
    this.planEnd = plan.endMillis();
    this.minutes = (int) ((to - from + MINUTE - 1) / MINUTE);
    this.buckets = new Totals[minutes];
    for (int k = 0; k < 3; k++) at[k] = new int[minutes];
    this.focus = new PreviousFocus(plan, minutes);
  }

  /**
   * The period a plan is compared with: its {@code previous} when given; else, for a plan of whole
   * calendar months, as many months before it; else as many days before it.
   */
  public static Plan.Period period(Plan plan) {
    if (plan.previous() != null) return plan.previous();
    LocalDate s = plan.start();
    LocalDate e = plan.end();
    if (s.getDayOfMonth() == 1 && e.getDayOfMonth() == 1) {
      return new Plan.Period(s.minusMonths(ChronoUnit.MONTHS.between(s, e)), s);
    }
    return new Plan.Period(s.minusDays(ChronoUnit.DAYS.between(s, e)), s);
  }

  /** Start of the period, epoch ms. */
  public long fromMillis() {
    return from;
  }

  /** End of the period (exclusive), epoch ms. */
  public long toMillis() {
    return to;
  }

  /** End of the to-date window (exclusive), epoch ms. */
  public long toDateMillis() {
    return Math.min(to, from + cut * MINUTE);
  }

  boolean holds(long ts) {
    return ts >= from && ts < to;
  }

  /** Records of the period kept so far. */
  public long records() {
    return records;
  }

  /** The whole period. */
  public Sums whole() {
    return new View(whole, wholeCounts);
  }

  /** Net revenue cents of hour {@code h} of the period, counted from its start (0 past its end). */
  public Sum hourRevenue(int h) {
    Sum s = new Sum();
    for (int m = h * 60; m < Math.min(minutes, h * 60 + 60); m++) {
      if (m >= 0 && buckets[m] != null) s.add(buckets[m].revenue(), 1);
    }
    return s;
  }

  /** Whole hours of the period (a part hour counts as one). */
  public int hours() {
    return (minutes + 59) / 60;
  }

  /** The period from its start to the same point as now in the plan's period. */
  public Sums toDate() {
    return new View(toDate, toDateCounts);
  }

  /** Adds a record of the period; {@code customer} is an order's customer number. */
  void add(Rec r, int customer, boolean online) {
    if (r.type == RecordType.COUNT) return; // counters are not compared
    int m = minute(r.ts);
    bucket(m).add(r, -1, online);
    whole.add(r, -1, online);
    if (m < cut) toDate.add(r, -1, online);
    records++;
    if (r.type == RecordType.ORDER) {
      focus.add(r, m, m < cut);
      order(customer, m);
      if (Boolean.TRUE.equals(r.newCustomer)) firstNew(customer, m);
    }
  }

  /** Folds in a rollup of records whose `ts` lies in the minute starting at {@code minuteStart}. */
  void load(long minuteStart, Rollup g, boolean online) {
    if (!holds(minuteStart)) return;
    int m = minute(minuteStart);
    bucket(m).addSums(g, online);
    whole.addSums(g, online);
    if (m < cut) toDate.addSums(g, online);
    records += g.count();
  }

  /** Folds in a store's sums of a focus key's orders in the minute starting at {@code minuteStart}. */
  void loadFocus(String dimension, String key, long minuteStart, long orders, Sum cents, Sum units) {
    if (!holds(minuteStart)) return;
    int m = minute(minuteStart);
    focus.load(dimension, key, m, orders, cents, units, m < cut);
  }

  /** A focus target's value in the period to the same point as now. */
  public Number focusToDate(Plan.Focus f) {
    return focus.toDate(f, toDate());
  }

  /** Folds in a customer's first and second order time and first new-customer order time. */
  void loadCustomer(int customer, long first, Long second, Long firstNew) {
    if (!holds(first)) return;
    order(customer, minute(first));
    if (second != null && holds(second)) order(customer, minute(second));
    if (firstNew != null && holds(firstNew)) firstNew(customer, minute(firstNew));
  }

  /**
   * Moves the end of the to-date window to the same point as {@code nowMillis} in the plan; after
   * the plan's end it stays at the point of its end, so an ended campaign keeps its comparison.
   */
  void advance(long nowMillis) {
    long elapsed = Math.floorDiv(Math.min(nowMillis, planEnd) - planStart, MINUTE);
    int c = (int) Math.max(0, Math.min(minutes, elapsed));
    while (cut < c) take(cut++, 1);
    while (cut > c) take(--cut, -1);
  }

  private void take(int m, int sign) {
    if (buckets[m] != null) toDate.merge(buckets[m], sign);
    focus.take(m, sign);
    for (int k = 0; k < 3; k++) toDateCounts[k] += sign * at[k][m];
  }

  private int minute(long ts) {
    return (int) ((ts - from) / MINUTE);
  }

  private Totals bucket(int m) {
    Totals b = buckets[m];
    return b != null ? b : (buckets[m] = new Totals());
  }

  /** An order of a customer in minute m: it may be their first or second. */
  private void order(int c, int m) {
    grow(c);
    int first = customers[3 * c + FIRST] - 1;
    int second = customers[3 * c + SECOND] - 1;
    if (first < 0) {
      set(c, FIRST, -1, m);
    } else if (m < first) {
      set(c, FIRST, first, m);
      set(c, SECOND, second, first);
    } else if (second < 0 || m < second) {
      set(c, SECOND, second, m);
    }
  }

  private void firstNew(int c, int m) {
    grow(c);
    int was = customers[3 * c + NEW] - 1;
    if (was < 0 || m < was) set(c, NEW, was, m);
  }

  /** Moves a customer's minute of one kind from {@code was} (-1: none) to {@code m}. */
  private void set(int c, int kind, int was, int m) {
    customers[3 * c + kind] = m + 1;
    at[kind][m]++;
    if (m < cut) toDateCounts[kind]++;
    if (was < 0) {
      wholeCounts[kind]++;
    } else {
      at[kind][was]--;
      if (was < cut) toDateCounts[kind]--;
    }
  }

  private void grow(int c) {
    if (3 * c + 2 >= customers.length) {
      customers = Arrays.copyOf(customers, Math.max(customers.length * 2, 3 * c + 3));
    }
  }

  /** Bytes taken, roughly: the minute arrays, the customers, and the minutes with records. */
  public long bytes() {
    long b = 3L * 4 * minutes + 8L * minutes + 4L * customers.length + focus.bytes();
    for (Totals t : buckets) if (t != null) b += 400;
    return b;
  }

  /** A window's sums with the distinct customer counts kept here. */
  private record View(Totals t, long[] counts) implements Sums {
    @Override public Sum gross() { return t.gross(); }
    @Override public Sum refunds() { return t.refunds(); }
    @Override public Sum revenue() { return t.revenue(); }
    @Override public Sum sessions() { return t.sessions(); }
    @Override public Sum adSpend() { return t.adSpend(); }
    @Override public Sum attributed() { return t.attributed(); }
    @Override public Sum online() { return t.online(); }
    @Override public long orders() { return t.orders(); }
    @Override public long refundCount() { return t.refundCount(); }
    @Override public long adSpendCount() { return t.adSpendCount(); }
    @Override public long customers() { return counts[FIRST]; }
    @Override public long newCustomers() { return counts[NEW]; }
    @Override public long repeaters() { return counts[SECOND]; }
    @Override public long npsResponses() { return t.npsResponses(); }
    @Override public long promoters() { return t.promoters(); }
    @Override public long detractors() { return t.detractors(); }
  }
}
