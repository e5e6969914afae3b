package io.warroom.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.warroom.ingest.BodyException;

/**
 * Reads a request body up to a limit, after the auth handlers ran (Vert.x's BodyHandler must come
 * before them, which would buffer bodies of callers that are then refused).
 */
final class Bodies {

  private Bodies() {}

  private static HttpError tooLarge(long limit) {
    return new HttpError(413, "body is over the limit of " + limit + " bytes");
  }

  static Future<Buffer> read(RoutingContext ctx, long limit) {
    HttpServerRequest req = ctx.request();
    String declared = req.getHeader("Content-Length");
    long length = 0;
    if (declared != null) {
      try {
        length = Long.parseLong(declared.trim());
        if (length > limit) return Future.failedFuture(tooLarge(limit));
      } catch (NumberFormatException e) {
        return Future.failedFuture(new BodyException(400, "bad Content-Length"));
      }
    }
    Promise<Buffer> done = Promise.promise();
    // Sized from Content-Length (up to 1 MB, so a declared length alone cannot make it allocate
    // much): growing by doubling copied each large body several times on the event loop.
    Buffer body = Buffer.buffer((int) Math.max(0, Math.min(length, 1 << 20)));
    req.handler(chunk -> {
      if (done.future().isComplete()) return;
      if (body.length() + chunk.length() > limit) {
        done.tryFail(tooLarge(limit));
        return;
      }
      body.appendBuffer(chunk);
    });
    req.exceptionHandler(e -> done.tryFail(
        new BodyException(400, "the body cannot be read: " + e.getMessage())));
    req.endHandler(v -> done.tryComplete(body));
    req.resume();
    return done.future();
  }
}
