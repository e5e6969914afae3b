// The printable campaign report: reads GET /api/v1/report and fills the tables.
import { textIn } from './i18n.js';

const tx = (v) => textIn(v, 'en');
const money = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const pct = (v) => (v == null ? '—' : `${(v * 100).toFixed(1)} %`);
const num = (v) => (v == null ? '—' : money.format(v));
const ratio = (v) => (v == null ? '—' : v.toFixed(4));

function cell(row, text, cls) {
  const td = document.createElement(row.parentElement && row.parentElement.tagName === 'THEAD' ? 'th' : 'td');
  td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
}

function table(id, head, rows) {
  const t = document.getElementById(id);
  t.replaceChildren();
  const h = t.createTHead().insertRow();
  head.forEach((x) => { const th = document.createElement('th'); th.textContent = x; h.appendChild(th); });
  const body = t.createTBody();
  if (rows.length === 0) { cell(body.insertRow(), 'none'); return; }
  rows.forEach((r) => { const tr = body.insertRow(); r.forEach((c) => (Array.isArray(c) ? cell(tr, c[0], c[1]) : cell(tr, c))); });
}

const RATES = new Set(['repurchaseRate', 'conversion', 'onlineShare']);
/** A KPI's value or target as people read it: rates as percentages, ROI and NPS with decimals. */
function kpiValue(id, v) {
  if (v == null) return '—';
  if (RATES.has(id)) return pct(v);
  if (id === 'roi') return v.toFixed(2);
  if (id === 'nps') return v.toFixed(1);
  return num(v);
}

const done = (c) => [pct(c), c == null ? '' : c >= 1 ? 'met' : 'low'];

async function load() {
  const r = await fetch('api/v1/report', { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
  if (!r.ok) throw new Error(`report: HTTP ${r.status}`);
  const rep = await r.json();
  document.getElementById('title').textContent = `${tx(rep.plan.name)} — ${rep.final ? 'final report' : 'report so far'}`;
  document.getElementById('period').textContent = `${rep.plan.start} to ${rep.plan.end} (${rep.plan.timezone}, ${rep.plan.currency}) · as of ${rep.asOf}`;
  table('kpis', ['KPI', 'value', 'target', 'completion'],
    rep.kpis.filter((k) => !k.focus).map((k) => [k.id, kpiValue(k.id, k.value), kpiValue(k.id, k.target), done(k.completion)]));
  const focusValue = (k, v) => (v == null ? '—' : k.unit === 'share' ? pct(v) : num(v));
  table('focus', ['focus target', 'dimension', 'key', 'metric', 'value', 'target', 'completion'],
    rep.kpis.filter((k) => k.focus).map((k) => [[tx(k.text) || k.id, 'text'], k.dimension, [k.key, 'text'], k.metric,
      focusValue(k, k.value), focusValue(k, k.target), done(k.completion)]));
  table('weeks', ['week', 'owner', 'milestones', 'revenue', 'revenue target', 'completion', 'orders', 'conversion', 'ad spend', 'ROI'],
    rep.weeks.map((w) => [`${w.start} – ${w.end}`, [tx(w.owner), 'text'], [w.milestones.map((m) => `${tx(m.text)} [${m.status}]`).join('; '), 'text'],
      num(w.revenue), num(w.revenueTarget), done(w.completion), num(w.orders), ratio(w.conversion), num(w.adSpend), ratio(w.roi)]));
  table('milestones', ['week', 'milestone', 'value', 'goal', 'status'],
    rep.weeks.flatMap((w, i) => w.milestones.map((m) => [String(i + 1), [tx(m.text), 'text'],
      m.metric ? kpiValue(m.metric, m.value) : '', m.metric ? kpiValue(m.metric, m.goal) : '',
      m.status + (m.by ? ` (${m.by}, ${m.at})` : '')])));
  document.querySelectorAll('#milestones tbody tr').forEach((tr, j) => {
    const all = rep.weeks.flatMap((w) => w.milestones);
    if (all[j]) tr.setAttribute('data-status', all[j].status);
  });
  table('budget', ['category', 'allocated', 'spent', 'spent of allocation'],
    rep.budget.map((b) => [b.category, num(b.allocated), num(b.spent), pct(b.completion)]));
  table('channels', ['channel', 'revenue', 'orders', 'sessions', 'conversion'],
    Object.entries(rep.channels).map(([k, c]) => [k, num(c.revenue), num(c.orders), num(c.sessions), ratio(c.conversion)]));
  table('adChannels', ['ad channel', 'spend', 'attributed revenue', 'ROI'],
    Object.entries(rep.adChannels).map(([k, c]) => [k, num(c.spend), num(c.attributedRevenue), ratio(c.roi)]));
  table('alerts', ['rule', 'KPI', 'severity', 'since', 'resolved', 'message'],
    rep.alerts.map((a) => [a.rule || a.id, a.kpi, a.severity, a.since || '', a.resolvedAt || '', [a.message || '', 'text']]));
  table('annotations', ['from', 'to', 'text', 'tags'],
    (rep.annotations || []).map((a) => [a.ts, a.end || '', [a.text, 'text'], [(a.tags || []).join(', '), 'text']]));
}

load().catch((e) => { const p = document.getElementById('error'); p.hidden = false; p.textContent = String(e.message || e); });
