package io.warroom.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.kpi.Counters;
import io.warroom.plan.Plan;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The store without a database. Accepted records are kept as bytes (about 50 a record) in pages of
 * 256 KB, not as objects: the heap holds a few large arrays instead of five objects a record, which
 * each young GC would otherwise copy. Where each record starts is in chunks of a long array. For
 * the duplicate rule, an open-addressing table keyed by (type, id) holds each record's key hash
 * beside its position, so a probe reads a record's bytes only when the hashes match. Touched only
 * on the owning event loop; {@link #load} reads a prefix of the pages on a worker, which appends
 * never move.
 */
public final class MemoryStore implements Store {
  private static final int CHUNK = 1 << 14;
  /** Below half of G1's smallest region size, so pages are never humongous objects. */
  private static final int PAGE = 1 << 18;

  private final Vertx vertx;
  /** Per record: page index (high 32 bits) and offset (low 32) of its bytes. */
  private final List<long[]> starts = new ArrayList<>();
  private final List<byte[]> pages = new ArrayList<>();
  private byte[] page;
  private int used;
  private long size;
  /** Key hash (high 32 bits) and position + 1 (low 32) of kept records; 0: empty. */
  private long[] table = new long[1 << 10];
  private final RecordCodec.Writer writer = new RecordCodec.Writer();
  /** Counter names admitted (at most {@link Counters#MAX_NAMES}). */
  private final Set<String> counterNames = new HashSet<>();
  /** Keeps the JIT from dropping the loads that warm the table. */
  private long sink;

  public MemoryStore(Vertx vertx) {
    this.vertx = vertx;
  }

  private long start(int position) {
    return starts.get(position / CHUNK)[position % CHUNK];
  }

  /** The table slot holding a record of r's type and id, or the empty slot where it would go. */
  private int slot(Rec r, int hash) {
    int mask = table.length - 1;
    int i = hash & mask;
    long e;
    while ((e = table[i]) != 0) {
      if ((int) (e >>> 32) == hash) {
        long at = start((int) e - 1);
        if (RecordCodec.sameKey(pages.get((int) (at >>> 32)), (int) at, r)) return i;
      }
      i = (i + 1) & mask;
    }
    return i;
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    int mask = table.length - 1;
    for (long e : old) {
      if (e == 0) continue;
      int i = (int) (e >>> 32) & mask;
      while (table[i] != 0) i = (i + 1) & mask;
      table[i] = e;
    }
  }

  /** Copies r's bytes to the current page (a new one when full); answers where they start. */
  private long write(Rec r) {
    int len = writer.encode(r);
    if (page == null || used + len > page.length) {
      page = new byte[Math.max(PAGE, len)];
      pages.add(page);
      used = 0;
    }
    System.arraycopy(writer.bytes(), 0, page, used, len);
    long at = (long) (pages.size() - 1) << 32 | used;
    used += len;
    return at;
  }

  @Override
  public Future<List<Rec>> append(List<Rec> records) {
    // Reads each record's first table slot before any insert: independent loads the CPU overlaps,
    // where the probes one by one would wait for memory in turn (the table outgrows the caches).
    int[] hashes = new int[records.size()];
    long touched = 0;
    for (int k = 0; k < hashes.length; k++) {
      hashes[k] = records.get(k).keyHash();
      touched += table[hashes[k] & (table.length - 1)];
    }
    sink = touched;
    List<Rec> fresh = new ArrayList<>(records.size());
    for (int k = 0; k < hashes.length; k++) {
      Rec r = records.get(k);
      int hash = hashes[k];
      int i = slot(r, hash);
      if (table[i] != 0) continue;
      if (size >= Integer.MAX_VALUE - 1) throw new IllegalStateException("in-memory store is full");
      long at = write(r);
      int c = (int) (size % CHUNK);
      if (c == 0) starts.add(new long[CHUNK]);
      starts.get(starts.size() - 1)[c] = at;
      size++;
      table[i] = (long) hash << 32 | size;
      fresh.add(r);
      if (size * 3 > (long) table.length * 2) grow();
    }
    return Future.succeededFuture(fresh);
  }

  @Override
  public Future<Set<String>> admitCounters(Set<String> names) {
    Set<String> admitted = new HashSet<>();
    for (String n : names) {
      if (counterNames.contains(n) || counterNames.size() < Counters.MAX_NAMES && counterNames.add(n)) {
        admitted.add(n);
      }
    }
    return Future.succeededFuture(admitted);
  }

  @Override
  public Future<Aggregator> load(Plan plan, Clock clock) {
    List<long[]> startsNow = List.copyOf(starts);
    List<byte[]> pagesNow = List.copyOf(pages);
    long n = size;
    return vertx.executeBlocking(() -> {
      Aggregator agg = new Aggregator(plan, clock.millis());
      forEach(startsNow, pagesNow, n, agg::apply);
      return agg;
    });
  }

  /** The records kept so far, in order (for tests). */
  List<Rec> records() {
    List<Rec> out = new ArrayList<>();
    forEach(starts, pages, size, out::add);
    return out;
  }

  private static void forEach(List<long[]> starts, List<byte[]> pages, long n,
      Consumer<Rec> f) {
    for (int p = 0; p < n; p++) {
      long at = starts.get(p / CHUNK)[p % CHUNK];
      f.accept(RecordCodec.decode(pages.get((int) (at >>> 32)), (int) at));
    }
  }

  /** Records kept so far. */
  public long size() {
    return size;
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
