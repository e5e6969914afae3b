package io.warroom.bench;

import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.kpi.Aggregator;
import io.warroom.kpi.SnapshotWriter;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.Text;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Part of the cost section: what A/B experiments (CONTRACT section 12) add. A plan with the most
 * experiments a plan may declare, 20, each of 8 variants; the aggregator update per record with
 * every order and visit carrying a declared experiment and variant, against the same records
 * without them; the snapshot's bytes and write time with all 160 variants counted. Times are
 * the thread's CPU time. Run alone: {@code java -cp ... io.warroom.bench.ExperimentCost}.
 */
public final class ExperimentCost {
  static final int SAMPLES = 21;
  static final int VARIANTS = 8;

  private ExperimentCost() {}

  public static void main(String[] args) {
    run();
  }

  static void run() {
    List<Plan.Experiment> xs = new ArrayList<>();
    List<String> variants = new ArrayList<>();
    for (int v = 0; v < VARIANTS; v++) variants.add("variant-" + (char) ('A' + v));
    for (int i = 0; i < PlanParser.MAX_EXPERIMENTS; i++) {
      xs.add(new Plan.Experiment("experiment-" + i, Text.zhEn("实验 " + i, "Experiment " + i),
          variants, variants.get(0), Collections.nCopies(VARIANTS, 1.0 / VARIANTS)));
    }
    Plan plan = Bench.PLAN.toBuilder().experiments(xs).build();
    List<Rec> plain = Bench.records(1_000);
    List<Rec> tagged = tagged(plain);
    Aggregator warm = new Aggregator(plan, System.currentTimeMillis());
    for (int k = 0; k < 300; k++) {
      for (Rec r : plain) warm.apply(r);
      for (Rec r : tagged) warm.apply(r);
      snapshot(warm);
    }
    String without = update(plan, plain);
    String with = update(plan, tagged);

    Aggregator agg = new Aggregator(plan, System.currentTimeMillis());
    for (int k = 0; k < 100; k++) for (Rec r : tagged(Bench.records(1_000))) agg.apply(r);
    double[] us = new double[SAMPLES];
    int bytes = 0;
    for (int s = 0; s < SAMPLES; s++) {
      for (Rec r : tagged(Bench.records(10))) agg.apply(r); // a change
      long t0 = cpu();
      bytes = snapshot(agg);
      us[s] = (cpu() - t0) / 1e3;
    }
    int section = SnapshotWriter.writeSection(agg.experiments(), null).length;
    Aggregator none = new Aggregator(Bench.PLAN, System.currentTimeMillis());
    for (Rec r : plain) none.apply(r);
    int plainBytes = snapshot(none);

    Bench.result("");
    Bench.result("| experiments (section 12), median (min-max) | value |");
    Bench.result("| --- | --- |");
    Bench.result("| aggregator update, records without experiment fields, ns per record | " + without + " |");
    Bench.result("| the same records, every order and visit in one of 20 experiments x 8 variants,"
        + " ns per record | " + with + " |");
    Bench.result("| snapshot with 20 experiments x 8 variants, bytes | "
        + String.format("%,d (experiments %,d; %,d without experiments)", bytes, section, plainBytes) + " |");
    Bench.result("| that snapshot after a change (140 variants against their controls, 20 SRM tests), us | "
        + Bench.spread(us, "%.0f") + " |");
    Bench.result("");
  }

  /** The same records with each order and visit in an experiment and variant. */
  static List<Rec> tagged(List<Rec> records) {
    List<Rec> out = new ArrayList<>(records.size());
    int i = 0;
    for (Rec r : records) {
      i++;
      if (r.type == RecordType.ORDER || r.type == RecordType.VISIT) {
        r = r.with(new Rec.Extra(null, null, null, null, null, 1, "experiment-" + i % 20,
            "variant-" + (char) ('A' + i % VARIANTS)));
      }
      out.add(r);
    }
    return out;
  }

  private static String update(Plan plan, List<Rec> batch) {
    double[] ns = new double[SAMPLES];
    Aggregator agg = new Aggregator(plan, System.currentTimeMillis());
    for (int s = 0; s < SAMPLES; s++) {
      long t0 = cpu();
      for (Rec r : batch) agg.apply(r);
      ns[s] = (cpu() - t0) / (double) batch.size();
    }
    return Bench.spread(ns, "%.0f");
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
