package io.warroom.measure;

/**
 * What a window's totals expose to the KPI catalogue: its additive sums (money in cents) and its
 * distinct customer counts.
 */
public interface Sums {
  Sum gross();

  Sum refunds();

  /** Gross less refunds. */
  Sum revenue();

  Sum sessions();

  /** Spend in the budget category "ads". */
  Sum adSpend();

  /** Gross amount of the orders that name an ad channel. */
  Sum attributed();

  /** Gross amount of the orders on the plan's online channels. */
  Sum online();

  long orders();

  long refundCount();

  long adSpendCount();

  long customers();

  long newCustomers();

  /** Customers with two or more orders. */
  long repeaters();

  long npsResponses();

  long promoters();

  long detractors();
}
