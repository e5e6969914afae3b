// The plan's focus targets (CONTRACT section 11) as KPI tiles: each with its text from the plan,
// its campaign value, target and the status the snapshot gives (data-kpi, data-status), and its
// change against the same point of the previous period as every KPI tile has it (data-change; the
// line in the tile's title, as the strip has no room for it).
// On the wall's one-line strip, as many tiles as fit whole (each name at least 4 em wide, 5 in
// Chinese, or whole) in the plan's order; the rest are counted in "+N more", coloured by the worst
// status among them and named in its title. On the TV (?tv=1) the strip turns to the next ones
// every 12 s.
import { attr, fields, hidden, keyedRows, make, style, text, touches } from '../dom.js';
import { changeText, focusFigure } from '../kpis.js';

const TURN_MS = 12_000;
const RANK = { critical: 3, warning: 2, ok: 1 };

export function create(el, state) {
  const f = fields(el);
  let tiles = new Map();
  let ids = [];
  let t = null;
  let width = 0;
  let start = 0;
  let count = 0;
  let fitKey = '';
  let refit = 0;
  if (typeof ResizeObserver !== 'undefined') {
    new ResizeObserver(() => {
      if (!refit) {
        // fitted in the next frame, not inside the observer's callback
        refit = requestAnimationFrame(() => {
          refit = 0;
          width = el.getBoundingClientRect().width;
          fit();
        });
      }
    }).observe(el);
  }
  // a web font that arrives later changes the texts' widths
  document.fonts?.addEventListener?.('loadingdone', () => {
    fitKey = '';
    fit();
  });
  if (state.tv) {
    setInterval(() => {
      if (count >= ids.length) return;
      start = start + count >= ids.length ? 0 : start + count;
      fit();
    }, TURN_MS);
  }

  /**
   * Measured only when the room, the page shown or a text's width changed (a figure's length, as
   * figures are tabular): each tile's least width in one layout, then as many as fit from `start`.
   */
  function fit() {
    if (!t || !ids.length) return;
    const all = ids.map((id) => tiles.get(id));
    const key = [width, start, ...all.map((x) => x.label.textContent + '|' + x.value.textContent.length + '|' + x.status.textContent
      + '|' + x.target.textContent.length)].join('\u0000');
    if (key === fitKey) return;
    fitKey = key;
    for (const x of all) {
      hidden(x.el, false);
      style(x.el, 'min-width', '');
    }
    if (getComputedStyle(f.tiles).display !== 'flex') {
      // the full tiles of a one-column page: every one, in rows
      hidden(f.more, true);
      start = 0;
      count = all.length;
      return;
    }
    el.classList.add('measuring');
    text(f.more, t('focusMore', { n: all.length }));
    hidden(f.more, false);
    const room = Math.floor(el.getBoundingClientRect().width);
    const gap = parseFloat(getComputedStyle(f.tiles).columnGap) || 0;
    const least = all.map((x) => Math.ceil(x.el.getBoundingClientRect().width));
    const moreWidth = Math.ceil(f.more.getBoundingClientRect().width);
    el.classList.remove('measuring');
    const sum = least.reduce((a, w) => a + w, 0) + gap * (all.length - 1);
    let from = 0;
    let n = all.length;
    if (sum > room) {
      from = start < all.length ? start : 0;
      const avail = room - moreWidth - gap;
      let used = 0;
      n = 0;
      while (from + n < all.length && used + (n ? gap : 0) + least[from + n] <= avail) used += (n ? gap : 0) + least[from + n++];
      n = Math.max(1, n);
      // a single tile wider than the room: its name gives way rather than its figure
      least[from] = Math.min(least[from], Math.max(0, avail));
    }
    start = from;
    count = n;
    const folded = [];
    all.forEach((x, i) => {
      const shown = i >= from && i < from + n;
      hidden(x.el, !shown);
      style(x.el, 'min-width', shown ? least[i] + 'px' : '');
      if (!shown) folded.push(x);
    });
    hidden(f.more, !folded.length);
    text(f.more, folded.length ? t('focusMore', { n: folded.length }) : '');
    const worst = folded.reduce((w, x) => ((RANK[x.el.dataset.status] || 0) > (RANK[w] || 0) ? x.el.dataset.status : w), null);
    // coloured by the worst of the tiles it counts, whose statuses they carry: no status of its own
    attr(f.more, 'data-worst', worst);
    const title = folded.map((x) => x.el.title).join('\n');
    if (f.more.title !== title) f.more.title = title;
  }

  return {
    update(s, changed) {
      if (!s.snapshot || !touches(changed, 'snapshot', 'plan')) return;
      t = s.t;
      const { fmt } = s;
      const focus = (s.snapshot.kpis || []).filter((k) => k.focus);
      attr(el, 'hidden', focus.length ? null : '');
      const texts = new Map((s.plan?.focus || []).map((x) => [x.id, x]));
      ids = focus.map((k) => k.id);
      tiles = keyedRows(f.tiles, ids, buildTile);
      for (const k of focus) {
        const tile = tiles.get(k.id);
        const plan = texts.get(k.id);
        attr(tile.el, 'data-status', k.status ?? null);
        attr(tile.el, 'data-change', k.change == null ? null : String(k.change));
        // before the plan has loaded the name is left blank rather than shown as its id
        text(tile.label, plan?.text ? t.text(plan.text) : s.plan ? k.id : '');
        text(tile.value, value(fmt, k.unit, k.value));
        text(tile.target, k.target == null ? t('noTarget') : t('targetLine', { v: value(fmt, k.unit, k.target) }));
        text(tile.status, k.status ? t('status.' + k.status) : '');
        text(tile.key, plan ? t('dim.' + plan.dimension) + ' · ' + t.label(plan.key) : '');
        // a narrow tile ends its texts in an ellipsis; the whole text is the title
        for (const x of [tile.label, tile.key, tile.target]) if (x.title !== x.textContent) x.title = x.textContent;
        // the wall's strip shows a target's name, figure and status on one line: the rest in its title
        const change = k.change != null || k.previous != null ? changeText(t, fmt, k.id, k, focusFigure(k.unit)) : '';
        const whole = [...[tile.label, tile.value, tile.key, tile.target, tile.status].map((x) => x.textContent), change]
          .filter(Boolean).join(' · ');
        if (tile.el.title !== whole) tile.el.title = whole;
      }
      if (start >= ids.length) start = 0;
      fit();
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
