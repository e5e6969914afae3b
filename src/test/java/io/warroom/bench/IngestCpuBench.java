package io.warroom.bench;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ingest in steady state: rounds of NDJSON batches into the in-memory warroom and into the
 * bare-parse ceiling (heaps pre-touched), each round printing records/s and each server's CPU per
 * 1,000 records by thread group (/proc schedstat). Longer than the ingest section's runs, so the
 * JIT is done and the store grows to millions of records. Not part of {@code bench/run.sh}; run
 * after {@code bench/run.sh} built the classes:
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * io.warroom.bench.IngestCpuBench [senders=4] [batches=500] [rounds=10]}. Another build's classes
 * first on the class path measure that build.
 */
public final class IngestCpuBench {
  private IngestCpuBench() {}

  public static void main(String[] args) throws Exception {
    int senders = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    String touch = "-XX:+AlwaysPreTouch";
    try (Proc bare = Proc.bare(touch); Proc mem = Proc.warroom("4g", Map.of(), touch)) {
      for (int r = 0; r < rounds; r++) {
        List<String> bodies = new ArrayList<>();
        for (int b = 0; b < batches; b++) bodies.add(Bench.ndjson(Bench.records(Bench.BATCH)));
        for (Proc p : List.of(bare, mem)) {
          Map<String, Long> c0 = p.cpuByGroup();
          double rate = Bench.post(p.uri("/api/v1/events"), bodies, senders);
          Map<String, Long> c1 = p.cpuByGroup();
          StringBuilder line = new StringBuilder(String.format("%s %s round %d: %,.0f records/s;"
              + " CPU ms per 1,000 records:", LocalTime.now(), p == bare ? "bare" : "warroom", r, rate));
          double total = 0;
          for (String g : c1.keySet()) {
            double ms = (c1.get(g) - c0.getOrDefault(g, 0L)) / 1e6 / (batches * (double) Bench.BATCH / 1000);
            total += ms;
            line.append(String.format(" %s %.2f", g, ms));
          }
          System.out.println(line.append(String.format(" total %.2f", total)));
        }
      }
    }
  }
}
