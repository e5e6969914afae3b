package io.warroom.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.kpi.Aggregator;
import io.warroom.plan.Plan;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The store without a database: accepted records in an append-only list of fixed-size chunks, and
 * one id set per type for the duplicate rule. Touched only on the owning event loop; {@link #load}
 * reads a prefix of the chunks on a worker, which appends never move.
 */
public final class MemoryStore implements Store {
  private static final int CHUNK = 1 << 14;

  private final Vertx vertx;
  private final Map<RecordType, Set<String>> ids = new EnumMap<>(RecordType.class);
  private final List<Rec[]> chunks = new ArrayList<>();
  private long size;

  public MemoryStore(Vertx vertx) {
    this.vertx = vertx;
    for (RecordType t : RecordType.values()) ids.put(t, new HashSet<>());
  }

  @Override
  public Future<List<Rec>> append(List<Rec> records) {
    List<Rec> fresh = new ArrayList<>(records.size());
    for (Rec r : records) {
      if (ids.get(r.type).add(r.id)) {
        int at = (int) (size % CHUNK);
        if (at == 0) chunks.add(new Rec[CHUNK]);
        chunks.get(chunks.size() - 1)[at] = r;
        size++;
        fresh.add(r);
      }
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
