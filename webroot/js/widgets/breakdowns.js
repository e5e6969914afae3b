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
  // How many rows the table holds, top keys and the "other" row together: 0 while not known.
  // Measured only where the browser has just laid the table out anyway (a ResizeObserver on the
  // table's box and on its rows, so when the panel's room or the rows drawn change), never by a
  // draw: a snapshot four times a second forces no layout, and draws nothing when the breakdown,
  // the dimension, the language, the currency's format and the room are what was drawn last.
  let room = 0;
  let drawn = null;
  let refit = 0;
  const box = f.brows.closest('.breakdown-table');
  if (box && typeof ResizeObserver !== 'undefined') {
    const seen = new ResizeObserver(() => {
      const fits = measure();
      if (fits === room) return;
      room = fits;
      // drawn in the next frame, not here: rows that change the table's own height would
      // otherwise be observed again within this frame
      if (!refit) {
        refit = requestAnimationFrame(() => {
          refit = 0;
          if (last) draw(last);
        });
      }
    });
    seen.observe(box);
    seen.observe(f.brows);
  }
  if (state.tv) setInterval(() => show(DIMENSIONS[(DIMENSIONS.indexOf(dim) + 1) % DIMENSIONS.length]), ROTATE_MS);

  /**
   * The rows the box holds, from the rows drawn. When all the keys are drawn and they fill the box
   * exactly, as in a box as tall as its rows (the one-column layout of a narrow screen), it is not
   * known: 0, and every key is drawn until the rows overflow. 0 too when there are no rows.
   */
  function measure() {
    const trs = f.brows.rows;
    if (!trs.length) return 0;
    const top = trs[0].getBoundingClientRect().top;
    const height = (trs[trs.length - 1].getBoundingClientRect().bottom - top) / trs.length;
    if (!(height > 0)) return 0;
    const fits = Math.max(1, Math.floor((box.getBoundingClientRect().bottom - top + 0.5) / height));
    return fits === trs.length && !drawn?.folded ? 0 : fits;
  }

  function show(d) {
    dim = d;
    if (last) draw(last);
  }

  function draw(s) {
    const { t, fmt } = s;
    const b = s.snapshot?.breakdowns?.[dim];
    if (drawn && drawn.b === b && drawn.dim === dim && drawn.t === t && drawn.fmt === fmt && drawn.room === room) return;
    drawn = { b, dim, t, fmt, room, folded: false };
    attr(el, 'data-dim', dim);
    for (const [d, button] of buttons) {
      text(button, t('dim.' + d));
      attr(button, 'aria-pressed', String(d === dim));
    }
    text(f.keyHead, t('dim.' + dim));
    const region = dim === 'region';
    attr(f.convHead, 'hidden', region ? null : '');
    const all = b?.top || [];
    // As many top keys as the panel holds; the rest are summed into the "other" row, so the rows
    // shown always add up to the whole and none is cut in half.
    let n = all.length;
    if (room && n + (hasOther(b, n) ? 1 : 0) > room) n = Math.max(1, room - 1);
    drawn.folded = n < all.length;
    rows(b, all.slice(0, n), all.slice(n), region, s);
  }

  function hasOther(b, shown) {
    return b && (b.other.orders > 0 || shown < b.distinct || b.capped);
  }

  function rows(b, top, folded, region, s) {
    const { t, fmt } = s;
    const keys = top.map((e) => e.key);
    const other = hasOther(b, keys.length);
    if (other) keys.push(OTHER);
    const max = top.reduce((m, e) => Math.max(m, e.revenue), 0) || 1;
    const shown = keyedRows(f.brows, keys, buildRow);
    for (const e of top) fill(shown.get(e.key), e, t.label(e.key), region, max, s);
    if (other) {
      const label = t('breakdownOther', { n: fmt.num(Math.max(0, b.distinct - top.length), 0) })
        + (b.capped ? ' ' + t('breakdownCapped') : '');
      const sum = { ...b.other, share: null };
      for (const e of folded) {
        sum.revenue += e.revenue;
        sum.orders += e.orders;
        sum.units += e.units;
        // a region's conversion over the folded rows too: their orders over their sessions
        if (region) sum.sessions = (sum.sessions ?? 0) + (e.sessions ?? 0);
      }
      if (region && folded.length) sum.conversion = sum.sessions > 0 ? sum.orders / sum.sessions : null;
      fill(shown.get(OTHER), sum, label, region, max, s);
    }
    text(f.empty, keys.length ? '' : t('breakdownEmpty'));
  }

  function fill(r, e, name, region, max, s) {
    const { fmt } = s;
    text(r.name, name);
    style(r.cell, '--share', String(Math.round((e.revenue / max) * 1000) / 1000));
    text(r.revenue, fmt.moneyCell(e.revenue));
    text(r.share, e.share == null ? '' : fmt.pct(e.share, 1));
    text(r.orders, fmt.num(e.orders, 0));
    text(r.units, fmt.num(e.units, 0));
    text(r.conversion, region ? fmt.pct(e.conversion, 2) : '');
    attr(r.conversion, 'hidden', region ? null : '');
  }

  return {
    update(s, changed) {
      last = s;
      if (!touches(changed, 'snapshot')) return;
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
