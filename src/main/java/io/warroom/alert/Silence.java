package io.warroom.alert;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Holds back the notifications (webhooks) of one rule until {@code endsAt}. The rule is still
 * evaluated, its alerts still listed and streamed, marked {@code silenced}.
 */
public record Silence(String id, String rule, long createdAt, long endsAt, String comment) {

  public boolean covers(String ruleId, long now) {
    return rule.equals(ruleId) && now < endsAt;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("rule", rule)
        .put("createdAt", Instant.ofEpochMilli(createdAt).toString())
        .put("endsAt", Instant.ofEpochMilli(endsAt).toString())
        .put("comment", comment);
  }

  public static Silence fromJson(JsonObject o) {
    return new Silence(o.getString("id"), o.getString("rule"),
        Instant.parse(o.getString("createdAt")).toEpochMilli(),
        Instant.parse(o.getString("endsAt")).toEpochMilli(), o.getString("comment"));
  }
}
