// A/B experiments (CONTRACT section 12): per running experiment its variants with sessions, orders
// and conversion, each variant's lift over the control with its always-valid 95 % interval, the
// decision the server made, and a warning when the split looks broken (sample-ratio mismatch).
// The panel takes the hourly chart's place; experiments that do not fit whole are counted instead.
import { attr, fields, hidden, keyedRows, make, text, touches } from '../dom.js';

export function create(el) {
  const f = fields(el);
  // fitted again when a card's or the list's size changes (the web font arriving, the room)
  let fitArgs = null;
  let refit = 0;
  const watched = new WeakSet();
  const seen = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => {
    if (!refit) {
      refit = requestAnimationFrame(() => {
        refit = 0;
        if (fitArgs) fit(...fitArgs);
      });
    }
  });
  seen?.observe(f.list);
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
        // a warning, as the srm-<experiment> rule's alert is; no status while hidden
        attr(c.srm, 'data-status', x.srmWarning ? 'warning' : null);
        attr(c.el, 'data-srm', x.srmWarning ? 'true' : 'false');
        text(c.srm, t('expSrmShort', { p: x.srmPValue == null ? '—' : x.srmPValue.toExponential(1) }));
        const byVariant = {};
        for (const r of x.results || []) byVariant[r.variant] = r;
        const rows = keyedRows(c.rows, Object.keys(x.variants), buildRow);
        for (const [name, v] of Object.entries(x.variants)) {
          const r = rows.get(name);
          const res = byVariant[name];
          text(r.name, name === x.control ? `${name} (${t('expControl')})` : name);
          text(r.sessions, fmt.num(v.sessions));
          text(r.sessionsUnit, t('expSessions'));
          text(r.orders, fmt.num(v.orders));
          text(r.ordersUnit, t('expOrders'));
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
      const els = ids.map((id) => cards.get(id).el);
      for (const c of els) {
        if (seen && !watched.has(c)) {
          watched.add(c);
          seen.observe(c);
        }
      }
      fitArgs = [els, f.list, f.more, t];
      fit(...fitArgs);
    },
  };
}

/** Shows the experiments that fit whole, in order, and how many more there are. */
function fit(els, list, more, t) {
  for (const el of els) el.hidden = false;
  hidden(more, true);
  const fits = (n) => n === 0 || els[n - 1].getBoundingClientRect().bottom
    <= list.getBoundingClientRect().bottom + 0.5;
  let n = els.length;
  while (!fits(n)) n--;
  if (n < els.length) {
    // the count takes a line of its own: the last shown may have to give way to it
    text(more, t('expMore', { n: els.length - n }));
    hidden(more, false);
    for (let i = n; i < els.length; i++) els[i].hidden = true;
    while (!fits(n)) {
      els[--n].hidden = true;
      text(more, t('expMore', { n: els.length - n }));
    }
  }
}

function buildCard(id) {
  const el = make('div', 'experiment');
  el.dataset.experiment = id;
  const title = make('h3', 'experiment-title');
  const srm = make('p', 'srm-warning');
  const table = make('table', 'experiment-table');
  const head = make('thead');
  const tr = make('tr');
  const ths = [];
  for (const [key, cls] of [['expVariant', ''], ['expConversion', 'n'], ['expLift', 'n'],
    ['expDecision', '']]) {
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
  // the variant, and under it its sessions and orders
  const cell = make('td', 'variant-cell');
  const nameEl = make('span', 'name');
  const counts = make('span', 'counts');
  const [sessions, sessionsUnit, orders, ordersUnit] = ['num sessions', 'unit', 'num orders', 'unit']
    .map((c) => make('span', c));
  counts.append(sessions, ' ', sessionsUnit, ' · ', orders, ' ', ordersUnit);
  cell.append(nameEl, counts);
  el.dataset.variant = name;
  const [conversion, lift, decision] = ['n num conversion', 'n num lift', 'decision']
    .map((c) => make('td', c));
  el.append(cell, conversion, lift, decision);
  return { el, name: nameEl, sessions, sessionsUnit, orders, ordersUnit, conversion, lift, decision };
}
