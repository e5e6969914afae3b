package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The page and its libraries over HTTP, with the caching each needs. */
@ExtendWith(VertxExtension.class)
class StaticFilesTest {
  static TestApp app;

  @BeforeAll
  static void start(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-18T07:00:00Z"));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void thePageAndItsScriptsAreRevalidatedOnEveryLoad() {
    for (String path : new String[] {"/", "/js/main.js", "/css/warroom.css"}) {
      HttpResponse<Buffer> r = app.get(path);
      assertEquals(200, r.statusCode(), path);
      assertEquals("no-cache", r.getHeader("Cache-Control"), path);
      String modified = r.getHeader("Last-Modified");
      assertNotNull(modified, path);
      HttpResponse<Buffer> again = TestApp.await(app.client.get(path).putHeader("If-Modified-Since", modified).send());
      assertEquals(304, again.statusCode(), path);
    }
    assertTrue(app.get("/").getHeader("Content-Type").startsWith("text/html"));
  }

  @Test
  void uplotComesFromItsWebJarAndIsCachedForAYear() throws Exception {
    // the version the page imports is the one the pom brings in
    Matcher m = Pattern.compile("vendor/uplot/([0-9.]+)/dist/uPlot\\.esm\\.js")
        .matcher(Files.readString(Path.of("webroot/js/uplot.js")));
    assertTrue(m.find());
    assertTrue(Files.readString(Path.of("webroot/index.html"))
        .contains("vendor/uplot/" + m.group(1) + "/dist/uPlot.min.css"), "index.html links another uPlot");
    HttpResponse<Buffer> r = app.get("/vendor/uplot/" + m.group(1) + "/dist/uPlot.esm.js");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("text/javascript"), r.getHeader("Content-Type"));
    assertEquals("public, immutable, max-age=31536000", r.getHeader("Cache-Control"));
    assertTrue(r.bodyAsString().contains("export { uPlot as default }"));
    assertEquals(404, app.get("/vendor/uplot/0.0.0/dist/uPlot.esm.js").statusCode());
  }
}
