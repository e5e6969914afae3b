package io.warroom.kpi;

import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.measure.Sum;
import io.warroom.measure.Sums;
import java.util.HashMap;
import java.util.Map;

/**
 * The additive sums of one window (money in cents, as exact 128-bit {@link Sum}s) and, per
 * customer, how many orders and how many new-customer orders they placed in it, from which the
 * distinct counts follow exactly. A minute bucket is a Totals too; a rolling window adds buckets
 * entering it and subtracts those leaving. Record counts are longs: a count grows by one a record.
 */
public final class Totals implements Sums {
  private final Sum gross = new Sum();
  private final Sum refunds = new Sum();
  private final Sum sessions = new Sum();
  private final Sum adSpend = new Sum();
  private final Sum attributed = new Sum();
  private final Sum online = new Sum();
  /** Sum of order amount and of cost over the orders that carry a cost (gross margin). */
  private final Sum costedGross = new Sum();
  private final Sum cost = new Sum();
  private long orders;
  private long npsResponses;
  private long promoters;
  private long detractors;
  /** Refund and ads-spend records, and orders that carry a cost (for minimum samples, margin). */
  private long refundCount;
  private long adSpendCount;
  private long costedOrders;

  /** Customer number (the aggregator's {@link CustomerIds}) -> orders and new-customer orders. */
  private final CustomerCounts customers = new CustomerCounts();
  private long newCustomers;
  private long repeaters;
  /** Counter name -> sum of its values (records of type count); null until the first. */
  private Map<String, Sum> counts;

  /**
   * Adds one record; {@code customer} is an order's customer number (-1: do not count customers);
   * {@code online} tells whether an order's channel is an online one.
   */
  void add(Rec r, int customer, boolean online) {
    switch (r.type) {
      case ORDER -> {
        gross.add(r.amountCents);
        orders++;
        if (r.adChannel != null) attributed.add(r.amountCents);
        if (online) this.online.add(r.amountCents);
        if (r.costCents != null) {
          costedOrders++;
          costedGross.add(r.amountCents);
          cost.add(r.costCents);
        }
        if (customer >= 0) addCustomer(customer, 1, Boolean.TRUE.equals(r.newCustomer) ? 1 : 0);
      }
      case REFUND -> {
        refunds.add(r.amountCents);
        refundCount++;
      }
      case SPEND -> {
        if (Aggregator.ADS.equals(r.category)) {
          adSpend.add(r.amountCents);
          adSpendCount++;
        }
      }
      case VISIT -> sessions.add(r.sessions);
      case NPS -> {
        npsResponses++;
        if (r.score >= 9) promoters++;
        else if (r.score <= 6) detractors++;
      }
      case COUNT -> addCount(r.name, Sum.of(r.value), 1);
      default -> { }
    }
  }

  /** Adds ({@code sign} 1) or subtracts (-1) a sum of a counter (at most 100 names). */
  public void addCount(String name, Sum value, int sign) {
    if (counts == null) counts = new HashMap<>();
    counts.computeIfAbsent(name, k -> new Sum()).add(value, sign);
  }

  /** The sum of a counter's values (zero when none). */
  public Sum count(String name) {
    Sum s = counts == null ? null : counts.get(name);
    return s == null ? new Sum() : s;
  }

  /** Counter name -> sum of its values. */
  public Map<String, Sum> counts() {
    return counts == null ? Map.of() : counts;
  }

  /** Adds the sums of a rollup (its customers come separately, through {@link #addCustomer}). */
  public void addSums(Rollup g, boolean online) {
    switch (g.type()) {
      case ORDER -> {
        gross.add(g.amount(), 1);
        orders += g.count();
        if (g.adChannel() != null) attributed.add(g.amount(), 1);
        if (online) this.online.add(g.amount(), 1);
        costedOrders += g.costedCount();
        costedGross.add(g.costedAmount(), 1);
        cost.add(g.cost(), 1);
      }
      case REFUND -> {
        refunds.add(g.amount(), 1);
        refundCount += g.count();
      }
      case SPEND -> {
        if (Aggregator.ADS.equals(g.category())) {
          adSpend.add(g.amount(), 1);
          adSpendCount += g.count();
        }
      }
      case VISIT -> sessions.add(g.sessions(), 1);
      case NPS -> {
        npsResponses += g.count();
        if (g.score() >= 9) promoters += g.count();
        else if (g.score() <= 6) detractors += g.count();
      }
      default -> { }
    }
  }

  /** Adds ({@code sign} 1) or subtracts ({@code sign} -1) another Totals, customers included. */
  public void merge(Totals o, int sign) {
    gross.add(o.gross, sign);
    refunds.add(o.refunds, sign);
    sessions.add(o.sessions, sign);
    adSpend.add(o.adSpend, sign);
    attributed.add(o.attributed, sign);
    online.add(o.online, sign);
    costedGross.add(o.costedGross, sign);
    cost.add(o.cost, sign);
    orders += sign * o.orders;
    npsResponses += sign * o.npsResponses;
    promoters += sign * o.promoters;
    detractors += sign * o.detractors;
    refundCount += sign * o.refundCount;
    adSpendCount += sign * o.adSpendCount;
    costedOrders += sign * o.costedOrders;
    o.customers.forEach((id, orders, newOrders) -> addCustomer(id, sign * orders, sign * newOrders));
    if (o.counts != null) o.counts.forEach((name, v) -> addCount(name, v, sign));
  }

  /**
   * Adds {@code orderDelta} orders of a customer (by number), {@code newDelta} of them new-customer
   * orders.
   */
  void addCustomer(int customer, int orderDelta, int newDelta) {
    customers.add(customer, orderDelta, newDelta, this::counted);
  }

  private void counted(int beforeOrders, int beforeNew, int afterOrders, int afterNew) {
    if ((beforeOrders >= 2) != (afterOrders >= 2)) repeaters += afterOrders >= 2 ? 1 : -1;
    if ((beforeNew >= 1) != (afterNew >= 1)) newCustomers += afterNew >= 1 ? 1 : -1;
  }

  @Override public Sum gross() { return gross; }
  @Override public Sum refunds() { return refunds; }
  @Override public Sum sessions() { return sessions; }
  @Override public Sum adSpend() { return adSpend; }
  @Override public Sum attributed() { return attributed; }
  @Override public Sum online() { return online; }
  @Override public long orders() { return orders; }
  @Override public long refundCount() { return refundCount; }
  @Override public long adSpendCount() { return adSpendCount; }
  @Override public long npsResponses() { return npsResponses; }
  @Override public long promoters() { return promoters; }
  @Override public long detractors() { return detractors; }

  /** Order amount and cost over the orders that carry a cost, and how many those are (margin). */
  public Sum costedGross() { return costedGross; }
  public Sum cost() { return cost; }
  public long costedOrders() { return costedOrders; }

  /** Net revenue: gross order amounts less refunds, in cents. */
  @Override
  public Sum revenue() {
    Sum r = gross.copy();
    r.add(refunds, -1);
    return r;
  }

  @Override
  public long customers() {
    return customers.size();
  }

  @Override
  public long newCustomers() {
    return newCustomers;
  }

  /** Customers with two or more orders in the window. */
  @Override
  public long repeaters() {
    return repeaters;
  }

  public void clear() {
    for (Sum s : new Sum[] {gross, refunds, sessions, adSpend, attributed, online, costedGross, cost}) {
      s.clear();
    }
    orders = npsResponses = promoters = detractors = 0;
    refundCount = adSpendCount = costedOrders = 0;
    customers.clear();
    newCustomers = repeaters = 0;
    counts = null;
  }
}
