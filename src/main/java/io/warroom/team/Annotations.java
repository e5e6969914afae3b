package io.warroom.team;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.warroom.async.ReadAgain;
import io.warroom.live.KpiService;
import io.warroom.plan.Plan;
import io.warroom.stream.StreamHub;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The annotations of section 14, as this node knows them: loaded at start, changed through this
 * node or read again when another node changes them (PostgreSQL), each change pushed as an
 * {@code annotation} event: {@code {"change": "added" | "deleted", "annotation": {...}}}. At most
 * {@link #MAX} are kept. Runs on the KPI service's event loop.
 */
public final class Annotations {
  private static final Logger LOG = Logger.getLogger(Annotations.class.getName());
  public static final int MAX = 1_000;

  private final TeamLog log;
  private final StreamHub hub;
  private final KpiService kpis;
  private List<Annotation> kept = List.of();
  private final ReadAgain reads = new ReadAgain(this::readOnce);

  public Annotations(TeamLog log, StreamHub hub, KpiService kpis) {
    this.log = log;
    this.hub = hub;
    this.kpis = kpis;
  }

  public Future<Void> start() {
    log.onChange(this::reload);
    return log.annotations().map(list -> {
      kept = List.copyOf(list);
      return null;
    });
  }

  /** Those that overlap {@code [from, to]} (epoch ms; null: open), by time. */
  public List<Annotation> list(Long from, Long to) {
    List<Annotation> out = new ArrayList<>();
    for (Annotation a : kept) {
      long end = a.end() == null ? a.ts() : a.end();
      if ((from == null || end >= from) && (to == null || a.ts() <= to)) out.add(a);
    }
    return out;
  }

  /** The annotations of the plan's period, for the report. */
  public ArrayNode forReport(Plan plan) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Annotation a : list(plan.startMillis(), plan.endMillis() - 1)) {
      ObjectNode o = out.addObject();
      o.put("id", a.id()).put("ts", Instant.ofEpochMilli(a.ts()).toString());
      if (a.end() == null) o.putNull("end");
      else o.put("end", Instant.ofEpochMilli(a.end()).toString());
      o.put("text", a.text());
      ArrayNode tags = o.putArray("tags");
      a.tags().forEach(tags::add);
    }
    return out;
  }

  public int count() {
    return kept.size();
  }

  /** Keeps a new annotation; fails with {@link FullException} past {@link #MAX}. */
  public Future<Annotation> add(Annotation a) {
    if (kept.size() >= MAX) return Future.failedFuture(new FullException());
    return log.add(a).map(k -> {
      if (kept.stream().noneMatch(x -> x.id() == k.id())) {
        List<Annotation> next = new ArrayList<>(kept);
        next.add(k);
        next.sort(Comparator.comparingLong(Annotation::ts).thenComparingLong(Annotation::id));
        kept = List.copyOf(next);
        publish("added", k);
      }
      return k;
    });
  }

  public Future<Boolean> delete(long id) {
    return log.delete(id).map(done -> {
      Annotation gone = kept.stream().filter(x -> x.id() == id).findFirst().orElse(null);
      if (gone != null) {
        kept = kept.stream().filter(x -> x.id() != id).toList();
        publish("deleted", gone);
      }
      return done;
    });
  }

  /** Another node changed them: read them again and push the differences. */
  private void reload() {
    reads.ask();
  }

  private Future<List<Annotation>> readOnce() {
    return log.annotations().andThen(ar -> {
      if (ar.succeeded()) {
        Map<Long, Annotation> before = new HashMap<>();
        for (Annotation a : kept) before.put(a.id(), a);
        List<Annotation> now = List.copyOf(ar.result());
        kept = now;
        for (Annotation a : now) if (before.remove(a.id()) == null) publish("added", a);
        for (Annotation a : before.values()) publish("deleted", a);
      } else {
        LOG.warning("cannot read the annotations: " + ar.cause().getMessage());
      }
    });
  }

  private void publish(String change, Annotation a) {
    hub.publishEvent("annotation", kpis.nextSeq(),
        new JsonObject().put("change", change).put("annotation", a.toJson()).encode());
  }

  /** Refused: as many annotations as are kept. */
  public static final class FullException extends RuntimeException {
    public FullException() {
      super("at most " + MAX + " annotations are kept; delete some first");
    }
  }
}
