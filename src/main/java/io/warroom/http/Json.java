package io.warroom.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes a JSON answer; never cached, as it tells the state of now. */
final class Json {
  private Json() {}

  static void send(RoutingContext ctx, JsonObject body) {
    send(ctx, 200, body);
  }

  static void send(RoutingContext ctx, JsonNode body) {
    send(ctx, 200, body.toString());
  }

  static void send(RoutingContext ctx, int status, JsonObject body) {
    send(ctx, status, body.encode());
  }

  static void send(RoutingContext ctx, int status, String json) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(json);
  }

}
