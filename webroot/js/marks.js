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
  if (tv) arrange(layer);
}

/**
 * Labels never overlap or leave the chart: by position, each takes the first of two rows where it
 * clears the label before it (turned to the mark's left near the right edge); one that fits in
 * neither is hidden (its mark stays, and its text is in the mark's title).
 */
function arrange(layer) {
  const width = layer.clientWidth;
  const labels = [...layer.querySelectorAll('.mark-label')]
    .map((l) => ({ l, x: parseFloat(l.parentElement.style.left) || 0 }))
    .sort((a, b) => a.x - b.x);
  const rowsEnd = [-Infinity, -Infinity];
  const GAP = 6;
  for (const { l, x } of labels) {
    const w = l.offsetWidth;
    let start = x + 4;
    if (start + w > width) {
      start = x - 4 - w;
      l.style.left = `${-(w + 4)}px`;
    }
    const row = rowsEnd.findIndex((end) => start >= end + GAP && start >= 0);
    if (row < 0) {
      l.hidden = true;
      continue;
    }
    rowsEnd[row] = start + w;
    if (row === 1) l.classList.add('second');
  }
}
