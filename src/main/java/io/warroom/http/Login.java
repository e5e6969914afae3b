package io.warroom.http;

import static java.util.Map.entry;

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
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The login: POST /login with the view token sets an HttpOnly, SameSite cookie, so the page's
 * EventSource is authorised; with the admin token it also sets the admin cookie
 * ({@link AdminSession}), with which the plan editor may change things. For a wall screen without a keyboard,
 * an admin asks POST /api/v1/kiosk for a one-time link (/kiosk/CODE, valid 10 minutes of real
 * time, whatever the server's clock, which a demo runs fast) that sets the same cookie and opens
 * TV mode. The login page is rendered in the language asked ({@code ?lang=}, else the browser's),
 * says when a token was wrong, and carries {@code tv} and {@code lang} on to the dashboard.
 */
final class Login {
  static final long KIOSK_TTL_MS = 10 * 60_000L;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<String, Map<String, String>> WORDS = Map.of(
      "en", Map.ofEntries(
          entry("title", "warroom · sign in"),
          entry("intro", "This dashboard needs the view token; admins sign in with the admin token to edit the plan."),
          entry("label", "View or admin token"),
          entry("button", "Open the war room"),
          entry("hint", "A wall screen without a keyboard: ask an admin for a one-time kiosk link"
              + " (<code>POST /api/v1/kiosk</code>)."),
          entry("failed", "That token is not right. Check it and try again."),
          entry("other", "中文"),
          entry("kioskTitle", "warroom · kiosk link not valid"),
          entry("kiosk", "This kiosk link has been used or has expired. A link opens one screen, once,"
              + " within 10 minutes of being made. Ask an admin for a new one, or sign in with a token."),
          entry("wait", "Too many wrong tokens from this address. Try again in %d s."),
          entry("signIn", "Sign in")),
      "zh-CN", Map.ofEntries(
          entry("title", "warroom · 登录"),
          entry("intro", "此看板需要查看令牌；管理员用管理员令牌登录以编辑计划。"),
          entry("label", "查看或管理员令牌"),
          entry("button", "进入作战室"),
          entry("hint", "没有键盘的大屏：请管理员生成一次性信息亭链接（<code>POST /api/v1/kiosk</code>）。"),
          entry("failed", "令牌不正确，请检查后重试。"),
          entry("other", "English"),
          entry("kioskTitle", "warroom · 信息亭链接无效"),
          entry("kiosk", "此信息亭链接已使用或已过期。每个链接只能在生成后 10 分钟内打开一块屏幕一次。"
              + "请管理员重新生成，或用令牌登录。"),
          entry("wait", "此地址输错令牌次数过多，请 %d 秒后再试。"),
          entry("signIn", "登录")));

  private final String viewToken;
  private final String adminToken;
  private final String cookieValue;
  private final AdminSession admin;
  /** Real time (ms): kiosk links expire in real minutes, also under a demo's fast clock. */
  private final LongSupplier clock;
  /** The login page's frame (webroot/login.html), set by {@link #mount}. */
  private String template;
  private final AuthThrottle throttle;
  private final Map<String, Long> kioskCodes = new HashMap<>();

  Login(String viewToken, String adminToken, LongSupplier realMillis, AuthThrottle throttle) {
    this.viewToken = viewToken;
    this.adminToken = adminToken;
    this.cookieValue = viewToken == null ? null : Auth.viewCookieValue(viewToken);
    this.admin = adminToken == null ? null : new AdminSession(adminToken);
    this.clock = realMillis;
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
    template = html.toString(StandardCharsets.UTF_8);
    router.get("/login").handler(this::page);
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
      String tvField;
      String langField;
      try {
        token = formField(body.toString(), "token");
        tvField = formField(body.toString(), "tv");
        langField = formField(body.toString(), "lang");
      } catch (IllegalArgumentException e) {
        Errors.send(ctx, 400, "the login form cannot be read: a '%' not followed by two hex digits");
        return;
      }
      String kept = kept(tvField, langField);
      String home = kept.isEmpty() ? "/" : "/?" + kept;
      String again = "/login?failed=1" + (kept.isEmpty() ? "" : "&" + kept);
      if (token == null || token.isBlank()) {
        redirect(ctx, again);
        return;
      }
      String accept = ctx.request().getHeader("Accept");
      if (accept == null || !accept.contains("text/html")) {
        if (throttle.refuse(ctx)) return; // a script gets the JSON answer of every endpoint
      } else {
        long wait = throttle.waitSeconds(AuthThrottle.address(ctx));
        if (wait > 0) {
          // A person at a browser gets the form again, in the form's language, saying how long.
          String formLang = language(langField);
          String lang = formLang != null ? formLang : lang(ctx);
          ctx.response().putHeader("Retry-After", Long.toString(wait));
          form(ctx, 429, lang, tvField, formLang != null,
              String.format(WORDS.get(lang).get("wait"), wait));
          return;
        }
      }
      String t = token.strip(); // not trim(): that would also drop a NUL or other control characters
      boolean text = ValidText.problem(t, 1024) == null;
      if (text && Auth.isAdmin(t, adminToken)) {
        if (viewToken != null) setCookie(ctx);
        ctx.response().addCookie(AdminSession.cookie(ctx, AdminSession.COOKIE,
            admin.issue(System.currentTimeMillis()), AdminSession.TTL_SECONDS));
        redirect(ctx, home);
      } else if (text && viewToken != null && Auth.isViewer(t, viewToken, adminToken)) {
        setCookie(ctx);
        redirect(ctx, home);
      } else {
        throttle.failed(ctx, "POST /login", "wrong token");
        redirect(ctx, again);
      }
    }).onFailure(ctx::fail);
  }

  /** POST /logout: forgets both login cookies. */
  void logout(RoutingContext ctx) {
    ctx.response().addCookie(AdminSession.cookie(ctx, AdminSession.COOKIE, "", 0))
        .addCookie(AdminSession.cookie(ctx, Auth.VIEW_COOKIE, "", 0));
    redirect(ctx, "/login");
  }

  /** GET /login: the form in the page's language, with the error of a wrong token. */
  void page(RoutingContext ctx) {
    String lang = lang(ctx);
    String error = "1".equals(ctx.request().getParam("failed")) ? WORDS.get(lang).get("failed") : null;
    form(ctx, 200, lang, ctx.request().getParam("tv"), language(ctx.request().getParam("lang")) != null,
        error);
  }

  /** The login form, with {@code error} (or none) above it; {@code keepLang}: the form carries lang. */
  private void form(RoutingContext ctx, int status, String lang, String tv, boolean keepLang,
      String error) {
    Map<String, String> w = WORDS.get(lang);
    StringBuilder b = new StringBuilder();
    b.append("<p>").append(w.get("intro")).append("</p>\n");
    if (error != null) b.append("    <p class=\"error\" role=\"alert\">").append(error).append("</p>\n");
    b.append("    <form method=\"post\" action=\"/login\">\n")
        .append("      <label for=\"token\">").append(w.get("label")).append("</label>\n")
        .append("      <input id=\"token\" name=\"token\" type=\"password\""
            + " autocomplete=\"current-password\" required autofocus>\n");
    if ("1".equals(tv)) b.append("      <input type=\"hidden\" name=\"tv\" value=\"1\">\n");
    if (keepLang) {
      b.append("      <input type=\"hidden\" name=\"lang\" value=\"").append(lang).append("\">\n");
    }
    b.append("      <button type=\"submit\">").append(w.get("button")).append("</button>\n")
        .append("    </form>\n")
        .append("    <p class=\"hint\">").append(w.get("hint")).append("</p>\n");
    String other = lang.equals("en") ? "zh-CN" : "en";
    String rest = kept(tv, null);
    b.append("    <p class=\"lang\"><a href=\"/login?").append(rest.isEmpty() ? "" : rest + "&")
        .append("lang=").append(other).append("\" lang=\"").append(other).append("\">")
        .append(w.get("other")).append("</a></p>");
    html(ctx, status, lang, w.get("title"), b.toString());
  }

  private void html(RoutingContext ctx, int status, String lang, String title, String body) {
    String page = template.replace("{{lang}}", lang).replace("{{title}}", title).replace("{{body}}", body);
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(page);
  }

  /** The page's language: {@code ?lang=} when it names one, else the browser's first choice. */
  static String lang(RoutingContext ctx) {
    String asked = language(ctx.request().getParam("lang"));
    if (asked != null) return asked;
    String accept = ctx.request().getHeader("Accept-Language");
    return accept != null && accept.strip().toLowerCase().startsWith("zh") ? "zh-CN" : "en";
  }

  /** A language the pages speak, from what a URL or form says, or null. */
  static String language(String asked) {
    if (asked == null) return null;
    // language tags are case-insensitive; zh-Hans or en-GB ask for ours as the page reads them
    String a = asked.toLowerCase(Locale.ROOT);
    if (a.equals("en") || a.startsWith("en-")) return "en";
    if (a.equals("zh") || a.startsWith("zh-")) return "zh-CN";
    return null;
  }

  /**
   * The query a dashboard URL keeps through the login: {@code tv=1} and a known {@code lang},
   * nothing else (so nothing a stranger wrote reaches a page); empty when neither.
   */
  static String kept(String tv, String lang) {
    StringBuilder q = new StringBuilder();
    if ("1".equals(tv)) q.append("tv=1");
    String l = language(lang);
    if (l != null) q.append(q.length() > 0 ? "&" : "").append("lang=").append(l);
    return q.toString();
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
      String accept = ctx.request().getHeader("Accept");
      if (accept == null || !accept.contains("text/html")) {
        Errors.send(ctx, 403, "this kiosk link is not valid (used or expired)");
        return;
      }
      // a screen opening it reads why, in its language first and then the other
      String lang = lang(ctx);
      StringBuilder b = new StringBuilder();
      for (String l : lang.equals("en") ? new String[] {"en", "zh-CN"} : new String[] {"zh-CN", "en"}) {
        b.append("<p class=\"error\" lang=\"").append(l).append("\">").append(WORDS.get(l).get("kiosk"))
            .append(" <a href=\"/login?").append(kept("1", l)).append("\">")
            .append(WORDS.get(l).get("signIn")).append("</a></p>\n    ");
      }
      html(ctx, 403, lang, WORDS.get(lang).get("kioskTitle"), b.toString().strip());
      return;
    }
    if (viewToken != null) setCookie(ctx);
    redirect(ctx, "/?" + kept("1", ctx.request().getParam("lang")));
  }

  private void setCookie(RoutingContext ctx) {
    ctx.response().addCookie(AdminSession.cookie(ctx, Auth.VIEW_COOKIE, cookieValue, 400L * 24 * 3600));
  }

  private static void redirect(RoutingContext ctx, String to) {
    ctx.response().setStatusCode(303).putHeader("Location", to).end();
  }
}
