// Budget burn per category: spent against the allocation (the bar) and against elapsed time (the
// marker), with the status the server decided (its burn rule, or a firing budget alert).
import { attr, fields, keyedRows, make, style, text, touches } from '../dom.js';

export function create(el) {
  const f = fields(el);
  return {
    update(s, changed) {
      if (!s.snapshot || !touches(changed, 'snapshot', 'plan')) return;
      const { t, fmt } = s;
      const budget = s.snapshot.budget || {};
      const elapsed = s.snapshot.plan.elapsed;
      const keys = Object.keys(budget);
      const rows = keyedRows(f.rows, keys, buildRow);
      let spent = 0;
      let allocated = 0;
      for (const key of keys) {
        const b = budget[key];
        spent += b.spent;
        allocated += b.allocated;
        const r = rows.get(key);
        const share = b.allocated > 0 ? b.spent / b.allocated : null;
        // the plan's own name for a line, else the usual name of the category; a narrow panel
        // ends it in an ellipsis, the whole name is the title
        const label = s.plan?.budgetLabels?.[key];
        text(r.name, label != null ? t.text(label) || key : t.label(key));
        if (r.name.title !== r.name.textContent) r.name.title = r.name.textContent;
        text(r.amounts, t('budgetTotal', { s: fmt.moneyShort(b.spent), a: fmt.moneyShort(b.allocated) }));
        text(r.used, share == null ? '—' : fmt.pct(share, 0));
        style(r.fill, 'transform', `scaleX(${share == null ? 0 : Math.round(Math.min(1, share) * 1000) / 1000})`);
        style(r.marker, 'transform', `translateX(${Math.round(elapsed * 1000) / 10}%)`);
        attr(r.el, 'data-status', b.status ?? null);
      }
      text(f.total, t('budgetTotal', { s: fmt.moneyShort(spent), a: fmt.moneyShort(allocated) }));
    },
  };
}

function buildRow(key) {
  const el = make('li', 'budget-row');
  el.dataset.key = key;
  const head = make('div', 'budget-head');
  const name = make('span', 'name');
  const amounts = make('span', 'amounts num muted');
  const used = make('span', 'used num');
  head.append(name, amounts, used);
  const bar = make('div', 'budget-bar');
  const fill = make('div', 'budget-fill');
  const marker = make('div', 'budget-marker');
  bar.append(fill, marker);
  el.append(head, bar);
  return { el, name, amounts, used, fill, marker };
}
