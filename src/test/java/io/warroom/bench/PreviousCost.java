package io.warroom.bench;

import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.kpi.SnapshotWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Part of the cost section: what the previous period (CONTRACT section 13) adds. Two aggregators
 * take the same records of the plan period; one also takes as many records of the previous
 * period (orders from the same million customers, visits, refunds, spread over the whole
 * period). At each size: one update (per record, batches of 1,000 of the plan period), one update
 * by a late record of the previous period, and one snapshot, with and without the previous
 * period; then the heap an aggregator holding only the largest previous period takes. Times are
 * the thread's CPU time. Run alone: {@code java -cp ... io.warroom.bench.PreviousCost [largest size]}.
 */
public final class PreviousCost {
  static final long[] SIZES = {10_000, 1_000_000, 10_000_000};
  static final int SAMPLES = 21;
  private static final String[] CHANNELS = {"tmall", "jd", "douyin_live", "store", "website"};
  private static long seq;

  private PreviousCost() {}

  public static void main(String[] args) {
    run(args.length > 0 ? Long.parseLong(args[0]) : SIZES[SIZES.length - 1]);
  }

  static void run(long largest) {
    Random rnd = new Random(18);
    Aggregator warm = new Aggregator(Bench.PLAN, System.currentTimeMillis());
    for (int k = 0; k < 300; k++) {
      for (Rec r : Bench.records(1_000)) warm.apply(r);
      for (Rec r : previous(1_000, warm, rnd)) warm.apply(r);
      snapshot(warm);
    }
    Aggregator with = new Aggregator(Bench.PLAN, System.currentTimeMillis());
    Aggregator without = new Aggregator(Bench.PLAN, System.currentTimeMillis());
    long held = 0;
    List<String[]> rows = new ArrayList<>();
    for (long size : SIZES) {
      if (size > largest) break;
      while (held < size) {
        int n = (int) Math.min(100_000, size - held);
        for (Rec r : Bench.records(n)) {
          with.apply(r);
          without.apply(r);
        }
        for (Rec r : previous(n, with, rnd)) with.apply(r);
        held += n;
      }
      double[] upWith = new double[SAMPLES];
      double[] upWithout = new double[SAMPLES];
      double[] late = new double[SAMPLES];
      double[] snapWith = new double[SAMPLES];
      double[] snapWithout = new double[SAMPLES];
      int bytesWith = 0;
      int bytesWithout = 0;
      for (int i = 0; i < SAMPLES; i++) {
        List<Rec> batch = Bench.records(1_000);
        upWith[i] = perRecord(with, batch);
        upWithout[i] = perRecord(without, batch);
        late[i] = perRecord(with, previous(1_000, with, rnd));
        long t0 = cpu();
        bytesWith = snapshot(with);
        snapWith[i] = (cpu() - t0) / 1e3;
        t0 = cpu();
        bytesWithout = snapshot(without);
        snapWithout[i] = (cpu() - t0) / 1e3;
      }
      String[] row = {String.format("%,d + %,d", size, size), Bench.spread(upWithout, "%.0f"),
          Bench.spread(upWith, "%.0f"), Bench.spread(late, "%.0f"),
          Bench.spread(snapWithout, "%.0f") + ", " + String.format("%,d B", bytesWithout),
          Bench.spread(snapWith, "%.0f") + ", " + String.format("%,d B", bytesWith)};
      rows.add(row);
      System.out.println("  previous period: " + String.join(" | ", row) + " ("
          + with.campaign().customers() + " customers this period)");
    }
    long top = Math.min(largest, SIZES[SIZES.length - 1]);
    with = null;
    without = null;
    long before = Bench.heap();
    Aggregator empty = new Aggregator(Bench.PLAN, System.currentTimeMillis());
    long emptyHeap = Bench.heap() - before;
    for (long n = 0; n < top; n += 100_000) {
      for (Rec r : previous((int) Math.min(100_000, top - n), empty, rnd)) empty.apply(r);
    }
    long full = Bench.heap() - before;

    Bench.result("");
    Bench.result("| previous period (section 13), records this period + previous; median (min-max)"
        + " | update without the previous period, ns per record | with it | a late record of the"
        + " previous period, ns | snapshot without, us, bytes | snapshot with, us, bytes |");
    Bench.result("| --- | --- | --- | --- | --- | --- |");
    for (String[] r : rows) Bench.result("| " + String.join(" | ", r) + " |");
    Bench.result(String.format("Heap of an aggregator holding %,d records of the previous period only"
        + " (orders from up to 1,000,000 customers): %.1f MB (an empty one: %.1f MB).", top,
        full / 1e6, emptyHeap / 1e6));
    Bench.result("");
    if (empty.previous() == null) throw new IllegalStateException(); // keeps it alive until here
  }

  private static double perRecord(Aggregator agg, List<Rec> batch) {
    long t0 = cpu();
    for (Rec r : batch) agg.apply(r);
    return (cpu() - t0) / (double) batch.size();
  }

  /** Records of the previous period: 60 % orders, 30 % visits, 10 % refunds, any time in it. */
  static List<Rec> previous(int n, Aggregator agg, Random rnd) {
    long from = agg.previous().fromMillis();
    long span = agg.previous().toMillis() - from;
    List<Rec> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long ts = from + (long) (rnd.nextDouble() * span);
      int k = rnd.nextInt(10);
      String id = "p-" + ++seq;
      if (k < 6) {
        out.add(Rec.order(id, ts, "c-" + rnd.nextInt(1_000_000), 990 + rnd.nextInt(50_000),
            CHANNELS[rnd.nextInt(CHANNELS.length)], rnd.nextInt(3) == 0,
            rnd.nextBoolean() ? "search" : null, null, null));
      } else if (k < 9) {
        out.add(Rec.visit(id, ts, CHANNELS[rnd.nextInt(CHANNELS.length)], 1 + rnd.nextInt(60)));
      } else {
        out.add(Rec.refund(id, ts, "p-" + rnd.nextInt((int) Math.max(1, seq)), 990));
      }
    }
    return out;
  }

  /**
   * This thread's CPU time, ns: on a machine shared with other work, wall time mostly measures
   * the waits for a core.
   */
  static long cpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static int snapshot(Aggregator agg) {
    return SnapshotWriter.write(1, System.currentTimeMillis(), agg,
        new SnapshotWriter.IngestCounts(1, 0, 0, null)).length;
  }

}
