package io.warroom.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.warroom.alert.NotConfirmedException;
import io.warroom.ingest.BodyException;
import io.warroom.ingest.ValidText;
import io.warroom.plan.Campaigns;
import io.warroom.plan.PlanException;
import io.warroom.store.StoreUnavailableException;
import io.warroom.team.Annotations;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The one writer of error answers: a status and {@code {"error": "..."}}. */
public final class Errors {
  private static final Logger LOG = Logger.getLogger(Errors.class.getName());

  private Errors() {}

  public static void send(RoutingContext ctx, int status, String message) {
    send(ctx, status, message, null);
  }

  /**
   * The answer; for a refused plan (or other document) also {@code "field": "weeks[1].end",
   * "reason": {"en": "...", "zh-CN": "..."}}, the field's path as the parser named it, so a form
   * can show the reason at that field in its language.
   */
  private static void send(RoutingContext ctx, int status, String message, PlanException refused) {
    HttpServerResponse r = ctx.response();
    if (r.headWritten()) {
      r.reset();
      return;
    }
    if (status == 503 && r.headers().get("Retry-After") == null) r.putHeader("Retry-After", "1");
    if (!ctx.request().isEnded() && !smallBody(ctx)) {
      // Refused before a large body was read: the connection cannot carry another request.
      // (A small one is drained once the answer is out, and the connection kept; see Headers.)
      r.putHeader("Connection", "close");
    }
    JsonObject body = new JsonObject().put("error", message);
    if (refused != null) {
      body.put("field", refused.field()).put("reason", new JsonObject().put("en", refused.reason())
          .put("zh-CN", refused.reasonZh()));
    }
    String id = ctx.get(Headers.REQUEST_ID);
    if (id != null) body.put("requestId", id);
    r.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  /** A request whose declared body is small enough to drain rather than close for. */
  private static boolean smallBody(RoutingContext ctx) {
    String len = ctx.request().getHeader("Content-Length");
    if (len == null) return ctx.request().getHeader("Transfer-Encoding") == null;
    try {
      return Long.parseLong(len.trim()) <= 64 * 1024;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Requests HTTP itself cannot decode (bad header line, URL or headers too long, unknown HTTP
   * version): a 4xx with the JSON error body, then the connection is closed.
   */
  public static void invalidRequest(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    int status = 400;
    String message = "the request is not valid HTTP/1.1";
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "the request line is too long";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "the request headers are too large";
    }
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close").end(new JsonObject().put("error", message).encode())
        .onComplete(v -> req.connection().close());
  }

  /** Router failure handler: maps a failure to its status and message; logs the unexpected. */
  public static void failure(RoutingContext ctx) {
    Throwable err = ctx.failure();
    int status = ctx.statusCode();
    HttpError e = http(err);
    if (e != null) {
      if (e.retryAfter > 0) ctx.response().putHeader("Retry-After", String.valueOf(e.retryAfter));
      send(ctx, e.status, e.getMessage(), e.refused);
    } else if (status > 0 && status < 500) {
      send(ctx, status, reason(status));
    } else if (ctx.response().closed() || err instanceof IOException io && io.getMessage() != null
        && (io.getMessage().contains("Broken pipe") || io.getMessage().contains("Connection reset"))) {
      // the client went away mid-answer (a browser leaving a page): nothing is wrong here
      LOG.fine(() -> "request " + ctx.get(Headers.REQUEST_ID) + ": the client left: " + err);
      if (!ctx.response().closed() && !ctx.response().ended()) ctx.response().reset();
    } else {
      LOG.log(Level.SEVERE, "request " + ctx.get(Headers.REQUEST_ID) + " failed: "
          + ctx.request().method() + " " + ctx.request().path(), err);
      send(ctx, 500, "internal error");
    }
  }

  /** What a failure means to the client, or null when it is unexpected (a 500). */
  private static HttpError http(Throwable err) {
    if (err instanceof HttpError e) return e;
    if (err instanceof BodyException e) return new HttpError(e.status, e.getMessage());
    if (err instanceof StoreUnavailableException) {
      return new HttpError(503, "the store is unavailable; nothing was kept, retry later");
    }
    // A command another node did not confirm in time (it stays queued).
    if (err instanceof NotConfirmedException e) return new HttpError(503, e.getMessage(), null, 5);
    if (err instanceof PlanException e) return new HttpError(400, e.getMessage(), e, 0);
    if (err instanceof Annotations.FullException e) return new HttpError(409, e.getMessage());
    if (err instanceof Campaigns.Refused e) return new HttpError(e.status(), e.getMessage());
    return null;
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 401 -> "a bearer token is required";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 415 -> "unsupported content type";
      default -> "request failed";
    };
  }

  /** A name a client sent, as an error message quotes it: at most 64 characters, valid text. */
  static String clip(String s) {
    String c = s.length() > 64 ? s.substring(0, 64) + "…" : s;
    return ValidText.problem(c, 100) == null ? c : "(not valid text)";
  }
}
