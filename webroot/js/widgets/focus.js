// The plan's focus targets (CONTRACT section 11) as KPI tiles: each with its text from the plan,
// its campaign value, target and the status the snapshot gives (data-kpi, data-status).
import { attr, fields, keyedRows, make, text, touches } from '../dom.js';

export function create(el) {
  const f = fields(el);
  return {
    update(s, changed) {
      if (!s.snapshot || !touches(changed, 'snapshot', 'plan')) return;
      const { t, fmt } = s;
      const focus = (s.snapshot.kpis || []).filter((k) => k.focus);
      attr(el, 'hidden', focus.length ? null : '');
      const texts = new Map((s.plan?.focus || []).map((x) => [x.id, x]));
      const tiles = keyedRows(f.tiles, focus.map((k) => k.id), buildTile);
      for (const k of focus) {
        const tile = tiles.get(k.id);
        const plan = texts.get(k.id);
        attr(tile.el, 'data-status', k.status ?? null);
        // before the plan has loaded the name is left blank rather than shown as its id
        text(tile.label, plan?.text ? t.text(plan.text) : s.plan ? k.id : '');
        text(tile.value, value(fmt, k.unit, k.value));
        text(tile.target, k.target == null ? t('noTarget') : t('targetLine', { v: value(fmt, k.unit, k.target) }));
        text(tile.status, k.status ? t('status.' + k.status) : '');
        text(tile.key, plan ? t('dim.' + plan.dimension) + ' · ' + t.label(plan.key) : '');
        // a narrow tile ends its texts in an ellipsis; the whole text is the title
        for (const x of [tile.label, tile.key, tile.target]) if (x.title !== x.textContent) x.title = x.textContent;
        // the wall's strip shows a target's name, figure and status on one line: the rest in its title
        const whole = [tile.label, tile.value, tile.key, tile.target, tile.status].map((x) => x.textContent).filter(Boolean).join(' · ');
        if (tile.el.title !== whole) tile.el.title = whole;
      }
    },
  };
}

function value(fmt, unit, v) {
  if (unit === 'money') return fmt.moneyCell(v);
  if (unit === 'share') return fmt.pct(v, 1);
  return fmt.num(v, 0);
}

function buildTile(id) {
  const el = make('article', 'tile focus-tile');
  el.dataset.kpi = id;
  const head = make('div', 'tile-head');
  const label = make('h3', 'tile-label');
  const status = make('span', 'chip');
  head.append(label, status);
  const value = make('div', 'tile-value num');
  const meta = make('div', 'tile-meta');
  const key = make('span', 'muted');
  const target = make('span');
  meta.append(key, target);
  el.append(head, value, meta);
  return { el, label, status, value, target, key };
}
