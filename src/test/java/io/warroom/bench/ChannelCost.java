package io.warroom.bench;

import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.kpi.SnapshotWriter;
import java.util.List;

/**
 * Part of the cost section: a flood of distinct channel names (CONTRACT section 5). Both channel
 * tables filled past what they tell apart (200,000 names within 8 million chars), with short
 * names, names of 40 chars (the most heap) and the widest allowed: the heap they take, and the
 * snapshot's bytes and write time after a change (it ranks both tables).
 * Run alone: {@code java -cp ... io.warroom.bench.ChannelCost}.
 */
public final class ChannelCost {
  static final int SAMPLES = 21;

  private ChannelCost() {}

  public static void main(String[] args) {
    run();
  }

  static void run() {
    String[] small = fill("ch-%06d");
    // 40 chars: both limits, 200,000 names and 8 million chars, bind at once (the most heap)
    String[] forty = fill("channel-of-a-very-long-name-number-%05d");
    // 200 code points of four UTF-8 bytes (two UTF-16 chars each): the widest name allowed
    String[] wide = fill("\uD840\uDC00".repeat(193) + "%07d");
    Bench.result("");
    Bench.result("| channel floods (section 5), median (min-max) | names like ch-000001 |"
        + " names of 40 chars | widest names (200 code points) |");
    Bench.result("| --- | --- | --- | --- |");
    String[] what = {"channels and ad channels told apart", "heap of both tables", "snapshot bytes",
        "snapshot after a change (ranks both tables), us"};
    for (int i = 0; i < what.length; i++) {
      Bench.result("| " + what[i] + " | " + small[i] + " | " + forty[i] + " | " + wide[i] + " |");
    }
  }

  /** Told apart, heap, snapshot bytes and write time with every record naming a new channel. */
  private static String[] fill(String format) {
    long before = Bench.heap();
    Aggregator agg = new Aggregator(Bench.PLAN, System.currentTimeMillis());
    long now = System.currentTimeMillis();
    int n = Aggregator.MAX_CHANNELS + 1_000;
    for (int i = 0; i < n; i++) {
      String name = String.format(format, i);
      String ad = String.format(format, i); // its own string, as a parsed record has
      agg.apply(Rec.order("o" + i, now, "c" + (i % 1_000), 100 + i % 997, name, false, ad, null,
          null));
      agg.apply(Rec.spend("s" + i, now, Aggregator.ADS, 50 + i % 991, ad, null, null));
    }
    long kept = Bench.heap() - before;
    List<Rec> more = Bench.records(SAMPLES);
    double[] us = new double[SAMPLES];
    int bytes = 0;
    for (int s = 0; s < SAMPLES; s++) {
      agg.apply(more.get(s));
      long t0 = System.nanoTime();
      bytes = SnapshotWriter.write(1, System.currentTimeMillis(), agg,
          new SnapshotWriter.IngestCounts(1, 0, 0, null)).length;
      us[s] = (System.nanoTime() - t0) / 1e3;
    }
    String told = String.format("%,d and %,d of %,d", agg.channels().distinct(),
        agg.adChannels().distinct(), n);
    System.out.printf("  %s: %s names told apart, heap %.1f MB%n", format.substring(0, 3), told,
        kept / 1e6);
    return new String[] {told, String.format("%.1f MB", kept / 1e6), String.format("%,d", bytes),
        Bench.spread(us, "%.0f")};
  }
}
