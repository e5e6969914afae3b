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
 * for the duplicate rule an open-addressing table of record positions keyed by (type, id): 4 bytes
 * a slot, about 7 a record, since the ids themselves live in the records. Touched only on the
 * owning event loop; {@link #load} reads a prefix of the chunks on a worker, which appends never
 * move.
 */
public final class MemoryStore implements Store {
  private static final int CHUNK = 1 << 14;

  private final Vertx vertx;
  private final List<Rec[]> chunks = new ArrayList<>();
  private long size;
  /** Positions + 1 of kept records (0: empty), by hash of (type, id). */
  private int[] table = new int[1 << 10];

  public MemoryStore(Vertx vertx) {
    this.vertx = vertx;
  }

  private Rec at(int position) {
    return chunks.get(position / CHUNK)[position % CHUNK];
  }

  private static int hash(Rec r) {
    int h = (r.id.hashCode() * 31 + r.type.ordinal()) * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** The table slot holding a record of r's type and id, or the empty slot where it would go. */
  private int slot(Rec r) {
    int mask = table.length - 1;
    int i = hash(r) & mask;
    while (table[i] != 0) {
      Rec kept = at(table[i] - 1);
      if (kept.type == r.type && kept.id.equals(r.id)) return i;
      i = (i + 1) & mask;
    }
    return i;
  }

  private void grow() {
    int[] old = table;
    table = new int[old.length * 2];
    for (int p : old) {
      if (p != 0) table[slot(at(p - 1))] = p;
    }
  }

  @Override
  public Future<List<Rec>> append(List<Rec> records) {
    List<Rec> fresh = new ArrayList<>(records.size());
    for (Rec r : records) {
      int i = slot(r);
      if (table[i] != 0) continue;
      if (size >= Integer.MAX_VALUE - 1) throw new IllegalStateException("in-memory store is full");
      int at = (int) (size % CHUNK);
      if (at == 0) chunks.add(new Rec[CHUNK]);
      chunks.get(chunks.size() - 1)[at] = r;
      size++;
      table[i] = (int) size;
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
