package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.warroom.Config;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wall tells one truth in both languages (issue 16): the CJK web font, statuses from the
 * snapshot only, alerts that read at a distance, the end of the period. One browser for the class,
 * a server per test, its clock set.
 */
class WallTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 15, 42, 30, 0, SeedPlan.ZONE);
  static final Duration LOAD = Duration.ofSeconds(10);

  /**
   * The page's Chinese characters (U+2E80 and up) and the faces of the served font: how many faces
   * cover a character shown, how many of those are loaded, how many faces are loaded at all, and
   * the characters no face covers.
   */
  static final String FONT_FACTS = """
      const cps = new Set([...document.body.innerText].map((c) => c.codePointAt(0)).filter((c) => c >= 0x2e80));
      const faces = [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === 'Noto Sans SC');
      const covers = (f, cp) => f.unicodeRange.split(',').some((r) => {
        const [a, b] = r.trim().slice(2).split('-').map((x) => parseInt(x, 16));
        return cp >= a && cp <= (b ?? a);
      });
      const needed = faces.filter((f) => [...cps].some((cp) => covers(f, cp)));
      return { chars: cps.size, faces: faces.length, needed: needed.length,
        neededLoaded: needed.filter((f) => f.status === 'loaded').length,
        loaded: faces.filter((f) => f.status === 'loaded').length,
        uncovered: [...cps].filter((cp) => !faces.some((f) => covers(f, cp))).map((c) => String.fromCodePoint(c)).join(''),
        requested: performance.getEntriesByType('resource').filter((r) => r.name.includes('/vendor/noto-sans-sc/')
          && r.name.endsWith('.woff2')).length };
      """;

  static Browser b;
  TestApp app;

  @BeforeAll
  static void browser() {
    b = Browser.start(1920, 1080);
  }

  @AfterAll
  static void closeBrowser() {
    if (b != null) b.close();
  }

  @AfterEach
  void stopServer() {
    b.open("about:blank");
    b.console();
    if (app != null) app.close();
  }

  private void start(Plan plan, ZonedDateTime now) {
    app = TestApp.start(Config.defaults(), plan, new MutableClock(now.toInstant()));
  }

  private void load(String query) {
    b.open(Dash.url(app, query));
    b.waitFor(LOAD, () -> "live".equals(b.attr("[data-field=conn]", "data-state"))
        && !b.text("[data-field=name]").equals("warroom"), () -> b.attr("[data-field=conn]", "data-state"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fontFacts() {
    return (Map<String, Object>) b.script(FONT_FACTS);
  }

  @Test
  void chineseDrawsInTheServedWebFontAndTheEnglishPageLoadsOnlyTheFacesOfItsChineseCharacters() {
    start(PLAN, NOW);
    // the font is served from the jar to anyone (the login page needs it), cached for a year
    var css = app.get("/vendor/noto-sans-sc/5.3.0/noto-sans-sc.css");
    assertEquals(200, css.statusCode());
    String file = css.bodyAsString().replaceAll("(?s).*?url\\((files/[^)]+\\.woff2)\\).*", "$1");
    var woff2 = app.get("/vendor/noto-sans-sc/5.3.0/" + file);
    assertEquals(200, woff2.statusCode(), file);
    assertEquals("font/woff2", woff2.getHeader("Content-Type"));
    assertTrue(woff2.getHeader("Cache-Control").contains("max-age=31536000"), woff2.getHeader("Cache-Control"));
    // Latin text never asks for a Chinese face
    var ranges = java.util.regex.Pattern.compile("unicode-range: ([^;]+);").matcher(css.bodyAsString());
    int faces = 0;
    while (ranges.find()) {
      faces++;
      for (String r : ranges.group(1).split(",")) {
        int first = Integer.parseInt(r.strip().substring(2).split("-")[0], 16);
        assertTrue(first >= 0x2E80, "a face covers " + r);
      }
    }
    assertTrue(faces > 50, "faces: " + faces);

    load("?lang=zh-CN");
    b.waitFor(LOAD, () -> {
      Map<String, Object> f = fontFacts();
      // every face of a character shown is loaded, and only those
      return ((Long) f.get("needed")) > 0 && f.get("needed").equals(f.get("neededLoaded"))
          && f.get("needed").equals(f.get("loaded"));
    }, () -> fontFacts().toString());
    Map<String, Object> zh = fontFacts();
    assertEquals("", zh.get("uncovered"), zh.toString());
    assertTrue((Long) zh.get("chars") > 50, zh.toString());

    // a fresh page in English: only the faces of 中文 on the language button
    b.open("about:blank");
    load("?lang=en");
    b.waitFor(LOAD, () -> {
      Map<String, Object> f = fontFacts();
      return f.get("needed").equals(f.get("neededLoaded")) && f.get("needed").equals(f.get("loaded"));
    }, () -> fontFacts().toString());
    Map<String, Object> en = fontFacts();
    assertEquals(2L, en.get("chars"), en.toString());
    assertEquals(en.get("needed"), en.get("loaded"), en.toString());
    assertEquals(en.get("needed"), en.get("requested"), en.toString());
    assertTrue((Long) en.get("needed") <= 2, en.toString());
    assertEquals(List.of(), Dash.consoleErrors(b, app));
  }

  static JsonObject order(String id, ZonedDateTime ts, String amount) {
    return new JsonObject().put("id", id).put("ts", ts.toOffsetDateTime().toString()).put("customerId", "c-" + id)
        .put("amount", new java.math.BigDecimal(amount)).put("channel", "tmall");
  }
}
