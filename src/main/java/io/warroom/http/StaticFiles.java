package io.warroom.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard's files and the browser libraries from WebJars, with caching that suits each.
 * The page and its own scripts have stable names, so browsers revalidate them on every load
 * ({@code no-cache} plus Last-Modified, answered with 304 while unchanged) and an upgrade never
 * mixes old and new modules. Library files have their version in the path and never change, so
 * they are cached for a year.
 */
final class StaticFiles {
  static final String VENDOR = "/vendor/";
  private static final long YEAR_SECONDS = 365L * 24 * 3600;

  private StaticFiles() {}

  /** Mounts the WebJars the page uses and then webroot at "/", behind {@code view}. */
  static void mount(Router router, Handler<RoutingContext> view) {
    router.route(VENDOR + "uplot/*").handler(view)
        .handler(StaticHandler.create("META-INF/resources/webjars/uplot")
            .setCachingEnabled(true).setMaxAgeSeconds(YEAR_SECONDS));
    // the CJK web font, open to all: the login page needs it too
    router.route(VENDOR + "noto-sans-sc/*")
        .handler(StaticHandler.create("fonts/noto-sans-sc").setCachingEnabled(true).setMaxAgeSeconds(YEAR_SECONDS));
    router.route("/*").handler(view).handler(StaticFiles::revalidate)
        .handler(StaticHandler.create("webroot").setCachingEnabled(true).setIndexPage("index.html"));
  }

  /** The StaticHandler keeps a Cache-Control already set, so this one wins for app files. */
  private static void revalidate(RoutingContext ctx) {
    ctx.response().putHeader("Cache-Control", "no-cache");
    ctx.next();
  }
}
