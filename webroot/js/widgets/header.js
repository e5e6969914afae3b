// Plan name and period, day N of M, elapsed share, the clock in the plan's zone, the connection
// state (live, reconnecting, stale with the age of the last update), and the critical-alert banner.
import { alertTitle } from '../alert-text.js';
import { attr, fields, hidden, style, text, touches } from '../dom.js';
import { daysBetween, zoned } from '../format.js';
import { forTeam } from './team.js';

/** Live but no snapshot for this long: the server pushes at least once a minute. */
const STALE_MS = 90_000;

export function create(el) {
  const f = fields(el);
  return {
    update(s, changed) {
      const { t, fmt } = s;
      const snap = s.snapshot;
      const plan = snap?.plan;
      const now = s.serverNow();
      if (plan) {
        const tz = plan.timezone;
        if (touches(changed, 'snapshot', 'plan')) {
          text(f.name, t.text(plan.name) || plan.id);
          const title = (t.text(plan.name) || plan.id) + ' · warroom';
          if (document.title !== title) document.title = title;
          const lastDay = new Date(Date.parse(plan.end + 'T00:00:00Z') - 86_400_000).toISOString().slice(0, 10);
          text(f.period, `${fmt.day(plan.start)} – ${fmt.day(lastDay)}`);
          text(f.elapsed, t('elapsed', { p: fmt.pctShort(plan.elapsed, 1) }));
          style(f.elapsedBar, 'transform', `scaleX(${Math.round(plan.elapsed * 1000) / 1000})`);
        }
        const today = zoned(now, tz).date;
        const m = daysBetween(plan.start, plan.end);
        const n = daysBetween(plan.start, today) + 1;
        text(f.day, n < 1 ? t('notStarted', { d: fmt.day(plan.start) }) : n > m ? t('ended') : t('day', { n, m }));
        const ended = plan.elapsed >= 1;
        text(f.time, ended ? t('periodEnded', { d: fmt.day(lastDayOf(plan)) }) : fmt.time(now, tz));
        text(f.zone, ended ? '' : fmt.zone(now, tz));
        attr(f.time, 'data-ended', ended ? 'true' : null);
        if (f.final) finalBanner(f, s, ended);
      }

      let conn = s.conn.state;
      const age = s.conn.lastSnapshotAt ? Date.now() - s.conn.lastSnapshotAt : null;
      if (conn === 'live' && age != null && age > STALE_MS) conn = 'stale';
      attr(f.conn, 'data-state', conn);
      attr(document.documentElement, 'data-conn', conn);
      text(f.connLabel, t('conn.' + conn));
      text(f.connAge, conn !== 'live' && age != null ? t('updatedAgo', { age: fmt.duration(age) }) : '');

      if (touches(changed, 'alerts', 'plan')) {
        // the alerts the panel shows (a team's screen: the team's own)
        const firing = forTeam(s, s.alerts.active).filter((a) => a.severity === 'critical' && a.state === 'firing');
        const critical = firing.length;
        hidden(f.alarm, critical === 0);
        text(f.alarm, critical === 1
          ? t('alarmOne', { what: alertTitle(t, firing[0], s.plan) })
          : critical ? t('alarm', { n: critical }) : '');
        attr(document.documentElement, 'data-alarm', critical ? 'critical' : null);
      }
    },
  };
}

function lastDayOf(plan) {
  return new Date(Date.parse(plan.end + 'T00:00:00Z') - 86_400_000).toISOString().slice(0, 10);
}

/** When the period has ended: the final revenue against its target, linking to the report. */
function finalBanner(f, s, ended) {
  const { t, fmt } = s;
  const k = s.snapshot?.kpis?.find((x) => x.id === 'revenue');
  hidden(f.final, !ended || !k);
  if (!ended || !k) return;
  attr(f.final, 'data-status', k.status ?? null);
  text(f.finalText, `${t('finalTitle')}: ${t('finalBody', { v: fmt.money(k.value), t: fmt.money(k.target, 0),
    p: fmt.pct(k.target ? k.value / k.target : null, 1) })}`);
  text(f.finalLink, t('finalReport'));
}
