package io.warroom.http;

import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Bearer-token checks (CONTRACT section 1). With no token configured for a role, only loopback
 * clients may act in it. Tokens are compared in constant time and never logged.
 */
public final class Auth {
  public static final String VIEW_COOKIE = "warroom_view";

  private Auth() {}

  /** Ingest: one of the ingest tokens, or loopback when none is set. */
  public static Handler<RoutingContext> ingest(List<String> tokens) {
    return role(tokens, "ingest", "WARROOM_INGEST_TOKENS");
  }

  /** Admin: the admin token, or loopback when none is set. */
  public static Handler<RoutingContext> admin(String token) {
    return role(token == null ? List.of() : List.of(token), "this call", "WARROOM_ADMIN_TOKEN");
  }

  /** Viewing: open unless a view token is set; then the bearer header or the login cookie. */
  public static Handler<RoutingContext> view(String token, String adminToken) {
    if (token == null) return RoutingContext::next;
    List<byte[]> accepted = digests(adminToken == null ? List.of(token) : List.of(token, adminToken));
    return ctx -> {
      String presented = bearer(ctx);
      if (presented == null) {
        Cookie c = ctx.request().getCookie(VIEW_COOKIE);
        if (c != null) presented = c.getValue();
      }
      if (presented == null) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        Errors.send(ctx, 401, "a view token is required");
      } else if (!matches(accepted, presented)) {
        Errors.send(ctx, 403, "the token is not valid for viewing");
      } else {
        ctx.next();
      }
    };
  }

  private static Handler<RoutingContext> role(List<String> tokens, String what, String setting) {
    if (tokens.isEmpty()) {
      return ctx -> {
        if (isLoopback(ctx.request().remoteAddress())) ctx.next();
        else Errors.send(ctx, 403, what + " is accepted from loopback only while " + setting
            + " is not set");
      };
    }
    List<byte[]> accepted = digests(tokens);
    return ctx -> {
      String presented = bearer(ctx);
      if (presented == null) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        Errors.send(ctx, 401, "a bearer token is required");
      } else if (!matches(accepted, presented)) {
        Errors.send(ctx, 403, "the token is not valid for " + what);
      } else {
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

  /** Compares digests so neither content nor length leaks through timing; checks every token. */
  private static boolean matches(List<byte[]> accepted, String presented) {
    byte[] d = sha256(presented);
    boolean ok = false;
    for (byte[] a : accepted) ok |= MessageDigest.isEqual(a, d);
    return ok;
  }

  private static List<byte[]> digests(List<String> tokens) {
    return tokens.stream().map(Auth::sha256).toList();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
