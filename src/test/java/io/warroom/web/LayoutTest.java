package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * Nothing on the wall overlaps or is cut (issue 16 item 7), at 1366x768, 1920x1080 and 3840x2160,
 * in English and Chinese, in the middle of a realistic month with alerts firing and after the
 * period's end. Measured in the browser: the boxes of every two texts that are not one inside the
 * other do not intersect; no text is wider than its box unless it ends in an ellipsis with the
 * whole text as the element's title; no text reaches past the panel (or any box that clips it) or
 * the screen.
 */
@ExtendWith(VertxExtension.class)
class LayoutTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 15, 42, 0, 0, SeedPlan.ZONE);
  static final Duration WAIT = Duration.ofSeconds(15);
  static final int[][] SIZES = {{1366, 768}, {1920, 1080}, {3840, 2160}};

  /** The problems found on the page now, one line each; empty when none. */
  static final String PROBLEMS = """
      const out = [];
      const shown = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const cs = getComputedStyle(e);
          if (e.hidden || cs.display === 'none' || cs.visibility === 'hidden' || cs.opacity === '0') return false;
        }
        return el.getClientRects().length > 0;
      };
      const name = (el) => {
        const w = el.closest('[data-id]');
        return (w ? w.dataset.id + ' ' : '') + el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '')
          + (el.dataset.field ? '[' + el.dataset.field + ']' : '') + ' "' + el.textContent.trim().slice(0, 30) + '"';
      };
      // elements holding text of their own
      const texts = [];
      for (const el of document.body.querySelectorAll('*')) {
        if (['SCRIPT', 'STYLE', 'CANVAS'].includes(el.tagName)) continue;
        const mine = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim());
        if (!mine.length || !shown(el)) continue;
        const boxes = [];
        for (const n of mine) {
          const r = document.createRange();
          r.selectNodeContents(n);
          for (const b of r.getClientRects()) if (b.width > 0 && b.height > 0) boxes.push(b);
        }
        // a box that clips its own text (an ellipsis) shows only what lies inside it
        const cs = getComputedStyle(el);
        const own = cs.overflowX !== 'visible' ? el.getBoundingClientRect() : null;
        const cut = own ? boxes.map((b) => new DOMRect(Math.max(b.left, own.left), b.top, Math.min(b.right, own.right) - Math.max(b.left, own.left), b.height))
          .filter((b) => b.width > 0) : boxes;
        if (cut.length) texts.push({ el, boxes: cut });
      }
      const vw = document.documentElement.clientWidth;
      const vh = document.documentElement.clientHeight;
      for (const { el, boxes } of texts) {
        const cs = getComputedStyle(el);
        if (cs.display !== 'inline' && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1
            && !(cs.textOverflow === 'ellipsis' && el.title === el.textContent)) {
          out.push('cut: ' + name(el) + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
        }
        for (const b of boxes) {
          if (b.left < -0.5 || b.top < -0.5 || b.right > vw + 0.5 || b.bottom > vh + 0.5) out.push('off screen: ' + name(el));
          for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            const acs = getComputedStyle(a);
            if (acs.overflowX === 'visible' && acs.overflowY === 'visible') continue;
            const r = a.getBoundingClientRect();
            if (b.left < r.left - 0.5 || b.right > r.right + 0.5 || b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5) {
              out.push('clipped by ' + name(a).split(' "')[0] + ': ' + name(el));
              break;
            }
          }
        }
      }
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const x = texts[i];
          const y = texts[j];
          if (x.el.contains(y.el) || y.el.contains(x.el)) continue;
          const hit = x.boxes.some((p) => y.boxes.some((q) => Math.min(p.right, q.right) - Math.max(p.left, q.left) > 1
            && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 1));
          if (hit) out.push('overlap: ' + name(x.el) + ' / ' + name(y.el));
        }
      }
      // a panel or tile whose content reaches past its bottom (a sparkline or a table row cut off)
      for (const el of document.querySelectorAll('.panel, .tile, [data-id]')) {
        if (!shown(el) || el.clientHeight === 0 || getComputedStyle(el).overflowY === 'visible') continue;
        const inner = el.getBoundingClientRect().top + el.clientTop + el.clientHeight;
        for (const c of el.children) {
          if (!shown(c)) continue;
          const bottom = c.getBoundingClientRect().bottom;
          if (bottom > inner + 1) out.push('cut at the bottom: ' + name(c) + ' ' + Math.round(bottom - inner) + ' px');
        }
      }
      return [...new Set(out)].join('\\n');""";

  @Test
  void nothingOverlapsOrIsCutAtThreeSizesInBothLanguagesMidMonth(Vertx vertx) {
    MutableClock clock = new MutableClock(NOW.toInstant());
    MonthData month = MonthData.generate(20261118L, NOW);
    // October too: the hero and the tiles give their change against it
    MonthData october = MonthData.monthBefore(20261031L, NOW.withDayOfMonth(1).toLocalDate().atStartOfDay(SeedPlan.ZONE));
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), PLAN, clock)) {
      Dash.ingest(app, october.records);
      Dash.ingest(app, month.records);
      checkAll(app, clock, true);
    }
  }

  @Test
  void nothingOverlapsOrIsCutAtThreeSizesInBothLanguagesEarlyInTheMonth(Vertx vertx) {
    // the "expected" marker's label sits at the bar's left, under the completion line
    ZonedDateTime early = ZonedDateTime.of(2026, 11, 3, 10, 0, 0, 0, SeedPlan.ZONE);
    MutableClock clock = new MutableClock(early.toInstant());
    MonthData month = MonthData.generate(20261103L, early);
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), PLAN, clock)) {
      Dash.ingest(app, month.records);
      checkAll(app, clock, false);
    }
  }

  @Test
  void nothingOverlapsOrIsCutAtThreeSizesInBothLanguagesAfterThePeriodsEnd(Vertx vertx) {
    ZonedDateTime late = ZonedDateTime.of(2026, 11, 30, 22, 0, 0, 0, SeedPlan.ZONE);
    MutableClock clock = new MutableClock(late.toInstant());
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), PLAN, clock)) {
      JsonArray records = new JsonArray();
      for (int d = 1; d <= 30; d++) {
        records.add(WallTest.order("o-" + d, ZonedDateTime.of(2026, 11, d, 12, 0, 0, 0, SeedPlan.ZONE), "412345.67").put("type", "order"));
      }
      Dash.ingest(app, "/api/v1/events", records.encode());
      clock.advance(Duration.ofHours(3)); // Dec 1, 01:00: the period is over
      checkAll(app, clock, false);
    }
  }

  @Test
  void nothingOverlapsOrIsCutWithTwoExperimentsOnTheWall(Vertx vertx) {
    // as the demo runs them: the experiments take the hourly chart's place, the rows keep theirs
    MutableClock clock = new MutableClock(NOW.toInstant());
    MonthData month = MonthData.generate(20261118L, NOW);
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), PLAN, clock)) {
      JsonObject plan = app.get("/api/v1/plan").bodyAsJsonObject();
      plan.put("experiments", new JsonObject(ExperimentsWidgetTest.PLAN).getJsonArray("experiments"));
      var put = TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
          .sendBuffer(plan.toBuffer()));
      assertEquals(200, put.statusCode(), put.bodyAsString());
      Dash.ingest(app, month.records);
      Dash.ingest(app, "/api/v1/events", "[" + String.join(",",
          ExperimentsWidgetTest.records("2026-11-17T10:00:00Z").strip().split("\n")) + "]");
      checkAll(app, clock, false);
      try (Browser b = Browser.start(1920, 1080)) {
        b.open(Dash.url(app, "?tv=1&lang=zh-CN"));
        b.waitFor(WAIT, () -> b.driver.findElements(By.cssSelector("[data-id=experiments] .experiment"))
            .stream().filter(e -> e.isDisplayed()).count() == 2, () -> b.text("[data-id=experiments]"));
        assertTrue(!b.find("[data-id=hourly]").isDisplayed(), "the hourly chart gives way");
        assertTrue(b.find("[data-id=budget]").getSize().getHeight() > 150, "budget keeps its row");
      }
    }
  }

  private static void checkAll(TestApp app, MutableClock clock, boolean alerts) {
    List<String> found = new ArrayList<>();
    boolean first = true;
    for (int[] size : SIZES) {
      try (Browser b = Browser.start(size[0], size[1])) {
        for (String lang : List.of("en", "zh-CN")) {
          b.open(Dash.url(app, "?tv=1&lang=" + lang));
          b.waitFor(WAIT, () -> "live".equals(b.attr("[data-field=conn]", "data-state"))
              && "ready".equals(b.attr("[data-id=hourly]", "data-state"))
              && !b.text("[data-id=hero] [data-field=value]").equals("—"), () -> b.attr("[data-field=conn]", "data-state"));
          if (first && alerts) {
            // the seed plan's conversion rule fires on the month's last hour (past its 5 minutes)
            clock.advance(Duration.ofMinutes(6));
            b.waitFor(WAIT, () -> !Dash.firing(app).isEmpty(), () -> "no alert firing");
            first = false;
          }
          if (alerts) {
            b.waitFor(WAIT, () -> !b.driver.findElements(By.cssSelector("[data-id=alerts] li.alert")).isEmpty(),
                () -> "alerts shown");
          }
          Browser.settle(600); // fonts and the fitting of the alert panel
          String problems = String.valueOf(b.script(PROBLEMS));
          if (!problems.isEmpty()) found.add(size[0] + "x" + size[1] + " " + lang + ":\n" + problems);
          assertEquals(List.of(), Dash.consoleErrors(b, app));
        }
      }
    }
    assertEquals("", String.join("\n", found));
  }
}
