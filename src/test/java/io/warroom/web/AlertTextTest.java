package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an alert card says, as the page builds it in each language: the feed's silence in minutes,
 * and an alert resolved while its value is still past the threshold (the period ended, the rule
 * changed) never "back at" that value, and a pace alert beside the figures of now (its threshold
 * follows the expected value), "back at" them while the snapshot lists it recovering.
 */
@ExtendWith(VertxExtension.class)
class AlertTextTest {
  @Test
  void cardsSayWhatTheFiguresMean(Vertx vertx) {
    try (TestApp app = TestApp.deploy(vertx, Config.defaults(), PhasesWidgetTest.PLAN,
            new MutableClock(PhasesWidgetTest.NOW.toInstant()));
        Browser b = Browser.start(1280, 900)) {
      check(app, b);
    }
  }

  private static void check(TestApp app, Browser b) {
    b.open(Dash.url(app, "?lang=en"));
    b.waitFor(Duration.ofSeconds(10), () -> !b.text("[data-id=hero] [data-field=value]").isEmpty(), () -> "no hero");
    String js = """
        const done = arguments[arguments.length - 1];
        const base = document.baseURI;
        Promise.all([import(new URL('js/format.js', base)), import(new URL('js/i18n.js', base)),
            import(new URL('js/alert-text.js', base))]).then(([F, I, A]) => {
          const plan = { alerts: [{ id: 'conversion-low', op: '<' }] };
          const alerts = [
            { rule: 'feed-stale', kpi: 'feedIdleMinutes', state: 'firing', severity: 'critical', value: 25.2, threshold: 20 },
            { rule: 'forecast-revenue', kpi: 'revenue', window: 'campaign', state: 'resolved', severity: 'warning', value: 50, threshold: 12000000 },
            { rule: 'conversion-low', kpi: 'conversion', window: 'last1h', state: 'resolved', severity: 'warning', value: 0.0275, threshold: 0.027 },
          ];
          // A pace alert fired when 108,300 was short of 80 % of 175,010.31 expected; now 128,300
          // is short of 80 % of 175,044.96: the card shows the figures of now, as its message does.
          const pace = { rule: 'pace-revenue', kpi: 'revenue', window: 'campaign', state: 'firing',
            severity: 'critical', value: 108300, threshold: 140008.25 };
          const now = { kpis: [{ id: 'revenue', value: 128300, expected: 175044.96 }] };
          // the server lists it recovering once 150,000 is past 80 % of the expected value
          const later = { kpis: [{ id: 'revenue', value: 150000, expected: 175044.96 }],
            recovering: ['pace-revenue'] };
          const en = F.formatter('en', 'CNY');
          done([...['en', 'zh-CN'].map((lang) => {
            const fmt = F.formatter(lang, 'CNY');
            const t = I.translator(lang);
            return [A.formatAlertPair(fmt, alerts[0], 25.2, 20).join(' vs '),
              ...alerts.map((a) => A.alertMessage(t, fmt, a, null, plan))];
          }), [A.formatAlertPair(en, pace, A.shownValue(pace, now), A.shownThreshold(pace, now))
              .join(' vs '), A.alertMessage(I.translator('en'), en, pace, now, plan),
            String(A.recovering(pace, now)), String(A.recovering(pace, later)),
            A.alertMessage(I.translator('en'), en, pace, later, plan)]]);
        }, (e) => done(String(e)));""";
    Object got = b.driver.executeAsyncScript(js);
    assertEquals(List.of(
        List.of("25 min vs 20 min", "No records for 25 min",
            "No longer judged (the period ended, the rule changed or too few data); last ¥50.00, threshold ¥12,000,000.00",
            "Back at 2.75% (threshold 2.70%)"),
        List.of("25分钟 vs 20分钟", "已 25分钟 没有新记录",
            "已停止判断（活动期结束、规则变更或数据不足）；最后为 ¥50.00，阈值 ¥1,200.00万",
            "已回到 2.75%（阈值 2.70%）"),
        List.of("¥128,300.00 vs ¥140,035.97", "¥128,300.00, 26.7% behind the ¥175,044.96 expected by now", "false", "true",
            "Back at ¥150,000.00 (threshold ¥140,035.97)")), got);
  }
}
