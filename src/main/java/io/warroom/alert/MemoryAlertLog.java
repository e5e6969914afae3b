package io.warroom.alert;

import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Alert state kept in this process only (the in-memory store's companion). */
public final class MemoryAlertLog implements AlertLog {
  static final int HISTORY_KEPT = 10_000;

  private final Map<String, Alert> active = new LinkedHashMap<>();
  private final Deque<Alert> history = new ArrayDeque<>();
  private final Map<String, Long> episodes = new HashMap<>();
  private final Map<String, Silence> silences = new LinkedHashMap<>();

  @Override
  public synchronized Future<Saved> load(int historyLimit, long now) {
    List<Alert> h = new ArrayList<>(history);
    h = h.subList(Math.max(0, h.size() - historyLimit), h.size());
    List<Silence> s = silences.values().stream().filter(x -> x.endsAt() > now).toList();
    return Future.succeededFuture(new Saved(List.copyOf(active.values()), List.copyOf(h),
        Map.copyOf(episodes), s));
  }

  @Override
  public synchronized Future<List<Long>> append(Alert a, List<Outbox.Entry> sends) {
    history.addLast(a);
    if (history.size() > HISTORY_KEPT) history.removeFirst();
    episodes.merge(a.rule(), a.episode(), Math::max);
    Alert cur = active.get(a.rule());
    if (a.active()) active.put(a.rule(), a);
    else if (cur != null && cur.id().equals(a.id())) active.remove(a.rule());
    return Future.succeededFuture(List.of());
  }

  @Override
  public synchronized Future<Void> update(Alert a) {
    Alert cur = active.get(a.rule());
    if (cur != null && cur.id().equals(a.id())) active.put(a.rule(), a);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> putSilence(Silence s) {
    silences.put(s.id(), s);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> removeSilence(String id) {
    silences.remove(id);
    return Future.succeededFuture();
  }
}
