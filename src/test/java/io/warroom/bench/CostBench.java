package io.warroom.bench;

import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.kpi.SnapshotWriter;
import io.warroom.store.PgDirect;
import io.warroom.store.PgTestDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Section 5: cost as the work grows. In this JVM: one aggregator update (per record, timed over
 * batches of 1,000) and one snapshot (SnapshotWriter.write) once 10 thousand and once 10 million
 * records were applied. Beside it the naive design: the campaign KPIs recomputed by SQL aggregates
 * over the whole records table at each push, on 10 thousand and 10 million rows.
 */
final class CostBench {
  static final long[] SIZES = {10_000, 10_000_000};
  static final int SAMPLES = 21;

  /** What a naive server would run at each push: the campaign KPIs from the raw rows. */
  static final String NAIVE = """
      SELECT coalesce(sum(amount_cents) FILTER (WHERE type = 'order'), 0),
        count(*) FILTER (WHERE type = 'order'),
        coalesce(sum(amount_cents) FILTER (WHERE type = 'refund'), 0),
        coalesce(sum(amount_cents) FILTER (WHERE type = 'spend'), 0),
        coalesce(sum(sessions) FILTER (WHERE type = 'visit'), 0),
        count(*) FILTER (WHERE type = 'nps' AND score >= 9), count(*) FILTER (WHERE type = 'nps'),
        (SELECT count(*) FILTER (WHERE n > 1) FROM (SELECT count(*) n FROM records
           WHERE type = 'order' AND ts >= ? AND ts < ? GROUP BY customer_id) c)
      FROM records WHERE ts >= ? AND ts < ?""";

  private CostBench() {}

  static void run() throws Exception {
    // Warm-up: the JIT compiles apply and write before anything is timed.
    Aggregator warm = new Aggregator(Bench.PLAN, System.currentTimeMillis());
    for (int i = 0; i < 300; i++) for (Rec r : Bench.records(1_000)) warm.apply(r);
    for (int i = 0; i < 300; i++) snapshot(warm);

    BreakdownCost.run();
    ChannelCost.run();
    PreviousCost.run(SIZES[SIZES.length - 1]);
    ExperimentCost.run();
    String[][] rows = measure(1_000_000);
    // Control: as many records, but orders from 1,000 customers, so the per-customer tables stay
    // small: if the update cost grows with them and not with the records, this row stays flat.
    String[][] control = measure(1_000);

    String[] naive = new String[SIZES.length];
    try (PgTestDb db = PgTestDb.create()) {
      PgDirect.migrate(db.url());
      long rowsNow = 0;
      for (int s = 0; s < SIZES.length; s++) {
        long t0 = System.nanoTime();
        rowsNow = load(db, rowsNow, SIZES[s]);
        System.out.printf("  bulk-loaded the records table to %,d rows in %.0f s%n", rowsNow,
            (System.nanoTime() - t0) / 1e9);
        int samples = SIZES[s] > 1_000_000 ? 5 : SAMPLES;
        double[] ms = new double[samples];
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(NAIVE)) {
          OffsetDateTime from = time(Bench.PLAN.startMillis());
          OffsetDateTime to = time(Bench.PLAN.endMillis());
          ps.setObject(1, from);
          ps.setObject(2, to);
          ps.setObject(3, from);
          ps.setObject(4, to);
          run(ps); // warm-up: plan and page cache
          for (int i = 0; i < samples; i++) {
            long q0 = System.nanoTime();
            run(ps);
            ms[i] = (System.nanoTime() - q0) / 1e6;
          }
        }
        naive[s] = Bench.spread(ms, "%,.1f");
        System.out.printf("  naive SQL recompute over %,d rows: %s ms%n", rowsNow, naive[s]);
      }
    }
    Bench.result("");
    Bench.result("| cost per push as the work grows (median, min-max) | at 10 thousand records |"
        + " at 10 million records |");
    Bench.result("| --- | --- | --- |");
    Bench.result("| aggregator update, ns per record (batches of 1,000) | " + rows[0][0] + " | "
        + rows[1][0] + " |");
    Bench.result("| control: the same update with orders from 1,000 customers, ns per record | "
        + control[0][0] + " | " + control[1][0] + " |");
    Bench.result("| snapshot (SnapshotWriter.write), us | " + rows[0][1] + " | " + rows[1][1] + " |");
    Bench.result("| naive: campaign KPIs by SQL aggregates over the table, ms | " + naive[0] + " | "
        + naive[1] + " |");
    Bench.result("Goal: update and snapshot flat from 10 thousand to 10 million records.");
    Bench.result("");
  }

  /**
   * Per size: update (ns per record, batches of 1,000) and snapshot (us) spreads, with order
   * customers drawn from {@code customers}.
   */
  private static String[][] measure(int customers) {
    Aggregator agg = new Aggregator(Bench.PLAN, System.currentTimeMillis());
    long applied = 0;
    String[][] rows = new String[SIZES.length][];
    for (int s = 0; s < SIZES.length; s++) {
      while (applied < SIZES[s]) {
        int n = (int) Math.min(100_000, SIZES[s] - applied);
        for (Rec r : Bench.records(n, customers)) agg.apply(r);
        applied += n;
      }
      double[] update = new double[SAMPLES];
      double[] snap = new double[SAMPLES];
      for (int i = 0; i < SAMPLES; i++) {
        List<Rec> batch = Bench.records(1_000, customers);
        long t0 = System.nanoTime();
        for (Rec r : batch) agg.apply(r);
        update[i] = (System.nanoTime() - t0) / 1_000.0;
        t0 = System.nanoTime();
        snapshot(agg);
        snap[i] = (System.nanoTime() - t0) / 1e3;
        applied += 1_000;
      }
      rows[s] = new String[] {Bench.spread(update, "%.2f"), Bench.spread(snap, "%.0f")};
      System.out.printf("  at %,d applied records (%,d customers, drawn from %,d): update %s"
          + " ns/record, snapshot %s us%n", SIZES[s], agg.campaign().customers(), customers,
          rows[s][0], rows[s][1]);
    }
    return rows;
  }

  private static int snapshot(Aggregator agg) {
    return SnapshotWriter.write(1, System.currentTimeMillis(), agg,
        new SnapshotWriter.IngestCounts(1, 0, 0, null)).length;
  }

  private static void run(PreparedStatement ps) throws Exception {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
    }
  }

  private static OffsetDateTime time(long millis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  /** Server-side bulk load (DurableIngestBench.BULK) up to size rows; answers the row count. */
  private static long load(PgTestDb db, long rows, long size) throws Exception {
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(DurableIngestBench.BULK)) {
      OffsetDateTime start = time(Bench.PLAN.startMillis());
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      for (long from = rows + 1; from <= size; from += 1_000_000) {
        ps.setObject(1, start);
        ps.setObject(2, now);
        ps.setObject(3, start);
        ps.setLong(4, from);
        ps.setLong(5, Math.min(size, from + 999_999));
        ps.executeUpdate();
      }
      try (Statement st = c.createStatement()) {
        st.execute("VACUUM ANALYZE records");
      }
    }
    return db.number("SELECT count(*) FROM records");
  }
}
