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
import io.warroom.plan.Plan.Week;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The phases widget in the real browser shows each milestone's status from the snapshot as
 * `data-status` (CONTRACT section 8), never a tick because a date has passed.
 */
@ExtendWith(VertxExtension.class)
class PhasesWidgetTest {
  static final Plan PLAN = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 15, 0, 0, 0, SeedPlan.ZONE);
  static final Duration LOAD = Duration.ofSeconds(10);
  Browser b;
  TestApp app;

  @AfterEach
  void stop() {
    if (b != null) b.close();
    if (app != null) app.close();
  }

  List<String> statuses() {
    return b.driver.findElements(By.cssSelector("[data-id=phases] .milestone")).stream()
        .map(e -> e.getDomAttribute("data-status")).toList();
  }

  /** What of each week a screen shows: its owner's text, its activities' texts and how many milestones. */
  static final String SHOWN_TEXTS = """
      return [...document.querySelectorAll('[data-id=phases] .phase')].map((w) => ({
        owner: w.querySelector('.phase-owner').textContent,
        acts: [...w.querySelectorAll('.phase-acts li')].filter((li) => !li.hidden)
          .map((li) => li.textContent).join(' · '),
        milestones: [...w.querySelectorAll('.milestone')].filter((m) => !m.hidden && m.getClientRects().length).length,
      }));""";

  /** A week's box as laid out: each shown element's class, top, bottom, width and text. */
  static final String WEEK_LAYOUT = """
      const week = document.querySelectorAll('[data-id=phases] .phase')[arguments[0]];
      const lines = [];
      const walk = (e, depth) => {
        if (e !== week && e.offsetParent === null) return;
        const r = e.getBoundingClientRect();
        lines.push(' '.repeat(depth) + e.className + ' ' + Math.round(r.top) + '-' + Math.round(r.bottom)
          + ' w' + Math.round(r.width) + (e.children.length ? '' : ' ' + e.textContent));
        for (const c of e.children) walk(c, depth + 1);
      };
      walk(week, 0);
      return lines.join('\\n');""";

  /**
   * The seed plan on the wall at 1366x768, 1920x1080 and 3840x2160, in both languages, with the
   * month's revenue at ¥10,669,151 (four digits of 万): every week shows its owner whole, its
   * activities (at least on one joined line) and every one of its milestones. (A figure given to
   * the cent because it is a cent short is wider: aWeekTooFull... covers what gives way then.)
   */
  @Test
  void everyWeekShowsItsOwnerActivitiesAndEveryMilestone(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    JsonArray records = new JsonArray();
    for (int i = 0; i < 749; i++) {
      records.add(new JsonObject().put("type", "order").put("id", "o" + i)
          .put("ts", "2026-11-17T10:00:00+08:00").put("customerId", "c" + i)
          .put("amount", i == 0 ? new BigDecimal("10594351") : BigDecimal.valueOf(100)).put("channel", "tmall"));
    }
    assertEquals(200, app.post("/api/v1/events", "application/json", records.encode()).statusCode());
    for (int[] size : new int[][] {{1366, 768}, {1920, 1080}, {3840, 2160}}) {
      b = Browser.start(size[0], size[1]);
      for (String lang : List.of("zh-CN", "en")) {
        b.open(Dash.url(app, "?tv=1&lang=" + lang));
        b.waitFor(LOAD, () -> statuses().size() == 5 && "loaded".equals(b.script("return document.fonts.status")),
            () -> String.valueOf(statuses()));
        Browser.settle(1200); // the fitting settled after the fonts
        List<Map<String, Object>> weeks = (List<Map<String, Object>>) b.script(SHOWN_TEXTS);
        for (int i = 0; i < PLAN.weeks().size(); i++) {
          Week w = PLAN.weeks().get(i);
          String at = size[0] + "x" + size[1] + " " + lang + " week " + (i + 1);
          assertEquals("·\u00a0" + w.owner().in(lang), weeks.get(i).get("owner"), at);
          String acts = (String) weeks.get(i).get("acts");
          assertEquals(w.activities().stream().map(a -> a.in(lang)).collect(Collectors.joining(" · ")),
              acts, at + ": every activity, one by one or joined");
          int week = i;
          assertEquals(w.milestones().size(), ((Number) weeks.get(i).get("milestones")).intValue(),
              () -> at + ": every milestone shown\n" + b.script(WEEK_LAYOUT, week));
        }
        assertEquals(lang.equals("zh-CN") ? "¥1,066.92万 ≥ ¥1,200万" : "¥10.67M ≥ ¥12M", b.text(WEEK4_FIGURE),
            size[0] + "x" + size[1] + " " + lang);
      }
      b.close();
      b = null;
    }
  }

  /**
   * Per shown week of the phases panel: its owner's text, each milestone's data-status and whether
   * it is shown, and what is cut: any text element reaching out of its week's box (or the panel),
   * taller or wider than its own box (an ellipsis allowed only with the whole text as its title),
   * or the count line of hidden milestones wrapping to a second line.
   */
  static final String CLIPPED = """
      const panel = document.querySelector('[data-id=phases]');
      const pr = panel.getBoundingClientRect();
      const problems = [];
      const inside = (e, box) => {
        const b = e.getBoundingClientRect();
        return b.top >= box.top - 0.5 && b.left >= box.left - 0.5 && b.bottom <= box.bottom + 0.5 && b.right <= box.right + 0.5;
      };
      const cut = (e) => {
        const ellipsis = getComputedStyle(e).textOverflow === 'ellipsis' && e.title !== '' ;
        return (e.scrollHeight > e.clientHeight + 1 && getComputedStyle(e).overflowY !== 'visible')
          || (e.scrollWidth > e.clientWidth + 1 && !ellipsis);
      };
      for (const e of panel.querySelectorAll('.panel-head *')) {
        if (e.getClientRects().length && (!inside(e, pr) || cut(e))) problems.push('head cut: ' + e.textContent);
      }
      const weeks = [...panel.querySelectorAll('.phase')].filter((li) => li.getClientRects().length).map((li) => {
        const r = li.getBoundingClientRect();
        const box = { top: r.top + li.clientTop, left: r.left + li.clientLeft };
        box.bottom = box.top + li.clientHeight;
        box.right = box.left + li.clientWidth;
        const title = li.querySelector('.phase-title').textContent;
        if (!inside(li, pr)) problems.push(title + ': box out of the panel');
        if (li.scrollHeight > li.clientHeight + 1) problems.push(title + ': box overflows');
        for (const e of li.querySelectorAll('*')) {
          if (!e.getClientRects().length || e.textContent === '') continue;
          if (!inside(e, box)) problems.push(title + ': clipped ' + e.className + ' ' + e.textContent);
          if (cut(e)) problems.push(title + ': cut ' + e.className + ' ' + e.textContent);
        }
        const more = li.querySelector('.ms-more');
        if (more.getClientRects().length) {
          const lh = parseFloat(getComputedStyle(more).lineHeight) || parseFloat(getComputedStyle(more).fontSize) * 1.4;
          if (more.getBoundingClientRect().height > lh * 1.5) problems.push(title + ': count line wraps ' + more.textContent);
          if (more.scrollWidth > more.clientWidth + 1 && more.title.indexOf(more.textContent) < 0) problems.push(title + ': count line cut without its text in the title');
        }
        const marks = [...li.querySelectorAll('.milestone')];
        const dates = li.querySelector('.phase-dates');
        return {
          owner: li.querySelector('.phase-owner').textContent,
          datesShown: dates.getClientRects().length > 0 && dates.scrollWidth <= dates.clientWidth + 1,
          statuses: marks.map((m) => m.getAttribute('data-status')),
          shown: marks.map((m) => m.getClientRects().length > 0 && m.querySelector('.ms-status').getClientRects().length > 0),
          counted: more.getClientRects().length > 0 ? more.textContent : null,
        };
      });
      return { weeks, problems };""";

  /**
   * A December plan of five weeks (12/1–7, 8–14, 15–21, 22–28, 29–31) on the wall at 1366x768,
   * 1920x1080 and 3840x2160 in both languages: five boxes in one row, each with its owner and
   * dates and every milestone with its status shown (at 1366x768 the last ones may be counted by
   * status on the last line), and no text in the panel cut or clipped (that count line keeps to
   * one line).
   */
  @Test
  @SuppressWarnings("unchecked")
  void aPlanOfFiveWeeksShowsEveryWeeksOwnerAndMilestoneStatusesWithNothingClipped(Vertx vertx) {
    Plan dec = SeedPlan.forMonth(LocalDate.of(2026, 12, 1));
    app = TestApp.deploy(vertx, Config.defaults(), dec,
        new MutableClock(ZonedDateTime.of(2026, 12, 18, 15, 0, 0, 0, SeedPlan.ZONE).toInstant()));
    JsonObject plan = app.get("/api/v1/plan").bodyAsJsonObject();
    JsonArray weeks = plan.getJsonArray("weeks");
    JsonObject fifth = weeks.getJsonObject(3).copy().put("start", "2026-12-29")
        .put("owner", new JsonObject().put("zh-CN", "销售运营").put("en", "Sales Operations"))
        .put("milestones", new JsonArray().add(ms("年终复盘报告提交", "Year-end review submitted", null, null, null, null)));
    weeks.getJsonObject(3).put("end", "2026-12-29");
    weeks.add(fifth);
    var put = TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
        .sendBuffer(plan.toBuffer()));
    assertEquals(200, put.statusCode(), put.bodyAsString());
    List<List<String>> expected = app.kpis().getJsonArray("phases").stream().map(JsonObject.class::cast)
        .map(p -> p.getJsonArray("milestones").stream().map(m -> ((JsonObject) m).getString("status")).toList())
        .toList();
    assertEquals(List.of(1, 1, 1, 2, 1), expected.stream().map(List::size).toList());
    JsonArray owners = app.get("/api/v1/plan").bodyAsJsonObject().getJsonArray("weeks");
    for (int[] size : new int[][] {{1366, 768}, {1920, 1080}, {3840, 2160}}) {
      b = Browser.start(size[0], size[1]);
      for (String lang : List.of("zh-CN", "en")) {
        String where = size[0] + "x" + size[1] + " " + lang;
        b.open(Dash.url(app, "?tv=1&lang=" + lang));
        b.waitFor(LOAD, () -> statuses().size() == 6 && "loaded".equals(b.script("return document.fonts.status")),
            () -> where + " " + statuses());
        Browser.settle(1200); // the fitting settled after the fonts
        Map<String, Object> got = (Map<String, Object>) b.script(CLIPPED);
        assertEquals(List.of(), got.get("problems"), where);
        List<Map<String, Object>> shown = (List<Map<String, Object>>) got.get("weeks");
        assertEquals(5, shown.size(), where + ": five boxes");
        for (int i = 0; i < 5; i++) {
          Map<String, Object> w = shown.get(i);
          String at = where + " week " + (i + 1);
          assertEquals("·\u00a0" + owners.getJsonObject(i).getJsonObject("owner").getString(lang), w.get("owner"), at);
          assertEquals(Boolean.TRUE, w.get("datesShown"), at + ": dates");
          assertEquals(expected.get(i), w.get("statuses"), at + ": data-status");
          int week = i;
          List<Boolean> flags = (List<Boolean>) w.get("shown");
          // at 1366x768 a box of 100 px may count its last milestone by status on its one-line last line
          assertTrue(flags.stream().allMatch(x -> x) || size[0] == 1366 && flags.get(0) && w.get("counted") != null,
              () -> at + ": every milestone's status shown " + w + "\n" + b.script(WEEK_LAYOUT, week));
        }
      }
      b.close();
      b = null;
    }
  }

  /**
   * A plan of eight weeks (up to 60 are allowed) shows five boxes: the current week, the one
   * before and the ones after; the rest counted in the panel's head with their weeks in its title.
   */
  @Test
  @SuppressWarnings("unchecked")
  void aLongPlanShowsTheCurrentWeekAndItsNeighboursAndCountsTheRest(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 12, 1)),
        new MutableClock(ZonedDateTime.of(2026, 12, 18, 15, 0, 0, 0, SeedPlan.ZONE).toInstant()));
    JsonObject plan = app.get("/api/v1/plan").bodyAsJsonObject();
    JsonArray seed = plan.getJsonArray("weeks");
    JsonArray weeks = new JsonArray();
    for (int i = 0; i < 8; i++) {
      LocalDate start = LocalDate.of(2026, 12, 1).plusDays(4L * i);
      weeks.add(seed.getJsonObject(i % 4).copy().put("start", start.toString())
          .put("end", (i == 7 ? LocalDate.of(2027, 1, 1) : start.plusDays(4)).toString()));
    }
    plan.put("weeks", weeks);
    var put = TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
        .sendBuffer(plan.toBuffer()));
    assertEquals(200, put.statusCode(), put.bodyAsString());
    b = Browser.start(1920, 1080);
    for (String lang : List.of("en", "zh-CN")) {
      b.open(Dash.url(app, "?tv=1&lang=" + lang));
      b.waitFor(LOAD, () -> statuses().size() == 10 && "loaded".equals(b.script("return document.fonts.status")),
          () -> lang + " " + statuses());
      Browser.settle(1200);
      // week 5 (12/17–21) is the current one: weeks 4 to 8 shown, 1 to 3 counted
      b.waitFor(LOAD, () -> Boolean.TRUE.equals(b.script(
          "return document.querySelector('[data-id=phases] .phase:nth-child(5)').getAttribute('data-phase') === 'current'")),
          () -> "current");
      List<Object> shown = (List<Object>) b.script("""
          return [...document.querySelectorAll('[data-id=phases] .phase')].map((li, i) => li.getClientRects().length ? i + 1 : 0)
            .filter((x) => x);""");
      assertEquals(List.of(4L, 5L, 6L, 7L, 8L), shown, lang);
      assertEquals(lang.equals("en") ? "+3 more weeks" : "另有 3 周", b.text("[data-id=phases] .phase-fold"));
      String title = b.attr("[data-id=phases] .phase-fold", "title");
      assertTrue(title.startsWith(lang.equals("en") ? "Week 1 Dec 1–4" : "第 1 周 12/1–4"), title);
      assertEquals(List.of(), ((Map<String, Object>) b.script(CLIPPED)).get("problems"), lang);
    }
  }

  @Test
  void milestonesShowTheServersStatuses(Vertx vertx) {
    // 01:30 in Shanghai, still the 17th in UTC: a sign-off is dated by the plan's calendar
    ZonedDateTime night = ZonedDateTime.of(2026, 11, 18, 1, 30, 0, 0, SeedPlan.ZONE);
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(night.toInstant()));
    assertEquals(200, app.post("/api/v1/counts", "application/json", new JsonObject().put("id", "s")
        .put("ts", "2026-11-05T20:00:00+08:00").put("name", SeedPlan.LIVE_SIGNUPS).put("value", 5000).encode())
        .statusCode());
    JsonArray week3 = new JsonArray()
        .add(new JsonObject().put("type", "visit").put("id", "v").put("ts", "2026-11-16T10:00:00+08:00")
            .put("channel", "tmall").put("sessions", 100));
    for (int i = 0; i < 2; i++) {
      week3.add(new JsonObject().put("type", "order").put("id", "o" + i).put("ts", "2026-11-17T10:00:00+08:00")
          .put("customerId", "c" + i).put("amount", 100).put("channel", "tmall"));
    }
    assertEquals(200, app.post("/api/v1/events", "application/json", week3.encode()).statusCode());
    b = Browser.start(1920, 1080);
    b.open(Dash.url(app, "?lang=en"));
    // week 1's text milestone is open although its week has ended; week 2's 5,000 sign-ups are
    // met; week 3's conversion (2 %) is behind; week 4's are pending
    List<String> expected = List.of("open", "met", "behind", "pending", "pending");
    b.waitFor(LOAD, () -> expected.equals(statuses()), () -> String.valueOf(statuses()));
    assertEquals(200, app.post("/api/v1/plan/milestones", "application/json",
        "{\"week\":1,\"index\":0,\"done\":true,\"by\":\"PM\"}").statusCode());
    List<String> signed = List.of("done", "met", "behind", "pending", "pending");
    b.waitFor(LOAD, () -> signed.equals(statuses()), () -> String.valueOf(statuses()));
    b.open(Dash.url(app, "?lang=zh-CN"));
    b.waitFor(LOAD, () -> signed.equals(statuses()), () -> String.valueOf(statuses()));
    assertEquals("已达成", b.text("[data-id=phases] .phase:nth-child(2) .ms-status"));
    assertEquals("已完成", b.text("[data-id=phases] .phase:nth-child(1) .ms-status"));
    assertEquals("PM 确认于 11月18日", b.text("[data-id=phases] .phase:nth-child(1) .ms-figure"));
    // week 4's revenue milestone names its goal whole, in 万, within its box
    assertEquals("¥200.00 ≥ ¥1,200万", b.text(WEEK4_FIGURE));
    assertEquals(Boolean.TRUE, b.script(FITS, WEEK4_FIGURE));
    b.open(Dash.url(app, "?lang=en"));
    b.waitFor(LOAD, () -> "¥200.00 ≥ ¥12M".equals(b.text(WEEK4_FIGURE)), () -> b.text(WEEK4_FIGURE));
    assertEquals("signed off by PM, Nov 18", b.text("[data-id=phases] .phase:nth-child(1) .ms-figure"));
    assertEquals(Boolean.TRUE, b.script(FITS, WEEK4_FIGURE));
  }

  /**
   * Figures just short of their targets never read as reached, anywhere on the wall: revenue
   * ¥11,999,999.99 against ¥12,000,000 (in 万 both would be ¥1,200.00万, 100.0 %, ¥0 a day) and a
   * conversion of 2.996 % against 3 %, in the hero, the tiles and the milestones.
   */
  @Test
  void figuresJustShortOfTheirTargetsNeverReadAsReached(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    JsonArray records = new JsonArray().add(new JsonObject().put("type", "visit").put("id", "v")
        .put("ts", "2026-11-17T09:00:00+08:00").put("channel", "tmall").put("sessions", 25_000));
    for (int i = 0; i < 749; i++) {
      // 748 orders of 100 and one of 11,925,199.99: 11,999,999.99 in all
      records.add(new JsonObject().put("type", "order").put("id", "o" + i)
          .put("ts", "2026-11-17T10:00:00+08:00").put("customerId", "c" + i)
          .put("amount", i == 0 ? new BigDecimal("11925199.99") : BigDecimal.valueOf(100)).put("channel", "tmall"));
    }
    var answer = app.post("/api/v1/events", "application/json", records.encode());
    assertEquals(200, answer.statusCode());
    assertEquals(750, answer.bodyAsJsonObject().getInteger("accepted"));
    b = Browser.start(1920, 1080);
    String week3 = "[data-id=phases] .phase:nth-child(3) .milestone:nth-child(1) .ms-figure";
    for (String lang : List.of("zh-CN", "en")) {
      b.open(Dash.url(app, "?lang=" + lang));
      b.waitFor(LOAD, () -> "¥11,999,999.99".equals(b.text("[data-id=hero] [data-field=value]")),
          () -> b.text("[data-id=hero] [data-field=value]"));
      boolean zh = lang.equals("zh-CN");
      assertEquals(zh ? "完成 99.9%" : "99.9%", b.text("[data-id=hero] [data-field=share]"));
      assertEquals(zh ? "目标 ¥12,000,000.00" : "of target ¥12,000,000", b.text("[data-id=hero] [data-field=target]"));
      assertEquals("¥1", b.text("[data-id=hero] [data-field=perDay]"), "a cent short over the days left");
      assertEquals("2.996%", b.text("[data-kpi=conversion] [data-field=value]"));
      assertEquals(zh ? "目标 3.000%" : "Target 3.000%", b.text("[data-kpi=conversion] [data-field=target]"));
      assertEquals("¥11,999,999.99 ≥ ¥12,000,000.00", b.text(WEEK4_FIGURE));
      assertEquals(Boolean.TRUE, b.script(FITS, WEEK4_FIGURE), "the goal is not cut");
      assertEquals("2.996% ≥ 3.000%", b.text(week3));
      // the forecast alert went pending at the start and resolved with these records: the panel
      // shows its latest transition, not an older one of the history
      assertEquals("resolved", b.attr("[data-id=alerts] li[data-key='forecast-revenue-1']", "data-state"));
    }
  }

  /** A milestone on a focus target reads in its metric's unit: units whole, a share in percent. */
  @Test
  void aMilestoneOnAFocusTargetReadsInItsUnit(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    JsonObject plan = app.get("/api/v1/plan").bodyAsJsonObject();
    plan.getJsonArray("weeks").getJsonObject(2).put("milestones", new JsonArray()
        .add(new JsonObject().put("text", "A units").put("metric", "product-a-units").put("window", "campaign")
            .put("op", ">=").put("value", 3)));
    var put = TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
        .sendBuffer(plan.toBuffer()));
    assertEquals(200, put.statusCode(), put.bodyAsString());
    assertEquals(200, app.post("/api/v1/orders", "application/json", new JsonObject().put("id", "o")
        .put("ts", "2026-11-17T10:00:00+08:00").put("customerId", "c").put("amount", 300)
        .put("channel", "tmall").put("sku", "A").put("quantity", 3).encode()).statusCode());
    b = Browser.start(1920, 1080);
    b.open(Dash.url(app, "?lang=en"));
    String week3 = "[data-id=phases] .phase:nth-child(3) .milestone:nth-child(1) .ms-figure";
    b.waitFor(LOAD, () -> "3 ≥ 3".equals(b.text(week3)), () -> b.text(week3));
  }

  static final String WEEK4_FIGURE = "[data-id=phases] .phase:nth-child(4) .milestone:nth-child(1) .ms-figure";
  /** Whether the element a selector names shows its whole text (read in one script: no stale element). */
  static final String FITS = "const e = document.querySelector(arguments[0]); return e.scrollWidth <= e.clientWidth;";

  /**
   * A milestone's value and goal are short (money in units) but never look alike when they differ:
   * 11,999,999 against 12,000,000 would both round to ¥12M, and 2.996 % to 3.00 %.
   */
  @Test
  void milestoneFiguresAreShortButNeverLookMetWhenTheyAreNot(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    b = Browser.start(1280, 900);
    b.open(Dash.url(app, "?lang=en"));
    b.waitFor(LOAD, () -> statuses().size() == 5, () -> String.valueOf(statuses()));
    Object[][] cases = {
        {"revenue", 6669646.59, 12e6, "¥6.67M | ¥12M", "¥666.96万 | ¥1,200万"},
        {"revenue", 11999999, 12e6, "¥11,999,999.00 | ¥12,000,000.00", "¥11,999,999.00 | ¥12,000,000.00"},
        {"revenue", 999999, 1e6, "¥999.999k | ¥1M", "¥999,999.00 | ¥1,000,000.00"},
        {"revenue", 0, 12e6, "¥0.00 | ¥12M", "¥0.00 | ¥1,200万"},
        {"revenue", 123456789, 12e6, "¥123.46M | ¥12M", "¥1.23亿 | ¥1,200万"},
        {"aov", 302.59, 300, "¥302.59 | ¥300.00", "¥302.59 | ¥300.00"},
        {"conversion", 0.02996, 0.03, "2.996% | 3.000%", "2.996% | 3.000%"},
        {"conversion", 0.025, 0.03, "2.50% | 3.00%", "2.50% | 3.00%"},
        {"newCustomers", 10349, 17940, "10,349 | 17,940", "10,349 | 17,940"},
        // alerts: money in full, a threshold never read as crossed when it is not
        {"conversion", 0.023996, 0.024, false, "2.3996% | 2.4000%", "2.3996% | 2.4000%"},
        {"revenue", 11999960, 12e6, false, "¥11,999,960.00 | ¥12,000,000.00", "¥11,999,960.00 | ¥12,000,000.00"},
        {"revenue", 6669646.59, 12e6, false, "¥6,669,646.59 | ¥12,000,000.00", "¥666.96万 | ¥1,200.00万"},
        {"roi", 3.4, null, false, "3.40 | —", "3.40 | —"},
    };
    String js = """
        const done = arguments[arguments.length - 1];
        const cases = arguments[0];
        Promise.all([import(new URL('js/format.js', document.baseURI)),
            import(new URL('js/kpis.js', document.baseURI))]).then(([F, K]) => {
          done(['en', 'zh-CN'].map((lang) => cases.map(([id, v, g, short]) =>
              K.formatPair(F.formatter(lang, 'CNY'), id, v, g, short).join(' | '))));
        }, (e) => done(String(e)));""";
    // a row is id, value, goal[, short], en, zh
    List<List<Object>> rows = Arrays.stream(cases).map(c -> Arrays.asList(c[0], c[1],
        c[2], c.length == 6 ? c[3] : true)).toList();
    Object got = b.driver.executeAsyncScript(js, rows);
    List<String> en = Arrays.stream(cases).map(c -> (String) c[c.length - 2]).toList();
    List<String> zh = Arrays.stream(cases).map(c -> (String) c[c.length - 1]).toList();
    assertEquals(List.of(en, zh), got);
    // a table column of measured amounts keeps one precision: ¥42.00万, not a bare ¥42万
    Object cells = b.driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        import(new URL('js/format.js', document.baseURI)).then((F) => done(['en', 'zh-CN'].map((lang) =>
            [419988, 419300, 9999.4].map((v) => F.formatter(lang, 'CNY').moneyCell(v)).join(' | '))));""");
    assertEquals(List.of("¥419,988 | ¥419,300 | ¥9,999", "¥42.00万 | ¥41.93万 | ¥9,999"), cells);
  }

  /** A milestone: a text in both languages, measured when a metric is given. */
  static JsonObject ms(String zh, String en, String metric, String window, String op, Object value) {
    JsonObject m = new JsonObject().put("text", new JsonObject().put("zh-CN", zh).put("en", en));
    return metric == null ? m : m.put("metric", metric).put("window", window).put("op", op).put("value", value);
  }

  static JsonObject signedOff(String zh, String en) {
    return ms(zh, en, null, null, null, null).put("done", new JsonObject().put("by", "PM").put("at", "2026-11-07T18:00:00Z"));
  }

  /** The status words of the milestones (i18n-plan.js), by language, back to the statuses. */
  static final Map<String, Map<String, String>> WORDS = Map.of(
      "en", Map.of("met", "met", "done", "done", "on track", "on-track", "behind", "behind", "missed", "missed",
          "open", "open", "pending", "pending"),
      "zh-CN", Map.of("已达成", "met", "已完成", "done", "达标中", "on-track", "落后", "behind", "未达成", "missed",
          "待确认", "open", "未开始", "pending"));

  /**
   * Per week: every milestone's data-status and whether it is shown, the texts of the hidden ones,
   * the last line (its text and title), and what is wrong: a shown milestone (or the last line)
   * reaching out of its week's box, a figure wider than its box, a hidden milestone before a shown one.
   */
  static final String WEEKS = """
      return [...document.querySelectorAll('[data-id=phases] .phase')].map((li) => {
        const r = li.getBoundingClientRect();
        const box = { top: r.top + li.clientTop, left: r.left + li.clientLeft };
        box.bottom = box.top + li.clientHeight;
        box.right = box.left + li.clientWidth;
        const inside = (e) => {
          const b = e.getBoundingClientRect();
          return b.top >= box.top - 0.5 && b.left >= box.left - 0.5 && b.bottom <= box.bottom + 0.5 && b.right <= box.right + 0.5;
        };
        const problems = [];
        const marks = [...li.querySelectorAll('.milestone')];
        const shown = marks.map((m) => m.getClientRects().length > 0);
        marks.forEach((m, j) => {
          const text = m.querySelector('.ms-text').textContent;
          if (!shown[j]) {
            if (shown.slice(j).some((x) => x)) problems.push('hidden before a shown one: ' + text);
            return;
          }
          for (const e of [m, ...m.querySelectorAll('.ms-text, .ms-status, .ms-figure')]) {
            if (e.getClientRects().length && !inside(e)) problems.push('clipped: ' + text + ' ' + e.className);
          }
          const fig = m.querySelector('.ms-figure');
          // a value against its goal is never cut; a note without a goal (no goal yet) may end in an
          // ellipsis with its whole text as its title
          const note = !/[≥≤<>]/.test(fig.textContent) && getComputedStyle(fig).textOverflow === 'ellipsis'
            && fig.title === fig.textContent;
          if (fig.textContent && fig.scrollWidth > fig.clientWidth && !note) problems.push('figure cut: ' + fig.textContent);
        });
        const more = li.querySelector('.ms-more');
        const moreShown = !!more && more.getClientRects().length > 0;
        if (moreShown && !inside(more)) problems.push('last line clipped: ' + more.textContent);
        if (moreShown !== shown.includes(false)) problems.push('last line shown: ' + moreShown);
        return {
          statuses: marks.map((m) => m.getAttribute('data-status')),
          shown,
          hiddenTexts: marks.filter((m, j) => !shown[j]).map((m) => m.querySelector('.ms-text').textContent),
          figures: marks.filter((m, j) => shown[j]).map((m) => m.querySelector('.ms-figure').textContent),
          more: moreShown ? more.textContent : null,
          title: more ? more.title : '',
          problems,
        };
      });""";

  /**
   * A plan may give a week up to 10 milestones: weeks 1 to 3 with 9, 7 and 7 (measured ones such
   * as an AOV of ¥300.00 against ¥300.01 among them). On the TV wall at 1366x768 and 1920x1080, in
   * both languages, and after a resize, no milestone shown reaches out of its week's box, no figure
   * loses its goal, the ones that do not fit are the last, hidden whole and counted by status on a
   * last line with their texts in its title, and every milestone keeps the snapshot's status.
   */
  @Test
  void aWeekTooFullForItsMilestonesCountsTheLastOnesOnALastLineWithTheirStatuses(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    JsonObject plan = app.get("/api/v1/plan").bodyAsJsonObject();
    JsonArray weeks = plan.getJsonArray("weeks");
    weeks.getJsonObject(0).put("milestones", new JsonArray(List.of(
        ms("完成《月度市场报告》促销文案审稿", "Monthly Market Report completed; promotion copy reviewed", null, null, null, null),
        ms("首周客单价不低于300.01元", "Average order value of at least ¥300.01", "aov", "week", ">=", 300.01),
        ms("客单价不高于300.01元", "Average order value at most ¥300.01", "aov", "week", "<=", 300.01),
        ms("首周订单不少于2单", "At least 2 orders in the first week", "orders", "week", ">=", 2),
        ms("线上渠道准备就绪并完成压力测试", "Online channels ready and load-tested", null, null, null, null),
        ms("累计销售额1,200万元", "Revenue of 12,000,000 CNY so far", "revenue", "campaign", ">=", 12_000_000),
        ms("首周转化率≥3%", "Conversion of 3% in the first week", "conversion", "week", ">=", 0.03),
        signedOff("促销方案经管理层批准", "Promotion plan approved by management"),
        ms("发布会直播预约5000人观看", "5,000 sign-ups to watch the launch live stream", "counter:" + SeedPlan.LIVE_SIGNUPS,
            "campaign", ">=", 5000))));
    weeks.getJsonObject(1).put("milestones", new JsonArray(List.of(
        ms("第二周客单价不低于300.01元", "Week 2 average order value of at least ¥300.01", "aov", "week", ">=", 300.01),
        ms("新品发布会顺利举办", "New product launch event held", null, null, null, null),
        ms("第二周销售额500元", "Revenue of ¥500 in week 2", "revenue", "week", ">=", 500),
        ms("第二周订单不少于3单", "At least 3 orders in week 2", "orders", "week", ">=", 3),
        signedOff("CRM积分方案上线", "CRM loyalty-points scheme live"),
        ms("客单价不低于300元", "Average order value of at least ¥300", "aov", "week", ">=", 300),
        ms("直播预热素材全部交付", "All live-stream warm-up footage delivered", null, null, null, null))));
    weeks.getJsonObject(2).put("milestones", new JsonArray(List.of(
        ms("第三周客单价不低于300.01元", "Week 3 average order value of at least ¥300.01", "aov", "week", ">=", 300.01),
        ms("累计销售额1,200万元", "Revenue of 12,000,000 CNY so far", "revenue", "campaign", ">=", 12_000_000),
        ms("第三周至少1单", "At least 1 order in week 3", "orders", "week", ">=", 1),
        ms("社交媒体广告全部上线", "All social media ads live", null, null, null, null),
        ms("客单价不高于300.01元", "Average order value at most ¥300.01", "aov", "week", "<=", 300.01),
        ms("客户满意度调研问卷回收", "Customer satisfaction survey answers collected", null, null, null, null),
        ms("第三周转化率≥3%", "Conversion of 3% in week 3", "conversion", "week", ">=", 0.03))));
    var put = TestApp.await(app.client.put("/api/v1/plan").putHeader("Content-Type", "application/json")
        .sendBuffer(plan.toBuffer()));
    assertEquals(200, put.statusCode(), put.bodyAsString());
    JsonArray records = new JsonArray();
    for (String day : List.of("2026-11-03", "2026-11-10", "2026-11-17")) {
      records.add(new JsonObject().put("type", "visit").put("id", "v" + day).put("ts", day + "T09:00:00+08:00")
          .put("channel", "tmall").put("sessions", 100));
      for (int i = 0; i < 2; i++) {
        records.add(new JsonObject().put("type", "order").put("id", "o" + day + i).put("ts", day + "T10:00:00+08:00")
            .put("customerId", "c" + day + i).put("amount", 300).put("channel", "tmall"));
      }
    }
    assertEquals(200, app.post("/api/v1/events", "application/json", records.encode()).statusCode());
    // the snapshot's statuses, week by week
    List<List<String>> expected = app.kpis().getJsonArray("phases").stream().map(JsonObject.class::cast)
        .map(p -> p.getJsonArray("milestones").stream().map(m -> ((JsonObject) m).getString("status")).toList())
        .toList();
    assertEquals(List.of(9, 7, 7, 2), expected.stream().map(List::size).toList());
    assertEquals(List.of("open", "missed", "met", "met", "open", "missed", "missed", "done", "missed"), expected.get(0));
    assertEquals(List.of("behind", "behind", "on-track", "open", "on-track", "open", "behind"), expected.get(2));

    Map<String, List<Integer>> hiddenAt = new LinkedHashMap<>();
    for (int[] size : new int[][] {{1366, 768}, {1920, 1080}}) {
      b = Browser.start(size[0], size[1]);
      for (String lang : List.of("en", "zh-CN")) {
        b.open(Dash.url(app, "?tv=1&lang=" + lang));
        hiddenAt.put(size[0] + "x" + size[1] + " " + lang, checkWeeks(lang, expected, size[0] + "x" + size[1] + " " + lang));
      }
      if (size[0] == 1920) {
        // the wall's window shrinks: fitted again, as a page opened at that size
        b.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
            Map.of("width", 1366, "height", 768, "deviceScaleFactor", 1, "mobile", false));
        b.waitFor(LOAD, () -> Long.valueOf(1366).equals(b.script("return document.documentElement.clientWidth")), () -> "resized");
        hiddenAt.put("resized zh-CN", checkWeeks("zh-CN", expected, "resized to 1366x768 zh-CN"));
      }
      assertEquals(List.of(), Dash.consoleErrors(b, app));
      b.close();
      b = null;
    }
    // the plan is too full for the boxes: milestones are counted rather than clipped silently
    assertTrue(hiddenAt.values().stream().allMatch(h -> h.stream().mapToInt(Integer::intValue).sum() > 0), hiddenAt.toString());
    assertEquals(hiddenAt.get("1366x768 zh-CN"), hiddenAt.get("resized zh-CN"));
  }

  /** Checks the weeks of the page open now (see {@link #WEEKS}); the number of hidden milestones per week. */
  @SuppressWarnings("unchecked")
  private List<Integer> checkWeeks(String lang, List<List<String>> expected, String where) {
    Supplier<List<List<String>>> shown = () -> ((List<Map<String, Object>>) b.script(WEEKS)).stream()
        .map(w -> (List<String>) w.get("statuses")).toList();
    b.waitFor(LOAD, () -> expected.equals(shown.get()) && "loaded".equals(b.script("return document.fonts.status")),
        () -> where + ": " + shown.get());
    Browser.settle(1200); // a tick of the page after the fonts: the fitting settled
    List<Map<String, Object>> weeks = (List<Map<String, Object>>) b.script(WEEKS);
    List<Integer> hiddenCounts = new ArrayList<>();
    boolean auditFigure = false;
    for (int i = 0; i < weeks.size(); i++) {
      Map<String, Object> w = weeks.get(i);
      String at = where + " week " + (i + 1) + ": ";
      assertEquals(expected.get(i), w.get("statuses"), at + "data-status");
      assertEquals(List.of(), w.get("problems"), at + w);
      List<Boolean> shownFlags = (List<Boolean>) w.get("shown");
      Map<String, Integer> hiddenStatuses = new TreeMap<>();
      for (int j = 0; j < shownFlags.size(); j++) {
        if (!shownFlags.get(j)) hiddenStatuses.merge(expected.get(i).get(j), 1, Integer::sum);
      }
      int hidden = hiddenStatuses.values().stream().mapToInt(Integer::intValue).sum();
      hiddenCounts.add(hidden);
      auditFigure |= ((List<String>) w.get("figures")).contains("¥300.00 ≥ ¥300.01");
      String more = (String) w.get("more");
      if (hidden == 0) {
        assertEquals(null, more, at + "no last line");
        continue;
      }
      // "+4 · 2 met · 1 behind · 1 open" / "另有4项 · 已达成2 · 落后1 · 待确认1"
      String[] parts = more.split(" · ");
      Matcher head = Pattern.compile(lang.equals("en") ? "\\+(\\d+)" : "另有(\\d+)项")
          .matcher(parts[0]);
      assertTrue(head.matches(), at + more);
      assertEquals(hidden, Integer.parseInt(head.group(1)), at + more);
      Map<String, Integer> counted = new TreeMap<>();
      for (int k = 1; k < parts.length; k++) {
        Matcher m = Pattern.compile(lang.equals("en") ? "(\\d+) (\\D+)" : "(\\D+)(\\d+)")
            .matcher(parts[k]);
        assertTrue(m.matches(), at + more);
        String word = lang.equals("en") ? m.group(2) : m.group(1);
        int n = Integer.parseInt(lang.equals("en") ? m.group(1) : m.group(2));
        String status = WORDS.get(lang).get(word);
        assertTrue(status != null && !counted.containsKey(status), at + more);
        counted.put(status, n);
      }
      assertEquals(hiddenStatuses, counted, at + more);
      String title = (String) w.get("title");
      for (String text : (List<String>) w.get("hiddenTexts")) assertTrue(title.contains(text), at + title);
    }
    assertTrue(auditFigure, where + ": a ¥300.00 ≥ ¥300.01 figure is shown whole");
    return hiddenCounts;
  }

  @Test
  void thePlanPageShowsTheMarketAnalysisAndStrategiesInBothLanguages(Vertx vertx) {
    app = TestApp.deploy(vertx, Config.defaults(), PLAN, new MutableClock(NOW.toInstant()));
    b = Browser.start(1280, 900);
    for (String lang : List.of("zh-CN", "en")) {
      b.open(Dash.url(app, "?lang=" + lang).replaceFirst("/(\\?|$)", "/plan-view.html$1"));
      b.waitFor(LOAD, () -> b.driver.findElements(By.cssSelector("#strategies tbody tr")).size() == 6,
          () -> b.text("body"));
      List<String> strategies = b.driver.findElements(By.cssSelector("#strategies tbody tr td:first-child"))
          .stream().map(e -> e.getText()).toList();
      assertEquals(PLAN.strategies().stream().map(x -> x.text().in(lang)).toList(), strategies);
      List<String> market = b.driver.findElements(By.cssSelector("#market tbody tr td:first-child"))
          .stream().map(e -> e.getText()).toList();
      assertEquals(PLAN.market().stream().map(x -> x.dimension().in(lang)).toList(), market);
    }
  }
}
