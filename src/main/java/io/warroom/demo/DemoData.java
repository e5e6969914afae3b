package io.warroom.demo;

import io.warroom.plan.Plan;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZonedDateTime;
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

  private final Plan plan;
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

  public DemoData(Plan plan) {
    this.plan = plan;
    this.startMinute = plan.startMillis() / MINUTE;
    this.endMinute = plan.endMillis() / MINUTE;
    int days = (int) java.time.temporal.ChronoUnit.DAYS.between(plan.start(), plan.end());
    this.peakDay = Math.min(10, days / 3);
    double h = 0;
    for (double x : HOURS) h += x;
    this.meanHour = h / 24;
    double d = 0;
    for (int i = 0; i < days; i++) d += dayFactor(i);
    this.sumDays = d;
  }

  /** The first and last (exclusive) epoch minutes of the plan period. */
  public long startMinute() {
    return startMinute;
  }

  public long endMinute() {
    return endMinute;
  }

  /** The demo's natural starting point: the evening before the peak day. */
  public Instant peakEve() {
    return plan.start().plusDays(peakDay).atStartOfDay(plan.timezone()).minusHours(4).toInstant();
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
    int day = (int) java.time.temporal.ChronoUnit.DAYS.between(plan.start(), t.toLocalDate());
    double hour = HOURS[t.getHour()] / meanHour;
    if (day == peakDay && t.getHour() < 2) hour *= t.getHour() == 0 ? 6 : 3; // the midnight rush
    return ORDERS_PER_MINUTE * dayFactor(day) * hour;
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
    int day = (int) java.time.temporal.ChronoUnit.DAYS.between(plan.start(), local.toLocalDate());
    boolean peak = day == peakDay;
    int orders = poisson(lambda, rnd);
    for (int k = 0; k < orders; k++) {
      long ts = m * MINUTE + rnd.nextLong(MINUTE);
      String id = "d-o-" + m + "-" + k;
      int ch = pick(CHANNEL_SHARE, rnd);
      long cents = Math.max(990, Math.min(500_000,
          Math.round(Math.exp(Math.log(26_000) + 0.5 * gaussian(rnd)))));
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
        line(out, new StringBuilder("{\"type\":\"visit\",\"id\":\"d-v-" + m + "-" + c + "\",\"ts\":\""
            + Instant.ofEpochMilli(end) + "\",\"channel\":\"" + CHANNELS[c] + "\",\"sessions\":" + s
            + ",\"region\":\"" + REGIONS[pick(REGION_SHARE, new SplittableRandom(m * 31 + c))] + "\"}"));
        n++;
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
        long spend = Math.round(b.getValue() * dayFactor(day) / sumDays * (0.85 + 0.15 * rnd.nextDouble()));
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
