package io.warroom.http;

import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bearer-token checks (CONTRACT section 1). With no token configured for a role, only loopback
 * clients may act in it. Tokens are compared in constant time and never logged; an ingest token's
 * name (`name:secret` in WARROOM_INGEST_TOKENS) is what metrics and logs show.
 */
public final class Auth {
  public static final String VIEW_COOKIE = "warroom_view";
  /** RoutingContext key of the name of the ingest caller: a token's name or "loopback". */
  public static final String SOURCE = "source";
  private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9_.-]{1,40}):(.+)");

  /** A configured token: its name and the digest of its secret. */
  record Token(String name, byte[] digest) {}

  private Auth() {}

  /** Parses WARROOM_INGEST_TOKENS entries: `name:secret`, or a bare secret named token-N. */
  static List<Token> ingestTokens(List<String> entries) {
    List<Token> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Matcher m = NAMED.matcher(entries.get(i));
      if (m.matches()) out.add(new Token(m.group(1), sha256(m.group(2))));
      else out.add(new Token("token-" + (i + 1), sha256(entries.get(i))));
    }
    return out;
  }

  /** Ingest: one of the ingest tokens, or loopback when none is set. Records the caller's name. */
  public static Handler<RoutingContext> ingest(List<String> entries) {
    return role(ingestTokens(entries), "ingest", "WARROOM_INGEST_TOKENS");
  }

  /** Admin: the admin token, or loopback when none is set. */
  public static Handler<RoutingContext> admin(String token) {
    return role(token == null ? List.of() : List.of(new Token("admin", sha256(token))), "this call",
        "WARROOM_ADMIN_TOKEN");
  }

  /**
   * Viewing: open unless a view token is set; then the bearer header (view or admin token) or the
   * cookie the login page sets. A browser asking for a page is sent to the login page.
   */
  public static Handler<RoutingContext> view(String token, String adminToken) {
    if (token == null) return RoutingContext::next;
    List<Token> accepted = new ArrayList<>(List.of(new Token("view", sha256(token))));
    if (adminToken != null) accepted.add(new Token("admin", sha256(adminToken)));
    String cookieValue = viewCookieValue(token);
    return ctx -> {
      String presented = bearer(ctx);
      if (presented != null) {
        if (match(accepted, presented) != null) ctx.next();
        else Errors.send(ctx, 403, "the token is not valid for viewing");
        return;
      }
      Cookie c = ctx.request().getCookie(VIEW_COOKIE);
      if (c != null && constantEquals(c.getValue(), cookieValue)) {
        ctx.next();
      } else if (c == null && wantsPage(ctx)) {
        ctx.response().setStatusCode(303).putHeader("Location", "/login").end();
      } else if (c != null) {
        Errors.send(ctx, 403, "the login cookie is not valid; log in again at /login");
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

  private static boolean wantsPage(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.contains("text/html") && !ctx.request().path().startsWith("/api/");
  }

  private static Handler<RoutingContext> role(List<Token> tokens, String what, String setting) {
    if (tokens.isEmpty()) {
      return ctx -> {
        if (isLoopback(ctx.request().remoteAddress())) {
          ctx.put(SOURCE, "loopback");
          ctx.next();
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
      Token t = match(tokens, presented);
      if (t == null) {
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
    String t = h.substring(7).trim();
    return t.isEmpty() ? null : t;
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
