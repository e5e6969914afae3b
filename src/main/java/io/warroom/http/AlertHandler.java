package io.warroom.http;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.warroom.alert.AlertService;
import io.warroom.alert.Silence;
import io.warroom.ingest.ValidText;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The alert endpoints: GET /api/v1/alerts (view); with the admin token, POST
 * /api/v1/alerts/{id}/ack and the silences: GET, POST /api/v1/alerts/silences and DELETE
 * /api/v1/alerts/silences/{id}.
 */
final class AlertHandler {
  static final int DEFAULT_HISTORY = 100;
  static final long LONGEST_SILENCE_MS = 30L * 24 * 3_600_000;

  private final AlertService alerts;
  private final Clock clock;
  private final long bodyLimit;

  AlertHandler(AlertService alerts, Clock clock, long bodyLimit) {
    this.alerts = alerts;
    this.clock = clock;
    this.bodyLimit = bodyLimit;
  }

  void mount(Router router, Handler<RoutingContext> view, Handler<RoutingContext> admin) {
    router.get("/api/v1/alerts").handler(view).handler(this::list);
    router.get("/api/v1/alerts/silences").handler(admin).handler(this::silences);
    router.post("/api/v1/alerts/silences").handler(admin).handler(this::silence);
    router.delete("/api/v1/alerts/silences/:id").handler(admin).handler(this::unsilence);
    router.post("/api/v1/alerts/:id/ack").handler(admin).handler(this::ack);
  }

  private void list(RoutingContext ctx) {
    int limit = DEFAULT_HISTORY;
    String l = ctx.request().getParam("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l.trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 0 || limit > AlertService.HISTORY_KEPT) {
        Errors.send(ctx, 400, "limit: must be an integer from 0 to " + AlertService.HISTORY_KEPT);
        return;
      }
    }
    Json.send(ctx, 200, alerts.list(limit));
  }

  private void ack(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    alerts.acknowledge(id).onSuccess(ack -> {
      switch (ack.result()) {
        case ACKNOWLEDGED -> Json.send(ctx, 200, ack.alert().toJson());
        case RESOLVED -> Errors.send(ctx, 409, "alert '" + id + "' is resolved");
        default -> Errors.send(ctx, 404, "no alert '" + id + "'");
      }
    }).onFailure(ctx::fail);
  }

  private void silences(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    for (Silence s : alerts.silences()) out.add(s.toJson());
    Json.send(ctx, 200, new JsonObject().put("silences", out));
  }

  private void silence(RoutingContext ctx) {
    Bodies.read(ctx, bodyLimit).onSuccess(body -> {
      JsonObject o;
      try {
        o = body.toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        Errors.send(ctx, 400, "body: must be a JSON object such as {\"rule\": \"...\", \"for\": \"2h\"}");
        return;
      }
      if (o == null) {
        Errors.send(ctx, 400, "body: must be a JSON object");
        return;
      }
      long now = clock.millis();
      String rule;
      long endsAt;
      String comment;
      try {
        rule = string(o, "rule", true);
        if (!alerts.ruleIds().contains(rule)) {
          throw new PlanException("rule", "unknown rule '" + rule + "'; rules in force: "
              + alerts.ruleIds(), "未知规则“" + rule + "”，生效中的规则：" + alerts.ruleIds());
        }
        String forText = string(o, "for", false);
        String until = string(o, "until", false);
        if ((forText == null) == (until == null)) {
          throw new PlanException("for", "give either 'for' (such as 2h) or 'until' (an instant)",
              "请给出 for（如 2h）或 until（时间点）其中之一");
        }
        if (forText != null) {
          long ms = PlanParser.duration(forText, "for");
          if (ms <= 0) throw new PlanException("for", "must be longer than 0", "必须大于 0");
          endsAt = now + ms;
        } else {
          try {
            endsAt = Instant.parse(until).toEpochMilli();
          } catch (DateTimeParseException e) {
            throw new PlanException("until", "must be an instant such as 2026-11-11T04:00:00Z",
                "必须是时间点，如 2026-11-11T04:00:00Z");
          }
          if (endsAt <= now) {
            throw new PlanException("until", "must be in the future", "必须是将来的时间");
          }
        }
        if (endsAt - now > LONGEST_SILENCE_MS) {
          throw new PlanException(forText != null ? "for" : "until", "a silence lasts at most 30 days",
              "静默最长 30 天");
        }
        comment = string(o, "comment", false);
      } catch (PlanException e) {
        ctx.fail(e);
        return;
      }
      alerts.silence(rule, endsAt, comment).onSuccess(s -> Json.send(ctx, 201, s.toJson()))
          .onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }

  private void unsilence(RoutingContext ctx) {
    alerts.unsilence(ctx.pathParam("id")).onSuccess(removed -> {
      if (removed) ctx.response().setStatusCode(204).end();
      else Errors.send(ctx, 404, "no silence '" + ctx.pathParam("id") + "'");
    }).onFailure(ctx::fail);
  }

  private static String string(JsonObject o, String field, boolean required) {
    Object v = o.getValue(field);
    if (v == null) {
      if (required) throw new PlanException(field, "is required", "必填");
      return null;
    }
    if (!(v instanceof String s)) throw new PlanException(field, "must be a string", "必须是字符串");
    // Kept in the alert log (PostgreSQL text holds no NUL) and shown on every screen.
    ValidText.Problem problem = ValidText.problemOf(s, ValidText.MAX);
    if (problem != null) throw new PlanException(field, problem);
    if (required && s.isBlank()) throw new PlanException(field, "must not be empty", "不能为空");
    return s;
  }
}
