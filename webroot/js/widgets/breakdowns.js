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
    const top = b?.top || [];
    const keys = top.map((e) => e.key);
    const hasOther = b && (b.other.orders > 0 || keys.length < b.distinct || b.capped);
    if (hasOther) keys.push(OTHER);
    const max = top.reduce((m, e) => Math.max(m, e.revenue), 0) || 1;
    const rows = keyedRows(f.brows, keys, buildRow);
    for (const e of top) fill(rows.get(e.key), e, e.key, region, max, s);
    if (hasOther) {
      const label = t('breakdownOther', { n: fmt.num(Math.max(0, b.distinct - top.length), 0) })
        + (b.capped ? ' ' + t('breakdownCapped') : '');
      fill(rows.get(OTHER), { ...b.other, share: null }, label, region, max, s);
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
