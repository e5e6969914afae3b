package io.warroom;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.plan.Plan;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

/**
 * Valid records of every type from a seed, spread so that every window and bucket gets some: the
 * last hour, the plan day so far, the whole period, before the period, a few minutes ahead, and
 * exact boundaries (period start and end, the edges of the 15- and 60-minute windows, midnight).
 */
public final class RandomRecords {
  public static final String[] CHANNELS =
      {"tmall", "jd", "douyin_live", "wechat_mall", "website", "store", "partner_shop"};
  public static final String[] AD_CHANNELS = {"search", "feed", "live", "kol"};
  public static final String[] SKUS = {"A", "B", "green-tee", "绿色水杯", "bundle-edu"};
  public static final String[] CATEGORIES = {"green", "apparel", "home"};
  public static final String[] REGIONS = {"east", "south", "north", "华东"};
  public static final String[] SEGMENTS = {"30-45", "18-29", "b2b"};
  public static final String[] TAGS = {"green", "double11", "edu", "bundle", "新品"};
  public static final String[] COUNTERS = {"live_signups", "coupon.claims"};
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 3_600_000L;

  private final Random rnd;
  private final Plan plan;
  private final long now;
  private final List<String> categories;
  private final String prefix;
  private int seq;

  public RandomRecords(long seed, Plan plan, long nowMillis) {
    this.rnd = new Random(seed);
    this.plan = plan;
    this.now = nowMillis;
    this.categories = new ArrayList<>(plan.budgetCents().keySet());
    this.prefix = Long.toString(seed, 36) + "-";
  }

  public List<Rec> list(int n) {
    List<Rec> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(next());
    return out;
  }

  public Rec next() {
    long ts = ts();
    String id = prefix + (seq++);
    int p = rnd.nextInt(100);
    if (p < 40) {
      Boolean isNew = switch (rnd.nextInt(3)) {
        case 0 -> Boolean.TRUE;
        case 1 -> Boolean.FALSE;
        default -> null;
      };
      return Rec.order("o-" + id, ts, "c-" + rnd.nextInt(40), cents(), pick(CHANNELS), isNew,
          rnd.nextBoolean() ? pick(AD_CHANNELS) : null, rnd.nextInt(3) == 0 ? cents() : null,
          rnd.nextInt(4) == 0 ? (long) rnd.nextInt(5000) : null).with(extra(true));
    } else if (p < 50) {
      return Rec.refund("r-" + id, ts, "o-" + prefix + rnd.nextInt(seq), cents());
    } else if (p < 65) {
      String category = rnd.nextInt(3) == 0 ? "ads" : categories.get(rnd.nextInt(categories.size()));
      boolean ad = category.equals("ads") ? rnd.nextInt(5) > 0 : rnd.nextInt(5) == 0;
      return Rec.spend("s-" + id, ts, category, rnd.nextInt(10) == 0 ? 0 : cents(),
          ad ? pick(AD_CHANNELS) : null, rnd.nextBoolean() ? (long) rnd.nextInt(100_000) : null,
          rnd.nextBoolean() ? (long) rnd.nextInt(5_000) : null);
    } else if (p < 85) {
      return Rec.visit("v-" + id, ts, pick(CHANNELS), 1 + rnd.nextInt(60)).with(extra(false));
    } else if (p < 96) {
      return Rec.nps("n-" + id, ts, rnd.nextInt(11), rnd.nextBoolean() ? "c-" + rnd.nextInt(40) : null);
    } else {
      return Rec.count("k-" + id, ts, pick(COUNTERS), rnd.nextInt(4) == 0 ? 1 : rnd.nextInt(50));
    }
  }

  /** Breakdown and experiment fields on about half the orders and visits. */
  private Rec.Extra extra(boolean order) {
    if (rnd.nextBoolean()) return null;
    String experiment = rnd.nextInt(3) == 0 ? "checkout-v2" : null;
    String variant = experiment == null ? null : rnd.nextBoolean() ? "A" : "B";
    if (!order) {
      return new Rec.Extra(null, null, rnd.nextBoolean() ? pick(REGIONS) : null, null, null, 1,
          experiment, variant);
    }
    List<String> tags = null;
    if (rnd.nextBoolean()) {
      LinkedHashSet<String> t = new LinkedHashSet<>();
      for (int i = rnd.nextInt(3); i >= 0; i--) t.add(pick(TAGS));
      tags = List.copyOf(t);
    }
    return new Rec.Extra(rnd.nextBoolean() ? pick(SKUS) : null,
        rnd.nextBoolean() ? pick(CATEGORIES) : null, rnd.nextBoolean() ? pick(REGIONS) : null,
        rnd.nextBoolean() ? pick(SEGMENTS) : null, tags, rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(9) : 1,
        experiment, variant);
  }

  /** Amounts from a cent to a few thousand, mostly with cents. */
  private long cents() {
    return rnd.nextInt(20) == 0 ? 100L * (1 + rnd.nextInt(5000)) : 1 + rnd.nextInt(500_000);
  }

  private long nowSecond() {
    return Math.floorDiv(now, 1000L) * 1000L;
  }

  private long ts() {
    long start = plan.startMillis();
    long end = plan.endMillis();
    long latest = now + 4 * MINUTE;
    long dayStart = LocalDate.ofInstant(Instant.ofEpochMilli(now), plan.timezone())
        .atStartOfDay(plan.timezone()).toInstant().toEpochMilli();
    int p = rnd.nextInt(100);
    if (p < 35) return between(now - 70 * MINUTE, latest);
    if (p < 55) return between(now - 30 * HOUR, now);
    if (p < 80) return between(start, Math.min(end, latest));
    if (p < 90) return between(start - 3 * 24 * HOUR, start);
    long nowMinute = Math.floorDiv(now, MINUTE) * MINUTE;
    long[] edges = {start, start - 1, end - 1, end, nowMinute, nowMinute - 1, nowMinute - 14 * MINUTE,
        nowMinute - 14 * MINUTE - 1, nowMinute - 59 * MINUTE, nowMinute - 59 * MINUTE - 1, dayStart,
        dayStart - 1, nowMinute - 47 * HOUR, nowMinute - 48 * HOUR,
        // the trailing windows' first second and the millisecond before it (last1h, last15m)
        nowSecond() - 3_599_000, nowSecond() - 3_599_001, nowSecond() - 899_000,
        nowSecond() - 899_001, now};
    long t = edges[rnd.nextInt(edges.length)];
    return t > latest ? now : t;
  }

  private long between(long from, long to) {
    if (to <= from) return from;
    return from + (long) (rnd.nextDouble() * (to - from));
  }

  private String pick(String[] options) {
    return options[rnd.nextInt(options.length)];
  }

  /** The record as the JSON a feed sends (with its `type`, for /api/v1/events). */
  public static JsonObject json(Rec r, Plan plan) {
    JsonObject o = new JsonObject().put("type", r.type.wire).put("id", r.id)
        .put("ts", Instant.ofEpochMilli(r.ts).atZone(plan.timezone()).toOffsetDateTime().toString());
    switch (r.type) {
      case ORDER -> {
        o.put("customerId", r.customerId).put("amount", money(r.amountCents)).put("channel", r.channel);
        if (r.newCustomer != null) o.put("newCustomer", r.newCustomer);
        if (r.adChannel != null) o.put("adChannel", r.adChannel);
        if (r.costCents != null) o.put("cost", money(r.costCents));
        if (r.discountCents != null) o.put("discount", money(r.discountCents));
      }
      case REFUND -> o.put("orderId", r.orderId).put("amount", money(r.amountCents));
      case SPEND -> {
        o.put("category", r.category).put("amount", money(r.amountCents));
        if (r.adChannel != null) o.put("adChannel", r.adChannel);
        if (r.impressions != null) o.put("impressions", r.impressions);
        if (r.clicks != null) o.put("clicks", r.clicks);
      }
      case VISIT -> o.put("channel", r.channel).put("sessions", r.sessions);
      case NPS -> {
        o.put("score", r.score);
        if (r.customerId != null) o.put("customerId", r.customerId);
      }
      case COUNT -> {
        o.put("name", r.name);
        if (r.value != 1) o.put("value", r.value);
      }
    }
    Rec.Extra e = r.extra;
    if (e != null) {
      if (e.sku() != null) o.put("sku", e.sku());
      if (e.productCategory() != null) o.put("productCategory", e.productCategory());
      if (e.region() != null) o.put("region", e.region());
      if (e.segment() != null) o.put("segment", e.segment());
      if (e.tags() != null) o.put("tags", new JsonArray(e.tags()));
      if (e.quantity() != 1) o.put("quantity", e.quantity());
      if (e.experiment() != null) o.put("experiment", e.experiment()).put("variant", e.variant());
    }
    return o;
  }

  private static BigDecimal money(long cents) {
    BigDecimal d = BigDecimal.valueOf(cents, 2).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  /** NDJSON of the records, one per line. */
  public static String ndjson(List<Rec> records, Plan plan) {
    StringBuilder sb = new StringBuilder();
    for (Rec r : records) sb.append(json(r, plan).encode()).append('\n');
    return sb.toString();
  }
}
