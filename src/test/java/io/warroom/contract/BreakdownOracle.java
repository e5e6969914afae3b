package io.warroom.contract;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * CONTRACT section 11 computed the plain way from what a test sent, in the order it sent it:
 * BigDecimal money, a map per dimension in first-seen order (a request's new keys by code
 * point), a sort of every key. Independent of
 * the server's breakdowns.
 */
public final class BreakdownOracle {
  public static final List<String> DIMENSIONS =
      List.of("sku", "productCategory", "region", "segment", "tag");
  static final int TOP = 10;
  static final int CAP = 10_000;

  /** An order or visit as sent (null: field absent); tags as sent, repeats included. */
  public record Sent(String type, long ts, BigDecimal amount, String sku, String productCategory,
      String region, String segment, List<String> tags, Integer quantity, int sessions) {
    String key(String dimension) {
      return switch (dimension) {
        case "sku" -> sku;
        case "productCategory" -> productCategory;
        case "region" -> region;
        default -> segment;
      };
    }
  }

  /** Sums of one key. */
  public static final class Sums {
    public BigDecimal revenue = BigDecimal.ZERO;
    public long orders;
    public long units;
    public long sessions;
  }

  /** One dimension's expected section: the top keys in order, the rest, the keys told apart. */
  public record Expected(List<String> topKeys, Map<String, Sums> top, Sums other, int distinct,
      boolean capped, BigDecimal gross) {}

  /** Each record sent in a request of its own. */
  public static Expected of(List<Sent> sent, String dimension, long from, long to) {
    List<List<Sent>> alone = new ArrayList<>();
    for (Sent s : sent) alone.add(List.of(s));
    return ofRequests(alone, dimension, from, to);
  }

  /** Records sent in requests: past the cap, keys are told apart in the order they first come. */
  public static Expected ofRequests(List<List<Sent>> requests, String dimension, long from,
      long to) {
    Map<String, Sums> told = new LinkedHashMap<>();
    Sums other = new Sums();
    boolean capped = false;
    BigDecimal gross = BigDecimal.ZERO;
    for (List<Sent> request : requests) {
      List<String> fresh = new ArrayList<>();
      for (Sent s : request) {
        if (s.ts() < from || s.ts() >= to) continue;
        for (String k : keys(s, dimension)) if (!told.containsKey(k) && !fresh.contains(k)) fresh.add(k);
      }
      for (String k : fresh) if (told.size() < CAP) told.put(k, new Sums());
      for (Sent s : request) {
        if (s.ts() < from || s.ts() >= to) continue;
        boolean order = s.type().equals("order");
        if (order) gross = gross.add(s.amount());
        for (String k : keys(s, dimension)) {
          Sums into = told.get(k);
          if (into == null) {
            capped = true;
            into = other;
          }
          if (order) {
            into.revenue = into.revenue.add(s.amount());
            into.orders++;
            into.units += s.quantity() == null ? 1 : s.quantity();
          } else {
            into.sessions += s.sessions();
          }
        }
      }
    }
    List<String> keys = new ArrayList<>(told.keySet());
    keys.sort((a, b) -> {
      int c = told.get(b).revenue.compareTo(told.get(a).revenue);
      return c != 0 ? c : Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    });
    List<String> topKeys = keys.subList(0, Math.min(TOP, keys.size()));
    Map<String, Sums> top = new LinkedHashMap<>();
    for (String k : topKeys) top.put(k, told.get(k));
    for (String k : keys.subList(topKeys.size(), keys.size())) {
      Sums s = told.get(k);
      other.revenue = other.revenue.add(s.revenue);
      other.orders += s.orders;
      other.units += s.units;
      other.sessions += s.sessions;
    }
    return new Expected(List.copyOf(topKeys), top, other, told.size(), capped, gross);
  }

  /** The keys a record counts under in a dimension: each tag once, a region also for visits. */
  private static List<String> keys(Sent s, String dimension) {
    boolean order = s.type().equals("order");
    List<String> keys = new ArrayList<>();
    if (dimension.equals("tag")) {
      if (order && s.tags() != null) keys.addAll(new LinkedHashSet<>(s.tags()));
    } else if (order || dimension.equals("region")) {
      if (s.key(dimension) != null) keys.add(s.key(dimension));
    }
    return keys;
  }

  /** A key's share of the gross revenue, as the double nearest cents over cents; null without orders. */
  public static Double share(BigDecimal revenue, BigDecimal gross) {
    return gross.signum() == 0 ? null
        : Oracle.quotient(revenue, gross);
  }
}
