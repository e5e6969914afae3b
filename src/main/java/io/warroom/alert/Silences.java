package io.warroom.alert;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The silences: the alerting node's, kept in the log as they change; a follower's copy of them,
 * replaced on each read of the log.
 */
final class Silences {
  private final Map<String, Silence> byId = new LinkedHashMap<>();
  private final AlertLog log;
  private final LogWrites writes;

  Silences(AlertLog log, LogWrites writes) {
    this.log = log;
    this.writes = writes;
  }

  void replace(Collection<Silence> all) {
    byId.clear();
    for (Silence s : all) byId.put(s.id(), s);
  }

  boolean has(String id) {
    return byId.containsKey(id);
  }

  boolean cover(String rule, long now) {
    for (Silence s : byId.values()) if (s.covers(rule, now)) return true;
    return false;
  }

  List<Silence> inForce(long now) {
    return byId.values().stream().filter(s -> s.endsAt() > now).toList();
  }

  /** Takes a new silence and keeps it; one already known is left as it is. */
  void add(Silence s) {
    if (byId.containsKey(s.id())) return;
    byId.put(s.id(), s);
    keep(s);
  }

  /** Keeps {@code s} in the log (again: every write is idempotent). */
  void keep(Silence s) {
    writes.keep(log.putSilence(s), "silence " + s.id());
  }

  /** Removes a silence and keeps its removal; null when there is none with that id. */
  Silence remove(String id) {
    Silence s = byId.remove(id);
    if (s != null) keepRemoval(id);
    return s;
  }

  void keepRemoval(String id) {
    writes.keep(log.removeSilence(id), "the removal of silence " + id);
  }

  /** Removes the silences that ended by {@code now}, keeps their removal, and answers them. */
  List<Silence> expire(long now) {
    List<Silence> ended = new ArrayList<>();
    for (Iterator<Silence> it = byId.values().iterator(); it.hasNext(); ) {
      Silence s = it.next();
      if (s.endsAt() > now) continue;
      it.remove();
      keepRemoval(s.id());
      ended.add(s);
    }
    return ended;
  }
}
