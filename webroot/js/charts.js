// uPlot, sized to its container and themed for a dark wall display.
import uPlot from './uplot.js';

export { uPlot };

export const COLORS = {
  actual: '#38bdf8',
  actualFill: 'rgba(56, 189, 248, 0.16)',
  plan: '#94a3b8',
  forecast: '#fbbf24',
  previous: '#c084fc',
  today: '#38bdf8',
  yesterday: '#64748b',
  grid: 'rgba(148, 163, 184, 0.12)',
  axis: '#94a3b8',
  ok: '#34d399',
  warning: '#fbbf24',
  critical: '#f87171',
};

/**
 * A chart filling `el`. The container is sized by the page layout (the chart inside is absolutely
 * placed), so resizing the chart never feeds back into the container's size.
 */
export function sizedChart(el, opts, data) {
  const size = () => ({ width: Math.max(10, Math.floor(el.clientWidth)), height: Math.max(10, Math.floor(el.clientHeight)) });
  const u = new uPlot({ ...opts, ...size() }, data, el);
  let last = size();
  new ResizeObserver(() => {
    const s = size();
    if (s.width !== last.width || s.height !== last.height) {
      last = s;
      u.setSize(s);
    }
  }).observe(el);
  return u;
}

export function axisFont(px) {
  return `${px}px Inter, "Segoe UI", Roboto, "Liberation Sans", "Noto Sans CJK SC", "Noto Sans SC", sans-serif`;
}

/** The page's rem in pixels, so charts scale with the screen like the text does. */
export function rem() {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/**
 * Whether the chart data matches the snapshot: fetched since the last (re)connection, of the same
 * hour, with every late record the snapshot counts. Until then a chart keeps what it shows, so
 * that the figures of one moment are never drawn over the chart data of another.
 */
export function seriesCurrent(s) {
  const { series, snapshot } = s;
  if (!series || !snapshot || s.seriesStale) return false;
  if ((snapshot.seriesVersion ?? 0) !== (series.version ?? 0)) return false;
  return Math.floor(Date.parse(series.asOf) / 3_600_000) === Math.floor(Date.parse(snapshot.asOf) / 3_600_000);
}
