package io.warroom.kpi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.JsonGenerator;
import io.warroom.measure.Kpi;
import io.warroom.measure.Status;
import io.warroom.measure.Sum;
import io.warroom.measure.Sums;
import io.warroom.plan.Plan;
import io.warroom.plan.Text;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes the KPI snapshot of CONTRACT section 5 as JSON, from the figures {@link Figures} decides.
 * The snapshot stays small whatever the feeds send: channel and breakdown tables list as many
 * names as {@link Figures.Listing} allows, shorter ones while the snapshot is past {@link #LIMIT};
 * the plan's own parts are bounded when it is put ({@link io.warroom.plan.WallBytes}).
 */
public final class SnapshotWriter {
  /**
   * Characters past U+FFFF as their 4 UTF-8 bytes, not a 12-byte pair of escapes: the plan's
   * share of the snapshot is counted so (plan/WallBytes), and a plan of emoji texts passed 64 KiB.
   */
  public static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
  private static final JsonFactory JSON = FACTORY;
  /**
   * The most a snapshot should take (CONTRACT section 5: under 64 KiB). Past it, it is written
   * again with shorter tables ({@link Figures.Listing}); with the shortest it stays under 64 KiB.
   */
  public static final int LIMIT = 63 * 1024;

  /** Node-wide ingest counters, as answered since start. */
  public record IngestCounts(long accepted, long duplicates, long rejected, Long lastRecordAt) {}

  private SnapshotWriter() {}

  /** The snapshot of an aggregator at {@code now} with no alert firing (tests, benchmarks). */
  public static byte[] write(long seq, long now, Aggregator agg, IngestCounts ingest) {
    return write(seq, Figures.of(agg, now, List.of(), ingest.lastRecordAt(), now), ingest);
  }

  /** The whole snapshot: the core and every section as its fields (GET /api/v1/kpis). */
  public static byte[] write(long seq, Figures f, IngestCounts ingest) {
    return fit(seq, f, ingest).json();
  }

  /** The figures at the first listing that keeps the snapshot within {@link #LIMIT}, and it. */
  private record Fit(Figures figures, byte[] json) {}

  /** The first listing that keeps the whole snapshot within {@link #LIMIT}, else the shortest. */
  private static Fit fit(long seq, Figures f, IngestCounts ingest) {
    Figures g = f;
    byte[] json = write(seq, g, ingest, true);
    Figures.Listing[] all = Figures.Listing.values();
    for (int i = f.listing().ordinal() + 1; i < all.length && json.length > LIMIT; i++) {
      g = f.listing(all[i]);
      json = write(seq, g, ingest, true);
    }
    return new Fit(g, json);
  }

  /**
   * The figures with the listing the whole snapshot takes (as {@link #write}), so that the
   * stream's core and sections list what GET /api/v1/kpis lists.
   */
  public static Figures fitted(long seq, Figures f, IngestCounts ingest) {
    return fit(seq, f, ingest).figures();
  }

  /**
   * The snapshot without its sections, which the stream sends as events of their own, at the
   * figures' own listing (see {@link #fitted}).
   */
  public static byte[] writeCore(long seq, Figures f, IngestCounts ingest) {
    return write(seq, f, ingest, false);
  }

  /** One section's value, as its stream event carries it. */
  public static byte[] writeSection(Section s, Figures f) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      s.write(g, f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] write(long seq, Figures f, IngestCounts ingest, boolean sections) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      Plan plan = f.plan();
      g.writeStartObject();
      g.writeNumberField("seq", seq);
      g.writeStringField("asOf", Instant.ofEpochMilli(f.now()).toString());
      // GET /api/v1/series answers the same number while its past hours are current
      g.writeNumberField("seriesVersion", f.agg().seriesVersion());

      g.writeObjectFieldStart("plan");
      g.writeStringField("id", plan.id());
      g.writeFieldName("name");
      text(g, plan.name());
      g.writeStringField("timezone", plan.timezone().getId());
      g.writeStringField("currency", plan.currency());
      g.writeStringField("start", plan.start().toString());
      g.writeStringField("end", plan.end().toString());
      g.writeNumberField("elapsed", f.elapsed());
      PreviousSection.period(g, f);
      g.writeEndObject();

      Aggregator agg = f.agg();
      g.writeObjectFieldStart("windows");
      window(g, "campaign", agg.campaign());
      window(g, "today", agg.today());
      window(g, "last1h", agg.last1h());
      window(g, "last15m", agg.last15m());
      if (sections) PreviousSection.windows(g, f);
      g.writeEndObject();

      g.writeArrayFieldStart("kpis");
      for (Figures.Target t : f.targets()) target(g, t);
      for (Figures.FocusTarget t : f.focus()) focus(g, t);
      g.writeEndArray();

      g.writeObjectFieldStart("channels");
      var channels = f.channels();
      for (Map.Entry<String, ChannelSums> c : channels.top()) channel(g, c.getKey(), c.getValue());
      if (channels.rest() != null) channel(g, Keyed.OTHER, channels.rest());
      g.writeEndObject();

      g.writeObjectFieldStart("adChannels");
      var ads = f.adChannels();
      for (Map.Entry<String, AdChannelSums> c : ads.top()) {
        adChannel(g, c.getKey(), c.getValue(), f.adChannelStatus(c.getValue()));
      }
      if (ads.rest() != null) adChannel(g, Keyed.OTHER, ads.rest(), f.adChannelStatus(ads.rest()));
      g.writeEndObject();

      g.writeObjectFieldStart("budget");
      for (Figures.BudgetLine b : f.budget()) {
        g.writeObjectFieldStart(b.category());
        money(g, "allocated", b.allocated().toDecimal(2));
        money(g, "spent", b.spent().toDecimal(2));
        status(g, b.status(), b.alarm());
        g.writeEndObject();
      }
      g.writeEndObject();

      g.writeObjectFieldStart("ingest");
      g.writeNumberField("accepted", ingest.accepted());
      g.writeNumberField("duplicates", ingest.duplicates());
      g.writeNumberField("rejected", ingest.rejected());
      instant(g, "lastRecordAt", ingest.lastRecordAt());
      // what the aggregates hold, also after a restart, when this node has accepted nothing yet
      g.writeNumberField("periodRecords", f.agg().periodRecords());
      instant(g, "newestRecordAt", f.agg().newestRecordAt());
      Figures.Feed feed = f.feed();
      instant(g, "lastFedAt", feed.lastFedAt());
      if (feed.idleMinutes() == null) g.writeNullField("idleMinutes");
      else g.writeNumberField("idleMinutes", feed.idleMinutes());
      g.writeNumberField("staleMinutes", plan.staleFeedMinutes());
      status(g, feed.status(), feed.alarm());
      g.writeEndObject();

      // the rules of the firing alerts back past their threshold, not yet by their margin
      g.writeArrayFieldStart("recovering");
      for (String rule : f.recovering()) g.writeString(rule);
      g.writeEndArray();

      if (sections) {
        for (Section s : f.sections()) {
          g.writeFieldName(s.name());
          s.write(g, f);
        }
      }
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
      g.writeNumberField("version", agg.seriesVersion());
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
      g.writeNumberField("hours", agg.periodHours());
      g.writeArrayFieldStart("revenue");
      long upTo = Math.min(agg.periodHours(), Math.max(0,
          (nowMillis - plan.startMillis()) / Aggregator.HOUR + 1));
      for (int i = 0; i < upTo; i++) g.writeNumber(plain(agg.periodHourRevenue(i).toDecimal(2)));
      g.writeEndArray();
      // the previous period hour by hour from its start, aligned with this one by elapsed time
      Previous prev = agg.previous();
      if (prev.records() == 0) {
        g.writeNullField("previous");
      } else {
        g.writeObjectFieldStart("previous");
        g.writeStringField("start", Instant.ofEpochMilli(prev.fromMillis()).toString());
        g.writeStringField("end", Instant.ofEpochMilli(prev.toMillis()).toString());
        g.writeArrayFieldStart("revenue");
        int hours = Math.min(agg.periodHours(), prev.hours());
        for (int i = 0; i < hours; i++) g.writeNumber(plain(prev.hourRevenue(i).toDecimal(2)));
        g.writeEndArray();
        g.writeEndObject();
      }
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

  /** Every field of the catalogue over one window's totals. */
  static void fields(JsonGenerator g, Sums t) throws IOException {
    for (Kpi k : Kpi.values()) {
      g.writeFieldName(k.id);
      number(g, k.value(t));
    }
  }

  private static void target(JsonGenerator g, Figures.Target t) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", t.kpi().id);
    g.writeStringField("unit", t.kpi().unit.wire());
    g.writeFieldName("value");
    number(g, t.value());
    g.writeFieldName("target");
    number(g, t.target());
    if (t.kpi().cumulative) {
      g.writeFieldName("expected");
      number(g, t.expected());
      g.writeFieldName("forecast");
      number(g, t.forecast());
    }
    g.writeFieldName("previous");
    number(g, t.previous());
    g.writeFieldName("change");
    number(g, t.change());
    status(g, t.status(), t.alarm());
    g.writeEndObject();
  }

  /**
   * A focus target (section 11), marked `"focus": true`; its text, dimension and key are the
   * plan's (GET /api/v1/plan), so that a hundred targets keep the snapshot small.
   */
  private static void focus(JsonGenerator g, Figures.FocusTarget t) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", t.focus().id());
    g.writeStringField("unit", t.focus().unit().wire());
    g.writeFieldName("value");
    number(g, t.value());
    g.writeFieldName("target");
    number(g, t.focus().target());
    status(g, t.status(), t.alarm());
    g.writeFieldName("previous");
    number(g, t.previous());
    g.writeFieldName("change");
    number(g, t.change());
    g.writeBooleanField("focus", true);
    g.writeEndObject();
  }

  private static void channel(JsonGenerator g, String name, ChannelSums c) throws IOException {
    g.writeObjectFieldStart(name);
    money(g, "revenue", c.gross.toDecimal(2));
    g.writeNumberField("orders", c.orders);
    g.writeFieldName("sessions");
    number(g, Kpi.count(c.sessions));
    g.writeFieldName("conversion");
    number(g, c.conversion());
    g.writeEndObject();
  }

  private static void adChannel(JsonGenerator g, String name, AdChannelSums c, Status status)
      throws IOException {
    g.writeObjectFieldStart(name);
    money(g, "spend", c.spend.toDecimal(2));
    money(g, "attributedRevenue", c.attributed.toDecimal(2));
    g.writeFieldName("roi");
    number(g, c.roi());
    status(g, status, null);
    g.writeEndObject();
  }

  /** `status` and, when an alert fires on the figure, `alert` with its rule, window and severity. */
  private static void status(JsonGenerator g, Status status, Alarm alarm) throws IOException {
    if (status == null) g.writeNullField("status");
    else g.writeStringField("status", status.wire());
    if (alarm != null) {
      g.writeObjectFieldStart("alert");
      g.writeStringField("rule", alarm.rule());
      g.writeStringField("severity", alarm.severity().wire());
      if (alarm.window() == null) g.writeNullField("window");
      else g.writeStringField("window", alarm.window());
      g.writeEndObject();
    }
  }

  /** A plan text: its string, or the object of its languages. */
  static void text(JsonGenerator g, Text t) throws IOException {
    if (t == null) {
      g.writeNull();
    } else if (t.plain() != null) {
      g.writeString(t.plain());
    } else {
      g.writeStartObject();
      for (Map.Entry<String, String> e : t.byLanguage().entrySet()) g.writeStringField(e.getKey(), e.getValue());
      g.writeEndObject();
    }
  }

  private static void instant(JsonGenerator g, String field, Long millis) throws IOException {
    if (millis == null) g.writeNullField(field);
    else g.writeStringField(field, Instant.ofEpochMilli(millis).toString());
  }

  private static void money(JsonGenerator g, String field, BigDecimal amount) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(plain(amount));
  }

  /** A value of the catalogue's kinds: decimal money, whole counts, double ratios; or null. */
  static void number(JsonGenerator g, Number n) throws IOException {
    if (n == null) g.writeNull();
    else if (n instanceof BigDecimal d) g.writeNumber(plain(d));
    else if (n instanceof Long l) g.writeNumber(l);
    else if (n instanceof BigInteger b) g.writeNumber(b);
    else g.writeNumber(n.doubleValue());
  }

  /** Decimal text without trailing zeros or exponent: 1234.5, 1500000. */
  public static String plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
  }

  /** Cents as decimal text. */
  public static String plain(Sum cents) {
    return plain(cents.toDecimal(2));
  }
}
