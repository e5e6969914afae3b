package io.warroom.http;

import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** First handler of every request: a request id, and the security headers. */
final class Headers {
  static final String REQUEST_ID = "requestId";
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
      + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Headers() {}

  static void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader("X-Request-Id");
    String id = given != null && SAFE_ID.matcher(given).matches() ? given : newId();
    ctx.put(REQUEST_ID, id);
    ctx.response()
        .putHeader("X-Request-Id", id)
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY");
    // The router pauses each request; one answered without reading it to the end would leave
    // its keep-alive connection stuck for the next request. Error answers close instead.
    ctx.addHeadersEndHandler(v -> {
      var req = ctx.request();
      if (!req.isEnded() && !"close".equalsIgnoreCase(ctx.response().headers().get("Connection"))) {
        req.handler(b -> { });
        req.resume();
      }
    });
    ctx.next();
  }

  private static String newId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
