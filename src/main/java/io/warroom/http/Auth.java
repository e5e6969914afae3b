package io.warroom.http;

import io.netty.util.NetUtil;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.warroom.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bearer-token checks (CONTRACT section 1). With no token configured for a role, only loopback
 * clients may act in it, and a request that came through a proxy (it carries Forwarded,
 * X-Forwarded-For, ...) is never loopback: the proxy may sit on this host. Tokens are compared in
 * constant time and never logged; an ingest token's name (`name:secret` in WARROOM_INGEST_TOKENS)
 * is what metrics and logs show. Wrong secrets count against the client's address
 * ({@link AuthThrottle}).
 */
public final class Auth {
  public static final String VIEW_COOKIE = "warroom_view";
  /** RoutingContext key of the name of the ingest caller: a token's name or "loopback". */
  public static final String SOURCE = "source";
  /** Headers a proxy adds: a request carrying one is not trusted as loopback. */
  static final List<String> PROXY_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP",
      "X-Forwarded-Host", "X-Forwarded-Proto", "Via");

  /** A configured token: its name and the digest of its secret. */
  record Token(String name, byte[] digest) {}

  private Auth() {}

  /** Parses WARROOM_INGEST_TOKENS entries: `name:secret`, or a bare secret named token-N. */
  static List<Token> ingestTokens(List<String> entries) {
    List<Token> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Matcher m = Config.NAMED_TOKEN.matcher(entries.get(i));
      if (m.matches()) out.add(new Token(m.group(1), sha256(m.group(2))));
      else out.add(new Token("token-" + (i + 1), sha256(entries.get(i))));
    }
    return out;
  }

  /** Ingest: one of the ingest tokens, or loopback when none is set. Records the caller's name. */
  static Handler<RoutingContext> ingest(List<String> entries, AuthThrottle throttle) {
    return role(ingestTokens(entries), "ingest", "ingest", "WARROOM_INGEST_TOKENS", throttle);
  }

  /**
   * Admin: the admin token as a bearer, or the admin login cookie ({@link AdminSession}) with the
   * CSRF header on a change; loopback when no admin token is set.
   */
  static Handler<RoutingContext> admin(String token, AuthThrottle throttle) {
    Handler<RoutingContext> byBearer = role(token == null ? List.of()
        : List.of(new Token("admin", sha256(token))), "admin", "this call", "WARROOM_ADMIN_TOKEN", throttle);
    if (token == null) return byBearer;
    AdminSession session = new AdminSession(token);
    return ctx -> {
      Cookie c = ctx.request().getCookie(AdminSession.COOKIE);
      if (bearer(ctx) != null || c == null) {
        byBearer.handle(ctx);
        return;
      }
      if (throttle.refuse(ctx)) return;
      if (!session.valid(c.getValue(), System.currentTimeMillis())) {
        throttle.failed(ctx, endpoint(ctx), "wrong or expired admin cookie");
        Errors.send(ctx, 403, "the admin login is not valid or has expired; log in again at /login");
        return;
      }
      if (!AdminSession.safe(ctx.request().method())) {
        String csrf = ctx.request().getHeader(AdminSession.CSRF_HEADER);
        if (csrf == null) {
          Errors.send(ctx, 403, "a change made with the admin login cookie needs the "
              + AdminSession.CSRF_HEADER + " header (GET /api/v1/session gives it)");
          return;
        }
        if (!session.csrfMatches(c.getValue(), csrf)) {
          throttle.failed(ctx, endpoint(ctx), "wrong CSRF token");
          Errors.send(ctx, 403, "the " + AdminSession.CSRF_HEADER + " header does not match this login");
          return;
        }
      }
      ctx.put(SOURCE, "admin");
      ctx.next();
    };
  }

  /**
   * GET /api/v1/session: whether this browser may edit (admin cookie, or loopback while no admin
   * token is set) and, with the cookie, the CSRF token its changes carry. Bearer headers are not
   * looked at: the page never sends one.
   */
  static Handler<RoutingContext> session(String adminToken, AuthThrottle throttle) {
    AdminSession session = adminToken == null ? null : new AdminSession(adminToken);
    return ctx -> {
      JsonObject body;
      if (session == null) {
        boolean local = proxyHeader(ctx.request()) == null
            && isLoopback(ctx.request().connection().remoteAddress());
        body = AdminSession.describe(local, local ? "loopback" : null, null, false);
      } else {
        Cookie c = ctx.request().getCookie(AdminSession.COOKIE);
        if (c == null) {
          body = AdminSession.describe(false, null, null, true);
        } else {
          if (throttle.refuse(ctx)) return;
          boolean ok = session.valid(c.getValue(), System.currentTimeMillis());
          if (!ok) throttle.failed(ctx, endpoint(ctx), "wrong or expired admin cookie");
          body = AdminSession.describe(ok, ok ? "cookie" : null, ok ? session.csrf(c.getValue()) : null, true);
        }
      }
      ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
          .end(body.encode());
    };
  }

  /**
   * Viewing: open unless a view token is set; then the bearer header (view or admin token) or the
   * cookie the login page sets. A browser asking for a page is sent to the login page.
   */
  static Handler<RoutingContext> view(String token, String adminToken, AuthThrottle throttle) {
    if (token == null) return RoutingContext::next;
    List<Token> accepted = new ArrayList<>(List.of(new Token("view", sha256(token))));
    if (adminToken != null) accepted.add(new Token("admin", sha256(adminToken)));
    String cookieValue = viewCookieValue(token);
    return ctx -> {
      String presented = bearer(ctx);
      if (presented != null) {
        if (throttle.refuse(ctx)) return;
        if (match(accepted, presented) != null) {
          ctx.next();
        } else {
          throttle.failed(ctx, endpoint(ctx), "wrong bearer token for viewing");
          Errors.send(ctx, 403, "the token is not valid for viewing");
        }
        return;
      }
      Cookie c = ctx.request().getCookie(VIEW_COOKIE);
      if (c != null) {
        if (throttle.refuse(ctx)) return;
        if (constantEquals(c.getValue(), cookieValue)) {
          ctx.next();
        } else {
          throttle.failed(ctx, endpoint(ctx), "wrong login cookie");
          Errors.send(ctx, 403, "the login cookie is not valid; log in again at /login");
        }
      } else if (wantsPage(ctx)) {
        // a wall screen's tv=1 and lang= survive the login
        String kept = Login.kept(ctx.request().getParam("tv"), ctx.request().getParam("lang"));
        ctx.response().setStatusCode(303)
            .putHeader("Location", kept.isEmpty() ? "/login" : "/login?" + kept).end();
      } else {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        Errors.send(ctx, 401, "a view token is required");
      }
    };
  }

  /** What the login cookie holds: derived from the view token, so the cookie is not the token. */
  static String viewCookieValue(String viewToken) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(viewToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal("warroom-view-cookie".getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the presented secret is the view or admin token. */
  static boolean isViewer(String presented, String viewToken, String adminToken) {
    boolean ok = constantEquals(presented, viewToken);
    if (adminToken != null) ok |= constantEquals(presented, adminToken);
    return ok;
  }

  /** Whether the presented secret is the admin token (false when none is set). */
  static boolean isAdmin(String presented, String adminToken) {
    return adminToken != null && constantEquals(presented, adminToken);
  }

  private static boolean wantsPage(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.contains("text/html") && !ctx.request().path().startsWith("/api/");
  }

  private static Handler<RoutingContext> role(List<Token> tokens, String role, String what,
      String setting, AuthThrottle throttle) {
    if (tokens.isEmpty()) {
      return ctx -> {
        String proxy = proxyHeader(ctx.request());
        if (proxy == null && isLoopback(ctx.request().connection().remoteAddress())) {
          ctx.put(SOURCE, "loopback");
          ctx.next();
        } else if (proxy != null) {
          Errors.send(ctx, 403, what + " is accepted from loopback only while " + setting
              + " is not set, and this request came through a proxy (it carries " + proxy + ")");
        } else {
          Errors.send(ctx, 403, what + " is accepted from loopback only while " + setting + " is not set");
        }
      };
    }
    return ctx -> {
      String presented = bearer(ctx);
      if (presented == null) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        Errors.send(ctx, 401, "a bearer token is required");
        return;
      }
      if (throttle.refuse(ctx)) return;
      Token t = match(tokens, presented);
      if (t == null) {
        throttle.failed(ctx, endpoint(ctx), "wrong bearer token for " + role);
        Errors.send(ctx, 403, "the token is not valid for " + what);
      } else {
        ctx.put(SOURCE, t.name());
        ctx.next();
      }
    };
  }

  static String bearer(RoutingContext ctx) {
    String h = ctx.request().getHeader("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
    String t = h.substring(7).strip(); // not trim(): that would also drop control characters
    return t.isEmpty() ? null : t;
  }

  /** The first proxy header the request carries, or null. */
  static String proxyHeader(HttpServerRequest req) {
    for (String h : PROXY_HEADERS) if (req.getHeader(h) != null) return h;
    return null;
  }

  /** Method and path for a log line: printable ASCII, clipped, a kiosk code left out. */
  static String endpoint(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path == null) path = "?";
    if (path.startsWith("/kiosk/")) path = "/kiosk/...";
    if (path.length() > 100) path = path.substring(0, 100) + "...";
    return ctx.request().method() + " " + path.replaceAll("[^\\x21-\\x7e]", "?");
  }

  /**
   * The start warning for a server listening beyond loopback while a role has no token (then only
   * loopback clients may act in it), or null.
   */
  static String loopbackOnlyWarning(String host, boolean ingestTokens, boolean adminToken) {
    if (ingestTokens && adminToken || isLoopbackHost(host)) return null;
    List<String> unset = new ArrayList<>();
    List<String> roles = new ArrayList<>();
    if (!ingestTokens) {
      unset.add("WARROOM_INGEST_TOKENS");
      roles.add("ingest");
    }
    if (!adminToken) {
      unset.add("WARROOM_ADMIN_TOKEN");
      roles.add("admin calls (plan, alerts, kiosk links)");
    }
    return "serving on " + host + ", which is not loopback, without " + String.join(" or ", unset)
        + ": " + String.join(" and ", roles) + " are accepted from loopback clients only (never"
        + " through a proxy); set the tokens to accept them from elsewhere";
  }

  /** Whether a listening address is loopback: localhost or a loopback literal (names are not looked up). */
  static boolean isLoopbackHost(String host) {
    if (host.equalsIgnoreCase("localhost")) return true;
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
    try {
      return literal != null && InetAddress.getByAddress(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static boolean isLoopback(SocketAddress a) {
    if (a == null || a.hostAddress() == null) return false;
    try {
      return InetAddress.getByName(a.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The token whose secret is presented; every token is compared, in constant time. */
  private static Token match(List<Token> tokens, String presented) {
    byte[] d = sha256(presented);
    Token found = null;
    for (Token t : tokens) if (MessageDigest.isEqual(t.digest(), d)) found = t;
    return found;
  }

  private static boolean constantEquals(String a, String b) {
    return MessageDigest.isEqual(sha256(a), sha256(b));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
