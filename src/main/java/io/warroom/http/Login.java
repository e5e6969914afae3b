package io.warroom.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.warroom.ingest.ValidText;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The login: POST /login with the view token sets an HttpOnly, SameSite cookie, so the page's
 * EventSource is authorised; with the admin token it also sets the admin cookie
 * ({@link AdminSession}), with which the plan editor may change things. For a wall screen without a keyboard,
 * an admin asks POST /api/v1/kiosk for a one-time link (/kiosk/CODE, valid 10 minutes) that sets
 * the same cookie and opens TV mode.
 */
final class Login {
  static final long KIOSK_TTL_MS = 10 * 60_000L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String viewToken;
  private final String adminToken;
  private final String cookieValue;
  private final AdminSession admin;
  private final LongSupplier clock;
  private final AuthThrottle throttle;
  private final Map<String, Long> kioskCodes = new HashMap<>();

  Login(String viewToken, String adminToken, LongSupplier clockMillis, AuthThrottle throttle) {
    this.viewToken = viewToken;
    this.adminToken = adminToken;
    this.cookieValue = viewToken == null ? null : Auth.viewCookieValue(viewToken);
    this.admin = adminToken == null ? null : new AdminSession(adminToken);
    this.clock = clockMillis;
    this.throttle = throttle;
  }

  /**
   * The login page and form, logout, kiosk links and the session check; the page's two files are
   * open to everyone.
   */
  void mount(Router router, Handler<RoutingContext> view, Handler<RoutingContext> admin,
      Handler<RoutingContext> session, Buffer html, Buffer css) {
    router.post("/api/v1/kiosk").handler(admin).handler(this::newKioskLink);
    router.post("/login").handler(this::post);
    router.post("/logout").handler(this::logout);
    router.get("/api/v1/session").handler(view).handler(session);
    router.get("/kiosk/:code").handler(this::kiosk);
    router.get("/login").handler(ctx -> file(ctx, html, "text/html; charset=utf-8"));
    router.get("/login.css").handler(ctx -> file(ctx, css, "text/css; charset=utf-8"));
  }

  private static void file(RoutingContext ctx, Buffer body, String type) {
    ctx.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-cache").end(body);
  }

  void post(RoutingContext ctx) {
    Bodies.read(ctx, 4096).onSuccess(body -> {
      if (viewToken == null && adminToken == null) {
        redirect(ctx, "/");
        return;
      }
      String token;
      try {
        token = formField(body.toString(), "token");
      } catch (IllegalArgumentException e) {
        Errors.send(ctx, 400, "the login form cannot be read: a '%' not followed by two hex digits");
        return;
      }
      if (token == null || token.isBlank()) {
        redirect(ctx, "/login?failed=1");
      } else if (!throttle.refuse(ctx)) {
        String t = token.strip(); // not trim(): that would also drop a NUL or other control characters
        boolean text = ValidText.problem(t, 1024) == null;
        if (text && Auth.isAdmin(t, adminToken)) {
          if (viewToken != null) setCookie(ctx);
          ctx.response().addCookie(AdminSession.cookie(ctx, AdminSession.COOKIE,
              admin.issue(System.currentTimeMillis()), AdminSession.TTL_SECONDS));
          redirect(ctx, "/");
        } else if (text && viewToken != null && Auth.isViewer(t, viewToken, adminToken)) {
          setCookie(ctx);
          redirect(ctx, "/");
        } else {
          throttle.failed(ctx, "POST /login", "wrong token");
          redirect(ctx, "/login?failed=1");
        }
      }
    }).onFailure(ctx::fail);
  }

  /** POST /logout: forgets both login cookies. */
  void logout(RoutingContext ctx) {
    ctx.response().addCookie(AdminSession.cookie(ctx, AdminSession.COOKIE, "", 0))
        .addCookie(AdminSession.cookie(ctx, Auth.VIEW_COOKIE, "", 0));
    redirect(ctx, "/login");
  }

  /** The value of a field of a form body (application/x-www-form-urlencoded), or null. */
  static String formField(String body, String name) {
    String value = null;
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return value;
  }

  /** POST /api/v1/kiosk (admin): a one-time link that logs a screen in. */
  void newKioskLink(RoutingContext ctx) {
    long now = clock.getAsLong();
    kioskCodes.values().removeIf(expiry -> expiry < now);
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    String code = HexFormat.of().formatHex(b);
    kioskCodes.put(code, now + KIOSK_TTL_MS);
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("url", "/kiosk/" + code).put("expiresAt", Instant.ofEpochMilli(now + KIOSK_TTL_MS).toString())
        .encode());
  }

  void kiosk(RoutingContext ctx) {
    if (throttle.refuse(ctx)) return;
    Long expiry = kioskCodes.remove(ctx.pathParam("code"));
    if (expiry == null || expiry < clock.getAsLong()) {
      throttle.failed(ctx, "GET /kiosk/...", "unknown, used or expired kiosk code");
      Errors.send(ctx, 403, "this kiosk link is not valid (used or expired)");
      return;
    }
    if (viewToken != null) setCookie(ctx);
    redirect(ctx, "/?tv=1");
  }

  private void setCookie(RoutingContext ctx) {
    ctx.response().addCookie(AdminSession.cookie(ctx, Auth.VIEW_COOKIE, cookieValue, 400L * 24 * 3600));
  }

  private static void redirect(RoutingContext ctx, String to) {
    ctx.response().setStatusCode(303).putHeader("Location", to).end();
  }
}
