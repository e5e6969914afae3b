package io.warroom.kpi;

import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;

/**
 * The additive sums of one window (money in cents) and, per customer, how many orders and how many
 * new-customer orders they placed in it, from which the distinct counts follow exactly. A minute
 * bucket is a Totals too; a rolling window adds buckets entering it and subtracts those leaving.
 */
public final class Totals {
  public long grossCents;
  public long refundCents;
  public long orders;
  public long sessions;
  public long adSpendCents;
  public long attributedCents;
  public long onlineCents;
  public long npsResponses;
  public long promoters;
  public long detractors;
  /** Refund and ads-spend records, and orders that carry a cost (for minimum samples, margin). */
  public long refundCount;
  public long adSpendCount;
  public long costedOrders;
  /** Sum of order amount and of cost over the orders that carry a cost (gross margin). */
  public long costedGrossCents;
  public long costCents;

  /** Customer number (the aggregator's {@link CustomerIds}) -> orders and new-customer orders. */
  private final CustomerCounts customers = new CustomerCounts();
  private long newCustomers;
  private long repeaters;

  /**
   * Adds one record; {@code customer} is an order's customer number; {@code online} tells whether an
   * order's channel is an online one.
   */
  void add(Rec r, int customer, boolean online) {
    boolean costed = r.type == RecordType.ORDER && r.costCents != null;
    addSums(r.type, r.adChannel != null, r.category, r.score, online, 1, r.amountCents, r.sessions,
        costed ? 1 : 0, costed ? r.amountCents : 0, costed ? r.costCents : 0);
    if (r.type == RecordType.ORDER) {
      addCustomer(customer, 1, Boolean.TRUE.equals(r.newCustomer) ? 1 : 0);
    }
  }

  /** Adds the sums of a rollup (its customers come separately, through {@link #addCustomer}). */
  public void addSums(Rollup g, boolean online) {
    addSums(g.type(), g.adChannel() != null, g.category(), g.score(), online, g.count(),
        g.amountCents(), g.sessions(), g.costedCount(), g.costedAmountCents(), g.costCents());
  }

  /**
   * {@code count} records of one shape whose amounts and sessions sum to the given values, of which
   * {@code costedCount} orders carry a cost: their amounts and costs sum to the last two.
   */
  private void addSums(RecordType type, boolean attributed, String category, int score,
      boolean online, long count, long amountCents, long sessionSum, long costedCount,
      long costedAmountCents, long costSum) {
    switch (type) {
      case ORDER -> {
        grossCents += amountCents;
        orders += count;
        if (attributed) attributedCents += amountCents;
        if (online) onlineCents += amountCents;
        costedOrders += costedCount;
        costedGrossCents += costedAmountCents;
        costCents += costSum;
      }
      case REFUND -> {
        refundCents += amountCents;
        refundCount += count;
      }
      case SPEND -> {
        if (Aggregator.ADS.equals(category)) {
          adSpendCents += amountCents;
          adSpendCount += count;
        }
      }
      case VISIT -> sessions += sessionSum;
      case NPS -> {
        npsResponses += count;
        if (score >= 9) promoters += count;
        else if (score <= 6) detractors += count;
      }
    }
  }

  /** Adds ({@code sign} 1) or subtracts ({@code sign} -1) another Totals, customers included. */
  public void merge(Totals o, int sign) {
    grossCents += sign * o.grossCents;
    refundCents += sign * o.refundCents;
    orders += sign * o.orders;
    sessions += sign * o.sessions;
    adSpendCents += sign * o.adSpendCents;
    attributedCents += sign * o.attributedCents;
    onlineCents += sign * o.onlineCents;
    npsResponses += sign * o.npsResponses;
    promoters += sign * o.promoters;
    detractors += sign * o.detractors;
    refundCount += sign * o.refundCount;
    adSpendCount += sign * o.adSpendCount;
    costedOrders += sign * o.costedOrders;
    costedGrossCents += sign * o.costedGrossCents;
    costCents += sign * o.costCents;
    o.customers.forEach((id, orders, newOrders) -> addCustomer(id, sign * orders, sign * newOrders));
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

  public long revenueCents() {
    return grossCents - refundCents;
  }

  public long customers() {
    return customers.size();
  }

  public long newCustomers() {
    return newCustomers;
  }

  /** Customers with two or more orders in the window. */
  public long repeaters() {
    return repeaters;
  }

  public void clear() {
    grossCents = refundCents = orders = sessions = adSpendCents = attributedCents = onlineCents = 0;
    npsResponses = promoters = detractors = 0;
    refundCount = adSpendCount = costedOrders = costedGrossCents = costCents = 0;
    customers.clear();
    newCustomers = repeaters = 0;
  }
}
