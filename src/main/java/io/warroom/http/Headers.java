package io.warroom.http;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
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

  /**
   * A Content-Disposition for a download named from user text (RFC 6266): a plain ASCII
   * {@code filename} with every other character as '_', and the exact name in {@code filename*},
   * UTF-8 percent-encoded. Neither can end the header or add a parameter.
   */
  static String attachment(String fileName) {
    StringBuilder ascii = new StringBuilder();
    StringBuilder exact = new StringBuilder();
    for (int i = 0; i < fileName.length(); i++) {
      char c = fileName.charAt(i);
      ascii.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_') ? c : '_');
    }
    for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      // RFC 5987 attr-char, less the few a careless reader might still trip on.
      if (c < 128 && (Character.isLetterOrDigit(c) || ".-_~".indexOf(c) >= 0)) exact.append((char) c);
      else exact.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
          .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + exact;
  }

  private static String newId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
