package io.warroom.http;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * Heavy work one at a time per node (a report of a past campaign, a plan preview): a second request
 * meanwhile gets {@code 429} with {@code Retry-After}, so such work cannot pile up CPU or memory.
 * Event-loop only.
 */
final class OneAtATime {
  private final String what;
  private boolean busy;

  /** {@code what} names the work in the 429's message, such as "a report". */
  OneAtATime(String what) {
    this.what = what;
  }

  /** Starts {@code work} and hands its result to {@code done}, or answers 429 if one is running. */
  <T> void run(RoutingContext ctx, Supplier<Future<T>> work, Handler<AsyncResult<T>> done) {
    if (busy) {
      ctx.response().putHeader("Retry-After", "1");
      Errors.send(ctx, 429, what + " is being computed; try again in a moment");
      return;
    }
    busy = true;
    Future<T> f;
    try {
      f = work.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      busy = false;
      done.handle(ar);
    });
  }
}
