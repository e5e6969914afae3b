package io.warroom.bench;

import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.kpi.Breakdowns;
import io.warroom.kpi.Figures;
import io.warroom.kpi.SnapshotWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Part of the cost section: what breakdowns (CONTRACT section 11) add. The aggregator update per
 * record with every optional field present (sku, category, region, segment, three tags, quantity)
 * against the same records without them; the snapshot's bytes and write time with 10,000 keys in
 * each of the five dimensions (keys of 200 characters: the widest allowed); and the heap those
 * 50,000 keys take. Run alone: {@code java -cp ... io.warroom.bench.BreakdownCost}.
 */
public final class BreakdownCost {
  static final int SAMPLES = 21;

  private BreakdownCost() {}

  public static void main(String[] args) {
    run();
  }

  static void run() {
    List<Rec> plain = Bench.records(1_000);
    List<Rec> full = new ArrayList<>();
    int i = 0;
    for (Rec r : plain) {
      i++;
      full.add(r.with(new Rec.Extra("sku-" + i % 50, "cat-" + i % 8, "region-" + i % 30,
          "seg-" + i % 5, List.of("t" + i % 7, "t" + i % 11, "t" + i % 13), 1 + i % 3, "exp", "A")));
    }
    Aggregator warm = new Aggregator(Bench.PLAN, System.currentTimeMillis());
    for (int k = 0; k < 300; k++) {
      for (Rec r : plain) warm.apply(r);
      for (Rec r : full) warm.apply(r);
    }
    String without = update(plain);
    String with = update(full);

    Aggregator wide = new Aggregator(Bench.PLAN, System.currentTimeMillis());
    long before = Bench.heap();
    long now = System.currentTimeMillis();
    for (int n = 0; n < Breakdowns.MAX_KEYS; n++) {
      String k = String.format("%0199d", n);
      wide.apply(Rec.order("o" + n, now, "c" + n, 1_000 + n, "tmall", false, null, null, null)
          .with(new Rec.Extra("s" + k, "c" + k, "r" + k, "g" + k, List.of("t" + k), 2, null, null)));
    }
    List<Rec> keys = Bench.records(SAMPLES);
    long kept = Bench.heap() - before;
    double[] ms = new double[SAMPLES];
    int bytes = 0;
    for (int s = 0; s < SAMPLES; s++) {
      wide.apply(keys.get(s)); // a change, so the section is ranked again
      long t0 = System.nanoTime();
      bytes = SnapshotWriter.write(1, System.currentTimeMillis(), wide,
          new SnapshotWriter.IngestCounts(1, 0, 0, null)).length;
      ms[s] = (System.nanoTime() - t0) / 1e3;
    }
    long at = System.currentTimeMillis();
    int section = SnapshotWriter.writeSection(wide.breakdowns(),
        Figures.of(wide, at, List.of(), null, at)).length;
    String mem = String.format("%.1f MB", kept / 1e6);

    Bench.result("");
    Bench.result("| breakdowns (section 11), median (min-max) | value |");
    Bench.result("| --- | --- |");
    Bench.result("| aggregator update, orders and visits without optional fields, ns per record | "
        + without + " |");
    Bench.result("| the same with sku, category, region, segment, 3 tags and quantity, ns per record | "
        + with + " |");
    Bench.result("| snapshot with 10,000 keys of 200 characters in each dimension, bytes | "
        + String.format("%,d (breakdowns %,d)", bytes, section) + " |");
    Bench.result("| that snapshot after a change (ranks 5 x 10,000 keys), us | "
        + Bench.spread(ms, "%.0f") + " |");
    Bench.result("| heap of 10,000 keys in each of the five dimensions | " + mem + " |");
    Bench.result("");
  }

  private static String update(List<Rec> batch) {
    double[] ns = new double[SAMPLES];
    Aggregator agg = new Aggregator(Bench.PLAN, System.currentTimeMillis());
    for (int s = 0; s < SAMPLES; s++) {
      long t0 = System.nanoTime();
      for (Rec r : batch) agg.apply(r);
      ns[s] = (System.nanoTime() - t0) / (double) batch.size();
    }
    return Bench.spread(ns, "%.0f");
  }

}
