package io.warroom.kpi;

import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.plan.Plan;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rolling aggregates for one plan: the campaign window, per-channel, per-ad-channel and budget
 * figures, and minute buckets from which the today, last1h and last15m windows are kept as running
 * totals. A record lands in the minute of its own `ts`, whenever it arrives. Memory grows with the
 * minutes kept (about a day) and with distinct customers, not with records.
 *
 * <p>Not thread-safe: one owner (the KPI service on its event loop, or a loader before handing over).
 */
public final class Aggregator {
  public static final String ADS = "ads";
  static final long MINUTE = 60_000L;
  static final long HOUR = 3_600_000L;
  static final int HOURS_KEPT = 48;

  private final Plan plan;
  private final long startMillis;
  private final long endMillis;
  private final Set<String> online;

  private final Totals campaign = new Totals();
  private final CustomerIds customers = new CustomerIds();
  /** channel -> {gross cents, orders, sessions}. */
  private final Map<String, long[]> channels = new TreeMap<>();
  /** ad channel -> {spend cents, attributed cents}. */
  private final Map<String, long[]> adChannels = new TreeMap<>();
  /** budget category -> spent cents. */
  private final Map<String, Long> spent = new HashMap<>();

  private final TreeMap<Long, Totals> buckets = new TreeMap<>();
  /** Epoch hour -> totals, for the last 48 hours (charts and sparklines). */
  private final TreeMap<Long, Totals> hours = new TreeMap<>();
  /** Net revenue cents per hour of the plan period, index 0 at the period's start. */
  private final long[] periodHourRevenue;
  /** Start of each plan-time day of the period, epoch ms (the report's week-by-week figures). */
  private final long[] dayStarts;
  /** Per day of the period: {gross, refunds, orders, sessions, ad spend, attributed} (cents/counts). */
  private final long[][] periodDays;
  private final Window today = new Window();
  private final Window last1h = new Window();
  private final Window last15m = new Window();
  private final List<Window> windows = List.of(today, last1h, last15m);
  private long retainFrom = Long.MIN_VALUE;
  private long nowMinute = Long.MIN_VALUE;

  public Aggregator(Plan plan, long nowMillis) {
    this.plan = plan;
    this.startMillis = plan.startMillis();
    this.endMillis = plan.endMillis();
    this.online = Set.copyOf(plan.onlineChannels());
    this.periodHourRevenue = new long[(int) ((endMillis - startMillis + HOUR - 1) / HOUR)];
    int days = (int) java.time.temporal.ChronoUnit.DAYS.between(plan.start(), plan.end());
    this.dayStarts = new long[days];
    for (int d = 0; d < days; d++) {
      dayStarts[d] = plan.start().plusDays(d).atStartOfDay(plan.timezone()).toInstant().toEpochMilli();
    }
    this.periodDays = new long[days][6];
    advance(nowMillis);
  }

  public Plan plan() {
    return plan;
  }

  public void apply(Rec r) {
    boolean isOnline = isOnline(r.type, r.channel);
    boolean inPeriod = r.ts >= startMillis && r.ts < endMillis;
    long minute = Math.floorDiv(r.ts, MINUTE);
    long hour = Math.floorDiv(r.ts, HOUR);
    boolean inHours = hour >= firstHourKept();
    boolean inMinutes = minute >= retainFrom;
    int customer = r.type == RecordType.ORDER && (inPeriod || inHours || inMinutes)
        ? customers.number(r.customerId) : -1;
    if (inPeriod) {
      campaign.add(r, customer, isOnline);
      addBreakdowns(r.type, r.channel, r.adChannel, r.category, 1, r.amountCents, r.sessions);
      addPeriodRevenue(r.ts, r.type, r.amountCents);
      addDay(r.ts, r.type, r.adChannel, r.category, 1, r.amountCents, r.sessions);
    }
    if (inHours) hours.computeIfAbsent(hour, k -> new Totals()).add(r, customer, isOnline);
    if (inMinutes) {
      buckets.computeIfAbsent(minute, m -> new Totals()).add(r, customer, isOnline);
      for (Window w : windows) {
        if (minute >= w.from && minute < w.to) w.totals.add(r, customer, isOnline);
      }
    }
  }

  /**
   * Folds in a rollup of plan-period records whose `ts` lies in the period hour that starts at
   * {@code hourStart} (a store's rebuild; together with {@link #loadCampaignCustomer} and the
   * {@code loadRecent} methods it gives the same state as applying the records one by one).
   */
  public void loadCampaign(long hourStart, Rollup g) {
    if (hourStart < startMillis || hourStart >= endMillis) return;
    campaign.addSums(g, isOnline(g.type(), g.channel()));
    addBreakdowns(g.type(), g.channel(), g.adChannel(), g.category(), g.count(), g.amountCents(),
        g.sessions());
    addPeriodRevenue(hourStart, g.type(), g.amountCents());
    addDay(hourStart, g.type(), g.adChannel(), g.category(), g.count(), g.amountCents(), g.sessions());
  }

  /** Folds in one customer's orders in the plan period. */
  public void loadCampaignCustomer(String customerId, int orders, int newCustomerOrders) {
    campaign.addCustomer(customers.number(customerId), orders, newCustomerOrders);
  }

  /** Folds in a rollup of records whose `ts` lies in epoch minute {@code minute}. */
  public void loadRecent(long minute, Rollup g) {
    boolean isOnline = isOnline(g.type(), g.channel());
    forRecent(minute, t -> t.addSums(g, isOnline));
  }

  /** Folds in one customer's orders whose `ts` lies in epoch minute {@code minute}. */
  public void loadRecentCustomer(long minute, String customerId, int orders, int newCustomerOrders) {
    int customer = customers.number(customerId);
    forRecent(minute, t -> t.addCustomer(customer, orders, newCustomerOrders));
  }

  /** The earliest record time that still lands in a kept hour or minute bucket. */
  public long recentFromMillis() {
    return Math.min(retainFrom * MINUTE, firstHourKept() * HOUR);
  }

  private boolean isOnline(RecordType type, String channel) {
    return type == RecordType.ORDER && online.contains(channel);
  }

  private long firstHourKept() {
    return Math.floorDiv(nowMinute * MINUTE, HOUR) - HOURS_KEPT + 1;
  }

  /** Runs {@code add} on the hour and minute buckets (and windows) that keep {@code minute}. */
  private void forRecent(long minute, java.util.function.Consumer<Totals> add) {
    long hour = Math.floorDiv(minute * MINUTE, HOUR);
    if (hour >= firstHourKept()) add.accept(hours.computeIfAbsent(hour, k -> new Totals()));
    if (minute >= retainFrom) {
      add.accept(buckets.computeIfAbsent(minute, m -> new Totals()));
      for (Window w : windows) {
        if (minute >= w.from && minute < w.to) add.accept(w.totals);
      }
    }
  }

  private void addPeriodRevenue(long ts, RecordType type, long amountCents) {
    int h = (int) ((ts - startMillis) / HOUR);
    if (type == RecordType.ORDER) periodHourRevenue[h] += amountCents;
    else if (type == RecordType.REFUND) periodHourRevenue[h] -= amountCents;
  }

  private void addBreakdowns(RecordType type, String channel, String adChannel, String category,
      long count, long amountCents, long sessions) {
    switch (type) {
      case ORDER -> {
        long[] c = channels.computeIfAbsent(channel, k -> new long[3]);
        c[0] += amountCents;
        c[1] += count;
        if (adChannel != null) adChannels.computeIfAbsent(adChannel, k -> new long[2])[1] += amountCents;
      }
      case VISIT -> channels.computeIfAbsent(channel, k -> new long[3])[2] += sessions;
      case SPEND -> {
        spent.merge(category, amountCents, Long::sum);
        if (adChannel != null) adChannels.computeIfAbsent(adChannel, k -> new long[2])[0] += amountCents;
      }
      default -> { }
    }
  }

  /**
   * Adds to the day of the period holding {@code ts}: {@code count} records of one kind summing
   * {@code amountCents} and {@code sessions}. (A rollup of an hour lands in the day the hour
   * starts in: exact wherever days start on whole hours, as in every zone with whole-hour offsets.)
   */
  private void addDay(long ts, RecordType type, String adChannel, String category, long count,
      long amountCents, long sessions) {
    int i = java.util.Arrays.binarySearch(dayStarts, ts);
    long[] d = periodDays[i >= 0 ? i : -i - 2];
    switch (type) {
      case ORDER -> {
        d[0] += amountCents;
        d[2] += count;
        if (adChannel != null) d[5] += amountCents;
      }
      case REFUND -> d[1] += amountCents;
      case VISIT -> d[3] += sessions;
      case SPEND -> {
        if (ADS.equals(category)) d[4] += amountCents;
      }
      default -> { }
    }
  }


  /**
   * Additive sums per plan-time day of the period, index 0 the first day: {gross cents, refund
   * cents, orders, sessions, ad spend cents, attributed cents}.
   */
  public long[][] periodDays() {
    return periodDays;
  }

  /**
   * Moves the rolling windows to {@code nowMillis}: last15m and last1h are the current minute and
   * the 14 or 59 before it; today is the plan-time calendar day. Returns whether any window moved.
   */
  public boolean advance(long nowMillis) {
    long minute = Math.floorDiv(nowMillis, MINUTE);
    if (minute == nowMinute) return false;
    nowMinute = minute;
    ZonedDateTime day = Instant.ofEpochMilli(nowMillis).atZone(plan.timezone()).toLocalDate()
        .atStartOfDay(plan.timezone());
    long dayFrom = Math.floorDiv(day.toInstant().toEpochMilli(), MINUTE);
    long dayTo = Math.floorDiv(day.plusDays(1).toInstant().toEpochMilli(), MINUTE);
    today.moveTo(dayFrom, dayTo);
    last1h.moveTo(minute - 59, minute + 1);
    last15m.moveTo(minute - 14, minute + 1);
    retainFrom = Math.min(dayFrom, minute - 59);
    buckets.headMap(retainFrom).clear();
    hours.headMap(Math.floorDiv(nowMillis, HOUR) - HOURS_KEPT + 1).clear();
    return true;
  }

  public Totals campaign() {
    return campaign;
  }

  public Totals today() {
    return today.totals;
  }

  public Totals last1h() {
    return last1h.totals;
  }

  public Totals last15m() {
    return last15m.totals;
  }

  public Map<String, long[]> channels() {
    return channels;
  }

  public Map<String, long[]> adChannels() {
    return adChannels;
  }

  /** Totals per epoch hour over the last 48 hours (hours without records absent). */
  public java.util.SortedMap<Long, Totals> hours() {
    return hours;
  }

  /** Net revenue cents per hour of the plan period. */
  public long[] periodHourRevenue() {
    return periodHourRevenue;
  }

  public long spentCents(String category) {
    return spent.getOrDefault(category, 0L);
  }

  /** A window over minutes [from, to), kept as running totals of the buckets inside it. */
  private final class Window {
    long from = Long.MIN_VALUE;
    long to = Long.MIN_VALUE;
    final Totals totals = new Totals();

    void moveTo(long newFrom, long newTo) {
      if (newFrom == from && newTo == to) return;
      if (newFrom >= from && newTo >= to && newFrom < to) {
        for (Totals b : buckets.subMap(from, newFrom).values()) totals.merge(b, -1);
        for (Totals b : buckets.subMap(to, newTo).values()) totals.merge(b, 1);
      } else {
        totals.clear();
        for (Totals b : buckets.subMap(newFrom, newTo).values()) totals.merge(b, 1);
      }
      from = newFrom;
      to = newTo;
    }
  }
}
