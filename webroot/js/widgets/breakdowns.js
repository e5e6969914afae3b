// Breakdowns of the campaign (CONTRACT section 11): one dimension at a time (product, category,
// region, segment, tag), its top keys by revenue with share, orders and units, and the rest in one
// row. Buttons switch the dimension; on the TV (?tv=1) it turns to the next one every 12 s.
import { attr, fields, keyedRows, make, style, text, touches } from '../dom.js';

export const DIMENSIONS = ['sku', 'productCategory', 'region', 'segment', 'tag'];
const ROTATE_MS = 12_000;
const OTHER = '\u0000other';

export function create(el, state) {
  const f = fields(el);
  let dim = DIMENSIONS[0];
  let last = null;
  const buttons = new Map();
  for (const d of DIMENSIONS) {
    const b = make('button', 'tab');
    b.type = 'button';
    b.dataset.dim = d;
    b.addEventListener('click', () => show(d));
    f.dims.append(b);
    buttons.set(d, b);
  }
  // The panel's room changes after the first draw (the focus tiles, the web font): fit again.
  let refit = 0;
  const table = f.brows.closest('.breakdown-table');
  if (table && typeof ResizeObserver !== 'undefined') {
    new ResizeObserver(() => {
      if (refit) return;
      refit = requestAnimationFrame(() => {
        refit = 0;
        if (last) draw(last);
      });
    }).observe(table);
  }
  if (state.tv) setInterval(() => show(DIMENSIONS[(DIMENSIONS.indexOf(dim) + 1) % DIMENSIONS.length]), ROTATE_MS);

  function show(d) {
    dim = d;
    if (last) draw(last);
  }

  function draw(s) {
    const { t, fmt } = s;
    attr(el, 'data-dim', dim);
    for (const [d, b] of buttons) {
      text(b, t('dim.' + d));
      attr(b, 'aria-pressed', String(d === dim));
    }
    text(f.keyHead, t('dim.' + dim));
    const region = dim === 'region';
    attr(f.convHead, 'hidden', region ? null : '');
    const b = s.snapshot?.breakdowns?.[dim];
    const all = b?.top || [];
    // As many top keys as the panel holds; the rest are summed into the "other" row, so the rows
    // shown always add up to the whole and none is cut in half.
    const box = f.brows.closest('.breakdown-table');
    for (let n = all.length; n >= 1; n--) {
      rows(b, all.slice(0, n), all.slice(n), region, s);
      if (!box || box.scrollHeight <= box.clientHeight + 1) break;
    }
    if (!all.length) rows(b, [], [], region, s);
  }

  function rows(b, top, folded, region, s) {
    const { t, fmt } = s;
    const keys = top.map((e) => e.key);
    const hasOther = b && (b.other.orders > 0 || keys.length < b.distinct || b.capped);
    if (hasOther) keys.push(OTHER);
    const max = top.reduce((m, e) => Math.max(m, e.revenue), 0) || 1;
    const shown = keyedRows(f.brows, keys, buildRow);
    for (const e of top) fill(shown.get(e.key), e, e.key, region, max, s);
    if (hasOther) {
      const label = t('breakdownOther', { n: fmt.num(Math.max(0, b.distinct - top.length), 0) })
        + (b.capped ? ' ' + t('breakdownCapped') : '');
      const other = { ...b.other, share: null };
      for (const e of folded) {
        other.revenue += e.revenue;
        other.orders += e.orders;
        other.units += e.units;
        other.conversion = null;
      }
      fill(shown.get(OTHER), other, label, region, max, s);
    }
    text(f.empty, keys.length ? '' : t('breakdownEmpty'));
  }

  function fill(r, e, name, region, max, s) {
    const { fmt } = s;
    text(r.name, name);
    style(r.cell, '--share', String(Math.round((e.revenue / max) * 1000) / 1000));
    text(r.revenue, fmt.money(e.revenue, 0));
    text(r.share, e.share == null ? '' : fmt.pct(e.share, 1));
    text(r.orders, fmt.num(e.orders, 0));
    text(r.units, fmt.num(e.units, 0));
    text(r.conversion, region ? fmt.pct(e.conversion, 2) : '');
    attr(r.conversion, 'hidden', region ? null : '');
  }

  return {
    update(s, changed) {
      last = s;
      if (!touches(changed, 'snapshot', 'plan')) return;
      draw(s);
    },
  };
}

function buildRow(key) {
  const tr = make('tr');
  if (key === OTHER) tr.className = 'other';
  else tr.dataset.key = key;
  const cell = make('td', 'name');
  const name = make('span', 'label');
  cell.append(name);
  const revenue = make('td', 'n num');
  const share = make('td', 'n num');
  const orders = make('td', 'n num');
  const units = make('td', 'n num');
  const conversion = make('td', 'n num');
  tr.append(cell, revenue, share, orders, units, conversion);
  return { el: tr, cell, name, revenue, share, orders, units, conversion };
}
