// The plan page: the plan's market analysis and key strategies (CONTRACT section 9), in the
// page's language (?lang=zh-CN or en, else the browser's), read from GET /api/v1/plan.
import { applyLabels, pickLang, translator } from './i18n.js';

let stored = null;
try { stored = localStorage.getItem("warroom.lang"); } catch { /* storage off */ }
const lang = pickLang(new URLSearchParams(location.search), stored, navigator.language);
const t = translator(lang);

function table(id, head, rows) {
  const el = document.getElementById(id);
  el.replaceChildren();
  const h = el.createTHead().insertRow();
  for (const x of head) { const th = document.createElement('th'); th.textContent = x; h.appendChild(th); }
  const body = el.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const c of r) { const td = tr.insertCell(); td.textContent = c; td.className = 'text'; }
  }
}

async function load() {
  applyLabels(document, t);
  document.getElementById('back').href = `./?lang=${encodeURIComponent(lang)}`;
  const r = await fetch('api/v1/plan', { credentials: 'same-origin', cache: 'no-store' });
  if (!r.ok) throw new Error(`plan: HTTP ${r.status}`);
  const plan = await r.json();
  document.getElementById('title').textContent = `${t.text(plan.name)} · ${t('planPage')}`;
  table('market', [t('planDimension'), t('planFinding'), t('planTarget')],
    (plan.market || []).map((m) => [t.text(m.dimension), t.text(m.finding), t.text(m.target)]));
  table('strategies', [t('planStrategy'), t('planMeasures'), t('planDepartment'), t('planEffect')],
    (plan.strategies || []).map((s) => [t.text(s.text), (s.measures || []).map(t.text).join(' / '),
      t.text(s.department), t.text(s.effect)]));
  const ev = document.getElementById('evaluation');
  ev.replaceChildren(...(plan.evaluation || []).map((e) => { const li = document.createElement('li'); li.textContent = t.text(e); return li; }));
}

load().catch((e) => { const p = document.getElementById('error'); p.hidden = false; p.textContent = String(e.message || e); });
