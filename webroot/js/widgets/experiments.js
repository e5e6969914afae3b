// A/B experiments (CONTRACT section 12): per running experiment its variants with sessions, orders
// and conversion, each variant's lift over the control with its always-valid 95 % interval, the
// decision the server made, and a warning when the split looks broken (sample-ratio mismatch).
import { attr, fields, hidden, keyedRows, make, text, touches } from '../dom.js';

export function create(el) {
  const f = fields(el);
  return {
    update(s, changed) {
      if (!s.snapshot || !touches(changed, 'snapshot')) return;
      const { t, fmt } = s;
      const all = s.snapshot.experiments || {};
      const ids = Object.keys(all);
      hidden(el, ids.length === 0);
      const cards = keyedRows(f.list, ids, buildCard);
      for (const id of ids) {
        const x = all[id];
        const c = cards.get(id);
        text(c.title, t.text(x.text) || id);
        for (const [th, key] of c.ths) text(th, t(key));
        hidden(c.srm, !x.srmWarning);
        attr(c.el, 'data-srm', x.srmWarning ? 'true' : 'false');
        text(c.srm, t('expSrm', { p: x.srmPValue == null ? '—' : x.srmPValue.toExponential(1) }));
        const byVariant = {};
        for (const r of x.results || []) byVariant[r.variant] = r;
        const rows = keyedRows(c.rows, Object.keys(x.variants), buildRow);
        for (const [name, v] of Object.entries(x.variants)) {
          const r = rows.get(name);
          const res = byVariant[name];
          text(r.name, name === x.control ? `${name} (${t('expControl')})` : name);
          text(r.sessions, fmt.num(v.sessions));
          text(r.orders, fmt.num(v.orders));
          text(r.conversion, fmt.pct(v.conversion, 2));
          if (res) {
            const ci = res.ci ? ` [${fmt.signed(res.ci[0], (a) => fmt.pct(a, 1))}, ${fmt.signed(res.ci[1], (a) => fmt.pct(a, 1))}]` : '';
            text(r.lift, fmt.signed(res.lift, (a) => fmt.pct(a, 1)) + ci);
            text(r.decision, t('dec.' + res.decision));
            attr(r.decision, 'data-decision', res.decision);
          } else {
            text(r.lift, '');
            text(r.decision, '');
            attr(r.decision, 'data-decision', null);
          }
        }
      }
    },
  };
}

function buildCard(id) {
  const el = make('div', 'experiment');
  el.dataset.experiment = id;
  const title = make('h3', 'experiment-title');
  const srm = make('p', 'srm-warning');
  srm.dataset.status = 'critical';
  const table = make('table', 'experiment-table');
  const head = make('thead');
  const tr = make('tr');
  const ths = [];
  for (const [key, cls] of [['expVariant', ''], ['expSessions', 'n'], ['expOrders', 'n'],
    ['expConversion', 'n'], ['expLift', 'n'], ['expDecision', '']]) {
    const th = make('th', cls);
    ths.push([th, key]);
    tr.append(th);
  }
  head.append(tr);
  const rows = make('tbody');
  table.append(head, rows);
  el.append(title, srm, table);
  return { el, title, srm, rows, ths };
}

function buildRow(name) {
  const el = make('tr', 'variant');
  el.dataset.variant = name;
  const cells = ['name', 'sessions', 'orders', 'conversion', 'lift', 'decision'].map((k) =>
    make('td', k === 'name' || k === 'decision' ? k : 'n num ' + k));
  el.append(...cells);
  const [nameEl, sessions, orders, conversion, lift, decision] = cells;
  return { el, name: nameEl, sessions, orders, conversion, lift, decision };
}
