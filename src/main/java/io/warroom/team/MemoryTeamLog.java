package io.warroom.team;

import io.vertx.core.Future;
import io.warroom.alert.Outbox;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The team log of one node without a database: gone with the process. */
public final class MemoryTeamLog implements TeamLog {
  private final Set<String> digests = new HashSet<>();
  private final List<Annotation> annotations = new ArrayList<>();
  private long nextId = 1;

  @Override
  public synchronized Future<List<Long>> claimDigest(String team, LocalDate meeting, long at,
      List<Outbox.Entry> sends) {
    return Future.succeededFuture(digests.add(team + " " + meeting) ? List.of() : null);
  }

  @Override
  public synchronized Future<Annotation> add(Annotation a) {
    Annotation kept = a.withId(nextId++);
    annotations.add(kept);
    return Future.succeededFuture(kept);
  }

  @Override
  public synchronized Future<Boolean> delete(long id) {
    return Future.succeededFuture(annotations.removeIf(a -> a.id() == id));
  }

  @Override
  public synchronized Future<List<Annotation>> annotations() {
    List<Annotation> out = new ArrayList<>(annotations);
    out.sort(Comparator.comparingLong(Annotation::ts).thenComparingLong(Annotation::id));
    return Future.succeededFuture(out);
  }
}
