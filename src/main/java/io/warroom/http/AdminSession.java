package io.warroom.http;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Admin login by cookie: POST /login with the admin token sets {@code warroom_admin}, HttpOnly and
 * SameSite=Strict (Secure behind https), valid 12 hours. Its value is an expiry, a random nonce
 * and a MAC keyed by the admin token, so any node with the same token can check it and nothing is
 * kept. A change (any method but GET and HEAD) authenticated by that cookie must also carry the
 * session's CSRF token in {@code X-CSRF-Token}, which only a page of this origin can read from
 * GET /api/v1/session. Bearer requests need no CSRF token: a browser never adds that header.
 */
final class AdminSession {
  static final String COOKIE = "warroom_admin";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final long TTL_SECONDS = 12 * 3600;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  /** @param adminToken the admin token; not null */
  AdminSession(String adminToken) {
    this.key = mac(adminToken.getBytes(StandardCharsets.UTF_8), "warroom-admin-session");
  }

  /** A new cookie value, valid {@link #TTL_SECONDS} from {@code nowMillis}. */
  String issue(long nowMillis) {
    byte[] n = new byte[16];
    RANDOM.nextBytes(n);
    String body = (nowMillis / 1000 + TTL_SECONDS) + "." + HexFormat.of().formatHex(n);
    return body + "." + hex(mac(key, "admin:" + body));
  }

  /** Whether a cookie value is one this server issued and it has not expired. */
  boolean valid(String value, long nowMillis) {
    if (value == null || value.length() > 200) return false;
    int dot = value.lastIndexOf('.');
    int first = value.indexOf('.');
    if (dot < 0 || first == dot) return false;
    String body = value.substring(0, dot);
    boolean genuine = MessageDigest.isEqual(hex(mac(key, "admin:" + body)).getBytes(StandardCharsets.UTF_8),
        value.substring(dot + 1).getBytes(StandardCharsets.UTF_8));
    if (!genuine) return false;
    try {
      return Long.parseLong(value.substring(0, first)) * 1000 > nowMillis;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The CSRF token of the session a (valid) cookie value opens. */
  String csrf(String value) {
    return hex(mac(key, "csrf:" + value.substring(0, value.lastIndexOf('.'))));
  }

  boolean csrfMatches(String value, String presented) {
    if (presented == null) return false;
    return MessageDigest.isEqual(csrf(value).getBytes(StandardCharsets.UTF_8),
        presented.strip().getBytes(StandardCharsets.UTF_8));
  }

  /** Methods that change nothing, and so need no CSRF token. */
  static boolean safe(HttpMethod m) {
    return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS;
  }

  static Cookie cookie(RoutingContext ctx, String name, String value, long maxAgeSeconds) {
    return Cookie.cookie(name, value).setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setPath("/").setMaxAge(maxAgeSeconds).setSecure(https(ctx));
  }

  /**
   * Whether the browser reached us over https: directly, or through a proxy that says so. A client
   * that claims it falsely only gets a cookie its browser keeps to https.
   */
  static boolean https(RoutingContext ctx) {
    if (ctx.request().isSSL()) return true;
    String proto = ctx.request().getHeader("X-Forwarded-Proto");
    if (proto != null && proto.strip().toLowerCase(Locale.ROOT).startsWith("https")) return true;
    String fwd = ctx.request().getHeader("Forwarded");
    return fwd != null && fwd.toLowerCase(Locale.ROOT).replace(" ", "").contains("proto=https");
  }

  /** The session as the page sees it: whether it may edit, and the CSRF token for its changes. */
  static JsonObject describe(boolean admin, String how, String csrf, boolean loginPossible) {
    JsonObject o = new JsonObject().put("admin", admin).put("adminLogin", loginPossible);
    if (how != null) o.put("by", how);
    if (csrf != null) o.put("csrf", csrf);
    return o;
  }

  private static byte[] mac(byte[] key, String data) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
