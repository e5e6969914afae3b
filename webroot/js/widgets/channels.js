// Sales channels over the campaign: revenue (gross order amount), orders, conversion, with a bar of
// each channel's share of the largest. Online channels carry a dot. The biggest rows are shown; the
// rest are summed into one row, so the table stays the same size however many channels report.
import { attr, fields, keyedRows, make, style, text, touches } from '../dom.js';

const ROWS = 6;
const OTHERS = '\u0000others';
const SERVER_OTHER = '(other)';

export function create(el) {
  const f = fields(el);
  return {
    update(s, changed) {
      if (!s.snapshot || !touches(changed, 'snapshot', 'plan')) return;
      const { t, fmt } = s;
      const entries = Object.entries(s.snapshot.channels || {});
      const all = entries.filter((e) => e[0] !== SERVER_OTHER).sort((a, b) => b[1].revenue - a[1].revenue || (a[0] < b[0] ? -1 : 1));
      const serverRest = entries.filter((e) => e[0] === SERVER_OTHER).map((e) => e[1]);
      let shown = all;
      if (all.length > ROWS || serverRest.length) {
        shown = all.slice(0, ROWS - 1);
        const rest = [...all.slice(ROWS - 1).map((e) => e[1]), ...serverRest];
        const sum = (k) => rest.reduce((acc, r) => acc + r[k], 0);
        const orders = sum('orders');
        const sessions = sum('sessions');
        shown.push([OTHERS, { revenue: sum('revenue'), orders, sessions, conversion: sessions ? orders / sessions : null, count: serverRest.length ? null : rest.length }]);
      }
      const max = shown.reduce((m, e) => Math.max(m, e[1].revenue), 0) || 1;
      const online = new Set(s.plan?.onlineChannels || []);
      const rows = keyedRows(f.rows, shown.map((e) => e[0]), buildRow);
      for (const [key, c] of shown) {
        const r = rows.get(key);
        text(r.name, key === OTHERS ? (c.count ? `+${c.count}` : t('others')) : t.label(key));
        attr(r.el, 'data-online', online.has(key) ? 'true' : null);
        style(r.cell, '--share', String(Math.round((c.revenue / max) * 1000) / 1000));
        text(r.revenue, fmt.moneyCell(c.revenue));
        text(r.orders, fmt.num(c.orders, 0));
        text(r.conversion, fmt.pct(c.conversion, 2));
      }
    },
  };
}

function buildRow(key) {
  const tr = make('tr');
  tr.dataset.key = key;
  const cell = make('td', 'name');
  const name = make('span', 'label');
  cell.append(name);
  const revenue = make('td', 'n num', 'revenue');
  const orders = make('td', 'n num', 'orders');
  const conversion = make('td', 'n num', 'conversion');
  tr.append(cell, revenue, orders, conversion);
  return { el: tr, cell, name, revenue, orders, conversion };
}
