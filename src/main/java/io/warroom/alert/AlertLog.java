package io.warroom.alert;

import io.vertx.core.Future;
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
   * removes the active alert when it resolved.
   */
  Future<Void> append(Alert transition);

  /** Replaces an active alert that changed without a transition (an acknowledgement). */
  Future<Void> update(Alert active);

  Future<Void> putSilence(Silence s);

  Future<Void> removeSilence(String id);
}
