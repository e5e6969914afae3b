// The plan's weekly phases with owner, activities and milestones. The week's state and each
// milestone's status come from the snapshot's `phases` section (the server decides them: a
// measured milestone is pending, on track, behind, met or missed by its value; a text one is open
// until an admin signs it off); the page never ticks a milestone because a date has passed.
// Built when the plan or the language changes; statuses and values updated on every snapshot.
import { attr, fields, make, text, touches } from '../dom.js';
import { DASH, zoned } from '../format.js';
import { formatKpi, formatPair, unitId } from '../kpis.js';

const OPS = { '>=': '≥', '<=': '≤' };
/** The order in which a week's last line counts the milestones it hides. */
const COUNTED = ['met', 'done', 'on-track', 'behind', 'missed', 'open', 'pending'];
/**
 * Boxes in the one row: a plan of up to five weeks shows them all (a December of five: 12/1–7 …
 * 29–31; at least four columns, as the seed's four weeks); a longer plan (up to 60 weeks) shows
 * five around the current week and counts the rest in the panel's head, their weeks in its title.
 */
const ROW = 5;

export function create(el) {
  const f = fields(el);
  let items = [];
  let builtFor = null;
  let tr = null; // the translator of the last update, for the line of hidden milestones
  let fold = null; // "+N more weeks" in the head, when the plan has more weeks than the row
  let windowKey = '';

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
      // the owner wraps whole to the next line rather than break inside its name
      const owner = make('span', 'phase-owner');
      text(owner, w.owner ? `·\u00a0${t.text(w.owner)}` : '');
      dates.append(span(fmt, w.start, lastDay) + (w.owner ? ' ' : ''), owner);
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
        return { item, label, figure, status };
      });
      // the milestones that do not fit, counted by status on one last line (their texts in its title)
      const more = make('li', 'ms-more');
      more.hidden = true;
      ms.append(more);
      const singles = [...acts.children];
      acts.append(joined);
      li.append(head, dates, acts, ms);
      f.list.append(li);
      return { li, badge, marks, acts: singles, texts, joined, ms, more, moreKey: '' };
    });
    f.list.style.setProperty('--weeks', String(Math.max(4, Math.min(items.length, ROW))));
    attr(f.list, 'data-weeks', String(Math.max(4, Math.min(items.length, ROW))));
    if (!fold) {
      fold = make('span', 'phase-fold num');
      el.querySelector('.panel-head')?.append(fold);
    }
    fold.hidden = true;
    windowKey = '';
    builtFor = s.plan;
    lastFit = '';
  }

  /**
   * Milestones come first: while a week's box overflows, its last activities share one line, cut
   * short (the whole text in its title; all of them on the plan page), then give way. A
   * milestone's text, status and figure wrap over as many lines as they need (a text cut to one
   * line read "…预约50…" as 50; a figure that does not fit beside its status takes a line of its
   * own, never cut: "¥300.00 ≥ ¥30…" lost its goal); only when even without activities the box
   * overflows, the last milestones keep a figure without a goal (a note: "no goal yet", "signed
   * off by") to one line, then their texts, and when even that is too much the last milestones
   * give way as whole lines: a last line counts them by status ("+4 · 2 met · 1 behind"), their
   * texts in its title. Every milestone stays in the page with its data-status. Only when the
   * box's size, the texts or the fonts change.
   */
  let lastFit = '';
  const fitKey = () => [el.clientWidth, el.clientHeight, windowKey, f.list.textContent].join('|');
  function fit() {
    if (fitKey() === lastFit) return;
    for (const it of items) if (!it.li.hidden) fitWeek(it);
    lastFit = fitKey();
  }
  // a web font arriving changes every text's size but not the box's: fitted again
  document.fonts?.addEventListener?.('loadingdone', () => {
    lastFit = '';
    fit();
  });

  /**
   * The fewest hidden milestones, then the fewest notes kept to one line, then the fewest texts,
   * then the most activities one by one: each found with the later ones at their most compact.
   */
  function fitWeek(it) {
    const n = it.marks.length;
    const fits = (hide, tight, short, shown) => {
      milestones(it, hide, tight, short);
      activities(it, shown);
      return !over(it);
    };
    const hiding = (least) => {
      let h = 0;
      while (h < n && !fits(h, n - h, n - h, least)) h++;
      return h;
    };
    // The activities keep at least their one joined line, even at the cost of milestones, as
    // long as one milestone stays shown (the last ones are counted on the "+N" line); in a row
    // of five narrower boxes the milestones (their statuses) come first and the activities give
    // way when that shows more of them (all of them are on the plan page).
    let least = -1;
    let hide = -1;
    if (it.acts.length) {
      const h = hiding(0);
      if (h < n || (n === 0 && fits(0, 0, 0, 0))) {
        least = 0;
        hide = h;
      }
      if (least === 0 && h > 0 && Math.min(items.length, ROW) === ROW) {
        const without = hiding(-1);
        if (without < h) {
          least = -1;
          hide = without;
        }
      }
    }
    if (least < 0 && hide < 0) hide = hiding(-1);
    const shownMarks = n - hide;
    let tight = 0;
    while (tight < shownMarks && !fits(hide, tight, shownMarks, least)) tight++;
    let short = tight;
    while (short < shownMarks && !fits(hide, tight, short, least)) short++;
    let shown = it.acts.length;
    while (shown > least && !fits(hide, tight, short, shown)) shown--;
    if (shown === least) fits(hide, tight, short, least);
  }

  /**
   * Whether the week's box cuts anything: its content reaching past its inner bottom (a milestone
   * half cut), or a figure wider than its box (a goal cut off).
   */
  function over(it) {
    const li = it.li;
    if (li.scrollHeight > li.clientHeight + 1) return true;
    const inner = li.getBoundingClientRect().top + li.clientTop + li.clientHeight;
    if (it.ms.getBoundingClientRect().bottom > inner + 0.5) return true;
    return it.marks.some((mk) => !mk.item.hidden && mk.figure.textContent !== ''
      && !(mk.note && mk.item.classList.contains('tight'))
      && mk.figure.scrollWidth > mk.figure.clientWidth + 1);
  }

  /**
   * All but the last {@code hide} milestones shown; of those the last {@code short} keep their
   * text to one line and the last {@code tight} a figure without a goal too (never one with a goal).
   */
  function milestones(it, hide, tight, short) {
    const shown = it.marks.length - hide;
    it.marks.forEach((mk, j) => {
      if (mk.item.hidden !== j >= shown) mk.item.hidden = j >= shown;
      mk.item.classList.toggle('short', j < shown && j >= shown - short);
      mk.item.classList.toggle('tight', j < shown && j >= shown - tight);
    });
    moreLine(it, it.marks.slice(shown));
  }

  /** "+4 · 2 met · 1 behind · 1 open" for the milestones given (hidden when none). */
  function moreLine(it, hidden) {
    const t = tr;
    const counts = new Map();
    for (const mk of hidden) {
      const st = mk.item.getAttribute('data-status') || 'pending';
      counts.set(st, (counts.get(st) || 0) + 1);
    }
    const order = [...COUNTED, ...[...counts.keys()].filter((st) => !COUNTED.includes(st))];
    const parts = order.filter((st) => counts.has(st))
      .map((st) => [st, t('ms.moreCount', { n: counts.get(st), s: t('ms.' + st) })]);
    const title = hidden.map((mk) => [mk.label.textContent, mk.status.textContent, mk.figure.textContent]
      .filter((x) => x).join(' · ')).join('\n');
    const key = hidden.length + '|' + JSON.stringify(parts) + '|' + title;
    if (key === it.moreKey) return;
    it.moreKey = key;
    it.more.hidden = hidden.length === 0;
    const nodes = [];
    if (hidden.length) {
      const head = make('span', 'ms-more-n');
      head.textContent = t('ms.more', { n: hidden.length });
      nodes.push(head);
      for (const [st, words] of parts) {
        const part = make('span', 'ms-more-count');
        part.setAttribute('data-of', st);
        part.textContent = words;
        nodes.push(' · ', part);
      }
    }
    it.more.replaceChildren(...nodes);
    // one line, cut short with an ellipsis when the box is narrow: the whole line in its title
    it.more.title = hidden.length ? it.more.textContent + '\n' + title : '';
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

  /**
   * "11/22–30" or "11/29–12/5" in Chinese, "Nov 22–30" or "Nov 29–Dec 5" in English: short, so the
   * owner fits beside it (a second line of dates cost week 4 of the seed plan its second milestone).
   */
  function span(fmt, start, last) {
    const [, m1, d1] = start.split('-').map(Number);
    const [, m2, d2] = last.split('-').map(Number);
    if (fmt.zh) return m1 === m2 ? `${m1}/${d1}–${d2}` : `${m1}/${d1}–${m2}/${d2}`;
    return m1 === m2 ? `${fmt.day(start)}–${d2}` : `${fmt.day(start)}–${fmt.day(last)}`;
  }

  function figure(t, fmt, m, plan) {
    const tz = plan.timezone || 'UTC';
    // signed off on the plan's calendar day, not UTC's
    if (!m.metric) return m.status === 'done' && m.by ? t('ms.doneBy', { by: m.by, at: fmt.day(zoned(Date.parse(m.at), tz).date) }) : '';
    const id = unitId(plan, m.metric);
    if (m.goal == null) return `${m.value == null ? DASH : formatKpi(fmt, id, m.value)} · ${t('ms.noGoal')}`;
    const [v, goal] = formatPair(fmt, id, m.value ?? m.goal, m.goal);
    return `${m.value == null ? DASH : v} ${OPS[m.op] ?? m.op} ${goal}`;
  }

  /**
   * A plan longer than the row: the current week (else the next to come, else the last), the one
   * before it and the ones after, five in all; the rest counted in the head, their weeks in its title.
   */
  function showWindow(t, phases) {
    const n = items.length;
    let from = 0;
    if (n > ROW) {
      let cur = phases.findIndex((p) => p?.state === 'current');
      if (cur < 0) cur = phases.findIndex((p) => p?.state !== 'done');
      if (cur < 0) cur = n - 1;
      from = Math.max(0, Math.min(cur - 1, n - ROW));
    }
    const to = n > ROW ? from + ROW : n;
    const key = from + '-' + to;
    if (key === windowKey) return;
    windowKey = key;
    items.forEach((it, i) => { it.li.hidden = i < from || i >= to; });
    const rest = items.filter((it) => it.li.hidden);
    fold.hidden = rest.length === 0;
    fold.textContent = rest.length ? t('weeksMore', { n: rest.length }) : '';
    fold.title = rest.map((it) => it.li.querySelector('.phase-title').textContent + ' '
      + it.li.querySelector('.phase-dates').textContent).join('\n');
  }

  return {
    update(s, changed) {
      if (!s.plan || !s.snapshot) return;
      if (builtFor !== s.plan || touches(changed, 'lang')) build(s);
      tr = s.t;
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
          text(mk.figure, m ? figure(s.t, s.fmt, m, s.plan) : '');
          // a value against its goal is never cut; a note (no goal yet, signed off by) may be
          mk.note = !m?.metric || m.goal == null;
          attr(mk.figure, 'data-kind', mk.note ? 'note' : 'goal');
          if (mk.figure.title !== mk.figure.textContent) mk.figure.title = mk.figure.textContent;
        });
      });
      showWindow(s.t, phases);
      fit();
    },
  };
}
