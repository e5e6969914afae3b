package io.warroom.kpi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.measure.Kpi;
import io.warroom.measure.Sum;
import io.warroom.plan.Plan;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The campaign's orders broken down by product, category, region, segment and tag (CONTRACT
 * section 11), and the focus targets' figures. Per record: one hash lookup per dimension (and
 * per tag). Memory is bounded: at most {@link #MAX_KEYS} keys per dimension are told apart, the
 * orders of keys first seen past that go to one overflow row. The ranking is made only when the
 * section is written, and its text is kept until something in it changes, so the stream resends
 * it only then.
 *
 * <p>Not thread-safe: the aggregator's owner.
 */
public final class Breakdowns implements Section {
  /** The dimensions, in the order written. */
  public static final List<String> DIMENSIONS =
      List.of("sku", "productCategory", "region", "segment", "tag");
  public static final int TOP = 10;
  public static final int MAX_KEYS = 10_000;
  private static final JsonFactory JSON = SnapshotWriter.FACTORY;
  /** Sums of one key: gross order amount (cents), orders, units; for regions, visit sessions. */
  public static final class Row implements Keyed.Row<Row> {
    public final Sum revenue = new Sum();
    public long orders;
    public final Sum units = new Sum();
    public final Sum sessions = new Sum();

    @Override
    public void addTo(Row into) {
      into.revenue.add(revenue, 1);
      into.orders += orders;
      into.units.add(units, 1);
      into.sessions.add(sessions, 1);
    }
  }

  /** By revenue, most first (the top's order; ties by key). */
  static final Comparator<Row> BY_REVENUE = Comparator.comparing((Row r) -> r.revenue).reversed();

  /** Per dimension (as {@link #DIMENSIONS}), the keys told apart and the overflow row. */
  private final List<Keyed<Row>> dims = new ArrayList<>();
  private final Totals campaign;
  /** Focus targets' rows by dimension and key: told apart whatever the cap. */
  private final Map<String, Map<String, Row>> focus = new HashMap<>();
  private final List<Plan.Focus> targets;
  private long version;
  private long writtenVersion = -1;
  private String written;

  Breakdowns(Plan plan, Totals campaign) {
    for (int i = 0; i < DIMENSIONS.size(); i++) dims.add(new Keyed<>(Row::new, MAX_KEYS));
    this.campaign = campaign;
    this.targets = plan.focus();
    for (Plan.Focus f : targets) {
      focus.computeIfAbsent(f.dimension(), d -> new HashMap<>()).computeIfAbsent(f.key(),
          k -> new Row());
    }
  }

  @Override
  public String name() {
    return "breakdowns";
  }

  /** Adds a record of the campaign window. */
  void add(Rec r) {
    if (r.type == RecordType.ORDER) {
      version++;
      Rec.Extra e = r.extra;
      if (e == null) return;
      long units = e.quantity();
      order(0, e.sku(), r.amountCents, units);
      order(1, e.productCategory(), r.amountCents, units);
      order(2, e.region(), r.amountCents, units);
      order(3, e.segment(), r.amountCents, units);
      if (e.tags() != null) for (String t : e.tags()) order(4, t, r.amountCents, units);
    } else if (r.type == RecordType.VISIT && r.extra != null && r.extra.region() != null) {
      version++;
      visit(r.extra.region(), r.sessions);
    }
  }

  private void order(int d, String key, long cents, long units) {
    if (key == null) return;
    Row row = dims.get(d).row(key);
    row.revenue.add(cents);
    row.orders++;
    row.units.add(units);
    Row f = focusRow(d, key);
    if (f != null) {
      f.revenue.add(cents);
      f.orders++;
      f.units.add(units);
    }
  }

  private void visit(String region, long sessions) {
    dims.get(2).row(region).sessions.add(sessions);
    Row f = focusRow(2, region);
    if (f != null) f.sessions.add(sessions);
  }

  private Row focusRow(int d, String key) {
    if (focus.isEmpty()) return null;
    Map<String, Row> keys = focus.get(DIMENSIONS.get(d));
    return keys == null ? null : keys.get(key);
  }

  /**
   * Folds in the campaign-window orders (and, for regions, visits) of one key, as a store's
   * rollup answers them; keys must come in the order they were first seen. A null key is the sum
   * of keys first seen past the cap (none of them a focus target's key).
   */
  public void load(String dimension, String key, long orders, Sum revenue, Sum units,
      Sum sessions) {
    int d = DIMENSIONS.indexOf(dimension);
    version++;
    Row row;
    Row f = null;
    if (key == null) {
      row = dims.get(d).spill();
    } else {
      row = dims.get(d).row(key);
      f = focusRow(d, key);
    }
    for (Row r : f == null ? List.of(row) : List.of(row, f)) {
      r.revenue.add(revenue, 1);
      r.orders += orders;
      r.units.add(units, 1);
      r.sessions.add(sessions, 1);
    }
  }

  /**
   * The campaign value of a focus target: the gross order amount (cents as currency units),
   * orders or units of its key, or its key's share of the gross revenue (null without orders).
   */
  public Number value(Plan.Focus f) {
    Map<String, Row> keys = focus.get(f.dimension());
    Row r = keys == null ? null : keys.get(f.key());
    return value(f, r == null ? new Row() : r, campaign.gross());
  }

  /** Each key an order has, by dimension ({@link #DIMENSIONS}; each of its tags once). */
  static void keys(Rec.Extra e, BiConsumer<String, String> each) {
    if (e.sku() != null) each.accept("sku", e.sku());
    if (e.productCategory() != null) each.accept("productCategory", e.productCategory());
    if (e.region() != null) each.accept("region", e.region());
    if (e.segment() != null) each.accept("segment", e.segment());
    if (e.tags() != null) for (String t : e.tags()) each.accept("tag", t);
  }

  /** A focus target's value from its key's orders and the gross revenue of the same window. */
  static Number value(Plan.Focus f, Row r, Sum gross) {
    return switch (f.metric()) {
      case "orders" -> r.orders;
      case "units" -> Kpi.count(r.units);
      case "share" -> Kpi.ratio(r.revenue, gross);
      default -> Kpi.money(r.revenue);
    };
  }

  /** The plan's focus target with this id, or null. */
  public Plan.Focus focus(String id) {
    for (Plan.Focus f : targets) if (f.id().equals(id)) return f;
    return null;
  }

  /** Orders of a focus target's key: the data its value rests on. */
  public long orders(Plan.Focus f) {
    Map<String, Row> keys = focus.get(f.dimension());
    Row r = keys == null ? null : keys.get(f.key());
    return r == null ? 0 : r.orders;
  }

  /** Keys told apart in a dimension (tests, benchmarks). */
  public int distinct(String dimension) {
    return dims.get(DIMENSIONS.indexOf(dimension)).distinct();
  }

  @Override
  public void write(JsonGenerator g, Figures f) throws IOException {
    if (f.listing() != Figures.Listing.FULL) {
      g.writeRawValue(render(f.listing()));
      return;
    }
    if (writtenVersion != version) {
      written = render(f.listing());
      writtenVersion = version;
    }
    g.writeRawValue(written);
  }

  private String render(Figures.Listing listing) {
    StringWriter out = new StringWriter(4096);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (int d = 0; d < dims.size(); d++) dimension(g, d, listing);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private void dimension(JsonGenerator g, int d, Figures.Listing listing) throws IOException {
    boolean region = d == 2;
    g.writeObjectFieldStart(DIMENSIONS.get(d));
    g.writeArrayFieldStart("top");
    Keyed.Ranking<Row> ranked = dims.get(d).rank(BY_REVENUE, listing.keys, listing.keyBytes, null);
    for (Map.Entry<String, Row> e : ranked.top()) {
      Row r = e.getValue();
      g.writeStartObject();
      g.writeStringField("key", e.getKey());
      sums(g, r, region);
      g.writeFieldName("share");
      SnapshotWriter.number(g, Kpi.ratio(r.revenue, campaign.gross()));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeObjectFieldStart("other");
    sums(g, ranked.rest() == null ? new Row() : ranked.rest(), region);
    g.writeEndObject();
    g.writeNumberField("distinct", ranked.distinct());
    g.writeBooleanField("capped", ranked.capped());
    g.writeEndObject();
  }

  private static void sums(JsonGenerator g, Row r, boolean region) throws IOException {
    g.writeFieldName("revenue");
    g.writeNumber(SnapshotWriter.plain(r.revenue));
    g.writeNumberField("orders", r.orders);
    g.writeFieldName("units");
    SnapshotWriter.number(g, Kpi.count(r.units));
    if (region) {
      g.writeFieldName("sessions");
      SnapshotWriter.number(g, Kpi.count(r.sessions));
      g.writeFieldName("conversion");
      SnapshotWriter.number(g, Kpi.ratio(r.orders, r.sessions));
    }
  }
}
