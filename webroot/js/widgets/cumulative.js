// Cumulative net revenue over the plan period against the plan line (the target spread evenly over
// the period, as "expected" is), and the forecast at the current pace to the period's end. Hourly
// points from the series; the last point is the snapshot's campaign revenue now. At most one point
// per hour of the period plus one: the data is rebuilt, never appended. The previous period's curve
// (its revenue hour by hour from its start, aligned by elapsed time) runs beside them when it has
// records. While the chart data does not match the snapshot (see seriesCurrent) the chart keeps
// what it shows and the panel says data-state="loading".
import { COLORS, axisFont, rem, seriesCurrent, sizedChart, uPlot } from '../charts.js';
import { attr, fields, hidden, touches } from '../dom.js';
import { zoned } from '../format.js';
import { kpiOf } from '../kpis.js';
import { placeMarks } from '../marks.js';

const REDRAW_MS = 5000;
const HOUR_S = 3600;

export function create(el) {
  const f = fields(el);
  let chart = null;
  let chartLang = null;
  let drawnAt = 0;
  let state = null;

  /** Annotations inside the plan's period, at their moment on the time axis (seconds). */
  function marks(u) {
    if (!state || !state.series) return;
    const start = Date.parse(state.series.campaign.start);
    const end = start + state.series.campaign.hours * HOUR_S * 1000;
    placeMarks(u, state.annotations, (ms) => (ms >= start && ms <= end ? ms / 1000 : null), state.tv);
  }

  function data(s) {
    const snap = s.snapshot;
    const start = Date.parse(s.series.campaign.start) / 1000;
    const hours = s.series.campaign.hours;
    const end = start + hours * HOUR_S;
    const now = Math.min(end, Math.max(start, Math.floor(Date.parse(snap.asOf) / 1000)));
    const k = kpiOf(snap, 'revenue');
    const target = k ? k.target : null;
    const actualNow = snap.windows.campaign.revenue;
    const rev = s.series.campaign.revenue;
    const prevRev = s.series.campaign.previous ? s.series.campaign.previous.revenue : null;

    const x = [];
    const actual = [];
    const plan = [];
    const forecast = [];
    const previous = [];
    let cum = 0;
    let prevCum = 0;
    const pace = now > start ? actualNow / (now - start) : null;
    const push = (ts, a, p) => {
      x.push(ts);
      actual.push(a);
      plan.push(target == null ? null : (target * (ts - start)) / (end - start));
      forecast.push(ts >= now && pace != null ? actualNow + pace * (ts - now) : null);
      previous.push(p);
    };
    for (let i = 0; i <= hours; i++) {
      const ts = start + i * HOUR_S;
      if (ts > now && x[x.length - 1] < now) push(now, actualNow, null);
      push(ts, ts <= now ? cum : null, prevRev && i <= prevRev.length ? Math.round(prevCum * 100) / 100 : null);
      if (i < rev.length) cum += rev[i];
      if (prevRev && i < prevRev.length) prevCum += prevRev[i];
    }
    return [x, actual, plan, forecast, previous];
  }

  function build(s) {
    const px = rem();
    const { fmt } = s;
    const tz = s.snapshot.plan.timezone;
    if (chart) chart.destroy();
    chart = sizedChart(f.chart, {
      legend: { show: false },
      cursor: { show: false },
      select: { show: false },
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), tz),
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(100, max) * 1.05] } },
      axes: [
        {
          stroke: COLORS.axis, font: axisFont(px * 0.85), size: px * 2.2, gap: px * 0.3,
          grid: { stroke: COLORS.grid, width: 1 }, ticks: { show: false },
          values: (u, splits) => splits.map((v) => fmt.day(zoned(v * 1000, tz).date)),
          space: px * 5.5, incrs: [86_400, 2 * 86_400, 7 * 86_400],
        },
        {
          stroke: COLORS.axis, font: axisFont(px * 0.85), size: px * 5, gap: px * 0.3,
          grid: { stroke: COLORS.grid, width: 1 }, ticks: { show: false },
          values: (u, splits) => splits.map((v) => fmt.moneyShort(v)), space: px * 2.5,
        },
      ],
      hooks: { draw: [marks] },
      series: [
        {},
        { stroke: COLORS.actual, width: px * 0.2, fill: COLORS.actualFill, points: { show: false } },
        { stroke: COLORS.plan, width: px * 0.12, dash: [px * 0.5, px * 0.4], points: { show: false } },
        { stroke: COLORS.forecast, width: px * 0.14, dash: [px * 0.25, px * 0.35], points: { show: false } },
        { stroke: COLORS.previous, width: px * 0.12, points: { show: false }, spanGaps: true },
      ],
    }, data(s));
    chartLang = s.lang;
    f.chart.uplot = chart; // what the chart draws, for checks from outside
  }

  return {
    update(s, changed) {
      if (!s.snapshot || !s.series) return;
      state = s;
      const force = touches(changed, 'series', 'plan');
      if (chart && changed.has('annotations')) marks(chart);
      const current = seriesCurrent(s);
      attr(el, 'data-state', current ? 'ready' : 'loading');
      hidden(f.previousKey, !s.series.campaign.previous);
      if (!current) return;
      if (!chart || chartLang !== s.lang) {
        build(s);
        drawnAt = Date.now();
      } else if (force || (changed.has('snapshot') && Date.now() - drawnAt >= REDRAW_MS)) {
        chart.setData(data(s));
        drawnAt = Date.now();
      }
    },
  };
}

