package io.warroom.alert;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Where alert state is kept so that it survives a restart: the active alerts, the history of
 * transitions, the last episode number of each rule, and the silences. Called on the KPI service's
 * event loop; futures complete on it. Writes are applied, and complete, in the order they were
 * asked for. Evaluation does not wait for them: a failed write is logged.
 */
public interface AlertLog {
  /**
   * What was kept: active alerts (the latest version of each), the newest {@code historyLimit}
   * transitions oldest first, the last episode number per rule, and the unexpired silences.
   */
  record Saved(List<Alert> active, List<Alert> history, Map<String, Long> episodes,
      List<Silence> silences) {}

  Future<Saved> load(int historyLimit, long now);

  /**
   * Keeps one transition: appends it to the history and makes it the rule's active alert, or
   * removes the active alert when it resolved; and its notifications {@code sends} in the webhook
   * outbox in the same transaction, so that an alerting node that dies after keeping it loses none
   * (the next one sends them). Answers their outbox ids in order, empty where the outbox keeps
   * nothing (in memory).
   */
  Future<List<Long>> append(Alert transition, List<Outbox.Entry> sends);

  /** Replaces an active alert that changed without a transition (an acknowledgement). */
  Future<Void> update(Alert active);

  Future<Void> putSilence(Silence s);

  Future<Void> removeSilence(String id);

  /** A transition, or an acknowledgement ({@code ack}), as the alerting node kept it. */
  record Change(Alert alert, boolean ack) {}

  /** What the alerting node kept since the last load or changes, in order; the silences now. */
  record Changes(List<Change> changes, List<Silence> silences) {}

  /**
   * For a node that does not alert: the transitions and acknowledgements kept by the node that
   * does, since the last {@link #load} or call, and the unexpired silences.
   */
  default Future<Changes> changes(long now) {
    return Future.succeededFuture(new Changes(List.of(), List.of()));
  }

  /** An acknowledgement or silence asked of a node that does not alert, for the one that does. */
  record Command(long seq, String kind, JsonObject body) {}

  /** Queues a command for the alerting node. */
  default Future<Void> queue(String kind, JsonObject body) {
    return Future.failedFuture(new IllegalStateException("no other node to carry it out"));
  }

  /** The queued commands, oldest first. */
  default Future<List<Command>> commands() {
    return Future.succeededFuture(List.of());
  }

  /** Removes the commands with these seqs, carried out. */
  default Future<Void> done(List<Long> seqs) {
    return Future.succeededFuture();
  }

  /** Runs {@code wake} when another node kept alert state or queued a command. */
  default void onChange(Runnable wake) {}
}
