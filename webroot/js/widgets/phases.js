// The plan's weekly phases with owner, activities and milestones; the current one highlighted,
// past ones marked as ended (never as achieved: a date passing proves nothing). Built when the plan
// or the language changes; the current phase is checked every second against the date in the
// plan's zone.
import { attr, fields, make, text, touches } from '../dom.js';
import { zoned } from '../format.js';

export function create(el) {
  const f = fields(el);
  let items = [];
  let builtFor = null;

  function build(s) {
    const { t, fmt } = s;
    f.list.replaceChildren();
    items = (s.plan.weeks || []).map((w, i) => {
      const li = make('li', 'phase');
      const head = make('div', 'phase-head');
      const title = make('span', 'phase-title');
      text(title, t('week', { n: i + 1 }));
      const badge = make('span', 'phase-badge');
      head.append(title, badge);
      const dates = make('div', 'phase-dates muted');
      const lastDay = new Date(Date.parse(w.end + 'T00:00:00Z') - 86_400_000).toISOString().slice(0, 10);
      text(dates, `${fmt.day(w.start)} – ${fmt.day(lastDay)}` + (w.owner ? ` · ${t.text(w.owner)}` : ''));
      const acts = make('ul', 'phase-acts');
      for (const a of w.activities || []) {
        const item = make('li');
        text(item, t.text(a));
        acts.append(item);
      }
      const ms = make('ul', 'phase-milestones');
      for (const m of w.milestones || []) {
        const item = make('li');
        text(item, t.text(m.text ?? m));
        ms.append(item);
      }
      li.append(head, dates, acts, ms);
      f.list.append(li);
      return { li, badge, start: w.start, end: w.end };
    });
    builtFor = s.plan;
  }

  return {
    update(s, changed) {
      if (!s.plan || !s.snapshot) return;
      if (builtFor !== s.plan || touches(changed, 'lang')) build(s);
      const today = zoned(s.serverNow(), s.snapshot.plan.timezone).date;
      for (const it of items) {
        const phase = today >= it.end ? 'done' : today >= it.start ? 'current' : 'next';
        attr(it.li, 'data-phase', phase);
        text(it.badge, phase === 'current' ? s.t('now') : phase === 'done' ? s.t('ended') : '');
      }
    },
  };
}
