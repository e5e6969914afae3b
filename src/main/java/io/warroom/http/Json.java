package io.warroom.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes a JSON answer. */
final class Json {
  private Json() {}

  static void send(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  static void send(RoutingContext ctx, JsonNode body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.toString());
  }
}
