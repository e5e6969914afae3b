package io.warroom.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.plan.Plan;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The store without a database: accepted records in an append-only list of fixed-size chunks, and
 * for the duplicate rule an open-addressing table keyed by (type, id) whose slots hold each kept
 * record's key hash beside its position: a probe reads a record only when the hashes match. 8 bytes
 * a slot, about 13 a record, since the ids themselves live in the records. Touched only on the
 * owning event loop; {@link #load} reads a prefix of the chunks on a worker, which appends never
 * move.
 */
public final class MemoryStore implements Store {
  private static final int CHUNK = 1 << 14;

  private final Vertx vertx;
  private final List<Rec[]> chunks = new ArrayList<>();
  private long size;
  /** Key hash (high 32 bits) and position + 1 (low 32) of kept records; 0: empty. */
  private long[] table = new long[1 << 10];

  public MemoryStore(Vertx vertx) {
    this.vertx = vertx;
  }

  private Rec at(int position) {
    return chunks.get(position / CHUNK)[position % CHUNK];
  }

  /** The table slot holding a record of r's type and id, or the empty slot where it would go. */
  private int slot(Rec r, int hash) {
    int mask = table.length - 1;
    int i = hash & mask;
    long e;
    while ((e = table[i]) != 0) {
      if ((int) (e >>> 32) == hash && at((int) e - 1).sameKey(r)) return i;
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

  @Override
  public Future<List<Rec>> append(List<Rec> records) {
    List<Rec> fresh = new ArrayList<>(records.size());
    for (Rec r : records) {
      int hash = r.keyHash();
      int i = slot(r, hash);
      if (table[i] != 0) continue;
      if (size >= Integer.MAX_VALUE - 1) throw new IllegalStateException("in-memory store is full");
      int at = (int) (size % CHUNK);
      if (at == 0) chunks.add(new Rec[CHUNK]);
      chunks.get(chunks.size() - 1)[at] = r;
      size++;
      table[i] = (long) hash << 32 | size;
      fresh.add(r);
      if (size * 3 > (long) table.length * 2) grow();
    }
    return Future.succeededFuture(fresh);
  }

  @Override
  public Future<Aggregator> load(Plan plan, Clock clock) {
    List<Rec[]> prefix = List.copyOf(chunks);
    long n = size;
    return vertx.executeBlocking(() -> {
      Aggregator agg = new Aggregator(plan, clock.millis());
      long left = n;
      for (Rec[] chunk : prefix) {
        int m = (int) Math.min(left, CHUNK);
        for (int i = 0; i < m; i++) agg.apply(chunk[i]);
        left -= m;
      }
      return agg;
    });
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
