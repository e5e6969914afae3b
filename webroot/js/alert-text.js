// An alert in words, built by the page from the alert's fields (CONTRACT section 7) in the page's
// language: a title that tells pace from forecast, and a message with money and shares formatted.
// The server's `message` is English for logs and webhooks; the wall never shows it.
import { figureOf, focusFigure, formatKpi, formatPair, paceShare } from './kpis.js';

/** The experiment whose split an alert watches (its sample-ratio p-value), or null. */
function srmOf(a) {
  const m = /^experiments\.(.+)\.srmPValue$/.exec(a.kpi || '');
  return m ? m[1] : null;
}

/** A p-value as people read it: three decimals, tiny ones as 7.1e-12. */
function pValue(v) {
  if (v == null) return '—';
  return v !== 0 && Math.abs(v) < 0.001 ? v.toExponential(1) : v.toFixed(3);
}

/** The snapshot's KPI entry of a focus target an alert watches (it carries the unit), or null. */
function focusOf(a, snap) {
  const k = snap?.kpis?.find((x) => x.id === a.kpi);
  return k?.focus ? k : null;
}

/** How the figure an alert watches is written: a focus target's by its unit, else the catalogue's. */
function figure(a, snap) {
  const k = focusOf(a, snap);
  return k ? focusFigure(k.unit) : figureOf(a.kpi);
}

/** An alert's value or threshold in the unit of what it watches. */
export function formatAlertValue(fmt, a, v, snap) {
  if (a.kpi === 'feedIdleMinutes') return v == null ? '—' : fmt.duration(v * 60_000);
  return srmOf(a) != null ? pValue(v) : formatKpi(fmt, a.kpi, v, figure(a, snap));
}

/** An alert's value and threshold, never alike when they differ (2.396% under 2.400%). */
export function formatAlertPair(fmt, a, v, th, snap) {
  if (a.kpi === 'feedIdleMinutes') return [formatAlertValue(fmt, a, v), formatAlertValue(fmt, a, th)];
  return srmOf(a) != null ? [pValue(v), pValue(th)] : formatPair(fmt, a.kpi, v, th, false, figure(a, snap));
}

/** A KPI's name: a focus target's text in the page's language, else the dictionary's, else its id. */
function kpiName(t, id, plan) {
  const focus = plan?.focus?.find((x) => x.id === id);
  if (focus) return (focus.text && t.text(focus.text)) || id;
  const name = t('kpi.' + id);
  return name === 'kpi.' + id ? id : name;
}

/** What an alert watches, by its rule: pace and forecast of a KPI, a budget line, the feed, a KPI in a window. */
export function alertTitle(t, a, plan) {
  const rule = a.rule || '';
  const x = srmOf(a);
  if (x != null) {
    const own = plan?.experiments?.find((e) => e.id === x);
    return t('alert.srm', { x: (own?.text && t.text(own.text)) || x });
  }
  const kpi = kpiName(t, a.kpi, plan);
  if (rule.startsWith('pace-')) return t('alert.pace', { k: kpi });
  if (rule.startsWith('forecast-')) return t('alert.forecast', { k: kpi });
  if (a.kpi?.startsWith('budget.')) return t('alert.budget', { c: t.label(a.kpi.slice(7)) });
  if (a.kpi === 'feedIdleMinutes') return t('alert.stale');
  return a.window ? t('alert.field', { k: kpi, w: t('window.' + a.window) }) : kpi;
}

/** Whether the rule fires on values above its threshold (budget burn, silence, plan rules with > or >=). */
function fitsAbove(a, plan) {
  const own = plan?.alerts?.find((r) => r.id === a.rule);
  if (own) return own.op === '>' || own.op === '>=';
  return a.kpi?.startsWith('budget.') || a.kpi === 'feedIdleMinutes';
}

/** The figure the rule judges, as the snapshot holds it now; null where the page cannot tell. */
export function currentValue(a, snap) {
  const rule = a.rule || '';
  const x = srmOf(a);
  if (x != null) return snap?.experiments?.[x]?.srmPValue ?? null;
  const k = snap?.kpis?.find((x) => x.id === a.kpi);
  // a focus target: its campaign value, as its tile shows it
  if (k?.focus) return k.value ?? null;
  if (rule.startsWith('forecast-')) return k?.forecast ?? null;
  if (rule.startsWith('pace-')) return k?.expected != null ? k.value ?? null : null;
  if (a.kpi?.startsWith('budget.') || a.kpi === 'feedIdleMinutes') return null;
  return snap?.windows?.[a.window]?.[a.kpi] ?? null;
}

/**
 * The threshold the rule judges by now: a pace rule's is a share of the value expected by now
 * (the catalogue's, by severity), which grows with the clock; the alert's own is that of its
 * last transition. Others keep theirs.
 */
export function currentThreshold(a, snap) {
  if (!(a.rule || '').startsWith('pace-')) return a.threshold;
  const e = snap?.kpis?.find((x) => x.id === a.kpi)?.expected;
  const share = paceShare(a.severity);
  if (e == null || share == null) return a.threshold;
  return figureOf(a.kpi)?.unit === 'money' ? Math.round(e * share * 100) / 100 : e * share;
}

/**
 * A firing alert whose figure is back past its threshold but not yet by the rule's margin
 * (hysteresis), as the server decides it: the snapshot lists its rule under `recovering`.
 */
export function recovering(a, snap) {
  return a.state === 'firing' && recoveringRule(snap, a.rule);
}

/** Whether the snapshot lists the firing alert of {@code rule} as recovering. */
export function recoveringRule(snap, rule) {
  return (snap?.recovering || []).includes(rule);
}

/**
 * The value an alert card shows: while it is active, the figure as the snapshot holds it now
 * (the alert's own value is that of its last transition, and the tiles show the snapshot's), else
 * the alert's.
 */
export function shownValue(a, snap) {
  if (a.state === 'resolved') return a.value;
  return currentValue(a, snap) ?? a.value;
}

/** The threshold an alert card shows beside {@link shownValue}: of now while it is active. */
export function shownThreshold(a, snap) {
  return a.state === 'resolved' ? a.threshold : currentThreshold(a, snap);
}

/** One sentence on what the rule sees, from the alert's value and threshold. */
export function alertMessage(t, fmt, a, snap, plan) {
  const rule = a.rule || '';
  const f = (v) => formatAlertValue(fmt, a, v, snap);
  const pair = (v) => {
    const [x, th] = formatAlertPair(fmt, a, v, shownThreshold(a, snap), snap);
    return { v: x, th };
  };
  const now = recovering(a, snap) ? currentValue(a, snap) : null;
  if (a.state === 'resolved' && a.value != null && a.threshold != null
      && (fitsAbove(a, plan) ? a.value > a.threshold : a.value < a.threshold)) {
    // resolved although its value is still past the threshold: no longer judged, not recovered
    return t('msg.unjudged', pair(a.value));
  }
  if (a.state === 'resolved' || now != null) return t('msg.back', pair(now ?? a.value));
  if (rule.startsWith('pace-')) {
    const k = snap?.kpis?.find((x) => x.id === a.kpi);
    // the figures of now: the alert's value is that of its last transition
    const e = k?.expected;
    const v = k?.value ?? a.value;
    if (e && v != null) return t('msg.pace', { v: f(v), e: f(e), p: fmt.pct(Math.max(0, 1 - v / e), 1) });
  }
  if (rule.startsWith('forecast-')) return t('msg.forecast', pair(shownValue(a, snap)));
  if (a.kpi?.startsWith('budget.')) return t('msg.budget', pair(a.value));
  if (a.kpi === 'feedIdleMinutes') return t('msg.stale', { v: fmt.duration((a.value || 0) * 60_000) });
  if (srmOf(a) != null) return t('msg.srm', pair(shownValue(a, snap)));
  return t(fitsAbove(a, plan) ? 'msg.above' : 'msg.below',
    { ...pair(shownValue(a, snap)), sev: t('msg.severity.' + a.severity) });
}
