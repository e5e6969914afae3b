package io.warroom.kpi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.warroom.plan.Plan;
import io.warroom.plan.Plan.AlertRule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** Writes the KPI snapshot of CONTRACT section 5 as JSON. */
public final class SnapshotWriter {
  private static final JsonFactory JSON = new JsonFactory();

  /** Node-wide ingest counters, as answered since start. */
  public record IngestCounts(long accepted, long duplicates, long rejected, Long lastRecordAt) {}

  private SnapshotWriter() {}

  public static byte[] write(long seq, long nowMillis, Aggregator agg, IngestCounts ingest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      Plan plan = agg.plan();
      double elapsed = plan.elapsed(nowMillis);
      g.writeStartObject();
      g.writeNumberField("seq", seq);
      g.writeStringField("asOf", Instant.ofEpochMilli(nowMillis).toString());

      g.writeObjectFieldStart("plan");
      g.writeStringField("id", plan.id());
      g.writeStringField("name", plan.name());
      g.writeStringField("timezone", plan.timezone().getId());
      g.writeStringField("currency", plan.currency());
      g.writeStringField("start", plan.start().toString());
      g.writeStringField("end", plan.end().toString());
      g.writeNumberField("elapsed", elapsed);
      g.writeEndObject();

      g.writeObjectFieldStart("windows");
      window(g, "campaign", agg.campaign());
      window(g, "today", agg.today());
      window(g, "last1h", agg.last1h());
      window(g, "last15m", agg.last15m());
      g.writeEndObject();

      g.writeArrayFieldStart("kpis");
      for (Map.Entry<String, BigDecimal> t : plan.targets().entrySet()) {
        kpi(g, plan, t.getKey(), t.getValue(), agg.campaign(), elapsed);
      }
      g.writeEndArray();

      g.writeObjectFieldStart("channels");
      for (Map.Entry<String, long[]> c : agg.channels().entrySet()) {
        long[] v = c.getValue();
        g.writeObjectFieldStart(c.getKey());
        g.writeFieldName("revenue");
        g.writeNumber(Money.format(v[0]));
        g.writeNumberField("orders", v[1]);
        g.writeNumberField("sessions", v[2]);
        ratio(g, "conversion", v[1], v[2]);
        g.writeEndObject();
      }
      g.writeEndObject();

      g.writeObjectFieldStart("adChannels");
      for (Map.Entry<String, long[]> c : agg.adChannels().entrySet()) {
        long[] v = c.getValue();
        g.writeObjectFieldStart(c.getKey());
        g.writeFieldName("spend");
        g.writeNumber(Money.format(v[0]));
        g.writeFieldName("attributedRevenue");
        g.writeNumber(Money.format(v[1]));
        ratio(g, "roi", v[1], v[0]);
        g.writeEndObject();
      }
      g.writeEndObject();

      g.writeObjectFieldStart("budget");
      for (Map.Entry<String, Long> b : plan.budgetCents().entrySet()) {
        g.writeObjectFieldStart(b.getKey());
        g.writeFieldName("allocated");
        g.writeNumber(Money.format(b.getValue()));
        g.writeFieldName("spent");
        g.writeNumber(Money.format(agg.spentCents(b.getKey())));
        g.writeEndObject();
      }
      g.writeEndObject();

      g.writeObjectFieldStart("ingest");
      g.writeNumberField("accepted", ingest.accepted());
      g.writeNumberField("duplicates", ingest.duplicates());
      g.writeNumberField("rejected", ingest.rejected());
      if (ingest.lastRecordAt() == null) g.writeNullField("lastRecordAt");
      else g.writeStringField("lastRecordAt", Instant.ofEpochMilli(ingest.lastRecordAt()).toString());
      g.writeEndObject();

      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Chart data (GET /api/v1/series): the window fields for each of the last 48 hours, oldest
   * first, ending with the current hour; and the net revenue of each hour of the plan period so far.
   */
  public static byte[] writeSeries(long nowMillis, Aggregator agg) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      Plan plan = agg.plan();
      g.writeStartObject();
      g.writeStringField("asOf", Instant.ofEpochMilli(nowMillis).toString());
      g.writeArrayFieldStart("hourly");
      long current = Math.floorDiv(nowMillis, Aggregator.HOUR);
      Totals empty = new Totals();
      for (long h = current - Aggregator.HOURS_KEPT + 1; h <= current; h++) {
        g.writeStartObject();
        g.writeStringField("start", Instant.ofEpochMilli(h * Aggregator.HOUR).toString());
        fields(g, agg.hours().getOrDefault(h, empty));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("campaign");
      g.writeStringField("start", Instant.ofEpochMilli(plan.startMillis()).toString());
      g.writeNumberField("stepMinutes", 60);
      g.writeNumberField("hours", agg.periodHourRevenue().length);
      g.writeArrayFieldStart("revenue");
      long[] rev = agg.periodHourRevenue();
      long upTo = Math.min(rev.length, Math.max(0,
          (nowMillis - plan.startMillis()) / Aggregator.HOUR + 1));
      for (int i = 0; i < upTo; i++) g.writeNumber(Money.format(rev[i]));
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void window(JsonGenerator g, String name, Totals t) throws IOException {
    g.writeObjectFieldStart(name);
    fields(g, t);
    g.writeEndObject();
  }

  private static void fields(JsonGenerator g, Totals t) throws IOException {
    money(g, "revenue", t.revenueCents());
    money(g, "grossRevenue", t.grossCents);
    money(g, "refunds", t.refundCents);
    g.writeNumberField("orders", t.orders);
    g.writeFieldName("aov");
    if (t.orders == 0) g.writeNull();
    else g.writeNumber(Money.format(Money.divide(t.grossCents, t.orders)));
    g.writeNumberField("sessions", t.sessions);
    ratio(g, "conversion", t.orders, t.sessions);
    g.writeNumberField("customers", t.customers());
    g.writeNumberField("newCustomers", t.newCustomers());
    ratio(g, "repurchaseRate", t.repeaters(), t.customers());
    money(g, "adSpend", t.adSpendCents);
    money(g, "attributedRevenue", t.attributedCents);
    ratio(g, "roi", t.attributedCents, t.adSpendCents);
    g.writeNumberField("npsResponses", t.npsResponses);
    g.writeFieldName("nps");
    Double nps = nps(t);
    if (nps == null) g.writeNull();
    else g.writeNumber(nps);
    ratio(g, "onlineShare", t.onlineCents, t.grossCents);
  }

  private static void kpi(JsonGenerator g, Plan plan, String id, BigDecimal target, Totals t,
      double elapsed) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    boolean money = Fields.MONEY.contains(id);
    Double value = value(id, t);
    g.writeFieldName("value");
    if (value == null) g.writeNull();
    else if (money) g.writeNumber(Money.format(id.equals("revenue") ? t.revenueCents()
        : Money.divide(t.grossCents, t.orders)));
    else g.writeNumber(value);
    g.writeFieldName("target");
    g.writeNumber(target);
    String status;
    if (Fields.CUMULATIVE.contains(id)) {
      double expected = target.doubleValue() * elapsed;
      g.writeFieldName("expected");
      if (money) g.writeNumber(Money.format(Money.times(Money.cents(target), elapsed)));
      else g.writeNumber(expected);
      g.writeFieldName("forecast");
      if (elapsed <= 0) g.writeNull();
      else if (money) g.writeNumber(Money.format(Money.over(t.revenueCents(), elapsed)));
      else g.writeNumber(value / elapsed);
      AlertRule rule = rule(plan, id, true);
      status = rule != null ? byRule(rule, value) : byShortfall(value, expected);
    } else {
      AlertRule rule = rule(plan, id, false);
      status = value == null ? null
          : rule != null ? byRule(rule, value) : byShortfall(value, target.doubleValue());
    }
    if (status == null) g.writeNullField("status");
    else g.writeStringField("status", status);
    g.writeEndObject();
  }

  /** The campaign value of a target KPI as a double (money in currency units), or null. */
  public static Double value(String id, Totals t) {
    return switch (id) {
      case "revenue" -> t.revenueCents() / 100.0;
      case "newCustomers" -> (double) t.newCustomers();
      case "repurchaseRate" -> div(t.repeaters(), t.customers());
      case "conversion" -> div(t.orders, t.sessions);
      case "aov" -> t.orders == 0 ? null : Money.divide(t.grossCents, t.orders) / 100.0;
      case "roi" -> div(t.attributedCents, t.adSpendCents);
      case "nps" -> nps(t);
      case "onlineShare" -> div(t.onlineCents, t.grossCents);
      default -> null;
    };
  }

  /**
   * The rule whose thresholds judge a KPI's campaign value: for cumulative KPIs only a rule on the
   * campaign window; for ratios one on the campaign window first, else any rule on that KPI.
   */
  private static AlertRule rule(Plan plan, String id, boolean campaignOnly) {
    AlertRule any = null;
    for (AlertRule r : plan.alerts()) {
      if (!r.kpi().equals(id)) continue;
      if (r.window().equals("campaign")) return r;
      if (any == null) any = r;
    }
    return campaignOnly ? null : any;
  }

  static String byRule(AlertRule r, double value) {
    if (holds(r.op(), value, r.critical())) return "critical";
    if (holds(r.op(), value, r.warn())) return "warning";
    return "ok";
  }

  static boolean holds(String op, double value, double threshold) {
    return switch (op) {
      case "<" -> value < threshold;
      case "<=" -> value <= threshold;
      case ">" -> value > threshold;
      default -> value >= threshold;
    };
  }

  /** ok within 10 % of the reference, warning within 20 %, critical beyond. */
  static String byShortfall(double value, double reference) {
    if (value >= reference * 0.9) return "ok";
    if (value >= reference * 0.8) return "warning";
    return "critical";
  }

  private static Double div(long a, long b) {
    return b == 0 ? null : (double) a / b;
  }

  private static Double nps(Totals t) {
    return t.npsResponses == 0 ? null : 100.0 * (t.promoters - t.detractors) / t.npsResponses;
  }

  private static void money(JsonGenerator g, String field, long cents) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(Money.format(cents));
  }

  private static void ratio(JsonGenerator g, String field, long a, long b) throws IOException {
    g.writeFieldName(field);
    if (b == 0) g.writeNull();
    else g.writeNumber((double) a / b);
  }
}
