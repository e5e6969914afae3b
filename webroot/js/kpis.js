// How each figure is shown: its unit and decimals come from the server's catalogue
// (GET /api/v1/catalogue), so the page keeps no list of its own. Statuses come from the snapshot.

const units = new Map();
let paceShares = null;

/** Takes the catalogue's figures ({id, unit, decimals}) and a pace rule's shares. */
export function setCatalogue(catalogue) {
  units.clear();
  for (const f of catalogue?.figures || []) units.set(f.id, f);
  paceShares = catalogue?.paceShare || null;
}

/** The share of the value expected by now under which a pace rule fires at {@code severity}. */
export function paceShare(severity) {
  return paceShares?.[severity] ?? null;
}

/** The catalogue entry of a figure id; budget.<category> and unknown ids by their kind. */
export function figureOf(id) {
  return units.get(id) || (id?.startsWith('budget.') ? { unit: 'share', decimals: 1 } : null);
}

/** The figure id whose unit a metric's value has: a counter counts, a focus target by its metric. */
export function unitId(plan, metric) {
  if (metric.startsWith('counter:')) return 'orders';
  const focus = (plan?.focus || []).find((f) => f.id === metric);
  if (focus) return focus.metric === 'share' ? 'onlineShare' : focus.metric === 'revenue' ? 'revenue' : 'orders';
  return metric;
}

/**
 * How a focus target's value is written, by the unit its KPI entry carries: money to the cent,
 * a share to 2 decimals, a count whole (as chat alerts write them).
 */
export function focusFigure(unit) {
  return { unit, decimals: unit === 'share' ? 2 : 0 };
}

/** A figure's value as text: money to the cent, shares as percentages, counts whole. */
export function formatKpi(fmt, id, v, f = figureOf(id)) {
  switch (f?.unit) {
    case 'money':
      return fmt.money(v);
    case 'share':
      return fmt.pct(v, f.decimals);
    case 'count':
      return fmt.num(v, f.decimals);
    default:
      return fmt.num(v, f ? f.decimals : 2);
  }
}

/**
 * A KPI's change against the same point of the previous period, as its tile words it: the
 * snapshot's change in percent; a score (NPS) by its difference in points, as a ratio of two
 * negative scores reads the wrong way (-33.3 to -46.8 is +40.4 %). A focus target gives its figure
 * `f` (focusFigure of its unit).
 */
export function changeText(t, fmt, id, k, f = figureOf(id)) {
  if (f?.unit === 'score' && k.value != null && k.previous != null) {
    return t('vsPreviousPts', { g: fmt.signed(k.value - k.previous, (x) => fmt.num(x, f.decimals)) });
  }
  // no change against a previous value of 0: the value itself, not "no last period"
  return k.change != null ? t('vsPrevious', { g: fmt.signed(k.change, (x) => fmt.pct(x, 1)) })
    : k.previous != null ? t('vsPreviousAt', { v: formatKpi(fmt, id, k.previous) }) : t('vsPreviousNone');
}

export function kpiOf(snapshot, id) {
  return snapshot?.kpis?.find((k) => k.id === id) || null;
}

/**
 * A value and its goal (or threshold) as text, never alike when they differ: decimals are added
 * until the two texts stand for different numbers, else both are given in full. With `short`,
 * money is in units for a narrow box (¥6.67M, ¥666.96万).
 */
/** Two different amounts to the cent, or to as many more decimals (up to 6) as tell them apart. */
function exactPair(fmt, v, goal) {
  for (let d = 2; d < 6; d++) {
    const [a, b] = [fmt.moneyExact(v, d), fmt.moneyExact(goal, d)];
    if (a !== b) return [a, b];
  }
  return [fmt.moneyExact(v, 6), fmt.moneyExact(goal, 6)];
}

export function formatPair(fmt, id, v, goal, short = true, f = figureOf(id)) {
  if (v == null || goal == null) return [formatKpi(fmt, id, v, f), formatKpi(fmt, id, goal, f)];
  if (f?.unit === 'money' && !short) {
    const [a, b] = [fmt.money(v), fmt.money(goal)];
    return a !== b || v === goal ? [a, b] : exactPair(fmt, v, goal);
  }
  if (f?.unit === 'money') {
    for (let d = 2; d <= 3; d++) {
      const a = fmt.moneyUnit(v, d);
      const b = fmt.moneyUnit(goal, d);
      if (v === goal || Math.abs(a.shown - b.shown) > 1e-9 * Math.max(1, Math.abs(goal))) return [a.text, b.text];
    }
    return exactPair(fmt, v, goal);
  }
  const base = f ? f.decimals : 2;
  const show = (x, d) => (f?.unit === 'share' ? fmt.pct(x, d) : fmt.num(x, d));
  for (let d = base; d <= base + 3; d++) {
    const a = show(v, d);
    const b = show(goal, d);
    if (v === goal || a !== b) return [a, b];
  }
  return [show(v, base + 6), show(goal, base + 6)];
}
