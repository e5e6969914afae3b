package io.warroom.team;

import io.vertx.core.Future;
import io.warroom.alert.Outbox;
import java.time.LocalDate;
import java.util.List;

/**
 * What section 14 keeps besides alerts: the digests sent (so each goes once a week, across restarts
 * and nodes) and the annotations. In memory, or in PostgreSQL (migration V7) for every node.
 */
public interface TeamLog {
  /**
   * Records that {@code team}'s digest for the meeting on {@code meeting} is being sent, and keeps
   * its notifications {@code sends} in the webhook outbox in the same transaction, so that a node
   * that dies between the two loses none (the next alerting node sends them). Answers their
   * outbox ids in order (empty where the outbox keeps nothing: queue them as any other), or null
   * when the digest was already claimed.
   */
  Future<List<Long>> claimDigest(String team, LocalDate meeting, long at, List<Outbox.Entry> sends);

  /** Keeps a new annotation; answers it with its id. */
  Future<Annotation> add(Annotation a);

  /** Removes an annotation; false when there was none with that id. */
  Future<Boolean> delete(long id);

  /** Every annotation, by time. */
  Future<List<Annotation>> annotations();

  /** Another node changed the annotations. */
  default void onChange(Runnable wake) {}
}
