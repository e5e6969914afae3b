package io.warroom.team;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** A moment marked on the charts (section 14): when, until when (or null), what, and tags. */
public record Annotation(long id, long ts, Long end, String text, List<String> tags) {
  public Annotation withId(long newId) {
    return new Annotation(newId, ts, end, text, tags);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("ts", Instant.ofEpochMilli(ts).toString())
        .put("end", end == null ? null : Instant.ofEpochMilli(end).toString()).put("text", text)
        .put("tags", new JsonArray(List.copyOf(tags)));
  }
}
