package io.warroom.alert;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;

/** The newest transitions, as many as {@code limit}. */
final class History {
  private final int limit;
  private final Deque<Alert> kept = new ArrayDeque<>();

  History(int limit) {
    this.limit = limit;
  }

  void add(Alert transition) {
    kept.addLast(transition);
    if (kept.size() > limit) kept.removeFirst();
  }

  /** Replaces what is kept with {@code oldestFirst}. */
  void replace(Collection<Alert> oldestFirst) {
    kept.clear();
    kept.addAll(oldestFirst);
  }

  Iterator<Alert> newestFirst() {
    return kept.descendingIterator();
  }

  boolean has(String id) {
    for (Alert a : kept) if (a.id().equals(id)) return true;
    return false;
  }
}
