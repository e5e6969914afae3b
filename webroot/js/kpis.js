// How each KPI and window field is shown, and the default status rule (CONTRACT section 5).

const MONEY = new Set(['revenue', 'grossRevenue', 'refunds', 'aov', 'adSpend', 'attributedRevenue']);
const COUNTS = new Set(['orders', 'sessions', 'customers', 'newCustomers', 'npsResponses']);

/** The KPI's value as text: money to the cent, conversion to 0.01 %, other shares to 0.1 %. */
export function formatKpi(fmt, id, v) {
  if (MONEY.has(id)) return fmt.money(v);
  if (COUNTS.has(id)) return fmt.num(v, 0);
  switch (id) {
    case 'conversion':
      return fmt.pct(v, 2);
    case 'repurchaseRate':
    case 'onlineShare':
      return fmt.pct(v, 1);
    case 'roi':
      return fmt.num(v, 2);
    case 'nps':
      return fmt.num(v, 1);
    case 'grossMargin':
      return fmt.pct(v, 1);
    case 'feedIdleMinutes':
      return fmt.num(v, 0);
    default:
      // budget.<category> alerts carry the share of the allocation spent
      return id.startsWith('budget.') ? fmt.pct(v, 1) : fmt.num(v, 2);
  }
}

/** ok within 10 % of the reference, warning within 20 %, critical beyond; null without one. */
export function byShortfall(value, reference) {
  if (value == null || reference == null) return null;
  if (value >= reference * 0.9) return 'ok';
  if (value >= reference * 0.8) return 'warning';
  return 'critical';
}

export function kpiOf(snapshot, id) {
  return snapshot?.kpis?.find((k) => k.id === id) || null;
}
