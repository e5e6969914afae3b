package io.warroom.contract;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The KPI definitions of CONTRACT section 5, computed the plain way from the records a test sent:
 * BigDecimal money, sets for distinct customers. Independent of the server's aggregator.
 */
public final class Oracle {
  /** A generated record, as the test knows it. Money as BigDecimal; null when absent. */
  public record R(String type, String id, long ts, BigDecimal amount, String customerId, String channel,
      Boolean newCustomer, String adChannel, String category, Integer sessions, Integer score) {}

  /**
   * The [from, to) bounds in epoch ms of a trailing window of {@code span} ms ending at
   * {@code now} (last1h, last15m): records by the second of their ts, the current one included.
   */
  public static long[] trailing(long now, long span) {
    long next = Math.floorDiv(now, 1000L) * 1000L + 1000L;
    return new long[] {next - span, next};
  }

  /** The expected fields of one window. */
  static final class Window {
    BigDecimal gross = BigDecimal.ZERO;
    BigDecimal refunds = BigDecimal.ZERO;
    BigDecimal adSpend = BigDecimal.ZERO;
    BigDecimal attributed = BigDecimal.ZERO;
    BigDecimal online = BigDecimal.ZERO;
    long orders;
    long sessions;
    long npsResponses;
    long promoters;
    long detractors;
    Map<String, Integer> ordersByCustomer = new HashMap<>();
    Set<String> newCustomers = new HashSet<>();

    BigDecimal revenue() {
      return gross.subtract(refunds);
    }

    /** Money per order: the double nearest gross / orders, as every ratio. */
    Double aov() {
      return orders == 0 ? null : quotient(gross, BigDecimal.valueOf(orders));
    }

    Double conversion() {
      return sessions == 0 ? null : quotient(orders, sessions);
    }

    long customers() {
      return ordersByCustomer.size();
    }

    Double repurchaseRate() {
      if (ordersByCustomer.isEmpty()) return null;
      long repeat = ordersByCustomer.values().stream().filter(n -> n >= 2).count();
      return quotient(repeat, ordersByCustomer.size());
    }

    Double roi() {
      return adSpend.signum() == 0 ? null : quotient(attributed, adSpend);
    }

    Double nps() {
      return npsResponses == 0 ? null : 100.0 * (promoters - detractors) / npsResponses;
    }

    Double onlineShare() {
      return gross.signum() == 0 ? null : quotient(online, gross);
    }
  }

  /** The double nearest a / b: divided to 60 digits, so past 2^53 nothing rounds twice. */
  public static double quotient(BigDecimal a, BigDecimal b) {
    return a.divide(b, new MathContext(60)).doubleValue();
  }

  public static double quotient(long a, long b) {
    return quotient(BigDecimal.valueOf(a), BigDecimal.valueOf(b));
  }

  /** value / previous - 1 to 60 digits, then the nearest double; null when either is null or previous is 0. */
  public static Double change(Object value, Object previous) {
    if (value == null || previous == null) return null;
    BigDecimal p = new BigDecimal(previous.toString());
    if (p.signum() == 0) return null;
    return new BigDecimal(value.toString()).divide(p, new MathContext(60)).subtract(BigDecimal.ONE).doubleValue();
  }

  static long cents(BigDecimal amount) {
    return amount.movePointRight(2).longValueExact();
  }

  /** The window of records with from <= ts < to. */
  static Window window(List<R> records, long from, long to, Set<String> onlineChannels) {
    Window w = new Window();
    for (R r : records) {
      if (r.ts() < from || r.ts() >= to) continue;
      switch (r.type()) {
        case "order" -> {
          w.gross = w.gross.add(r.amount());
          w.orders++;
          if (r.adChannel() != null) w.attributed = w.attributed.add(r.amount());
          if (onlineChannels.contains(r.channel())) w.online = w.online.add(r.amount());
          w.ordersByCustomer.merge(r.customerId(), 1, Integer::sum);
          if (Boolean.TRUE.equals(r.newCustomer())) w.newCustomers.add(r.customerId());
        }
        case "refund" -> w.refunds = w.refunds.add(r.amount());
        case "spend" -> {
          if (r.category().equals("ads")) w.adSpend = w.adSpend.add(r.amount());
        }
        case "visit" -> w.sessions += r.sessions();
        case "nps" -> {
          w.npsResponses++;
          if (r.score() >= 9) w.promoters++;
          else if (r.score() <= 6) w.detractors++;
        }
        case "count" -> { }
        default -> throw new IllegalArgumentException(r.type());
      }
    }
    return w;
  }

  /** Per channel of the campaign window: {gross, orders, sessions}. */
  static Map<String, Object[]> channels(List<R> records, long from, long to) {
    Map<String, Object[]> out = new TreeMap<>();
    for (R r : records) {
      if (r.ts() < from || r.ts() >= to) continue;
      if (r.type().equals("order")) {
        Object[] c = out.computeIfAbsent(r.channel(), k -> new Object[] {BigDecimal.ZERO, 0L, 0L});
        c[0] = ((BigDecimal) c[0]).add(r.amount());
        c[1] = (Long) c[1] + 1;
      } else if (r.type().equals("visit")) {
        Object[] c = out.computeIfAbsent(r.channel(), k -> new Object[] {BigDecimal.ZERO, 0L, 0L});
        c[2] = (Long) c[2] + r.sessions();
      }
    }
    return out;
  }

  /** Per ad channel of the campaign window: {spend, attributed revenue}. */
  static Map<String, BigDecimal[]> adChannels(List<R> records, long from, long to) {
    Map<String, BigDecimal[]> out = new TreeMap<>();
    for (R r : records) {
      if (r.ts() < from || r.ts() >= to || r.adChannel() == null) continue;
      BigDecimal[] c = out.computeIfAbsent(r.adChannel(),
          k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
      if (r.type().equals("order")) c[1] = c[1].add(r.amount());
      else if (r.type().equals("spend")) c[0] = c[0].add(r.amount());
    }
    return out;
  }

  /** Spend per budget category in the campaign window. */
  static Map<String, BigDecimal> spent(List<R> records, long from, long to) {
    Map<String, BigDecimal> out = new HashMap<>();
    for (R r : records) {
      if (r.ts() >= from && r.ts() < to && r.type().equals("spend")) {
        out.merge(r.category(), r.amount(), BigDecimal::add);
      }
    }
    return out;
  }

  /**
   * The previous period of a plan (CONTRACT section 13) as [start, end) dates: the one given, else
   * as many whole months before a plan of whole months, else as many days before.
   */
  static LocalDate[] previousPeriod(LocalDate start, LocalDate end,
      LocalDate[] given) {
    if (given != null) return given;
    if (start.getDayOfMonth() == 1 && end.getDayOfMonth() == 1) {
      int months = (end.getYear() - start.getYear()) * 12 + end.getMonthValue() - start.getMonthValue();
      return new LocalDate[] {start.minusMonths(months), start};
    }
    long days = end.toEpochDay() - start.toEpochDay();
    return new LocalDate[] {start.minusDays(days), start};
  }

  /**
   * Where the previous period's to-date window ends: its start plus the whole minutes elapsed since
   * the plan's start at {@code now} (none before the start, no more after its end), at most its end.
   */
  static long previousToDateEnd(long planStart, long planEnd, long prevStart, long prevEnd,
      long now) {
    // the time elapsed in the plan's period: it stops at its end
    long minutes = Math.max(0, Math.floorDiv(Math.min(now, planEnd) - planStart, 60_000L));
    return Math.min(prevEnd, prevStart + minutes * 60_000L);
  }

  /** A KPI's value over a window, as the snapshot writes it (BigDecimal, Long, Double or null). */
  static Object value(Window w, String kpi) {
    return switch (kpi) {
      case "revenue" -> w.revenue();
      case "grossRevenue" -> w.gross;
      case "refunds" -> w.refunds;
      case "orders" -> w.orders;
      case "aov" -> w.aov();
      case "sessions" -> w.sessions;
      case "conversion" -> w.conversion();
      case "customers" -> w.customers();
      case "newCustomers" -> (long) w.newCustomers.size();
      case "repurchaseRate" -> w.repurchaseRate();
      case "adSpend" -> w.adSpend;
      case "attributedRevenue" -> w.attributed;
      case "roi" -> w.roi();
      case "npsResponses" -> w.npsResponses;
      case "nps" -> w.nps();
      case "onlineShare" -> w.onlineShare();
      default -> throw new IllegalArgumentException(kpi);
    };
  }
}
