// How each figure is shown: its unit and decimals come from the server's catalogue
// (GET /api/v1/catalogue), so the page keeps no list of its own. Statuses come from the snapshot.

const units = new Map();

/** Takes the catalogue's figures ({id, unit, decimals}). */
export function setCatalogue(catalogue) {
  units.clear();
  for (const f of catalogue?.figures || []) units.set(f.id, f);
}

/** The catalogue entry of a figure id; budget.<category> and unknown ids by their kind. */
export function figureOf(id) {
  return units.get(id) || (id?.startsWith('budget.') ? { unit: 'share', decimals: 1 } : null);
}

/** A figure's value as text: money to the cent, shares as percentages, counts whole. */
export function formatKpi(fmt, id, v) {
  const f = figureOf(id);
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

export function kpiOf(snapshot, id) {
  return snapshot?.kpis?.find((k) => k.id === id) || null;
}
