package io.warroom.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A realistic campaign month so far, for the dashboard's screenshot and its big-data check: orders
 * shaped by hour of day and by campaign day (pre-heat, the 11.11 peak at midnight), refunds days
 * later, hourly visits per channel, ad spend per ad channel, the other budget categories, and NPS
 * responses. Deterministic for a seed. Keeps its own exact totals (in cents) to check the page
 * against, computed here rather than asked of the server.
 */
final class MonthData {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Share of orders per channel; offline stores make up the rest of the online share. */
  static final Map<String, Double> CHANNELS = ordered("tmall", 0.31, "jd", 0.19, "douyin_live", 0.14,
      "wechat_mall", 0.06, "website", 0.03, "offline_store", 0.27);
  static final Map<String, Double> AD_CHANNELS = ordered("search", 0.38, "feed", 0.30, "social", 0.19,
      "kol", 0.13);
  /** Relative order volume by hour of day in the plan's zone. */
  static final double[] HOUR_SHAPE = {0.75, 0.42, 0.24, 0.15, 0.12, 0.14, 0.24, 0.45, 0.72, 0.96,
      1.16, 1.22, 1.10, 1.00, 1.02, 1.06, 1.00, 0.96, 1.02, 1.22, 1.48, 1.58, 1.32, 0.98};

  final List<ObjectNode> records = new ArrayList<>();
  long grossCents;
  long refundCents;
  long orders;
  final Map<String, Long> channelCents = new TreeMap<>();

  private final Random rnd;
  /** For what an order is (product, region, segment): its own numbers, so the figures above stay. */
  private final Random detail;
  private final ZoneId zone;
  /** Distinct customers of this month, so a repeat picks a customer rather than an order. */
  private final List<String> thisMonth = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  private int newIds;
  private int seq;

  /** Put before record ids and new customers' ids, so that two months never share one. */
  private final String idPrefix;

  private MonthData(long seed, ZoneId zone, String idPrefix) {
    this.rnd = new Random(seed);
    this.detail = new Random(seed * 31 + 7);
    this.zone = zone;
    this.idPrefix = idPrefix;
  }

  /** Records from the first of the month of {@code now} up to {@code now}. */
  static MonthData generate(long seed, ZonedDateTime now) {
    return generate(seed, now, "");
  }

  /** The whole month before the one that starts at {@code start}, ids apart from this month's. */
  static MonthData monthBefore(long seed, ZonedDateTime start) {
    return generate(seed, start.minusSeconds(1), "prev-");
  }

  private static MonthData generate(long seed, ZonedDateTime now, String idPrefix) {
    MonthData m = new MonthData(seed, now.getZone(), idPrefix);
    LocalDate first = now.toLocalDate().withDayOfMonth(1);
    for (ZonedDateTime h = first.atStartOfDay(now.getZone()); h.isBefore(now); h = h.plusHours(1)) {
      m.hour(h, now);
    }
    return m;
  }

  /** Net revenue so far, in cents. */
  long revenueCents() {
    return grossCents - refundCents;
  }

  /** What a live feed brings in one second: a visit record, and an order every other second. */
  List<ObjectNode> trickle(ZonedDateTime now, int second) {
    int before = records.size();
    ObjectNode v = node("visit", "v");
    v.put("ts", ts(now.minusSeconds(1)));
    v.put("channel", pick(CHANNELS));
    v.put("sessions", 30);
    if (second % 2 == 0) order(now.minusSeconds(1 + rnd.nextInt(5)), now, 1.0);
    return new ArrayList<>(records.subList(before, records.size()));
  }

  private void hour(ZonedDateTime h, ZonedDateTime now) {
    int day = h.getDayOfMonth();
    int hod = h.getHour();
    double dayFactor = switch (day) {
      case 8, 9, 10 -> 1.25;
      case 11 -> 3.6;
      case 12 -> 1.35;
      default -> day < 8 ? 0.92 : 1.05;
    };
    double shape = HOUR_SHAPE[hod];
    if (day == 11 && hod == 0) shape = 6.5; // the midnight rush of the peak day
    if (day == 11 && hod == 1) shape = 2.4;
    double expected = 50.0 * dayFactor * shape;
    ZonedDateTime end = h.plusHours(1).isAfter(now) ? now : h.plusHours(1);
    long span = Duration.between(h, end).getSeconds();
    if (span <= 0) return;
    // quarter hours, each with its orders and the visits that brought them
    for (ZonedDateTime q = h; q.isBefore(end); q = q.plusMinutes(15)) {
      ZonedDateTime qEnd = q.plusMinutes(15).isAfter(end) ? end : q.plusMinutes(15);
      int qSpan = (int) Duration.between(q, qEnd).getSeconds();
      if (qSpan <= 0) break;
      int n = poisson(expected * qSpan / 3600.0);
      for (int i = 0; i < n; i++) order(q.plusSeconds(rnd.nextInt(qSpan)), now, 1.0);
      // the last hour: a traffic surge that does not convert (the story the alerts tell)
      boolean surge = Duration.between(q, now).toMinutes() < 60;
      double conversion = surge ? 0.0222 : 0.0262 + rnd.nextGaussian() * 0.0012;
      for (Map.Entry<String, Double> c : CHANNELS.entrySet()) {
        int sessions = (int) Math.max(1, Math.round(expected * qSpan / 3600.0 * c.getValue() / conversion));
        ObjectNode v = node("visit", "v");
        v.put("ts", ts(q.plusSeconds(rnd.nextInt(qSpan))));
        v.put("channel", c.getKey());
        v.put("sessions", sessions);
      }
    }
    // ads follow traffic; about 52,000 a day
    double adsHour = 52_000.0 * dayFactor * shape / 22.3 * span / 3600.0;
    for (Map.Entry<String, Double> a : AD_CHANNELS.entrySet()) {
      long cents = Math.round(adsHour * a.getValue() * (0.9 + rnd.nextDouble() * 0.2) * 100);
      if (cents <= 0) continue;
      ObjectNode s = node("spend", "s");
      s.put("ts", ts(h.plusSeconds(span / 2)));
      s.put("category", "ads");
      s.put("adChannel", a.getKey());
      s.put("amount", money(cents));
      s.put("impressions", cents / 3);
      s.put("clicks", cents / 180);
    }
    if (hod == 9 && span == 3600) {
      spend(h, "promotion", 62_000 * dayFactor);
      spend(h, "live_content", 21_000 * dayFactor);
      spend(h, "crm", 12_500);
      if (day % 7 == 1) spend(h, "partners", 100_000);
    }
    int responses = poisson(2.6 * shape * span / 3600.0);
    for (int i = 0; i < responses; i++) {
      double r = rnd.nextDouble();
      int score = r < 0.675 ? 9 + rnd.nextInt(2) : r < 0.885 ? 7 + rnd.nextInt(2) : rnd.nextInt(7);
      ObjectNode p = node("nps", "n");
      p.put("ts", ts(h.plusSeconds(rnd.nextInt((int) span))));
      p.put("score", score);
    }
  }

  static final String[] PRODUCTS = {"A", "A", "B", "C", "G1", "G2", "D", "E"};
  static final String[] REGIONS = {"华东", "华东", "华北", "华南", "华南", "华中", "西南", "西北"};
  static final String[] SEGMENTS = {"18-29", "30-45", "30-45", "46+", "b2b"};

  /** The breakdown fields of section 11: product and its category, region, segment, tags, quantity. */
  private void describe(ObjectNode o) {
    String sku = PRODUCTS[detail.nextInt(PRODUCTS.length)];
    boolean green = sku.startsWith("G");
    o.put("sku", sku);
    o.put("productCategory", green ? "green" : sku.compareTo("C") <= 0 ? "home" : "personal_care");
    String region = REGIONS[detail.nextInt(REGIONS.length)];
    o.put("region", region);
    o.put("segment", SEGMENTS[detail.nextInt(SEGMENTS.length)]);
    ArrayNode tags = o.putArray("tags");
    if (green) tags.add("green");
    if (region.startsWith("西")) tags.add("new-market");
    if (tags.isEmpty()) o.remove("tags");
    if (detail.nextDouble() < 0.25) o.put("quantity", 2 + detail.nextInt(3));
  }

  private void order(ZonedDateTime at, ZonedDateTime now, double aovFactor) {
    long cents = Math.max(1990, Math.min(300_000,
        Math.round(Math.exp(5.61 + rnd.nextGaussian() * 0.45) * aovFactor * 100)));
    String channel = pick(CHANNELS);
    double who = rnd.nextDouble();
    String customer;
    boolean isNew = false;
    if (who < 0.27 && !thisMonth.isEmpty()) {
      customer = thisMonth.get(rnd.nextInt(thisMonth.size())); // a repeat this month
    } else if (who < 0.73) {
      customer = idPrefix + "c-new-" + (++newIds);
      isNew = true;
    } else {
      customer = "c-" + rnd.nextInt(60_000); // known from earlier months
    }
    if (seen.add(customer)) thisMonth.add(customer);
    ObjectNode o = node("order", "o");
    String id = o.get("id").asText();
    o.put("ts", ts(at));
    o.put("customerId", customer);
    o.put("amount", money(cents));
    o.put("channel", channel);
    if (isNew) o.put("newCustomer", true);
    if (rnd.nextDouble() < 0.52) o.put("adChannel", pick(AD_CHANNELS));
    describe(o);
    grossCents += cents;
    orders++;
    channelCents.merge(channel, cents, Long::sum);
    if (rnd.nextDouble() < 0.035) {
      ZonedDateTime refundAt = at.plusHours(20 + rnd.nextInt(70));
      if (refundAt.isBefore(now)) {
        long back = rnd.nextBoolean() ? cents : cents / 2;
        ObjectNode r = node("refund", "r");
        r.put("ts", ts(refundAt));
        r.put("orderId", id);
        r.put("amount", money(back));
        refundCents += back;
      }
    }
  }

  private void spend(ZonedDateTime h, String category, double amount) {
    ObjectNode s = node("spend", "s");
    s.put("ts", ts(h.plusMinutes(rnd.nextInt(50))));
    s.put("category", category);
    s.put("amount", money(Math.round(amount * (0.9 + rnd.nextDouble() * 0.2) * 100)));
  }

  private ObjectNode node(String type, String prefix) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", type);
    n.put("id", idPrefix + prefix + "-" + (++seq));
    records.add(n);
    return n;
  }

  private String pick(Map<String, Double> shares) {
    double r = rnd.nextDouble();
    String last = null;
    for (Map.Entry<String, Double> e : shares.entrySet()) {
      last = e.getKey();
      r -= e.getValue();
      if (r < 0) return last;
    }
    return last;
  }

  private int poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean > 30) return (int) Math.max(0, Math.round(mean + rnd.nextGaussian() * Math.sqrt(mean)));
    double l = Math.exp(-mean);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= rnd.nextDouble();
    } while (p > l);
    return k - 1;
  }

  private String ts(ZonedDateTime t) {
    return OffsetDateTime.ofInstant(t.toInstant(), zone).toString();
  }

  static BigDecimal money(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  static Instant instant(String iso) {
    return OffsetDateTime.parse(iso).toInstant();
  }

  private static Map<String, Double> ordered(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Double) kv[i + 1]);
    return m;
  }
}
