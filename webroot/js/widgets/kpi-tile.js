// One KPI target (data-id is the KPI): campaign value, target, gap, status, the last hour's value,
// and a sparkline of the last 24 hours (hourly values, with the target as a dashed line).
import { COLORS, rem, sizedChart } from '../charts.js';
import { attr, fields, style, text, touches } from '../dom.js';
import { changeText, figureOf, formatKpi, formatPair, kpiOf } from '../kpis.js';
import { recoveringRule } from '../alert-text.js';

/** Whether a KPI accumulates over the period (judged against its pace): the catalogue says. */
const cumulative = (id) => figureOf(id)?.cumulative === true;

/**
 * Repeat buyers within one hour are too rare for an hourly line: that tile shows today's value and
 * a gauge against the target instead.
 */
const NO_SPARK = new Set(['repurchaseRate']);
const HOURS = 24;

export function create(el) {
  const id = el.dataset.id;
  const recent = NO_SPARK.has(id) ? 'today' : 'last1h';
  el.dataset.kpi = id;
  el.innerHTML = `
    <div class="tile-head"><h3 class="tile-label" data-field="label"></h3><span class="chip" data-field="status"></span></div>
    <div class="tile-value num" data-field="value">—</div>
    <div class="tile-meta"><span data-field="target"></span><span class="gap" data-field="gap"></span></div>
    <div class="tile-meta"><span class="muted change" data-field="change"></span></div>
    <div class="tile-foot"><span class="muted" data-field="recent"></span><span class="muted" data-field="sparkLabel"></span></div>
    ${NO_SPARK.has(id)
    ? '<div class="gauge"><div class="gauge-fill" data-field="gaugeFill"></div><div class="gauge-target" data-field="gaugeTarget"></div></div>'
    : '<div class="spark" data-field="spark"></div>'}`;
  const f = fields(el);
  let spark = null;
  let sparkKey = '';

  function drawSpark(s) {
    const hourly = s.series?.hourly;
    if (!hourly || NO_SPARK.has(id)) return;
    const rows = hourly.slice(-HOURS);
    const k = kpiOf(s.snapshot, id);
    const target = k && !cumulative(id) ? k.target : null;
    const x = rows.map((r) => Date.parse(r.start) / 1000);
    const y = rows.map((r) => (r[id] == null ? null : r[id]));
    const line = rows.map(() => target);
    const key = y.join(',') + '|' + target;
    if (key === sparkKey) return;
    sparkKey = key;
    const data = [x, y, line];
    if (spark) {
      spark.setData(data);
      return;
    }
    const px = rem();
    spark = sizedChart(f.spark, {
      legend: { show: false },
      cursor: { show: false },
      select: { show: false },
      scales: { x: { time: true }, y: { range: sparkRange } },
      axes: [{ show: false }, { show: false }],
      series: [
        {},
        { stroke: COLORS.actual, width: px * 0.14, fill: COLORS.actualFill, spanGaps: false, points: { show: false } },
        { stroke: COLORS.plan, width: px * 0.07, dash: [px * 0.3, px * 0.3], points: { show: false } },
      ],
    }, data);
  }

  let fitKey = '';
  return {
    update(s, changed) {
      const { t, fmt } = s;
      if (touches(changed, 'lang')) {
        text(f.label, t('kpi.' + id));
        f.label.title = f.label.textContent;
        text(f.sparkLabel, NO_SPARK.has(id) ? '' : t('spark24h'));
      }
      if (s.snapshot && touches(changed, 'snapshot')) {
        const snap = s.snapshot;
        const k = kpiOf(snap, id);
        // its alert back past the threshold but not yet by the rule's margin: it says so, as the
        // alert panel does, beside the figure of the alert's window
        const back = k?.alert != null && recoveringRule(snap, k.alert.rule);
        attr(el, 'data-recovering', back ? 'true' : null);
        const backHere = back && k.alert.window === recent ? ' · ' + t('state.recovering') : '';
        const value = k ? k.value : snap.windows.campaign[id];
        // a value just short of its target never reads as it (2.996 % against 3.000 %)
        const [shown, targetText] = k && value != null && k.target != null
          ? formatPair(fmt, id, value, k.target, false) : [formatKpi(fmt, id, value), formatKpi(fmt, id, k?.target)];
        text(f.value, shown);
        text(f.recent, t('window.' + recent) + ' ' + formatKpi(fmt, id, snap.windows[recent][id]) + backHere);
        if (k) {
          attr(el, 'data-status', k.status ?? null);
          // judged on the campaign; an alert on another window says which one
          const w = k.alert?.window && k.alert.window !== 'campaign' ? k.alert.window : null;
          attr(el, 'data-alert-window', w);
          const status = !k.status ? '' : w ? t('alertWindow', { s: t('status.' + k.status), w: t('window.' + w) }) : t('status.' + k.status);
          text(f.status, back && !backHere ? status + ' · ' + t('state.recovering') : status);
          const isCumulative = cumulative(id);
          const ref = isCumulative ? k.expected : k.target;
          text(f.target, t('targetLine', { v: targetText }));
          const gap = value == null || !ref ? null : (value - ref) / Math.abs(ref);
          if (f.gaugeFill) {
            // value against target on a scale to half again the target
            const max = Math.max(k.target * 1.5, value || 0) || 1;
            style(f.gaugeFill, 'transform', `scaleX(${Math.round(((value || 0) / max) * 1000) / 1000})`);
            style(f.gaugeTarget, 'transform', `translateX(${Math.round((k.target / max) * 1000) / 10}%)`);
          }
          text(f.gap, gap == null ? '' : t(isCumulative ? 'gapVsExpected' : 'gapVsTarget', { g: fmt.signed(gap, (x) => fmt.pct(x, 1)) }));
          showChange(el, f.change, s, id, k);
        } else {
          attr(el, 'data-status', null);
          text(f.status, t('noTarget'));
          text(f.target, '');
          text(f.gap, '');
          showChange(el, f.change, s, id, null);
        }
      }
      if (touches(changed, 'series', 'snapshot')) drawSpark(s);
      if (touches(changed, 'snapshot')) fit();
    },
  };

  /**
   * A figure wider than the tile is drawn smaller rather than cut; the meta lines end in an
   * ellipsis with their whole text as the title. Measured only when a text or the size changed.
   */
  function fit() {
    const key = [el.clientWidth, f.value.textContent, f.target.textContent, f.gap.textContent, f.change.textContent,
      f.recent.textContent].join('|');
    if (key === fitKey) return;
    fitKey = key;
    f.value.style.fontSize = '';
    if (f.value.scrollWidth > f.value.clientWidth + 1) {
      const px = parseFloat(getComputedStyle(f.value).fontSize);
      f.value.style.fontSize = `${Math.floor((px * f.value.clientWidth * 0.97) / f.value.scrollWidth)}px`;
    }
    for (const x of [f.target, f.gap, f.change, f.recent]) if (x.title !== x.textContent) x.title = x.textContent;
  }
}

/**
 * A KPI's change against the same point of the previous period on its box (`data-change`, the
 * server's change) and in the line `field`; none without the KPI. The hero shows revenue's so.
 */
export function showChange(el, field, s, id, k) {
  attr(el, 'data-change', k?.change == null ? null : String(k.change));
  text(field, k ? changeText(s.t, s.fmt, id, k) : '');
}

/** Room above and below the line, and a flat line drawn mid-height. */
function sparkRange(u, min, max) {
  if (min == null || max == null) return [0, 1];
  if (min === max) return [min - Math.abs(min || 1) * 0.5, max + Math.abs(max || 1) * 0.5];
  const pad = (max - min) * 0.12;
  return [min - pad, max + pad];
}
