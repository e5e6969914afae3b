package io.warroom.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Section 4: memory of the in-memory store. Heap after full GC (jcmd, in the server process) at 0,
 * 1 and 10 million records ingested over HTTP (4 senders, NDJSON batches of 1,000), and the size of
 * one snapshot event on the stream.
 */
final class MemoryBench {
  static final long[] SIZES = {1_000_000, 10_000_000};

  private MemoryBench() {}

  static void run() throws Exception {
    try (Proc server = Proc.warroom("10g", Map.of())) {
      URI uri = server.uri("/api/v1/events");
      long heap0 = server.heapAfterGc();
      System.out.printf("  heap after GC, empty: %s%n", Bench.mib(heap0));
      long sent = 0;
      List<String> rows = new ArrayList<>();
      for (long size : SIZES) {
        long t0 = System.nanoTime();
        while (sent < size) {
          int batches = (int) Math.min(200, (size - sent) / Bench.BATCH);
          List<String> bodies = new ArrayList<>(batches);
          for (int b = 0; b < batches; b++) bodies.add(Bench.ndjson(Bench.records(Bench.BATCH)));
          Bench.post(uri, bodies, 4);
          sent += (long) batches * Bench.BATCH;
        }
        long heap = server.heapAfterGc();
        String row = String.format("| heap after GC at %,d records (in-memory store) | %s;"
            + " %,.0f B per record over the empty server (%s) |", size, Bench.mib(heap),
            (double) (heap - heap0) / size, Bench.mib(heap0));
        System.out.printf("  %s (loaded in %.0f s)%n", row, (System.nanoTime() - t0) / 1e9);
        rows.add(row);
      }
      int bytes;
      try (Listeners probe = new Listeners(server.port)) {
        probe.probe();
        long deadline = System.currentTimeMillis() + 5_000;
        while (probe.snaps.isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(50);
        if (probe.snaps.isEmpty()) throw new IllegalStateException("no snapshot within 5 s");
        bytes = probe.snaps.get(0).bytes();
      }
      Bench.result("");
      Bench.result("| memory | result |");
      Bench.result("| --- | --- |");
      for (String r : rows) Bench.result(r);
      Bench.result(String.format("| one snapshot event on the stream (id, event and data lines) |"
          + " %,d bytes; written once per push and shared by every client |", bytes));
      Bench.result("");
    }
  }
}
