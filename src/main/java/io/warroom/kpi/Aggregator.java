package io.warroom.kpi;

import io.warroom.measure.Kpi;
import io.warroom.measure.Sum;

import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.plan.Plan;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Rolling aggregates for one plan: the campaign window, per-channel, per-ad-channel and budget
 * figures, and minute and second buckets from which the today, last1h and last15m windows are kept
 * as running totals; each ends now, to the second. A record lands in the minute and second of its
 * own `ts`, whenever it arrives. Memory grows with the minutes (about a day) and
 * seconds (an hour) kept and with distinct customers, not with records.
 *
 * <p>Not thread-safe: one owner (the KPI service on its event loop, or a loader before handing over).
 */
public final class Aggregator {
  public static final String ADS = "ads";
  static final long SECOND = 1_000L;
  static final long MINUTE = 60_000L;
  static final long HOUR = 3_600_000L;
  static final int HOURS_KEPT = 48;
  /**
   * Channels and ad channels told apart, each table; keys first seen past this count as one. Wide
   * enough that a flood of 100,000 one-order channels is still ranked exactly, bounded so a flood
   * of millions costs no more than this (at most about 92 MB for both tables, bench/run.sh cost).
   */
  public static final int MAX_CHANNELS = 200_000;
  /** And as many as their names fit in 8 million UTF-16 chars (16 MB), 40 chars each at 200,000. */
  public static final long MAX_CHANNEL_CHARS = 8_000_000;

  private final Plan plan;
  private final long startMillis;
  private final long endMillis;
  private final Set<String> online;

  private final Totals campaign = new Totals();
  private final CustomerIds customers = new CustomerIds();
  private final Keyed<ChannelSums> channels;
  private final Keyed<AdChannelSums> adChannels = new Keyed<>(AdChannelSums::new, MAX_CHANNELS,
      MAX_CHANNEL_CHARS, Set.of(), AdChannelSums.BY_SPEND);
  /** Budget category -> spent cents (categories are the plan's budget keys). */
  private final Map<String, Sum> spent = new HashMap<>();

  /** Epoch minute -> totals, from the start of today on (the today window). */
  private final TreeMap<Long, Totals> buckets = new TreeMap<>();
  /** Epoch second -> totals, for the last hour and the near future (last1h and last15m). */
  private final TreeMap<Long, Totals> seconds = new TreeMap<>();
  /** Epoch hour -> totals, for the last 48 hours (charts and sparklines). */
  private final TreeMap<Long, Totals> hours = new TreeMap<>();
  /** Net revenue cents per hour of the plan period, index 0 at the period's start. */
  private final Sum[] periodHourRevenue;
  /** Start of each plan-time day of the period, epoch ms (the report's week-by-week figures). */
  private final long[] dayStarts;
  /** The sums of each plan-time day of the period (no customers). */
  private final Totals[] periodDays;
  /** Today so far: its whole minutes, then the seconds of the current minute, in one Totals. */
  private final Totals today = new Totals();
  private final Window todayMinutes = new Window(buckets, today);
  private final Window todaySeconds = new Window(seconds, today);
  private final Window last1h = new Window(seconds, new Totals());
  private final Window last15m = new Window(seconds, new Totals());
  /** The snapshot's sections; a part of the aggregates that has one adds it here. */
  private final List<Section> sections = new ArrayList<>();
  private final Experiments experiments;
  /**
   * Distinct customers over the day ranges a milestone measures them in, other than the whole
   * campaign (by {@link #range}); only ranges some milestone names are kept.
   */
  private final Map<Long, CustomerWindow> customerWindows = new LinkedHashMap<>();
  /** The previous period, to date and whole (CONTRACT section 13). */
  private final Previous previous;
  private final Breakdowns breakdowns;
  private final FocusDays focusDays;
  private long retainFrom = Long.MIN_VALUE;
  private long secondsFrom = Long.MIN_VALUE;
  private long nowMinute = Long.MIN_VALUE;
  private long nowSecond = Long.MIN_VALUE;
  /** Records of each hour of the period (index 0 at its start), for {@link #seriesVersion}. */
  private final long[] periodHourRecords;
  /** Records of the plan period held, and the newest record time seen (data health). */
  private long periodRecords;
  private long newestTs = Long.MIN_VALUE;
  private Long keptAt;

  public Aggregator(Plan plan, long nowMillis) {
    this.plan = plan;
    this.startMillis = plan.startMillis();
    this.endMillis = plan.endMillis();
    this.online = Set.copyOf(plan.onlineChannels());
    // the plan's online channels are listed whatever a flood of other names came first
    this.channels = new Keyed<>(ChannelSums::new, MAX_CHANNELS, MAX_CHANNEL_CHARS, online,
        ChannelSums.BY_REVENUE);
    this.periodHourRevenue = new Sum[(int) ((endMillis - startMillis + HOUR - 1) / HOUR)];
    this.periodHourRecords = new long[periodHourRevenue.length];
    int days = (int) ChronoUnit.DAYS.between(plan.start(), plan.end());
    this.dayStarts = new long[days];
    this.periodDays = new Totals[days];
    for (int d = 0; d < days; d++) {
      dayStarts[d] = plan.start().plusDays(d).atStartOfDay(plan.timezone()).toInstant().toEpochMilli();
      periodDays[d] = new Totals();
    }
    for (String category : plan.budgetCents().keySet()) spent.put(category, new Sum());
    experiments = new Experiments(plan);
    sections.add(experiments);
    this.previous = new Previous(plan);
    breakdowns = new Breakdowns(plan, campaign);
    sections.add(breakdowns);
    focusDays = new FocusDays(plan, days);
    for (Plan.Week w : plan.weeks()) {
      for (Plan.Milestone m : w.milestones()) {
        if (!m.measured() || Kpi.of(m.metric()) == null || !Phases.perCustomer(Kpi.of(m.metric()))) continue;
        int from = m.window().equals("week") ? dayIndex(w.start()) : 0;
        int to = dayIndex(w.end());
        if (from <= 0 && to >= days) continue; // the campaign's own customers
        customerWindows.computeIfAbsent(range(from, to), k -> new CustomerWindow(
            from < days ? dayStarts[from] : endMillis, to < days ? dayStarts[to] : endMillis));
      }
    }
    sections.add(Phases.SECTION);
    sections.add(Counters.SECTION);
    advance(nowMillis);
  }

  public Plan plan() {
    return plan;
  }

  /** The snapshot's sections of the parts of this aggregator (none yet beyond the core). */
  public List<Section> sections() {
    return sections;
  }

  /**
   * Applies the records of one transaction (a request, or one transaction of another node's), in
   * its order: past the caps, the channels and breakdown keys are told apart in the order they
   * first come, as the other nodes and a store's rebuild meet them.
   */
  public void apply(List<Rec> batch) {
    for (Rec r : batch) apply(r);
  }

  public void apply(Rec r) {
    boolean isOnline = isOnline(r.type, r.channel);
    boolean inPeriod = r.ts >= startMillis && r.ts < endMillis;
    long second = Math.floorDiv(r.ts, SECOND);
    long minute = Math.floorDiv(r.ts, MINUTE);
    long hour = Math.floorDiv(r.ts, HOUR);
    boolean inHours = hour >= firstHourKept();
    boolean inMinutes = minute >= retainFrom;
    boolean inSeconds = second >= secondsFrom;
    boolean inPrevious = previous.holds(r.ts);
    int customer = r.type == RecordType.ORDER
        && (inPeriod || inHours || inMinutes || inSeconds || inPrevious)
        ? customers.number(r.customerId) : -1;
    if (inPrevious) previous.add(r, customer, isOnline);
    if (inPeriod || inMinutes || inSeconds) newestTs = Math.max(newestTs, r.ts);
    if (inPeriod) {
      periodRecords++;
      periodHourRecords[(int) ((r.ts - startMillis) / HOUR)]++;
      campaign.add(r, customer, isOnline);
      addChannels(r);
      addPeriodRevenue(r.ts, r.type, r.amountCents, null);
      int day = dayOf(r.ts);
      periodDays[day].add(r, -1, isOnline);
      focusDays.add(r, day);
      experiments.apply(r);
      if (customer >= 0 && !customerWindows.isEmpty()) {
        for (CustomerWindow w : customerWindows.values()) {
          if (r.ts >= w.from && r.ts < w.to) {
            w.totals.addCustomer(customer, 1, Boolean.TRUE.equals(r.newCustomer) ? 1 : 0);
          }
        }
      }
      breakdowns.add(r);
    }
    if (inHours) hours.computeIfAbsent(hour, k -> new Totals()).add(r, customer, isOnline);
    if (inMinutes) {
      buckets.computeIfAbsent(minute, m -> new Totals()).add(r, customer, isOnline);
      if (todayMinutes.holds(minute)) today.add(r, customer, isOnline);
    }
    if (inSeconds) {
      seconds.computeIfAbsent(second, k -> new Totals()).add(r, customer, isOnline);
      if (todaySeconds.holds(second)) today.add(r, customer, isOnline);
      if (last1h.holds(second)) last1h.totals.add(r, customer, isOnline);
      if (last15m.holds(second)) last15m.totals.add(r, customer, isOnline);
    }
  }

  /**
   * Folds in a rollup of plan-period records whose `ts` lies in the period hour that starts at
   * {@code hourStart} (a store's rebuild; together with {@link #loadCampaignCustomer} and the
   * {@code loadRecent} methods it gives the same state as applying the records one by one).
   */
  public void loadCampaign(long hourStart, Rollup g) {
    if (hourStart < startMillis || hourStart >= endMillis) return;
    boolean isOnline = isOnline(g.type(), g.channel());
    periodRecords += g.count();
    periodHourRecords[(int) ((hourStart - startMillis) / HOUR)] += g.count();
    newestTs = Math.max(newestTs, hourStart);
    campaign.addSums(g, isOnline);
    addChannels(g);
    addPeriodRevenue(hourStart, g.type(), 0, g.amount());
    // A rollup of an hour lands in the day the hour starts in: exact wherever days start on whole
    // hours, as in every zone with whole-hour offsets.
    day(hourStart).addSums(g, isOnline);
  }

  /** The plan's A/B experiments over the campaign window. */
  public Experiments experiments() {
    return experiments;
  }

  /** A period of time whose distinct customers a milestone measures. */
  public record CustomerWindow(long from, long to, Totals totals) {
    CustomerWindow(long from, long to) {
      this(from, to, new Totals());
    }
  }

  /** The customer windows, in a fixed order (a store's rebuild fills each). */
  public List<CustomerWindow> customerWindows() {
    return List.copyOf(customerWindows.values());
  }

  /** Folds in one customer's orders in a customer window. */
  public void loadWindowCustomer(CustomerWindow w, String customerId, int orders, int newOrders) {
    w.totals.addCustomer(customers.number(customerId), orders, newOrders);
  }

  /** The distinct customers over the period's days [from, to), or null when none is kept. */
  public Totals customerWindow(int from, int to) {
    CustomerWindow w = customerWindows.get(range(from, to));
    return w == null ? null : w.totals;
  }

  private static long range(int from, int to) {
    return (long) from << 32 | to;
  }

  /** The index of a date among the period's days, clamped to [0, days]. */
  public int dayIndex(LocalDate d) {
    long i = ChronoUnit.DAYS.between(plan.start(), d);
    return (int) Math.max(0, Math.min(periodDays.length, i));
  }

  /** The sums (no customers) over the period's days [from, to). */
  public Totals sumOver(int from, int to) {
    Totals t = new Totals();
    for (int d = Math.max(0, from); d < Math.min(periodDays.length, to); d++) t.merge(periodDays[d], 1);
    return t;
  }

  /** A counter's sum over the period's days [from, to). */
  public Sum countOver(String name, int from, int to) {
    Sum s = new Sum();
    for (int d = Math.max(0, from); d < Math.min(periodDays.length, to); d++) {
      s.add(periodDays[d].count(name), 1);
    }
    return s;
  }

  /** Folds in the sum of a counter over plan-period records of the hour from {@code hourStart}. */
  public void loadCampaignCount(long hourStart, String name, Sum value) {
    if (hourStart < startMillis || hourStart >= endMillis) return;
    campaign.addCount(name, value, 1);
    day(hourStart).addCount(name, value, 1);
  }

  /**
   * Folds in the sum of a counter over records whose `ts` lies in the minute, or second, that
   * starts at {@code bin} (see {@link #loadRecent}).
   */
  public void loadRecentCount(long bin, String name, Sum value) {
    forRecent(bin, t -> t.addCount(name, value, 1));
  }

  /** Folds in one customer's orders in the plan period. */
  public void loadCampaignCustomer(String customerId, int orders, int newCustomerOrders) {
    campaign.addCustomer(customers.number(customerId), orders, newCustomerOrders);
  }

  /** Folds in a rollup of previous-period records whose `ts` lies in epoch minute {@code minute}. */
  public void loadPrevious(long minute, Rollup g) {
    previous.load(minute * MINUTE, g, isOnline(g.type(), g.channel()));
  }

  /**
   * Folds in a customer's first and second order time and first new-customer order time (null:
   * none) in the previous period.
   */
  public void loadPreviousCustomer(String customerId, long first, Long second, Long firstNew) {
    previous.loadCustomer(customers.number(customerId), first, second, firstNew);
  }

  /**
   * Folds in a store's sums of a focus key's orders in the period hour that starts at
   * {@code hourStart} (in the day the hour starts in, as {@link #loadCampaign}).
   */
  public void loadFocus(String dimension, String key, long hourStart, long orders, Sum cents,
      Sum units) {
    if (hourStart < startMillis || hourStart >= endMillis) return;
    focusDays.load(dimension, key, dayOf(hourStart), orders, cents, units);
  }

  /**
   * A focus target's value over the period's days [from, to): its key's orders there, and for a
   * share, the gross revenue of those days.
   */
  public Number focusOver(Plan.Focus f, int from, int to) {
    if (from <= 0 && to >= periodDays.length) return breakdowns.value(f);
    Breakdowns.Row r = focusDays.over(f, from, to);
    return Breakdowns.value(f, r, f.metric().equals("share") ? sumOver(from, to).gross() : null);
  }

  /** Folds in a store's previous-period sums of a focus key's orders in one epoch minute. */
  public void loadPreviousFocus(String dimension, String key, long minute, long orders, Sum cents,
      Sum units) {
    previous.loadFocus(dimension, key, minute * MINUTE, orders, cents, units);
  }

  /** The previous period, whole and to date. */
  public Previous previous() {
    return previous;
  }

  /** Records of the plan period the aggregates hold, however they came (rebuilt or fed). */
  public long periodRecords() {
    return periodRecords;
  }

  /**
   * The newest record time the aggregates hold, in the period or the last day, or null: exact,
   * fed one by one or after a rebuild (which reads it apart, {@link #loadNewest}).
   */
  public Long newestRecordAt() {
    return newestTs == Long.MIN_VALUE ? null : newestTs;
  }

  /**
   * When the store last kept a record (this node's clock), as a rebuild read it; null when the
   * store cannot say (memory, or rows kept before it noted the time).
   */
  public Long keptAt() {
    return keptAt;
  }

  public void keptAt(long millis) {
    keptAt = millis;
  }

  /**
   * Folds in a rollup of records whose `ts` lies in the bin that starts at {@code bin} (epoch ms):
   * a whole minute before {@link #secondsFromMillis}, a second from then on.
   */
  public void loadRecent(long bin, Rollup g) {
    boolean isOnline = isOnline(g.type(), g.channel());
    newestTs = Math.max(newestTs, bin);
    forRecent(bin, t -> t.addSums(g, isOnline));
  }

  /** Folds in one customer's orders whose `ts` lies in the bin from {@code bin} (as loadRecent). */
  public void loadRecentCustomer(long bin, String customerId, int orders, int newCustomerOrders) {
    int customer = customers.number(customerId);
    forRecent(bin, t -> t.addCustomer(customer, orders, newCustomerOrders));
  }

  /** Besides the period's, the earliest record time the newest record time counts from. */
  public long newestFromMillis() {
    return Math.min(retainFrom * MINUTE, secondsFromMillis());
  }

  /**
   * The newest record time as a store read it exactly (its rollups give only the start of its
   * bin), so every node's rebuild says the same.
   */
  public void loadNewest(long ts) {
    newestTs = Math.max(newestTs, ts);
  }

  /** The earliest record time that still lands in a kept hour or minute bucket. */
  public long recentFromMillis() {
    return Math.min(newestFromMillis(), firstHourKept() * HOUR);
  }

  /** The earliest record time that lands in a kept second bucket (last1h and last15m). */
  public long secondsFromMillis() {
    return secondsFrom * SECOND;
  }

  private boolean isOnline(RecordType type, String channel) {
    return type == RecordType.ORDER && online.contains(channel);
  }

  private long firstHourKept() {
    return Math.floorDiv(nowMinute * MINUTE, HOUR) - HOURS_KEPT + 1;
  }

  /**
   * Runs {@code add} on the hour, minute and second buckets (and windows) that keep the bin from
   * {@code bin}: a whole minute, or past {@link #secondsFromMillis} one second.
   */
  private void forRecent(long bin, Consumer<Totals> add) {
    long hour = Math.floorDiv(bin, HOUR);
    if (hour >= firstHourKept()) add.accept(hours.computeIfAbsent(hour, k -> new Totals()));
    long minute = Math.floorDiv(bin, MINUTE);
    if (minute >= retainFrom) {
      add.accept(buckets.computeIfAbsent(minute, m -> new Totals()));
      if (todayMinutes.holds(minute)) add.accept(today);
    }
    long second = Math.floorDiv(bin, SECOND);
    if (second >= secondsFrom) {
      add.accept(seconds.computeIfAbsent(second, k -> new Totals()));
      if (todaySeconds.holds(second)) add.accept(today);
      if (last1h.holds(second)) add.accept(last1h.totals);
      if (last15m.holds(second)) add.accept(last15m.totals);
    }
  }

  /** Adds an order's amount to, or a refund's from, its hour of the period ({@code sum} or cents). */
  private void addPeriodRevenue(long ts, RecordType type, long cents, Sum sum) {
    if (type != RecordType.ORDER && type != RecordType.REFUND) return;
    int h = (int) ((ts - startMillis) / HOUR);
    Sum s = periodHourRevenue[h];
    if (s == null) s = periodHourRevenue[h] = new Sum();
    int sign = type == RecordType.ORDER ? 1 : -1;
    if (sum != null) s.add(sum, sign);
    else s.add(sign * cents);
  }

  private void addChannels(Rec r) {
    long cents = r.amountCents;
    switch (r.type) {
      case ORDER -> {
        ChannelSums c = channels.row(r.channel);
        c.gross.add(cents);
        c.orders++;
        channels.total().gross.add(cents);
        channels.total().orders++;
        channels.moved(r.channel, c);
        if (r.adChannel != null) {
          AdChannelSums a = adChannels.row(r.adChannel);
          a.attributed.add(cents);
          adChannels.total().attributed.add(cents);
          adChannels.moved(r.adChannel, a);
        }
      }
      case VISIT -> {
        ChannelSums c = channels.row(r.channel);
        c.sessions.add(r.sessions);
        channels.total().sessions.add(r.sessions);
        channels.moved(r.channel, c);
      }
      case SPEND -> {
        Sum category = spent.get(r.category);
        if (category != null) category.add(cents);
        if (r.adChannel != null) {
          AdChannelSums a = adChannels.row(r.adChannel);
          a.spend.add(cents);
          adChannels.total().spend.add(cents);
          adChannels.moved(r.adChannel, a);
        }
      }
      default -> { }
    }
  }

  private void addChannels(Rollup g) {
    switch (g.type()) {
      case ORDER -> {
        ChannelSums c = channels.row(g.channel());
        c.gross.add(g.amount(), 1);
        c.orders += g.count();
        channels.total().gross.add(g.amount(), 1);
        channels.total().orders += g.count();
        channels.moved(g.channel(), c);
        if (g.adChannel() != null) {
          AdChannelSums a = adChannels.row(g.adChannel());
          a.attributed.add(g.amount(), 1);
          adChannels.total().attributed.add(g.amount(), 1);
          adChannels.moved(g.adChannel(), a);
        }
      }
      case VISIT -> {
        ChannelSums c = channels.row(g.channel());
        c.sessions.add(g.sessions(), 1);
        channels.total().sessions.add(g.sessions(), 1);
        channels.moved(g.channel(), c);
      }
      case SPEND -> {
        Sum category = spent.get(g.category());
        if (category != null) category.add(g.amount(), 1);
        if (g.adChannel() != null) {
          AdChannelSums a = adChannels.row(g.adChannel());
          a.spend.add(g.amount(), 1);
          adChannels.total().spend.add(g.amount(), 1);
          adChannels.moved(g.adChannel(), a);
        }
      }
      default -> { }
    }
  }

  /** The day of the period holding {@code ts} (which lies in the period). */
  private Totals day(long ts) {
    return periodDays[dayOf(ts)];
  }

  /** The index of the period's day that holds {@code ts} (a time of the period). */
  private int dayOf(long ts) {
    int i = Arrays.binarySearch(dayStarts, ts);
    return i >= 0 ? i : -i - 2;
  }

  /** The sums of each plan-time day of the period, index 0 the first day (no customers). */
  public List<Totals> periodDays() {
    return List.of(periodDays);
  }

  /**
   * Moves the rolling windows to {@code nowMillis}: last15m and last1h are the current second and
   * the 899 or 3,599 before it; today is the plan-time calendar day up to the current second.
   * Returns whether a figure may have changed: a new minute, or a second bucket that entered or
   * left a window.
   */
  public boolean advance(long nowMillis) {
    long second = Math.floorDiv(nowMillis, SECOND);
    if (second == nowSecond) return false;
    nowSecond = second;
    long minute = Math.floorDiv(nowMillis, MINUTE);
    boolean newMinute = minute != nowMinute;
    if (newMinute) {
      nowMinute = minute;
      previous.advance(nowMillis);
      long dayFrom = Math.floorDiv(Instant.ofEpochMilli(nowMillis).atZone(plan.timezone())
          .toLocalDate().atStartOfDay(plan.timezone()).toInstant().toEpochMilli(), MINUTE);
      if (dayFrom != todayMinutes.from || minute < todayMinutes.to) {
        // a new day, or the clock went back: today starts again from its buckets
        today.clear();
        todayMinutes.emptyAt(dayFrom);
        todaySeconds.emptyAt(minute * 60);
      }
      todayMinutes.moveTo(dayFrom, minute);
      retainFrom = dayFrom;
    }
    // Seconds are in a Totals already holding the whole minutes, so they move after them.
    boolean moved = todaySeconds.moveTo(minute * 60, second + 1);
    moved |= last1h.moveTo(second - 3599, second + 1);
    moved |= last15m.moveTo(second - 899, second + 1);
    secondsFrom = second - 3599;
    seconds.headMap(secondsFrom).clear();
    if (newMinute) {
      buckets.headMap(retainFrom).clear();
      hours.headMap(Math.floorDiv(nowMillis, HOUR) - HOURS_KEPT + 1).clear();
    }
    return newMinute || moved;
  }

  public Totals campaign() {
    return campaign;
  }

  public Totals today() {
    return today;
  }

  public Totals last1h() {
    return last1h.totals;
  }

  public Totals last15m() {
    return last15m.totals;
  }

  /** The campaign's breakdowns and focus target figures (section 11). */
  public Breakdowns breakdowns() {
    return breakdowns;
  }

  public Keyed<ChannelSums> channels() {
    return channels;
  }

  public Keyed<AdChannelSums> adChannels() {
    return adChannels;
  }

  /** Totals per epoch hour over the last 48 hours (hours without records absent). */
  public SortedMap<Long, Totals> hours() {
    return hours;
  }

  /**
   * The records held in the period's hours before the current one, plus those of the previous
   * period: it grows when a record lands in a past hour, so chart data written with a smaller
   * number is out of date. A function of the records held, so every node answers the same.
   */
  public long seriesVersion() {
    long current = Math.floorDiv(nowMinute * MINUTE - startMillis, HOUR);
    long n = previous.records();
    for (int h = 0; h < Math.min(current, periodHourRecords.length); h++) n += periodHourRecords[h];
    return n;
  }

  /** Hours in the plan period. */
  public int periodHours() {
    return periodHourRevenue.length;
  }

  /** Net revenue cents of hour {@code h} of the plan period (0 when none). */
  public Sum periodHourRevenue(int h) {
    Sum s = periodHourRevenue[h];
    return s == null ? new Sum() : s;
  }

  /** Cents spent in a budget category over the campaign (zero for one the plan lacks). */
  public Sum spent(String category) {
    Sum s = spent.get(category);
    return s == null ? new Sum() : s;
  }

  /**
   * The buckets [from, to) of one map, kept added into a Totals (which another Window may add
   * into as well: today's minutes and seconds).
   */
  private static final class Window {
    final TreeMap<Long, Totals> buckets;
    final Totals totals;
    long from = Long.MIN_VALUE;
    long to = Long.MIN_VALUE;

    Window(TreeMap<Long, Totals> buckets, Totals totals) {
      this.buckets = buckets;
      this.totals = totals;
    }

    boolean holds(long bucket) {
      return bucket >= from && bucket < to;
    }

    /** Holds nothing, from {@code at} (its buckets already taken out of the totals). */
    void emptyAt(long at) {
      from = to = at;
    }

    /** Returns whether a bucket entered or left. */
    boolean moveTo(long newFrom, long newTo) {
      if (newFrom == from && newTo == to) return false;
      boolean moved = false;
      boolean forward = newFrom >= from && newTo >= to && newFrom <= to;
      // forward: what the start passed leaves; else the whole old range leaves
      for (Totals b : buckets.subMap(from, forward ? newFrom : to).values()) {
        totals.merge(b, -1);
        moved = true;
      }
      for (Totals b : buckets.subMap(forward ? to : newFrom, newTo).values()) {
        totals.merge(b, 1);
        moved = true;
      }
      from = newFrom;
      to = newTo;
      return moved;
    }
  }
}
