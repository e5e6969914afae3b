// Annotations (CONTRACT section 14) as markers over a uPlot chart: a thin line at each moment (a
// band over a span), the text on hover, and in TV mode the text as a label, since no one hovers a
// wall. Elements live in the chart's overlay and carry data-annotation="<id>".
import { make } from './dom.js';

/**
 * Places the markers of `list` on chart `u`; `toX(ms)` gives the x value of a moment, or null
 * when it is outside the chart.
 */
export function placeMarks(u, list, toX, tv) {
  const layer = u.over;
  for (const old of layer.querySelectorAll('.mark')) old.remove();
  for (const a of list || []) {
    const x0 = toX(Date.parse(a.ts));
    if (x0 == null) continue;
    const x1 = a.end ? toX(Date.parse(a.end)) : null;
    const left = u.valToPos(x0, 'x');
    const el = make('div', 'mark');
    el.dataset.annotation = String(a.id);
    el.title = a.text + (a.tags && a.tags.length ? ` (${a.tags.join(', ')})` : '');
    el.style.left = `${left}px`;
    if (x1 != null && x1 > x0) {
      el.classList.add('span');
      el.style.width = `${Math.max(2, u.valToPos(x1, 'x') - left)}px`;
    }
    if (tv) {
      const label = make('span', 'mark-label');
      label.textContent = a.text;
      el.append(label);
    }
    layer.append(el);
  }
}
