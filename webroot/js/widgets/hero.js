// Campaign revenue against the target: progress with the expected-by-now marker, the forecast at
// the current pace, and what each remaining day must bring.
import { attr, fields, style, text, touches } from '../dom.js';
import { daysBetween, zoned } from '../format.js';
import { kpiOf } from '../kpis.js';
import { showChange } from './kpi-tile.js';

export function create(el) {
  const f = fields(el);
  return {
    update(s, changed) {
      if (!s.snapshot || !touches(changed, 'snapshot', 'series', 'lang')) return;
      const { t, fmt } = s;
      const snap = s.snapshot;
      const k = kpiOf(snap, 'revenue');
      const value = k ? k.value : snap.windows.campaign.revenue;
      const target = k ? k.target : null;
      const status = k?.status ?? null;
      attr(el, 'data-status', status);
      text(f.status, k?.status ? t('status.' + k.status) : t('noTarget'));
      // against the same point of the previous period, as each KPI tile shows it
      showChange(el, f.change, s, 'revenue', k);
      if (f.change.title !== f.change.textContent) f.change.title = f.change.textContent;
      // just short of the target never reads as it (¥1,200.00万 against ¥1,200万, 100.0 %)
      const alike = target && value !== target && fmt.money(value) === fmt.money(target);
      text(f.value, alike ? fmt.moneyExact(value) : fmt.money(value));
      // after the end "today" is past the period: its last day instead, as the hourly chart shows
      const last = lastDay(s);
      text(f.todayKey, last ? fmt.day(last.date) : t('today'));
      text(f.today, last ? fmt.moneyCell(last.revenue) : fmt.moneyCell(snap.windows.today.revenue));
      if (target) {
        const share = value / target;
        text(f.share, t('ofTarget', { p: fmt.pctShort(share, 1) }));
        text(f.target, t('targetIs', { v: alike ? fmt.moneyExact(target) : fmt.money(target, 0) }));
        style(f.bar, 'transform', `scaleX(${round3(Math.min(1, Math.max(0, share)))})`);
        const expectedShare = k.expected / target;
        style(f.marker, 'transform', `translateX(${round3(Math.min(1, expectedShare)) * 100}%)`);
        text(f.markerLabel, t('expectedMarker'));
        // near either end the label stands inside the bar's span rather than centred past its edge
        const at = Math.min(1, Math.max(0, expectedShare));
        attr(f.markerLabel, 'data-align', at > 0.85 ? 'end' : at < 0.15 ? 'start' : null);
        text(f.expected, fmt.moneyCell(k.expected));
        text(f.forecast, fmt.moneyCell(k.forecast));
        const days = daysBetween(snap.plan.start, snap.plan.end) * (1 - snap.plan.elapsed);
        const missing = target - value;
        // what each day must bring at least: rounded up, so a shortfall never reads as ¥0
        text(f.perDay, missing <= 0 ? t('targetReached') : days > 0 ? fmt.moneyCell(Math.ceil(missing / days)) : '—');
      } else {
        text(f.share, '');
        text(f.target, t('noTarget'));
        style(f.bar, 'transform', 'scaleX(0)');
        for (const x of ['expected', 'forecast', 'perDay']) text(f[x], '—');
      }
    },
  };
}

/** Once the period has ended: its last day and that day's net revenue (from the hourly series), else null. */
function lastDay(s) {
  const c = s.series?.campaign;
  if (s.snapshot.plan.elapsed < 1 || !c) return null;
  const tz = s.snapshot.plan.timezone;
  const start = Date.parse(c.start);
  const date = zoned(start + (c.hours - 1) * 3_600_000, tz).date;
  let cents = 0;
  // back from the last hour while it is the same day: a day's hours, not the whole period's
  for (let i = c.hours - 1; i >= 0 && zoned(start + i * 3_600_000, tz).date === date; i--) {
    cents += Math.round((c.revenue[i] ?? 0) * 100);
  }
  return { date, revenue: cents / 100 };
}

function round3(x) {
  return Math.round(x * 1000) / 1000;
}
