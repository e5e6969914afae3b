// The plan page: the whole battle plan as the seed document gives it (CONTRACT section 9): market
// analysis, key strategies, the weekly phases (dates, activities, milestones, owner), the budget
// lines, the KPI targets, the risks with impact and response, the team roles with their weekly
// meetings, and the evaluation. In the page's language (?lang=zh-CN or en, else the browser's),
// read from GET /api/v1/plan; every text is set as textContent.
import { applyLabels, pickLang, translator } from './i18n.js';
import { DASH, formatter } from './format.js';
import { figureOf, formatKpi, setCatalogue, unitId } from './kpis.js';

let stored = null;
try { stored = localStorage.getItem("warroom.lang"); } catch { /* storage off */ }
const lang = pickLang(new URLSearchParams(location.search), stored, navigator.language);
const t = translator(lang);

const OPS = { '>=': '≥', '<=': '≤' };
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** An element with a class and, for a string, its text. */
function make(tag, cls, content) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (content != null) el.textContent = content;
  return el;
}

/** A list of texts (a table cell's activities or milestones). */
function list(items, cls) {
  const ul = make('ul', cls);
  for (const x of items) {
    const li = make('li');
    if (typeof x === 'string') li.textContent = x; else li.append(...x);
    ul.append(li);
  }
  return ul;
}

/**
 * Fills a table: head texts, and rows of cells. A cell is a string (its text), a node, or
 * {content, cls}; a row is an array of cells, or {cells, data} with data-* attributes.
 */
function table(id, head, rows, headCls = []) {
  const el = document.getElementById(id);
  el.replaceChildren();
  const h = el.createTHead().insertRow();
  head.forEach((x, i) => h.appendChild(make('th', headCls[i] || null, x)));
  const body = el.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    const cells = Array.isArray(r) ? r : r.cells;
    if (!Array.isArray(r)) for (const [k, v] of Object.entries(r.data || {})) tr.dataset[k] = v;
    for (const c of cells) {
      const td = tr.insertCell();
      const x = c != null && typeof c === 'object' && !(c instanceof Node) ? c : { content: c };
      td.className = x.cls || 'text';
      if (x.content instanceof Node) td.append(x.content);
      else td.textContent = x.content ?? '';
    }
  }
  // a section with nothing to show is left out (a plan need not have risks or teams)
  el.closest('section').hidden = rows.length === 0;
}

/** The last day of a period whose end is exclusive (as the phases widget shows a week). */
function lastDay(end) {
  return new Date(Date.parse(end + 'T00:00:00Z') - 86_400_000).toISOString().slice(0, 10);
}

/** A share with as few decimals (up to 2) as tell it exactly: 5 %, 2.5 %. */
function pctFit(fmt, v) {
  for (let d = 0; d < 2; d++) {
    const x = v * 100 * 10 ** d;
    if (Math.abs(x - Math.round(x)) < 1e-9) return fmt.pct(v, d);
  }
  return fmt.pct(v, 2);
}

/** A goal or target as the dashboard shows it; whole amounts of money without cents. */
function figure(fmt, id, v) {
  if (v == null) return DASH;
  if (figureOf(id)?.unit === 'money' && Number.isInteger(v)) return fmt.money(v, 0);
  return formatKpi(fmt, id, v);
}

/** A measured milestone's goal ("Goal: ≥ 5,000"); null for a milestone to be signed off. */
function goal(plan, fmt, m) {
  if (!m || typeof m !== 'object' || !m.metric || !('text' in m)) return null;
  const op = OPS[m.op] ?? m.op ?? '';
  if (m.value != null && typeof m.value === 'object' && m.value.growth != null) {
    return t('planGoalGrowth', { op, p: pctFit(fmt, m.value.growth) });
  }
  return t('planGoal', { op, v: figure(fmt, unitId(plan, m.metric), m.value) });
}

function milestone(plan, fmt, m) {
  const text = t.text(m != null && typeof m === 'object' && 'text' in m ? m.text : m);
  const g = goal(plan, fmt, m);
  const parts = [make('span', 'ms-text', text)];
  if (g) parts.push(make('span', 'ms-goal', g));
  return parts;
}

/** "周一 09:00" / "Mon 09:00" for a team's meeting, or the dash. */
function meeting(m) {
  if (!m?.day) return DASH;
  const day = DAYS.includes(m.day) ? t('day.' + m.day) : m.day;
  return `${day} ${String(m.time || '').slice(0, 5)}`.trim();
}

async function json(path) {
  const r = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
  if (!r.ok) throw new Error(`${path.replace('api/v1/', '')}: HTTP ${r.status}`);
  return r.json();
}

async function load() {
  applyLabels(document, t);
  document.getElementById('back').href = `./?lang=${encodeURIComponent(lang)}`;
  // the catalogue only says how figures are formatted: without it goals show as plain numbers
  const [plan, catalogue] = await Promise.all([json('api/v1/plan'), json('api/v1/catalogue').catch(() => null)]);
  setCatalogue(catalogue);
  const fmt = formatter(lang, plan.currency);
  const title = `${t.text(plan.name)} · ${t('planPage')}`;
  document.getElementById('title').textContent = title;
  document.title = `${title} · warroom`;
  if (plan.start && plan.end) {
    const long = new Intl.DateTimeFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-US',
      { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
    const d = (iso) => long.format(Date.parse(iso + 'T00:00:00Z'));
    document.getElementById('period').textContent = t('planPeriod',
      { from: d(plan.start), to: d(lastDay(plan.end)), tz: plan.timezone || '' });
  }

  table('market', [t('planDimension'), t('planFinding'), t('planTarget')],
    (plan.market || []).map((m) => [t.text(m.dimension), t.text(m.finding), t.text(m.target)]));
  table('strategies', [t('planStrategy'), t('planMeasures'), t('planDepartment'), t('planEffect')],
    (plan.strategies || []).map((s) => [t.text(s.text), list((s.measures || []).map(t.text), 'measures'),
      t.text(s.department), t.text(s.effect)]));

  table('phases', [t('planWeek'), t('planActivities'), t('planMilestones'), t('planOwner')],
    (plan.weeks || []).map((w, i) => {
      const head = make('div', 'week-n', t('week', { n: i + 1 }));
      const dates = make('div', 'week-dates', `${fmt.day(w.start)} – ${fmt.day(lastDay(w.end))}`);
      const cell = document.createDocumentFragment();
      cell.append(head, dates);
      return {
        data: { week: String(i + 1) },
        cells: [{ content: cell, cls: 'text week' },
          list((w.activities || []).map(t.text), 'activities'),
          list((w.milestones || []).map((m) => milestone(plan, fmt, m)), 'milestones'),
          t.text(w.owner) || DASH],
      };
    }));

  const lines = Object.entries(plan.budget || {}).filter(([, v]) => typeof v === 'number');
  const total = lines.reduce((s, [, v]) => s + v, 0);
  const share = (v) => (total > 0 ? pctFit(fmt, Math.round((v / total) * 1000) / 1000) : DASH);
  const budgetRows = lines.map(([k, v]) => ({
    data: { category: k },
    cells: [plan.budgetLabels?.[k] != null ? t.text(plan.budgetLabels[k]) : t.label(k),
      { content: fmt.money(v, 0), cls: 'num' }, { content: share(v), cls: 'num' }],
  }));
  if (lines.length > 1) {
    budgetRows.push({ data: { total: 'true' },
      cells: [t('planBudgetTotal'), { content: fmt.money(total, 0), cls: 'num' }, { content: share(total), cls: 'num' }] });
  }
  table('budget', [t('planBudgetItem'), t('planBudgetAmount'), t('planBudgetShare')], budgetRows, [null, 'num', 'num']);

  // The document's own KPI table where the plan carries it (names and goals as written), else the targets.
  if ((plan.kpiTable || []).length) {
    table('kpis', [t('planKpi'), t('planTarget')], plan.kpiTable.map((r) => ({
      data: { kpi: r.kpi || '' },
      cells: [t.text(r.name), { content: r.goal != null ? t.text(r.goal) : DASH, cls: 'num' }],
    })), [null, 'num']);
  } else table('kpis', [t('planKpi'), t('planTarget')],
    Object.entries(plan.targets || {}).map(([id, v]) => ({
      data: { kpi: id },
      cells: [t('kpi.' + id),
        { content: v != null && typeof v === 'object' && v.growth != null
          ? t('planGrowthTarget', { p: pctFit(fmt, v.growth) }) : figure(fmt, id, v), cls: 'num' }],
    })), [null, 'num']);

  table('risks', [t('planRisk'), t('planImpact'), t('planResponse')],
    (plan.risks || []).map((r) => ({ data: { risk: r.id || '' },
      cells: [t.text(r.text), t.text(r.impact), t.text(r.response)] })));

  table('teams', [t('planRole'), t('planDuties'), t('planMeeting')],
    (plan.teams || []).map((team) => {
      const cell = document.createDocumentFragment();
      const note = t.text(team.schedule);
      if (team.meeting?.day || !note) cell.append(make('span', 'meeting', meeting(team.meeting)));
      // the document's own wording ("周一9:00(全体)"), under the time, or alone without one
      if (note) cell.append(make('div', team.meeting?.day ? 'note schedule' : 'schedule', note));
      return { data: { team: team.id || '' }, cells: [t.text(team.name), t.text(team.duties), cell] };
    }));

  const ev = document.getElementById('evaluation');
  ev.replaceChildren(...(plan.evaluation || []).map((e) => make('li', null, t.text(e))));
  ev.closest('section').hidden = ev.children.length === 0;
  document.body.dataset.ready = 'true';
}

load().catch((e) => {
  document.body.dataset.ready = 'error';
  const p = document.getElementById('error'); p.hidden = false; p.textContent = String(e.message || e);
});
