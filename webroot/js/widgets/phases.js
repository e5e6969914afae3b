// The plan's weekly phases with owner, activities and milestones. The week's state and each
// milestone's status come from the snapshot's `phases` section (the server decides them: a
// measured milestone is pending, on track, behind, met or missed by its value; a text one is open
// until an admin signs it off); the page never ticks a milestone because a date has passed.
// Built when the plan or the language changes; statuses and values updated on every snapshot.
import { attr, fields, make, text, touches } from '../dom.js';
import { DASH } from '../format.js';
import { formatKpi, formatPair } from '../kpis.js';

const OPS = { '>=': '≥', '<=': '≤' };

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
      dates.title = dates.textContent;
      const acts = make('ul', 'phase-acts');
      const texts = (w.activities || []).map((a) => t.text(a));
      for (const a of texts) {
        const item = make('li');
        text(item, a);
        item.title = item.textContent;
        acts.append(item);
      }
      // the activities that do not fit one by one, together on one line
      const joined = make('li', 'acts-joined');
      joined.hidden = true;
      const ms = make('ul', 'phase-milestones');
      const marks = (w.milestones || []).map((m) => {
        const item = make('li', 'milestone');
        const label = make('span', 'ms-text');
        text(label, t.text(m.text ?? m));
        label.title = label.textContent;
        const line = make('div', 'ms-line');
        const figure = make('span', 'ms-figure');
        const status = make('span', 'ms-status');
        line.append(status, figure);
        item.append(label, line);
        ms.append(item);
        return { item, figure, status };
      });
      const singles = [...acts.children];
      acts.append(joined);
      li.append(head, dates, acts, ms);
      f.list.append(li);
      return { li, badge, marks, acts: singles, texts, joined };
    });
    builtFor = s.plan;
    lastFit = '';
  }

  /**
   * Milestones come first: while a week's box overflows, its last activities share one line, cut
   * short (the whole text in its title; all of them on the plan page), then give way. A
   * milestone's text, status and figure wrap over as many lines as they need (a text cut to one
   * line read "…预约50…" as 50); only when even without activities the box overflows so, the last
   * milestones' texts keep one line, then their figures, cut short. Only when the box's size or
   * the texts change.
   */
  let lastFit = '';
  function fit() {
    const key = [el.clientWidth, el.clientHeight, f.list.textContent].join('|');
    if (key === lastFit) return;
    lastFit = key;
    const over = (it) => it.li.scrollHeight > it.li.clientHeight + 1;
    for (const it of items) {
      const n = it.marks.length;
      // the last k milestones keep their text to one line, the last k2 their figure too
      let done = false;
      for (let k2 = 0; k2 <= n && !done; k2++) {
        for (let k = k2; k <= n && !done; k++) {
          it.marks.forEach((mk, j) => {
            mk.item.classList.toggle('short', j >= n - k);
            mk.item.classList.toggle('tight', j >= n - k2);
          });
          for (let shown = it.acts.length; shown >= -1 && !done; shown--) {
            activities(it, shown);
            done = !over(it);
          }
        }
      }
    }
    lastFit = [el.clientWidth, el.clientHeight, f.list.textContent].join('|');
  }

  /** The first {@code shown} activities one by one, the rest on one line; none at all for -1. */
  function activities(it, shown) {
    it.acts.forEach((a, i) => { a.hidden = shown < 0 || i >= shown; });
    const rest = shown < 0 ? '' : it.texts.slice(shown).join(' · ');
    if (it.joined.textContent !== rest) {
      it.joined.textContent = rest;
      it.joined.title = rest;
    }
    it.joined.hidden = rest === '';
  }

  function figure(t, fmt, m) {
    if (!m.metric) return m.status === 'done' && m.by ? t('ms.doneBy', { by: m.by, at: fmt.day(m.at.slice(0, 10)) }) : '';
    const id = m.metric.startsWith('counter:') ? 'orders' : m.metric;
    if (m.goal == null) return `${m.value == null ? DASH : formatKpi(fmt, id, m.value)} · ${t('ms.noGoal')}`;
    const [v, goal] = formatPair(fmt, id, m.value ?? m.goal, m.goal);
    return `${m.value == null ? DASH : v} ${OPS[m.op] ?? m.op} ${goal}`;
  }

  return {
    update(s, changed) {
      if (!s.plan || !s.snapshot) return;
      if (builtFor !== s.plan || touches(changed, 'lang')) build(s);
      const phases = s.snapshot.phases || [];
      items.forEach((it, i) => {
        const p = phases[i];
        const state = p?.state || 'next';
        attr(it.li, 'data-phase', state);
        text(it.badge, state === 'current' ? s.t('now') : state === 'done' ? s.t('ended') : '');
        it.marks.forEach((mk, j) => {
          const m = p?.milestones?.[j];
          attr(mk.item, 'data-status', m?.status || 'pending');
          text(mk.status, m ? s.t('ms.' + m.status) : '');
          text(mk.figure, m ? figure(s.t, s.fmt, m) : '');
          if (mk.figure.title !== mk.figure.textContent) mk.figure.title = mk.figure.textContent;
        });
      });
      fit();
    },
  };
}
