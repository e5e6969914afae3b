// Net revenue per hour of today (bars) against the same hours of yesterday (line), in the plan's
// time zone. Completed hours come from the series; the current hour is today's revenue so far less
// today's completed hours, so it moves with every snapshot between series fetches. Once the period
// has ended the clock stops at its end: the chart shows the period's last day against the day
// before, from the period's hours. While the chart data does not match the snapshot (see
// seriesCurrent) the chart keeps what it shows and the panel says data-state="loading".
import { COLORS, axisFont, rem, seriesCurrent, sizedChart, uPlot } from '../charts.js';
import { attr, fields, text, touches } from '../dom.js';
import { zoned } from '../format.js';
import { placeMarks } from '../marks.js';

const REDRAW_MS = 2000;

export function create(el) {
  const f = fields(el);
  let chart = null;
  let chartLang = null;
  let drawnAt = 0;
  let lastKey = '';
  let state = null;

  /** The day shown's annotations (plan time), at their hour and minute on the 0-24 axis. */
  function marks(u) {
    if (!state || !state.snapshot) return;
    const tz = state.snapshot.plan.timezone;
    const today = zoned(shownAt(state), tz).date;
    placeMarks(u, state.annotations, (ms) => {
      const z = zoned(ms, tz);
      if (z.date !== today) return null;
      return z.hour - 0.5 + z.minute / 60; // the zone's minute: some zones are half an hour off
    }, state.tv);
  }

  function data(s) {
    const tz = s.snapshot.plan.timezone;
    const now = zoned(shownAt(s), tz);
    const yesterday = dayBefore(now.date);
    const today = new Array(24).fill(null);
    const before = new Array(24).fill(null);
    if (ended(s)) {
      // the period's hours, all complete
      const start = Date.parse(s.series.campaign.start);
      s.series.campaign.revenue.forEach((v, i) => {
        const z = zoned(start + i * 3_600_000, tz);
        if (z.date === now.date) today[z.hour] = v;
        else if (z.date === yesterday) before[z.hour] = v;
      });
      for (let h = 0; h < 24; h++) if (today[h] == null) today[h] = 0;
      return [Array.from({ length: 24 }, (_, h) => h), today, before];
    }
    let completed = 0;
    for (const row of s.series.hourly) {
      const z = zoned(Date.parse(row.start), tz);
      if (z.date === now.date) {
        today[z.hour] = row.revenue;
        if (z.hour < now.hour) completed += row.revenue;
      } else if (z.date === yesterday) {
        before[z.hour] = row.revenue;
      }
    }
    for (let h = 0; h < now.hour; h++) if (today[h] == null) today[h] = 0;
    today[now.hour] = Math.round((s.snapshot.windows.today.revenue - completed) * 100) / 100;
    return [Array.from({ length: 24 }, (_, h) => h), today, before];
  }

  function build(s, d) {
    const px = rem();
    const { fmt } = s;
    if (chart) chart.destroy();
    chart = sizedChart(f.chart, {
      legend: { show: false },
      cursor: { show: false },
      select: { show: false },
      scales: { x: { time: false, range: [-0.6, 23.6] }, y: { range: (u, min, max) => [0, Math.max(100, max) * 1.1] } },
      axes: [
        {
          stroke: COLORS.axis, font: axisFont(px * 0.85), size: px * 2, gap: px * 0.2,
          grid: { show: false }, ticks: { show: false },
          splits: () => [0, 3, 6, 9, 12, 15, 18, 21],
          values: (u, splits) => splits.map((h) => String(h).padStart(2, '0') + ':00'),
        },
        {
          stroke: COLORS.axis, font: axisFont(px * 0.85), size: px * 4.5, gap: px * 0.3,
          grid: { stroke: COLORS.grid, width: 1 }, ticks: { show: false },
          values: (u, splits) => splits.map((v) => fmt.moneyShort(v)), space: px * 2.2,
        },
      ],
      hooks: { draw: [marks] },
      series: [
        {},
        { stroke: COLORS.today, fill: 'rgba(56, 189, 248, 0.55)', width: 0, paths: uPlot.paths.bars({ size: [0.72, Infinity] }), points: { show: false } },
        { stroke: COLORS.yesterday, width: px * 0.16, points: { show: false }, spanGaps: true },
      ],
    }, d);
    chartLang = s.lang;
    f.chart.uplot = chart; // what the chart draws, for checks from outside
  }

  return {
    update(s, changed) {
      if (!s.snapshot || !s.series) return;
      state = s;
      if (chart && changed.has('annotations')) marks(chart);
      if (touches(changed, 'snapshot', 'series', 'lang', 'plan')) {
        const { t, fmt } = s;
        // after the end: the dates of the last day and the one before, since neither is today
        const day = zoned(shownAt(s), s.snapshot.plan.timezone).date;
        text(f.dayKey, ended(s) ? fmt.day(day) : t('today'));
        text(f.dayBeforeKey, ended(s) ? fmt.day(dayBefore(day)) : t('yesterday'));
      }
      const current = seriesCurrent(s);
      attr(el, 'data-state', current ? 'ready' : 'loading');
      if (!current) return;
      const force = touches(changed, 'series', 'plan');
      if (!force && chart && chartLang === s.lang && Date.now() - drawnAt < REDRAW_MS) return;
      if (!force && !changed.has('snapshot') && chart && chartLang === s.lang) return;
      const d = data(s);
      const key = d[1].join(',') + '|' + d[2].join(',');
      if (!chart || chartLang !== s.lang) build(s, d);
      else if (key !== lastKey) chart.setData(d);
      lastKey = key;
      drawnAt = Date.now();
    },
  };
}

function ended(s) {
  return s.snapshot.plan.elapsed >= 1;
}

/** The moment the chart shows: now, or the period's last minute once it has ended. */
function shownAt(s) {
  const now = Date.parse(s.snapshot.asOf);
  if (!ended(s) || !s.series) return now;
  const end = Date.parse(s.series.campaign.start) + s.series.campaign.hours * 3_600_000;
  return Math.min(now, end - 60_000);
}

function dayBefore(date) {
  return new Date(Date.parse(date + 'T00:00:00Z') - 86_400_000).toISOString().slice(0, 10);
}
