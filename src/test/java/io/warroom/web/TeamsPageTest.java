package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * Section 14 on the page, in headless Chromium: each alert names its owner team and what to do
 * (the seed plan's risk response) in both languages; annotations show as markers on the charts,
 * with their text on hover and as labels in TV mode, and follow the stream.
 */
@ExtendWith(VertxExtension.class)
class TeamsPageTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 15, 42, 30, 0, SeedPlan.ZONE);
  static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void alertsShowTheirOwnerAndRunbookAndAnnotationsAreMarkedOnTheCharts(Vertx vertx) {
    // The server first, so its start does not compete with the browser's for the CPU.
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
        Browser b = Browser.start(1920, 1080)) {
      String ts = NOW.toInstant().toString();
      StringBuilder body = new StringBuilder("{\"type\":\"visit\",\"id\":\"v1\",\"ts\":\"" + ts
          + "\",\"channel\":\"tmall\",\"sessions\":1000}\n");
      for (int i = 0; i < 20; i++) {
        body.append("{\"type\":\"order\",\"id\":\"o").append(i).append("\",\"ts\":\"").append(ts)
            .append("\",\"customerId\":\"c").append(i).append("\",\"amount\":100,\"channel\":\"tmall\"}\n");
      }
      assertEquals(200, app.post("/api/v1/events", "application/x-ndjson", body.toString()).statusCode());
      // 20 orders in 1,000 sessions: conversion 2 %, under conversion-low's 2.4 % (critical).
      String row = "[data-id=alerts] [data-key=conversion-low-1]";

      b.open(Dash.url(app, "?lang=zh-CN"));
      b.waitFor(WAIT, () -> !b.driver.findElements(By.cssSelector(row)).isEmpty()
          && !b.text(row + " [data-field=owner]").isEmpty(), () -> "the alert row with its owner");
      assertEquals("data", b.attr(row, "data-owner"));
      assertEquals("负责：数据分析", b.text(row + " [data-field=owner]"));
      assertEquals("应对：差异化服务、加强品牌故事、提升用户体验", b.text(row + " [data-field=runbook]"));
      b.script("document.querySelector('[data-lang=en]').click()");
      b.waitFor(WAIT, () -> b.text(row + " [data-field=owner]").equals("Owner: Data analysis"),
          () -> b.text(row + " [data-field=owner]"));
      assertEquals("Do: Differentiated service, a stronger brand story, a better user experience",
          b.text(row + " [data-field=runbook]"));

      // An annotation at 14:00 today, posted while the page is open: drawn on both charts.
      String at = NOW.withHour(14).withMinute(0).withSecond(0).toOffsetDateTime().toString();
      var r = TestApp.await(app.client.post("/api/v1/annotations")
          .putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer("{\"ts\":\"" + at + "\",\"text\":\"直播开始\",\"tags\":[\"live\"]}")));
      assertEquals(201, r.statusCode(), r.bodyAsString());
      String id = String.valueOf(r.bodyAsJsonObject().getLong("id"));
      for (String chart : List.of("cumulative", "hourly")) {
        String mark = "[data-id=" + chart + "] .mark[data-annotation='" + id + "']";
        b.waitFor(WAIT, () -> !b.driver.findElements(By.cssSelector(mark))
            .isEmpty(), () -> "a marker on " + chart);
        assertEquals("直播开始 (live)", b.attr(mark, "title"));
      }
      // On the hourly chart it stands between the 13:00 and 14:00 bars' centres, at 13.5.
      double left = ((Number) b.script("return parseFloat(document.querySelector("
          + "\"[data-id=hourly] .mark\").style.left)")).doubleValue();
      double expected = ((Number) b.script("const u = document.querySelector('[data-id=hourly] .u-over');"
          + "return u.getBoundingClientRect().width * (13.5 + 0.6) / 24.2;")).doubleValue();
      assertTrue(Math.abs(left - expected) < 2, left + " vs " + expected);

      // TV mode: the text as a label; a deletion removes the markers.
      b.open(Dash.url(app, "?lang=zh-CN&tv=1"));
      String label = "[data-id=cumulative] .mark[data-annotation='" + id + "'] .mark-label";
      b.waitFor(WAIT, () -> !b.driver.findElements(By.cssSelector(label))
          .isEmpty(), () -> "a label in TV mode");
      assertEquals("直播开始", b.text(label));
      // drawn in the page's CJK web font, not the chart's system fonts (no CJK font on Debian)
      assertTrue(((String) b.script("return getComputedStyle(document.querySelector(arguments[0])).fontFamily",
          label)).startsWith("\"Noto Sans SC\""), label);
      // A second one two minutes later: the labels never overlap (a second row, or hidden).
      String later = NOW.withHour(14).withMinute(2).withSecond(0).toOffsetDateTime().toString();
      var r2 = TestApp.await(app.client.post("/api/v1/annotations")
          .putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer("{\"ts\":\"" + later + "\",\"text\":\"第二轮直播开始\"}")));
      assertEquals(201, r2.statusCode(), r2.bodyAsString());
      for (String chart : List.of("cumulative", "hourly")) {
        b.waitFor(WAIT, () -> b.driver.findElements(By.cssSelector("[data-id=" + chart + "] .mark-label")).size() == 2,
            () -> "two labels on " + chart);
        Object overlaps = b.script("const ls = [...document.querySelectorAll(arguments[0])]"
            + ".filter((l) => !l.hidden).map((l) => l.getBoundingClientRect());"
            + "const over = (a, c) => a.left < c.right && c.left < a.right && a.top < c.bottom && c.top < a.bottom;"
            + "const chart = document.querySelector(arguments[1]).getBoundingClientRect();"
            + "return ls.some((a, i) => ls.some((c, j) => i < j && over(a, c)))"
            + " || ls.some((a) => a.left < chart.left || a.right > chart.right);",
            "[data-id=" + chart + "] .mark-label", "[data-id=" + chart + "] .u-over");
        assertEquals(false, overlaps, chart);
      }
      // The hourly chart places a moment by the plan zone's minute: 02:30 in Kolkata (UTC+5:30)
      // is half past two there, though it is on the hour in UTC.
      Object minute = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
          + "import('./js/format.js').then((m) => done(m.zoned(Date.parse('2026-12-05T02:30:00+05:30'), 'Asia/Kolkata').minute));");
      assertEquals(30L, ((Number) minute).longValue());
      assertEquals(204, TestApp.await(app.client.delete("/api/v1/annotations/" + id).send())
          .statusCode());
      assertEquals(204, TestApp.await(app.client.delete("/api/v1/annotations/"
          + r2.bodyAsJsonObject().getLong("id")).send()).statusCode());
      b.waitFor(WAIT, () -> b.driver.findElements(By.cssSelector(".mark"))
          .isEmpty(), () -> "markers gone");
      assertTrue(b.console().stream().noneMatch(e -> e.getLevel().getName().equals("SEVERE")),
          b.console().toString());
    }
  }
}
