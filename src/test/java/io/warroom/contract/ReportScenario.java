package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.contract.BreakdownOracle.Sent;
import io.warroom.contract.ExperimentOracle.Declared;
import io.warroom.contract.ExperimentOracle.X;
import io.warroom.contract.Oracle.R;
import io.warroom.plan.PlanParser;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A campaign for the report's tests (API and page): November 2026 against October, a plan whose
 * texts are in two languages and carry markup, an A/B experiment with a real effect, records in
 * both months (November's orders with sku, category, region, tags and quantity, no segment) and an
 * annotation; with the figures the report must show, computed by {@link Oracle},
 * {@link ExperimentOracle} and {@link BreakdownOracle} and formatted here the way a manager reads
 * them.
 */
public final class ReportScenario {
  public static final String PLAN = """
      {"id": "2026-11", "timezone": "Asia/Shanghai", "currency": "CNY", "language": "zh-CN",
       "name": {"zh-CN": "十一月作战计划 <script>alert(1)</script>", "en": "November plan <script>alert(1)</script>"},
       "start": "2026-11-01", "end": "2026-12-01", "onlineChannels": ["tmall", "jd"],
       "targets": {"revenue": 12000000, "newCustomers": 21000, "repurchaseRate": 0.30,
                   "conversion": 0.03, "aov": 300, "roi": 3.5, "nps": 65, "onlineShare": 0.70},
       "budget": {"ads": 1800000, "live_content": 700000},
       "budgetLabels": {"live_content": {"zh-CN": "直播与内容制作", "en": "Live streams & content"}},
       "weeks": [
         {"start": "2026-11-01", "end": "2026-11-08", "owner": {"zh-CN": "市场部", "en": "Marketing"},
          "activities": [], "milestones": [{"zh-CN": "月度报告 <b>定稿</b>", "en": "Monthly report <b>final</b>"}]},
         {"start": "2026-11-08", "end": "2026-11-15", "owner": "Sales", "activities": [], "milestones": []},
         {"start": "2026-11-15", "end": "2026-11-22", "owner": "Sales", "activities": [], "milestones": []},
         {"start": "2026-11-22", "end": "2026-12-01", "owner": "Sales", "activities": [], "milestones": []}],
       "experiments": [
         {"id": "checkout-v2", "text": {"zh-CN": "结账页改版", "en": "Checkout v2"},
          "variants": ["A", "B"], "control": "A", "split": [0.5, 0.5]},
         {"id": "banner", "text": "Banner <i>red</i>", "variants": ["ctl", "red"], "control": "ctl"}]}""";
  public static final String NOW = "2026-11-20T12:00:00+08:00";
  static final long START = Instant.parse("2026-10-31T16:00:00Z").toEpochMilli();
  static final long END = Instant.parse("2026-11-30T16:00:00Z").toEpochMilli();
  static final long PREV_START = Instant.parse("2026-09-30T16:00:00Z").toEpochMilli();
  static final long PREV_END = START;
  static final Set<String> ONLINE = Set.of("tmall", "jd");
  static final List<Declared> DECLARED = List.of(
      new Declared("checkout-v2", List.of("A", "B"), "A", new double[] {0.5, 0.5}),
      new Declared("banner", List.of("ctl", "red"), "ctl", new double[] {0.5, 0.5}));
  public static final List<String> KPIS = List.of("revenue", "newCustomers", "repurchaseRate",
      "conversion", "aov", "roi", "nps", "onlineShare");
  public static final String ANNOTATION = "=launch <script>x</script>";
  /** Fourteen products: ten in the top, four in `other`; one name with markup. */
  static final String[] SKUS = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "绿茶",
      "<i>X</i>"};
  static final String[] CATEGORIES = {"green", "home", "食品"};
  static final String[] REGIONS = {"华东", "华北", "west", "north", "成都"};
  static final String[] TAGS = {"green", "new", "gift", "直播"};

  public final TestApp app;
  final List<R> records = new ArrayList<>();
  final List<X> experiment = new ArrayList<>();
  /** Every order and visit as {@link BreakdownOracle} reads them. */
  final List<Sent> sent = new ArrayList<>();
  private final StringBuilder body = new StringBuilder();
  private int ids;

  private ReportScenario(TestApp app) {
    this.app = app;
  }

  /**
   * Starts the server at {@link #NOW} on {@code vertx} (the test's, VertxExtension's) and sends the
   * records and the annotation.
   */
  public static ReportScenario start(Vertx vertx) {
    ReportScenario s = new ReportScenario(TestApp.deploy(vertx, Config.defaults(), PlanParser.parse(PLAN),
        MutableClock.at(NOW)));
    s.send();
    return s;
  }

  private void send() {
    SplittableRandom rnd = new SplittableRandom(2026_10_01L);
    // the breakdowns' keys from a stream of their own: the other figures stay as they were
    SplittableRandom picks = new SplittableRandom(11);
    long now = Instant.parse(NOW).toEpochMilli();
    String[] channels = {"tmall", "jd", "store"};
    for (int month = 0; month < 2; month++) {
      long from = month == 0 ? PREV_START : START;
      long to = month == 0 ? PREV_END : now;
      int orders = month == 0 ? 300 : 420;
      for (int i = 0; i < orders; i++) {
        // whole amounts too: 5978 must never be written 5978.0
        BigDecimal amount = i % 7 == 0 ? BigDecimal.valueOf(100 + rnd.nextInt(9000))
            : BigDecimal.valueOf(1000 + rnd.nextLong(900_000), 2);
        order(from + rnd.nextLong(to - from), "c-" + rnd.nextInt(260), amount,
            channels[rnd.nextInt(3)], rnd.nextInt(3) == 0, rnd.nextBoolean() ? "search" : null, null,
            month == 0 ? null : keys(picks));
      }
      for (int i = 0; i < 60; i++) {
        long ts = from + rnd.nextLong(to - from);
        // 西北 only on visits: a region without orders
        String region = month == 0 || picks.nextInt(3) == 0 ? null
            : picks.nextInt(6) == 0 ? "西北" : REGIONS[picks.nextInt(REGIONS.length)];
        add(new R("visit", id(), ts, null, null, channels[rnd.nextInt(3)], null, null, null,
            1 + rnd.nextInt(400), null), null, new Keys(null, null, region, null, null));
      }
      for (int i = 0; i < 20; i++) {
        long ts = from + rnd.nextLong(to - from);
        BigDecimal amount = BigDecimal.valueOf(500 + rnd.nextLong(2_000_000), 2);
        String category = i % 4 == 0 ? "live_content" : "ads";
        add(new R("spend", id(), ts, amount, null, null, null, null, category, null, null), null);
      }
      for (int i = 0; i < 40; i++) {
        long ts = from + rnd.nextLong(to - from);
        add(new R("nps", id(), ts, null, null, null, null, null, null, null, rnd.nextInt(11)), null);
      }
    }
    // The experiment: 3 % against 3.9 % conversion.
    arm(rnd, "checkout-v2", "A", 30_000, 900, now);
    arm(rnd, "checkout-v2", "B", 30_200, 1_178, now);
    // No effect, but a broken split: 50/50 planned, 6,000 against 4,000 seen.
    arm(rnd, "banner", "ctl", 6_000, 180, now);
    arm(rnd, "banner", "red", 4_000, 121, now);
    HttpResponse<Buffer> r = app.post("/api/v1/events", "application/x-ndjson", body.toString());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getJsonArray("rejected").isEmpty(), r.bodyAsString());
    assertEquals(records.size(), r.bodyAsJsonObject().getInteger("accepted"));
    HttpResponse<Buffer> a = TestApp.await(app.client.post("/api/v1/annotations")
        .putHeader("Content-Type", "application/json").sendBuffer(new JsonObject()
            .put("ts", "2026-11-11T20:00:00+08:00").put("text", ANNOTATION)
            .put("tags", new JsonArray().add("live").add("a<b")).toBuffer()));
    assertEquals(201, a.statusCode(), a.bodyAsString());
  }

  private void arm(SplittableRandom rnd, String id, String variant, long sessions, long orders,
      long now) {
    long left = sessions;
    while (left > 0) {
      long n = Math.min(left, 1 + rnd.nextInt(40));
      left -= n;
      long ts = START + rnd.nextLong(now - START);
      experiment.add(new X("visit", ts, id, variant, null, n));
      add(new R("visit", id(), ts, null, null, "tmall", null, null, null, (int) n, null),
          ",\"experiment\":\"" + id + "\",\"variant\":\"" + variant + "\"");
    }
    for (long i = 0; i < orders; i++) {
      BigDecimal amount = BigDecimal.valueOf(100 + rnd.nextLong(99_900), 2);
      long ts = START + rnd.nextLong(now - START);
      experiment.add(new X("order", ts, id, variant, amount, 0));
      order(ts, "x-" + rnd.nextInt(2000), amount, "tmall", false, null,
          ",\"experiment\":\"" + id + "\",\"variant\":\"" + variant + "\"", null);
    }
  }

  private String id() {
    return "r" + ids++;
  }

  /** The breakdown fields of an order or visit (null: absent). */
  record Keys(String sku, String productCategory, String region, List<String> tags,
      Integer quantity) {}

  /** An order's keys: each field absent now and then, tags with repeats. */
  private static Keys keys(SplittableRandom k) {
    List<String> tags = null;
    if (k.nextInt(3) > 0) {
      tags = new ArrayList<>();
      for (int t = k.nextInt(3); t >= 0; t--) tags.add(TAGS[k.nextInt(TAGS.length)]);
    }
    return new Keys(k.nextInt(6) > 0 ? SKUS[k.nextInt(SKUS.length)] : null,
        k.nextInt(4) > 0 ? CATEGORIES[k.nextInt(CATEGORIES.length)] : null,
        k.nextInt(5) > 0 ? REGIONS[k.nextInt(REGIONS.length)] : null, tags,
        k.nextBoolean() ? 1 + k.nextInt(5) : null);
  }

  private void order(long ts, String customer, BigDecimal amount, String channel, boolean isNew,
      String ad, String extra, Keys keys) {
    add(new R("order", id(), ts, amount, customer, channel, isNew, ad, null, null, null), extra, keys);
  }

  private void add(R r, String extra) {
    add(r, extra, null);
  }

  private void add(R r, String extra, Keys keys) {
    records.add(r);
    JsonObject o = new JsonObject().put("type", r.type()).put("id", r.id())
        .put("ts", Instant.ofEpochMilli(r.ts()).toString());
    switch (r.type()) {
      case "order" -> {
        o.put("customerId", r.customerId()).put("amount", r.amount()).put("channel", r.channel())
            .put("newCustomer", r.newCustomer());
        if (r.adChannel() != null) o.put("adChannel", r.adChannel());
      }
      case "visit" -> o.put("channel", r.channel()).put("sessions", r.sessions());
      case "spend" -> o.put("category", r.category()).put("amount", r.amount());
      case "nps" -> o.put("score", r.score());
      default -> throw new IllegalArgumentException(r.type());
    }
    Keys k = keys == null ? new Keys(null, null, null, null, null) : keys;
    if (k.sku() != null) o.put("sku", k.sku());
    if (k.productCategory() != null) o.put("productCategory", k.productCategory());
    if (k.region() != null) o.put("region", k.region());
    if (k.tags() != null) o.put("tags", new JsonArray(k.tags()));
    if (k.quantity() != null) o.put("quantity", k.quantity());
    if (r.type().equals("order") || r.type().equals("visit")) {
      sent.add(new Sent(r.type(), r.ts(), r.type().equals("order") ? r.amount() : BigDecimal.ZERO,
          k.sku(), k.productCategory(), k.region(), null, k.tags(), k.quantity(),
          r.sessions() == null ? 0 : r.sessions()));
    }
    String line = o.encode();
    if (extra != null) line = line.substring(0, line.length() - 1) + extra + "}";
    body.append(line).append('\n');
  }

  /** The campaign window so far. */
  Oracle.Window campaign() {
    return Oracle.window(records, START, END, ONLINE);
  }

  /** The previous period to the same point as now. */
  Oracle.Window previousToDate() {
    long end = Oracle.previousToDateEnd(START, END, PREV_START, PREV_END, Instant.parse(NOW).toEpochMilli());
    return Oracle.window(records, PREV_START, end, ONLINE);
  }

  /** A KPI's value this period, as the snapshot writes it. */
  public Object value(String kpi) {
    return Oracle.value(campaign(), kpi);
  }

  /** A KPI's value in the previous period to the same point. */
  public Object previous(String kpi) {
    return Oracle.value(previousToDate(), kpi);
  }

  /** A dimension's breakdown over the campaign window, from the records sent (one request). */
  public BreakdownOracle.Expected breakdown(String dimension) {
    return BreakdownOracle.ofRequests(List.of(sent), dimension, START, END);
  }

  /** Breakdown keys as the report names them (the usual ones translated), else as sent. */
  public static String keyName(String key, boolean zh) {
    return switch (key) {
      case "green" -> zh ? "绿色产品" : "Green products";
      case "home" -> zh ? "家居" : "Home";
      case "new" -> zh ? "新品" : "New";
      case "华北" -> zh ? "华北" : "North China";
      case "华东" -> zh ? "华东" : "East China";
      case "华南" -> zh ? "华南" : "South China";
      case "西北" -> zh ? "西北" : "Northwest";
      case "西南" -> zh ? "西南" : "Southwest";
      case "华中" -> zh ? "华中" : "Central China";
      case "bundle" -> zh ? "捆绑套餐" : "Bundles";
      default -> key;
    };
  }

  /** A breakdown table's row as the report shows it: key, revenue, orders, units, share. */
  public static List<String> breakdownRow(String name, BreakdownOracle.Sums x, String share,
      boolean region) {
    List<String> row = new ArrayList<>(List.of(name, money(x.revenue), grouped(0).format(x.orders),
        grouped(0).format(x.units), share));
    if (region) {
      row.add(grouped(0).format(x.sessions));
      row.add(x.sessions == 0 ? "—" : pct((double) x.orders / x.sessions, 2));
    }
    return row;
  }

  /** Checks the report's `experiments` against the records sent. */
  public void checkExperiments(JsonObject section) {
    ExperimentOracle.check(section, DECLARED, experiment, START, END);
  }

  /** Sessions, orders and order amount of a variant of checkout-v2, from the records sent. */
  public Object[] arm(String variant) {
    long sessions = 0;
    long orders = 0;
    BigDecimal revenue = BigDecimal.ZERO;
    for (X x : experiment) {
      if (!x.experiment().equals("checkout-v2") || !x.variant().equals(variant)) continue;
      if (x.type().equals("visit")) sessions += x.sessions();
      else {
        orders++;
        revenue = revenue.add(x.amount());
      }
    }
    return new Object[] {sessions, orders, revenue};
  }

  // ---- how the report writes figures, independently of the server's code

  static DecimalFormat grouped(int decimals) {
    DecimalFormat f = new DecimalFormat(decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals),
        DecimalFormatSymbols.getInstance(Locale.US));
    f.setRoundingMode(RoundingMode.HALF_UP);
    return f;
  }

  public static String money(Object v) {
    return v == null ? "—" : "¥" + grouped(2).format(new BigDecimal(v.toString()));
  }

  public static String pct(Object v, int decimals) {
    return v == null ? "—" : grouped(decimals).format(new BigDecimal(v.toString()).movePointRight(2)) + "%";
  }

  public static String signedPct(Double v) {
    if (v == null) return "—";
    String p = grouped(1).format(BigDecimal.valueOf(Math.abs(v)).movePointRight(2)) + "%";
    return p.equals("0.0%") ? p : (v > 0 ? "+" : "-") + p;
  }

  /** A KPI of the plan's table as the report shows it. */
  public static String kpi(String id, Object v) {
    if (v == null) return "—";
    return switch (id) {
      case "revenue", "aov" -> money(v);
      case "newCustomers" -> grouped(0).format(new BigDecimal(v.toString()));
      case "repurchaseRate", "onlineShare" -> pct(v, 1);
      case "conversion" -> pct(v, 2);
      case "roi" -> grouped(2).format(new BigDecimal(v.toString()));
      case "nps" -> grouped(1).format(new BigDecimal(v.toString()));
      default -> throw new IllegalArgumentException(id);
    };
  }

  /** The change of a value against the previous one, null when previous is null or 0. */
  public Double change(String id) {
    return Oracle.change(value(id), previous(id));
  }

  /** The row of the KPI table the report must show, past its status cell. */
  public List<String> kpiRow(String id, String name) {
    Object v = value(id);
    BigDecimal target = new BigDecimal(new JsonObject(PLAN).getJsonObject("targets").getValue(id).toString());
    BigDecimal completion = new BigDecimal(v.toString()).divide(target, 4, RoundingMode.HALF_UP);
    // a score's change in points (NPS: value / previous - 1 of negative scores reads backwards)
    String change = signedPct(change(id));
    if (id.equals("nps")) {
      boolean zh = name.codePoints().anyMatch(c -> c >= 0x2E80);
      BigDecimal d = new BigDecimal(v.toString()).subtract(new BigDecimal(previous(id).toString()))
          .setScale(1, RoundingMode.HALF_UP);
      change = (d.signum() > 0 ? "+" : d.signum() < 0 ? "-" : "") + grouped(1).format(d.abs())
          + (zh ? "分" : " pts");
    }
    return List.of(name, kpi(id, v), kpi(id, target), pct(completion, 1), kpi(id, previous(id)),
        change);
  }
}
