// Net revenue per hour of today (bars) against the same hours of yesterday (line), in the plan's
// time zone. Completed hours come from the series; the current hour is today's revenue so far less
// today's completed hours, so it moves with every snapshot between series fetches.
import { COLORS, axisFont, rem, sizedChart, uPlot } from '../charts.js';
import { fields, touches } from '../dom.js';
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

  /** Today's annotations (plan time), at their hour and minute on the 0-24 axis. */
  function marks(u) {
    if (!state || !state.snapshot) return;
    const tz = state.snapshot.plan.timezone;
    const today = zoned(Date.parse(state.snapshot.asOf), tz).date;
    placeMarks(u, state.annotations, (ms) => {
      const z = zoned(ms, tz);
      if (z.date !== today) return null;
      return z.hour - 0.5 + (new Date(ms).getUTCMinutes() / 60);
    }, state.tv);
  }

  function data(s) {
    const tz = s.snapshot.plan.timezone;
    const nowMs = Date.parse(s.snapshot.asOf);
    const now = zoned(nowMs, tz);
    const yesterday = new Date(Date.parse(now.date + 'T00:00:00Z') - 86_400_000).toISOString().slice(0, 10);
    const today = new Array(24).fill(null);
    const before = new Array(24).fill(null);
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
  }

  return {
    update(s, changed) {
      if (!s.snapshot || !s.series) return;
      state = s;
      if (chart && changed.has('annotations')) marks(chart);
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
