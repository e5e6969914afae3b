package io.warroom.http;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.warroom.ingest.ValidText;
import io.warroom.notify.Message;
import io.warroom.plan.PlanException;
import io.warroom.team.Annotation;
import io.warroom.team.Annotations;
import io.warroom.team.Digests;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Section 14's endpoints: GET /api/v1/digest (view), and the annotations: POST (admin or ingest
 * token), GET (view), DELETE /{id} (admin).
 */
final class TeamHandler {
  static final int BODY_LIMIT = 64 * 1024;
  static final int MAX_TAGS = 10;
  static final int TAG_LENGTH = 64;

  private final Digests digests;
  private final Annotations annotations;

  TeamHandler(Digests digests, Annotations annotations) {
    this.digests = digests;
    this.annotations = annotations;
  }

  void mount(Router router, Handler<RoutingContext> view, Handler<RoutingContext> admin,
      Handler<RoutingContext> adminOrIngest) {
    router.get("/api/v1/digest").handler(view).handler(this::digest);
    router.get("/api/v1/annotations").handler(view).handler(this::list);
    router.post("/api/v1/annotations").handler(adminOrIngest).handler(this::add);
    router.delete("/api/v1/annotations/:id").handler(admin).handler(this::delete);
  }

  /** The admin token (or login) when presented, else the ingest rule. */
  static Handler<RoutingContext> adminOrIngest(String adminToken, Handler<RoutingContext> admin,
      Handler<RoutingContext> ingest) {
    return ctx -> {
      String b = Auth.bearer(ctx);
      boolean asAdmin = b != null ? Auth.isAdmin(b, adminToken)
          : ctx.request().getCookie(AdminSession.COOKIE) != null;
      if (asAdmin) admin.handle(ctx);
      else ingest.handle(ctx);
    };
  }

  private void digest(RoutingContext ctx) {
    String team = ctx.request().getParam("team");
    String format = ctx.request().getParam("format");
    if (team == null || team.isBlank()) {
      ctx.fail(new PlanException("team", "required, a team id of the plan",
          "必填，计划中的团队 id"));
      return;
    }
    if (format != null && !Message.FORMATS.contains(format)) {
      ctx.fail(new PlanException("format", "must be one of "
          + String.join(", ", Message.FORMATS),
          "必须是 " + String.join("、", Message.FORMATS) + " 之一"));
      return;
    }
    JsonObject d = digests.preview(team, format);
    if (d == null) {
      Errors.send(ctx, 404, "team: the plan has no team '" + Errors.clip(team) + "'");
      return;
    }
    Json.send(ctx, 200, d);
  }

  private void list(RoutingContext ctx) {
    Long from;
    Long to;
    try {
      from = time(ctx.request().getParam("from"), "from");
      to = time(ctx.request().getParam("to"), "to");
      if (from != null && to != null && from > to) {
        throw new PlanException("from", "must not be after to", "不能晚于 to");
      }
    } catch (PlanException e) {
      ctx.fail(e);
      return;
    }
    JsonArray out = new JsonArray();
    for (Annotation a : annotations.list(from, to)) out.add(a.toJson());
    Json.send(ctx, 200, new JsonObject().put("annotations", out));
  }

  private void add(RoutingContext ctx) {
    Bodies.read(ctx, BODY_LIMIT).onSuccess(body -> {
      Annotation a;
      try {
        JsonObject o;
        try {
          o = body.toJsonObject();
        } catch (DecodeException | ClassCastException e) {
          o = null;
        }
        if (o == null) throw new PlanException("body", "must be a JSON object such as "
            + "{\"ts\": \"2026-11-11T20:00:00+08:00\", \"text\": \"launch live stream starts\"}",
            "必须是 JSON 对象，如 {\"ts\": \"2026-11-11T20:00:00+08:00\", \"text\": \"直播开始\"}");
        a = parse(o);
      } catch (PlanException e) {
        ctx.fail(e);
        return;
      }
      annotations.add(a).onSuccess(k -> Json.send(ctx, 201, k.toJson())).onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }

  static Annotation parse(JsonObject o) {
    Object tsv = o.getValue("ts");
    if (tsv == null) {
      throw new PlanException("ts", "is required, a time such as 2026-11-11T20:00:00+08:00",
          "必填，时间如 2026-11-11T20:00:00+08:00");
    }
    if (!(tsv instanceof String ts)) throw new PlanException("ts", "must be a string", "必须是字符串");
    long start = kept(time(ts, "ts"), "ts");
    Object ev = o.getValue("end");
    Long end = null;
    if (ev != null) {
      if (!(ev instanceof String e)) throw new PlanException("end", "must be a string", "必须是字符串");
      end = kept(time(e, "end"), "end");
      if (end < start) throw new PlanException("end", "must not be before ts", "不能早于 ts");
    }
    Object tv = o.getValue("text");
    if (!(tv instanceof String text)) {
      throw new PlanException("text", "is required, a string", "必填，须为字符串");
    }
    if (text.isBlank()) throw new PlanException("text", "must not be empty", "不能为空");
    ValidText.Problem p = ValidText.problemOf(text, ValidText.MAX);
    if (p != null) throw new PlanException("text", p);
    List<String> tags = new ArrayList<>();
    Object gv = o.getValue("tags");
    if (gv != null) {
      if (!(gv instanceof JsonArray arr)) {
        throw new PlanException("tags", "must be an array of strings", "必须是字符串数组");
      }
      if (arr.size() > MAX_TAGS) {
        throw new PlanException("tags", "at most " + MAX_TAGS + " tags", "最多 " + MAX_TAGS + " 个标签");
      }
      for (int i = 0; i < arr.size(); i++) {
        String f = "tags[" + i + "]";
        if (!(arr.getValue(i) instanceof String tag)) {
          throw new PlanException(f, "must be a string", "必须是字符串");
        }
        if (tag.isEmpty()) throw new PlanException(f, "must not be empty", "不能为空");
        ValidText.Problem q = ValidText.problemOf(tag, TAG_LENGTH);
        if (q != null) throw new PlanException(f, q);
        tags.add(tag);
      }
    }
    return new Annotation(0, start, end, text, List.copyOf(tags));
  }

  private void delete(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      Errors.send(ctx, 404, "no annotation '" + Errors.clip(ctx.pathParam("id")) + "'");
      return;
    }
    annotations.delete(id).onSuccess(done -> {
      if (done) ctx.response().setStatusCode(204).end();
      else Errors.send(ctx, 404, "no annotation " + id);
    }).onFailure(ctx::fail);
  }

  /** 1900-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: what both stores keep as given. */
  static final long EARLIEST = -2_208_988_800_000L;
  static final long LATEST = 253_402_300_799_999L;

  /**
   * A time an annotation may keep: PostgreSQL stores years past 294276 as infinity and before
   * 4713 BC clamped, and such a row stopped every later start.
   */
  private static long kept(long millis, String field) {
    if (millis < EARLIEST || millis > LATEST) {
      throw new PlanException(field, "must be between 1900 and 9999", "必须在 1900 到 9999 年之间");
    }
    return millis;
  }

  private static Long time(String s, String field) {
    if (s == null) return null;
    try {
      return OffsetDateTime.parse(s.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
          .toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new PlanException(field, "must be a time with its offset, such as 2026-11-11T20:00:00+08:00",
          "必须是带时区偏移的时间，如 2026-11-11T20:00:00+08:00");
    }
  }
}
