package io.warroom.kpi;

import io.warroom.measure.Sum;

import io.warroom.ingest.RecordType;

/**
 * A group of records of one type that agree on every field the sums depend on, as a store's
 * GROUP BY answers it: their count and the sums of their amounts (cents) and sessions; of the
 * orders that carry a cost, their count and the sums of their amounts and costs (gross margin).
 * Customers are folded in separately ({@link Totals#addCustomer}).
 */
public record Rollup(RecordType type, String channel, String adChannel, String category, int score,
    long count, Sum amount, Sum sessions, long costedCount, Sum costedAmount, Sum cost) {}
