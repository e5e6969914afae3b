package io.warroom.ingest;

import java.time.Instant;
import java.util.List;

/**
 * One accepted record of any type. Money is in integer cents; optional fields are null when absent.
 * Immutable; built only by {@link RowValidator} (or by a store reading back what it kept).
 */
public final class Rec {
  public final RecordType type;
  public final String id;
  /** Record time, epoch milliseconds. */
  public final long ts;
  /** order: amount; refund: amount; spend: amount. 0 for visit and nps. */
  public final long amountCents;
  public final String customerId; // order (required), nps (optional)
  public final String channel; // order, visit
  public final Boolean newCustomer; // order
  public final String adChannel; // order, spend
  public final Long costCents; // order
  public final Long discountCents; // order
  public final String orderId; // refund
  public final String category; // spend
  public final Long impressions; // spend
  public final Long clicks; // spend
  public final int sessions; // visit
  public final int score; // nps
  /** Breakdown and experiment fields of orders and visits (sections 11, 12), or null. */
  public final Extra extra;
  public final String name; // count
  public final long value; // count

  /**
   * An order's product, category, region, segment, tags (distinct, or null) and units, and the
   * experiment and variant it counts toward; a visit's region, experiment and variant.
   */
  public record Extra(String sku, String productCategory, String region, String segment,
      List<String> tags, int quantity, String experiment, String variant) {
    public static final Extra NONE = new Extra(null, null, null, null, null, 1, null, null);

    public boolean isNone() {
      return equals(NONE);
    }
  }

  public Rec(RecordType type, String id, long ts, long amountCents, String customerId, String channel,
      Boolean newCustomer, String adChannel, Long costCents, Long discountCents, String orderId,
      String category, Long impressions, Long clicks, int sessions, int score) {
    this(type, id, ts, amountCents, customerId, channel, newCustomer, adChannel, costCents,
        discountCents, orderId, category, impressions, clicks, sessions, score, null, null, 0);
  }

  public Rec(RecordType type, String id, long ts, long amountCents, String customerId, String channel,
      Boolean newCustomer, String adChannel, Long costCents, Long discountCents, String orderId,
      String category, Long impressions, Long clicks, int sessions, int score, Extra extra,
      String name, long value) {
    this.type = type;
    this.id = id;
    this.ts = ts;
    this.amountCents = amountCents;
    this.customerId = customerId;
    this.channel = channel;
    this.newCustomer = newCustomer;
    this.adChannel = adChannel;
    this.costCents = costCents;
    this.discountCents = discountCents;
    this.orderId = orderId;
    this.category = category;
    this.impressions = impressions;
    this.clicks = clicks;
    this.sessions = sessions;
    this.score = score;
    this.extra = extra == null || extra.isNone() ? null : extra;
    this.name = name;
    this.value = value;
  }

  /** This record with breakdown and experiment fields. */
  public Rec with(Extra e) {
    return new Rec(type, id, ts, amountCents, customerId, channel, newCustomer, adChannel, costCents,
        discountCents, orderId, category, impressions, clicks, sessions, score, e, name, value);
  }

  /** Units of an order: its quantity, 1 by default. */
  public int units() {
    return extra == null ? 1 : extra.quantity();
  }

  public static Rec order(String id, long ts, String customerId, long amountCents, String channel,
      Boolean newCustomer, String adChannel, Long costCents, Long discountCents) {
    return new Rec(RecordType.ORDER, id, ts, amountCents, customerId, channel, newCustomer, adChannel,
        costCents, discountCents, null, null, null, null, 0, 0);
  }

  public static Rec refund(String id, long ts, String orderId, long amountCents) {
    return new Rec(RecordType.REFUND, id, ts, amountCents, null, null, null, null, null, null, orderId,
        null, null, null, 0, 0);
  }

  public static Rec spend(String id, long ts, String category, long amountCents, String adChannel,
      Long impressions, Long clicks) {
    return new Rec(RecordType.SPEND, id, ts, amountCents, null, null, null, adChannel, null, null, null,
        category, impressions, clicks, 0, 0);
  }

  public static Rec visit(String id, long ts, String channel, int sessions) {
    return new Rec(RecordType.VISIT, id, ts, 0, null, channel, null, null, null, null, null, null, null,
        null, sessions, 0);
  }

  public static Rec nps(String id, long ts, int score, String customerId) {
    return new Rec(RecordType.NPS, id, ts, 0, customerId, null, null, null, null, null, null, null, null,
        null, 0, score);
  }

  public static Rec count(String id, long ts, String name, long value) {
    return new Rec(RecordType.COUNT, id, ts, 0, null, null, null, null, null, null, null, null, null,
        null, 0, 0, null, name, value);
  }

  /** The duplicate key: type and sender id. */
  public String key() {
    return type.wire + '\u0000' + id;
  }

  /** A hash of the duplicate key, without building the key. */
  public int keyHash() {
    int h = (id.hashCode() * 31 + type.ordinal()) * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** Whether o has the same duplicate key (type and id). */
  public boolean sameKey(Rec o) {
    return type == o.type && id.equals(o.id);
  }

  @Override
  public String toString() {
    return type.wire + ":" + id + "@" + Instant.ofEpochMilli(ts);
  }
}
