package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every Chinese character on every page is drawn with the served web font, never as a box by a
 * system font (Debian screens have no CJK fonts): Chromium says, per element, how many glyphs
 * each font drew (CSS.getPlatformFontsForNode).
 */
@ExtendWith(VertxExtension.class)
class GlyphsTest {
  /** Marks each shown element whose own text holds Chinese; returns how many. */
  static final String MARK = """
      let n = 0;
      for (const el of document.querySelectorAll('body *')) {
        el.removeAttribute('data-glyph');
        if (!el.getClientRects().length) continue;
        let cjk = 0;
        for (const t of el.childNodes) {
          if (t.nodeType === 3) for (const c of t.nodeValue) if (c.codePointAt(0) >= 0x2e80) cjk++;
        }
        if (cjk) { el.setAttribute('data-glyph', String(n++)); el.dataset.cjk = String(cjk); }
      }
      return n;
      """;

  @Test
  void chineseIsDrawnWithTheWebFontOnEveryPage(Vertx vertx) {
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-18T15:42:30+08:00"));
        Browser b = Browser.start(1366, 768)) {
      String root = "http://127.0.0.1:" + app.port + "/";
      for (String page : List.of("?lang=en", "?lang=zh-CN", "report.html?lang=zh-CN",
          "api/v1/report?format=html&lang=zh-CN", "plan-view.html?lang=zh-CN", "plan.html?lang=zh-CN")) {
        drawnWithTheWebFont(b, root + page);
      }
    }
    // the login page shows where a token is asked for
    try (TestApp app = TestApp.deploy(vertx, Config.defaults().withTokens(List.of(), null,
        "view-token-0123456789"), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-18T15:42:30+08:00"));
        Browser b = Browser.start(1366, 768)) {
      drawnWithTheWebFont(b, "http://127.0.0.1:" + app.port + "/login?lang=zh-CN");
    }
  }

  static void drawnWithTheWebFont(Browser b, String url) {
    b.open(url);
    List<String> boxes = new ArrayList<>();
    b.waitFor(Duration.ofSeconds(15), () -> {
      boxes.clear();
      boxes.addAll(withoutTheWebFont(b));
      return boxes.isEmpty() && ((Number) b.script(MARK)).intValue() > 0;
    }, () -> url + ": drawn without the web font: " + boxes);
  }

  /** The texts of marked elements whose Chinese characters the web font did not all draw. */
  @SuppressWarnings("unchecked")
  static List<String> withoutTheWebFont(Browser b) {
    int n = ((Number) b.script(MARK)).intValue();
    b.driver.executeCdpCommand("DOM.enable", Map.of());
    b.driver.executeCdpCommand("CSS.enable", Map.of());
    Map<String, Object> doc = b.driver.executeCdpCommand("DOM.getDocument", Map.of("depth", 0));
    Object rootId = ((Map<String, Object>) doc.get("root")).get("nodeId");
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Object id = b.driver.executeCdpCommand("DOM.querySelector",
          Map.of("nodeId", rootId, "selector", "[data-glyph=\"" + i + "\"]")).get("nodeId");
      if (id == null || ((Number) id).intValue() == 0) continue;
      List<Map<String, Object>> fonts = (List<Map<String, Object>>) b.driver
          .executeCdpCommand("CSS.getPlatformFontsForNode", Map.of("nodeId", id)).get("fonts");
      long web = 0;
      for (Map<String, Object> f : fonts) {
        if (Boolean.TRUE.equals(f.get("isCustomFont"))) web += ((Number) f.get("glyphCount")).longValue();
      }
      String cjk = (String) b.script("return document.querySelector('[data-glyph=\"" + i + "\"]').dataset.cjk");
      if (web < Long.parseLong(cjk)) {
        bad.add(b.script("return document.querySelector('[data-glyph=\"" + i + "\"]').textContent.trim().slice(0, 30)")
            + " " + fonts);
      }
    }
    return bad;
  }
}
