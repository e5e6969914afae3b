package io.warroom.ingest;

import java.math.BigDecimal;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns a {@link RawRow} into a {@link Rec} by the rules of CONTRACT section 3, or rejects it. */
final class RowValidator {
  static final long FUTURE_TOLERANCE_MS = 5 * 60_000L;
  /** Largest amount accepted, in cents (one trillion in the plan's currency): sums never overflow. */
  static final long MAX_CENTS = 100_000_000_000_000L;
  /** 1900-01-01T00:00:00Z. */
  private static final long EARLIEST_TS = -2_208_988_800_000L;
  private static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(MAX_CENTS, 2);
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,19}");
  private static final Pattern COUNTER_NAME = Pattern.compile("[a-z0-9_.-]{1,64}");
  static final int MAX_TAGS = 20;
  static final long MAX_QUANTITY = 1_000_000_000L;
  /** Largest counter value in one record (sums are exact beyond it anyway). */
  static final long MAX_COUNT = 1_000_000_000_000L;
  /** Plain decimals only: no exponent, no hex, no leading '+', no NaN. */
  /** A number as JSON writes it (exponents too), so a CSV cell reads as the same JSON value. */
  private static final Pattern DECIMAL =
      Pattern.compile("-?\\d{1,20}(\\.\\d{1,20})?([eE][+-]?\\d{1,12})?");

  private final Set<String> categories;
  private final long nowMillis;

  /**
   * @param categories the plan's budget categories, which spend records must use
   * @param nowMillis the current time, for the 5-minute future limit
   */
  RowValidator(Set<String> categories, long nowMillis) {
    this.categories = categories;
    this.nowMillis = nowMillis;
  }

  /** The validated record; throws {@link RejectException} naming the field. */
  Rec validate(RecordType type, RawRow raw) {
    String id = string(raw, "id", true);
    long ts = ts(raw);
    switch (type) {
      case ORDER: {
        String customer = string(raw, "customerId", true);
        long amount = money(raw, "amount", true, true);
        String channel = Canonical.of(string(raw, "channel", true));
        Boolean isNew = bool(raw, "newCustomer");
        String adChannel = Canonical.of(string(raw, "adChannel", false));
        Long cost = optMoney(raw, "cost");
        Long discount = optMoney(raw, "discount");
        return Rec.order(id, ts, customer, amount, channel, isNew, adChannel, cost, discount)
            .with(extra(raw, true));
      }
      case REFUND: {
        String orderId = string(raw, "orderId", true);
        return Rec.refund(id, ts, orderId, money(raw, "amount", true, true));
      }
      case SPEND: {
        String category = string(raw, "category", true);
        if (!categories.contains(category)) {
          throw new RejectException("category",
              "unknown category '" + category + "'; the plan's budget has " + categories);
        }
        long amount = money(raw, "amount", true, false);
        String adChannel = Canonical.of(string(raw, "adChannel", false));
        Long impressions = integer(raw, "impressions", false, 0, Long.MAX_VALUE);
        Long clicks = integer(raw, "clicks", false, 0, Long.MAX_VALUE);
        return Rec.spend(id, ts, Canonical.of(category), amount, adChannel, impressions, clicks);
      }
      case VISIT: {
        String channel = Canonical.of(string(raw, "channel", true));
        long sessions = integer(raw, "sessions", true, 1, Integer.MAX_VALUE);
        return Rec.visit(id, ts, channel, (int) sessions).with(extra(raw, false));
      }
      case NPS: {
        long score = integer(raw, "score", true, 0, 10);
        String customer = string(raw, "customerId", false);
        return Rec.nps(id, ts, (int) score, customer);
      }
      case COUNT: {
        String name = string(raw, "name", true);
        if (!COUNTER_NAME.matcher(name).matches()) {
          throw new RejectException("name", "must be 1 to 64 characters of a-z, 0-9, '_', '.' and '-'");
        }
        Long value = integer(raw, "value", false, 0, MAX_COUNT);
        return Rec.count(id, ts, name, value == null ? 1 : value);
      }
      default:
        throw new IllegalStateException(type.toString());
    }
  }

  /** The record's type from its `type` field (for /api/v1/events). */
  static RecordType typeOf(RawRow raw) {
    Object v = raw.values.get("type");
    if (v == null) throw new RejectException("type", "is required");
    if (!(v instanceof String s)) throw new RejectException("type", "must be a string");
    ValidText.check("type", s);
    RecordType t = RecordType.ofWire(s);
    if (t == null) {
      throw new RejectException("type",
          "unknown type '" + clip(s) + "'; expected order, refund, spend, visit, nps or count");
    }
    return t;
  }

  /**
   * The breakdown and experiment fields (CONTRACT sections 3, 11, 12): an order's sku,
   * productCategory, region, segment, tags and quantity; an order's or visit's region, experiment
   * and variant (given together or not at all).
   */
  private static Rec.Extra extra(RawRow raw, boolean order) {
    String sku = null;
    String category = null;
    String segment = null;
    List<String> tags = null;
    int quantity = 1;
    if (order) {
      sku = Canonical.of(string(raw, "sku", false));
      category = Canonical.of(string(raw, "productCategory", false));
      segment = Canonical.of(string(raw, "segment", false));
      tags = tags(raw);
      Long q = integer(raw, "quantity", false, 1, MAX_QUANTITY);
      if (q != null) quantity = q.intValue();
    }
    String region = Canonical.of(string(raw, "region", false));
    String experiment = Canonical.of(string(raw, "experiment", false));
    String variant = Canonical.of(string(raw, "variant", false));
    // Only both name a variant (CONTRACT section 12); with one of them the record counts everywhere
    // else and in no experiment.
    if (experiment == null || variant == null) {
      experiment = null;
      variant = null;
    }
    return new Rec.Extra(sku, category, region, segment, tags, quantity, experiment, variant);
  }

  /** An order's tags: a JSON array of strings, or in CSV one cell of values separated by ';'. */
  private static List<String> tags(RawRow raw) {
    Object v = raw.values.get("tags");
    if (v == null) return null;
    List<String> given;
    if (raw.textual) {
      given = new ArrayList<>();
      for (String t : ((String) v).split(";", -1)) {
        if (!t.isBlank()) given.add(t.strip());
      }
    } else if (v instanceof RawRow.Strings s) {
      // stripped as the CSV cell's values are, so a tag counts under one key in every format
      given = new ArrayList<>();
      for (String t : s.values()) given.add(t.strip());
    } else {
      throw new RejectException("tags", "must be an array of strings");
    }
    if (given.size() > MAX_TAGS) throw new RejectException("tags", "at most " + MAX_TAGS + " tags");
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    for (String t : given) {
      RawRow one = new RawRow(raw.row, false);
      one.values.put("tags", t);
      distinct.add(Canonical.of(string(one, "tags", true)));
    }
    return distinct.isEmpty() ? null : List.copyOf(distinct);
  }

  private static String string(RawRow raw, String field, boolean required) {
    Object v = raw.values.get(field);
    if (v == null) {
      if (required) throw new RejectException(field, "is required");
      return null;
    }
    if (!(v instanceof String s)) throw new RejectException(field, "must be a string");
    if (s.isEmpty()) {
      if (raw.textual && !required) return null;
      throw new RejectException(field, "must not be empty");
    }
    return ValidText.check(field, s);
  }

  private long ts(RawRow raw) {
    Object v = raw.values.get("ts");
    if (v == null) throw new RejectException("ts", "is required");
    if (!(v instanceof String s)) throw new RejectException("ts", "must be a string");
    ValidText.check("ts", s);
    long millis;
    try {
      millis = IsoTime.millis(s);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new RejectException("ts",
          "must be an ISO-8601 instant with an offset, such as 2026-11-11T00:00:05+08:00");
    }
    if (millis > nowMillis + FUTURE_TOLERANCE_MS) {
      throw new RejectException("ts", "is more than 5 minutes in the future");
    }
    // plans start in 2000 or later; PostgreSQL would clamp a time before 4713 BC
    if (millis < EARLIEST_TS) throw new RejectException("ts", "must be in 1900 or later");
    return millis;
  }

  private static Long optMoney(RawRow raw, String field) {
    return raw.values.containsKey(field) ? money(raw, field, false, false) : null;
  }

  private static long money(RawRow raw, String field, boolean required, boolean positive) {
    Object v = raw.values.get(field);
    if (v == null) {
      if (required) throw new RejectException(field, "is required");
      return 0;
    }
    BigDecimal n = number(raw, field, v);
    if (positive ? n.signum() <= 0 : n.signum() < 0) {
      throw new RejectException(field, positive ? "must be > 0" : "must be >= 0");
    }
    // compared before any arithmetic: 1e999999999 is a valid JSON number
    if (n.compareTo(MAX_AMOUNT) > 0) throw new RejectException(field, "must be at most 1000000000000");
    if (n.stripTrailingZeros().scale() > 2) throw new RejectException(field, "must have at most 2 decimals");
    return n.movePointRight(2).longValueExact();
  }

  private static Long integer(RawRow raw, String field, boolean required, long min, long max) {
    Object v = raw.values.get(field);
    if (v == null) {
      if (required) throw new RejectException(field, "is required");
      return null;
    }
    BigDecimal n;
    if (raw.textual) {
      String text = cell(field, v);
      if (!INTEGER.matcher(text).matches()) throw new RejectException(field, "must be an integer");
      n = new BigDecimal(text);
    } else {
      if (v == RawRow.OUT_OF_RANGE) throw new RejectException(field, "is out of range");
      if (!(v instanceof RawRow.Num num)) throw new RejectException(field, "must be an integer");
      if (!num.integral()) throw new RejectException(field, "must be an integer");
      n = num.value();
    }
    if (n.compareTo(BigDecimal.valueOf(min)) < 0) throw new RejectException(field, "must be >= " + min);
    if (n.compareTo(BigDecimal.valueOf(max)) > 0) throw new RejectException(field, "must be <= " + max);
    return n.longValueExact();
  }

  private static Boolean bool(RawRow raw, String field) {
    Object v = raw.values.get(field);
    if (v == null) return null;
    if (raw.textual) {
      String s = (String) v;
      if (s.isEmpty()) return null;
      if (s.equals("true")) return Boolean.TRUE;
      if (s.equals("false")) return Boolean.FALSE;
      throw new RejectException(field, "must be true or false");
    }
    if (!(v instanceof Boolean b)) throw new RejectException(field, "must be a boolean");
    return b;
  }

  private static BigDecimal number(RawRow raw, String field, Object v) {
    if (raw.textual) {
      String s = cell(field, v);
      if (!DECIMAL.matcher(s).matches()) throw new RejectException(field, "must be a number");
      try {
        return new BigDecimal(s);
      } catch (NumberFormatException e) {
        throw new RejectException(field, "is out of range"); // an exponent past an int
      }
    }
    if (v == RawRow.OUT_OF_RANGE) throw new RejectException(field, "is out of range");
    if (!(v instanceof RawRow.Num num)) throw new RejectException(field, "must be a number");
    return num.value();
  }

  /**
   * A CSV cell read as a number: valid text (a NUL or a lone surrogate is refused, not trimmed
   * away as String.trim would), without the spaces around it.
   */
  private static String cell(String field, Object v) {
    String s = (String) v;
    String problem = ValidText.problem(s, 1_000_000);
    if (problem != null) throw new RejectException(field, problem);
    return s.strip();
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
