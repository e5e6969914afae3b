package io.warroom.demo;

import io.warroom.kpi.Previous;
import io.warroom.plan.Plan;
import io.warroom.plan.Text;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Generates a plausible month of records for a plan, minute by minute, as NDJSON lines for
 * POST /api/v1/events: orders (by channel, ad channel, new or returning customer), refunds a few
 * hours to days later, visits every 5 minutes, ad spend per ad channel every hour, the other
 * budget categories once a day, and NPS answers. Volume follows the hour of day and the plan's
 * phases: a quiet first week, the pre-heat, the peak on day 11 (11.11, 12.12) with its midnight
 * rush, and the long tail. Each minute draws from its own seed, so ids repeat exactly if a
 * demo is restarted (the server then counts them as duplicates).
 *
 * <p>Two A/B experiments of the plan ({@link #EXPERIMENTS}) split the sessions and orders of one
 * channel each: on Tmall variant B converts 20 % better than A, on JD both convert alike. The
 * previous period ({@link #previous}) is a month of the same shape at a lower level, without
 * experiments.
 *
 * <p>Not thread-safe; minutes must be generated in order.
 */
public final class DemoData {
  static final double ORDERS_PER_MINUTE = 0.84;
  private static final long MINUTE = 60_000L;
  private static final long SEED = 0x5EED_11_11L;
  /** Relative volume by plan-time hour of day. */
  private static final double[] HOURS = {0.35, 0.2, 0.12, 0.08, 0.06, 0.08, 0.15, 0.35, 0.6, 0.85,
      1.05, 1.2, 1.3, 1.15, 1.1, 1.1, 1.15, 1.2, 1.3, 1.5, 1.8, 2.0, 1.7, 0.9};
  private static final String[] CHANNELS = {"tmall", "jd", "douyin_live", "wechat_mall", "website",
      "store", "partner_shops"};
  private static final double[] CHANNEL_SHARE = {0.30, 0.20, 0.15, 0.08, 0.05, 0.17, 0.05};
  private static final double[] CHANNEL_CONVERSION = {0.035, 0.03, 0.025, 0.04, 0.02, 0.12, 0.05};
  private static final String[] AD_CHANNELS = {"search", "social", "feeds", "kol"};
  private static final double[] AD_SHARE = {0.18, 0.12, 0.10, 0.08};
  private static final String[] PRODUCTS = {"A", "B", "C", "G1", "G2", "G3", "D", "E"};
  private static final String[] CATEGORIES = {"home", "home", "personal_care", "green", "green",
      "green", "electronics", "electronics"};
  private static final double[] PRODUCT_SHARE = {0.22, 0.14, 0.12, 0.1, 0.08, 0.06, 0.16, 0.12};
  private static final String[] REGIONS = {"华东", "华北", "华南", "华中", "西南", "西北"};
  private static final double[] REGION_SHARE = {0.32, 0.22, 0.2, 0.12, 0.08, 0.06};
  /** Regions from this index on are the plan's new markets (tagged new-market). */
  private static final int NEW_MARKETS = 4;
  private static final String[] SEGMENTS = {"18-29", "30-45", "46+", "b2b", "education"};
  private static final double[] SEGMENT_SHARE = {0.25, 0.42, 0.18, 0.1, 0.05};
  private static final int MEMBERS = 6000;
  private static final int RECENT = 8000;
  /** The previous period's volume and order amounts, against this period's. */
  static final double PREVIOUS_VOLUME = 0.88;
  static final double PREVIOUS_AMOUNT = 0.96;

  /** An experiment the demo plays: the channel it splits, and each variant's conversion lift. */
  record Played(Plan.Experiment declared, String channel, double[] lift) {}

  /** The demo's experiments: one with a real effect, one without. */
  static final List<Played> EXPERIMENTS = List.of(
      new Played(new Plan.Experiment("checkout-v2",
          Text.zhEn("天猫新结算页", "Tmall: new checkout page"), List.of("A", "B"), "A",
          List.of(0.5, 0.5)), "tmall", new double[] {0, 0.20}),
      new Played(new Plan.Experiment("banner-colour",
          Text.zhEn("京东首页横幅颜色", "JD: home banner colour"), List.of("A", "B"), "A",
          List.of(0.5, 0.5)), "jd", new double[] {0, 0}));

  private final Plan plan;
  private final LocalDate start;
  private final double volume;
  private final double amount;
  /** Per channel index: the experiment played on it, or null. */
  private final Played[] played = new Played[CHANNELS.length];
  private final long startMinute;
  private final long endMinute;
  private final int peakDay;
  private final double meanHour;
  private final double sumDays;
  /** The latest new customers, some of whom come back (a ring). */
  private final String[] recentNew = new String[RECENT];
  private int recentCount;
  private int recentNext;
  private final PriorityQueue<Pending> refunds = new PriorityQueue<>();
  private final double[] sessions = new double[CHANNELS.length];
  private final long[] attributedHour = new long[AD_CHANNELS.length];

  private record Pending(long ts, String line) implements Comparable<Pending> {
    public int compareTo(Pending o) {
      return Long.compare(ts, o.ts);
    }
  }

  /** The plan's own period, with the demo's experiments the plan declares. */
  public DemoData(Plan plan) {
    this(plan, plan.start(), plan.end(), 1, 1);
    for (Played p : EXPERIMENTS) {
      for (Plan.Experiment x : plan.experiments()) {
        if (x.id().equals(p.declared().id()) && x.variants().equals(p.declared().variants())
            && x.split().equals(p.declared().split())) {
          played[channel(p.channel())] = p;
        }
      }
    }
  }

  private DemoData(Plan plan, LocalDate start, LocalDate end, double volume, double amount) {
    this.plan = plan;
    this.start = start;
    this.volume = volume;
    this.amount = amount;
    this.startMinute = start.atStartOfDay(plan.timezone()).toInstant().toEpochMilli() / MINUTE;
    this.endMinute = end.atStartOfDay(plan.timezone()).toInstant().toEpochMilli() / MINUTE;
    int days = (int) ChronoUnit.DAYS.between(start, end);
    this.peakDay = Math.min(10, days / 3);
    double h = 0;
    for (double x : HOURS) h += x;
    this.meanHour = h / 24;
    double d = 0;
    for (int i = 0; i < days; i++) d += dayFactor(i);
    this.sumDays = d;
  }

  /**
   * The period the plan is compared with (CONTRACT section 13), played at a slightly lower level:
   * fewer orders and sessions, slightly smaller baskets; its ids never meet this period's.
   */
  public static DemoData previous(Plan plan) {
    Plan.Period p = Previous.period(plan);
    return new DemoData(plan, p.start(), p.end(), PREVIOUS_VOLUME, PREVIOUS_AMOUNT);
  }

  /**
   * The plan with the demo's experiments declared, unless it declares experiments of its own
   * (then those stay, and get no demo data).
   */
  public static Plan withExperiments(Plan plan) {
    if (!plan.experiments().isEmpty()) return plan;
    List<Plan.Experiment> x = new ArrayList<>();
    for (Played p : EXPERIMENTS) x.add(p.declared());
    return plan.toBuilder().experiments(x).build();
  }

  private static int channel(String id) {
    for (int i = 0; i < CHANNELS.length; i++) if (CHANNELS[i].equals(id)) return i;
    throw new IllegalArgumentException(id);
  }

  /** The first and last (exclusive) epoch minutes of the period played. */
  public long startMinute() {
    return startMinute;
  }

  public long endMinute() {
    return endMinute;
  }

  /** The demo's natural starting point: the evening before the peak day. */
  public Instant peakEve() {
    return start.plusDays(peakDay).atStartOfDay(plan.timezone()).minusHours(4).toInstant();
  }

  /** Relative volume of day {@code d} (0 the first) of the period: the plan's phases. */
  double dayFactor(int d) {
    int p = peakDay;
    if (d == p) return 6.0;
    if (d == p - 1) return 1.8;
    if (d == p - 2) return 1.3;
    if (d == p + 1) return 2.0;
    if (d == p + 2) return 1.4;
    if (d < p - 3) return 0.7;
    if (d <= p + 10) return 1.0;
    return 0.85;
  }

  /** Expected orders in the minute starting at {@code minute}. */
  double ordersPerMinute(long minute) {
    ZonedDateTime t = Instant.ofEpochMilli(minute * MINUTE).atZone(plan.timezone());
    int day = (int) ChronoUnit.DAYS.between(start, t.toLocalDate());
    double hour = HOURS[t.getHour()] / meanHour;
    if (day == peakDay && t.getHour() < 2) hour *= t.getHour() == 0 ? 6 : 3; // the midnight rush
    return ORDERS_PER_MINUTE * volume * dayFactor(day) * hour;
  }

  /** Appends the records of minutes [from, to) within the period; answers how many. */
  public int generate(long from, long to, StringBuilder out) {
    int n = 0;
    for (long m = Math.max(from, startMinute); m < Math.min(to, endMinute); m++) n += minute(m, out);
    return n;
  }

  private int minute(long m, StringBuilder out) {
    SplittableRandom rnd = new SplittableRandom(SEED ^ (m * 0x9E3779B97F4A7C15L));
    int n = 0;
    double lambda = ordersPerMinute(m);
    ZonedDateTime local = Instant.ofEpochMilli(m * MINUTE).atZone(plan.timezone());
    int day = (int) ChronoUnit.DAYS.between(start, local.toLocalDate());
    boolean peak = day == peakDay;
    // the experiments draw from their own numbers, so the other figures stay as they were
    SplittableRandom xr = new SplittableRandom(SEED ^ (m * 0x9E3779B97F4A7C15L) ^ 0xAB_7E57L);
    int orders = poisson(lambda, rnd);
    for (int k = 0; k < orders; k++) {
      long ts = m * MINUTE + rnd.nextLong(MINUTE);
      String id = "d-o-" + m + "-" + k;
      int ch = pick(CHANNEL_SHARE, rnd);
      long cents = Math.max(990, Math.min(500_000,
          Math.round(amount * Math.exp(Math.log(26_000) + 0.5 * gaussian(rnd)))));
      long discount = peak ? cents * 8 / 100 : 0;
      cents -= discount;
      boolean isNew = rnd.nextDouble() < (peak ? 0.6 : 0.5);
      String customer;
      if (isNew) {
        customer = "d-n-" + m + "-" + k;
        recentNew[recentNext] = customer;
        recentNext = (recentNext + 1) % RECENT;
        recentCount = Math.min(RECENT, recentCount + 1);
      } else if (recentCount > 0 && rnd.nextBoolean()) {
        customer = recentNew[rnd.nextInt(recentCount)];
      } else {
        customer = "d-m-" + rnd.nextInt(MEMBERS);
      }
      StringBuilder o = new StringBuilder("{\"type\":\"order\",\"id\":\"").append(id)
          .append("\",\"ts\":\"").append(Instant.ofEpochMilli(ts)).append("\",\"customerId\":\"")
          .append(customer).append("\",\"amount\":").append(money(cents))
          .append(",\"channel\":\"").append(CHANNELS[ch]).append("\",\"newCustomer\":").append(isNew)
          .append(",\"cost\":").append(money(cents * 55 / 100));
      if (discount > 0) o.append(",\"discount\":").append(money(discount));
      if (played[ch] != null) {
        o.append(",\"experiment\":\"").append(played[ch].declared().id()).append("\",\"variant\":\"")
            .append(played[ch].declared().variants().get(orderVariant(played[ch], xr))).append('"');
      }
      product(o, new SplittableRandom(SEED ^ (m * 0x9E3779B97F4A7C15L) ^ (k + 1) * 0xB5L));
      double a = rnd.nextDouble();
      for (int i = 0; i < AD_CHANNELS.length; i++) {
        if (a < AD_SHARE[i]) {
          o.append(",\"adChannel\":\"").append(AD_CHANNELS[i]).append('"');
          attributedHour[i] += cents;
          break;
        }
        a -= AD_SHARE[i];
      }
      line(out, o.append('}'));
      n++;
      if (rnd.nextDouble() < 0.04) {
        long rts = ts + 3_600_000L + rnd.nextLong(72 * 3_600_000L);
        long amount = rnd.nextDouble() < 0.7 ? cents : cents / 2;
        if (rts < endMinute * MINUTE) {
          refunds.add(new Pending(rts, "{\"type\":\"refund\",\"id\":\"d-r-" + m + "-" + k
              + "\",\"ts\":\"" + Instant.ofEpochMilli(rts) + "\",\"orderId\":\"" + id
              + "\",\"amount\":" + money(amount) + "}"));
        }
      }
      if (rnd.nextDouble() < 0.03) {
        line(out, new StringBuilder("{\"type\":\"nps\",\"id\":\"d-p-" + m + "-" + k + "\",\"ts\":\""
            + Instant.ofEpochMilli(ts) + "\",\"customerId\":\"" + customer + "\",\"score\":"
            + score(rnd) + "}"));
        n++;
      }
    }
    while (!refunds.isEmpty() && refunds.peek().ts < (m + 1) * MINUTE) {
      line(out, new StringBuilder(refunds.poll().line));
      n++;
    }
    for (int c = 0; c < CHANNELS.length; c++) {
      sessions[c] += lambda * CHANNEL_SHARE[c] / CHANNEL_CONVERSION[c] * (0.9 + 0.2 * rnd.nextDouble());
    }
    long end = (m + 1) * MINUTE - 1;
    if ((m + 1) % 5 == 0) {
      for (int c = 0; c < CHANNELS.length; c++) {
        long s = Math.round(sessions[c]);
        if (s < 1) continue;
        sessions[c] -= s;
        String visit = "{\"type\":\"visit\",\"id\":\"d-v-" + m + "-" + c;
        String rest = "\",\"ts\":\"" + Instant.ofEpochMilli(end) + "\",\"channel\":\"" + CHANNELS[c]
            + "\",\"region\":\"" + REGIONS[pick(REGION_SHARE, new SplittableRandom(m * 31 + c))] + '"';
        if (played[c] == null) {
          line(out, new StringBuilder(visit + rest + ",\"sessions\":" + s + "}"));
          n++;
          continue;
        }
        // each session lands in a variant by the planned split
        Plan.Experiment x = played[c].declared();
        long[] split = new long[x.variants().size()];
        for (long i = 0; i < s; i++) split[pick(x.split(), xr)]++;
        for (int v = 0; v < split.length; v++) {
          if (split[v] == 0) continue;
          line(out, new StringBuilder(visit + "-" + x.variants().get(v) + rest + ",\"sessions\":"
              + split[v] + ",\"experiment\":\"" + x.id() + "\",\"variant\":\"" + x.variants().get(v)
              + "\"}"));
          n++;
        }
      }
    }
    if ((m + 1) % 60 == 0) {
      for (int i = 0; i < AD_CHANNELS.length; i++) {
        long spend = attributedHour[i] == 0 ? 2000
            : Math.round(attributedHour[i] / (3.0 + 1.6 * rnd.nextDouble()));
        attributedHour[i] = 0;
        long impressions = spend * 40 / 100;
        line(out, new StringBuilder("{\"type\":\"spend\",\"id\":\"d-s-" + m + "-" + AD_CHANNELS[i]
            + "\",\"ts\":\"" + Instant.ofEpochMilli(end) + "\",\"category\":\"ads\",\"amount\":"
            + money(spend) + ",\"adChannel\":\"" + AD_CHANNELS[i] + "\",\"impressions\":"
            + impressions + ",\"clicks\":" + impressions / 50 + "}"));
        n++;
      }
    }
    if (local.getHour() == 23 && local.getMinute() == 59) {
      for (Map.Entry<String, Long> b : plan.budgetCents().entrySet()) {
        if (b.getKey().equals("ads")) continue;
        long spend = Math.round(b.getValue() * volume * dayFactor(day) / sumDays * (0.85 + 0.15 * rnd.nextDouble()));
        line(out, new StringBuilder("{\"type\":\"spend\",\"id\":\"d-s-" + m + "-" + b.getKey()
            + "\",\"ts\":\"" + Instant.ofEpochMilli(end) + "\",\"category\":\"" + b.getKey()
            + "\",\"amount\":" + money(spend) + "}"));
        n++;
      }
    }
    return n;
  }

  private static void line(StringBuilder out, CharSequence s) {
    out.append(s).append('\n');
  }

  private static String money(long cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }

  /** Scores giving an NPS near 62: 40 % tens, 32 % nines, 18 % sevens and eights, 10 % below. */
  /**
   * An order's product (key product A, a green line 绿色产品 G1-G3, others), category, region,
   * customer segment, tags and quantity (section 11), from its own random numbers so the other
   * figures stay as they were.
   */
  private static void product(StringBuilder o, SplittableRandom rnd) {
    int p = pick(PRODUCT_SHARE, rnd);
    int r = pick(REGION_SHARE, rnd);
    o.append(",\"sku\":\"").append(PRODUCTS[p]).append("\",\"productCategory\":\"")
        .append(CATEGORIES[p]).append("\",\"region\":\"").append(REGIONS[r])
        .append("\",\"segment\":\"").append(SEGMENTS[pick(SEGMENT_SHARE, rnd)]).append('"');
    StringBuilder tags = new StringBuilder();
    if (CATEGORIES[p].equals("green")) tags.append(",\"green\"");
    if (p == 0 || p == 3) tags.append(",\"new\"");
    if (r >= NEW_MARKETS) tags.append(",\"new-market\"");
    if (rnd.nextDouble() < 0.1) tags.append(",\"bundle\"");
    if (tags.length() > 0) o.append(",\"tags\":[").append(tags.substring(1)).append(']');
    if (rnd.nextDouble() < 0.25) o.append(",\"quantity\":").append(2 + rnd.nextInt(3));
  }

  private static int score(SplittableRandom rnd) {
    double x = rnd.nextDouble();
    if (x < 0.40) return 10;
    if (x < 0.72) return 9;
    if (x < 0.84) return 8;
    if (x < 0.90) return 7;
    return rnd.nextInt(7);
  }

  /**
   * The variant of an order on an experiment's channel: in proportion to each variant's share of
   * the sessions times its conversion (1 + lift), so its conversion is the control's times that.
   */
  private static int orderVariant(Played p, SplittableRandom rnd) {
    List<Double> split = p.declared().split();
    double[] w = new double[split.size()];
    double total = 0;
    for (int i = 0; i < w.length; i++) total += w[i] = split.get(i) * (1 + p.lift()[i]);
    for (int i = 0; i < w.length; i++) w[i] /= total;
    return pick(w, rnd);
  }

  private static int pick(List<Double> shares, SplittableRandom rnd) {
    double[] a = new double[shares.size()];
    for (int i = 0; i < a.length; i++) a[i] = shares.get(i);
    return pick(a, rnd);
  }

  private static int pick(double[] shares, SplittableRandom rnd) {
    double x = rnd.nextDouble();
    for (int i = 0; i < shares.length - 1; i++) {
      if (x < shares[i]) return i;
      x -= shares[i];
    }
    return shares.length - 1;
  }

  private static int poisson(double lambda, SplittableRandom rnd) {
    double l = Math.exp(-lambda);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= rnd.nextDouble();
    } while (p > l);
    return k - 1;
  }

  private static double gaussian(SplittableRandom rnd) {
    double u = 1 - rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }
}
