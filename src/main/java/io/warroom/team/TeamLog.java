package io.warroom.team;

import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.List;

/**
 * What section 14 keeps besides alerts: the digests sent (so each goes once a week, across restarts
 * and nodes) and the annotations. In memory, or in PostgreSQL (migration V7) for every node.
 */
public interface TeamLog {
  /**
   * Records that {@code team}'s digest for the meeting on {@code meeting} is being sent; true only
   * for the first to ask.
   */
  Future<Boolean> claimDigest(String team, LocalDate meeting, long at);

  /** Keeps a new annotation; answers it with its id. */
  Future<Annotation> add(Annotation a);

  /** Removes an annotation; false when there was none with that id. */
  Future<Boolean> delete(long id);

  /** Every annotation, by time. */
  Future<List<Annotation>> annotations();

  /** Another node changed the annotations. */
  default void onChange(Runnable wake) {}
}
