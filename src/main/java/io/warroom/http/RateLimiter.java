package io.warroom.http;

import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Ingest requests per second per caller (token name, or loopback), as token buckets: a steady rate
 * with a burst. Over it: 429 with Retry-After. Used on the one event loop only.
 */
final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final LongSupplier nanos;
  private final Map<String, double[]> buckets = new HashMap<>(); // name -> {tokens, last nanos}

  RateLimiter(double perSecond, int burst, LongSupplier nanos) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanos = nanos;
  }

  void handle(RoutingContext ctx) {
    if (perSecond <= 0) {
      ctx.next();
      return;
    }
    String who = ctx.get(Auth.SOURCE);
    long now = nanos.getAsLong();
    double[] b = buckets.computeIfAbsent(who, k -> new double[] {burst, now});
    b[0] = Math.min(burst, b[0] + (now - (long) b[1]) / 1e9 * perSecond);
    b[1] = now;
    if (b[0] >= 1) {
      b[0] -= 1;
      ctx.next();
    } else {
      long wait = (long) Math.ceil((1 - b[0]) / perSecond);
      ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, wait)));
      Errors.send(ctx, 429, "over the ingest rate limit of " + perSecond + " requests per second");
    }
  }
}
