// The printable campaign report. The server writes the whole document in the page's language
// (GET /api/v1/report?format=html: figures formatted, texts escaped, statuses as decided there);
// this page shows it, and lets it be printed only once it is shown.
import { pickLang } from './i18n.js';

const LANG_KEY = 'warroom.lang';
const WORDS = {
  en: { print: 'Print', csv: 'Download CSV', html: 'Printable page', next: "Next month's plan draft (JSON)", dashboard: 'Dashboard', loading: 'Loading the report…' },
  'zh-CN': { print: '打印', csv: '下载 CSV', html: '打印版页面', next: '下月计划草案 (JSON)', dashboard: '看板', loading: '报告加载中…' },
};

function stored() {
  try { return localStorage.getItem(LANG_KEY); } catch { return null; }
}

const params = new URLSearchParams(location.search);
const lang = pickLang(params, stored(), navigator.language);
const words = WORDS[lang];
document.documentElement.lang = lang;
for (const id of ['print', 'csv', 'html', 'next', 'dashboard']) document.getElementById(id).textContent = words[id];
document.getElementById('loading').textContent = words.loading;
document.getElementById('csv').href = 'api/v1/report?format=csv';
document.getElementById('html').href = `api/v1/report?format=html&lang=${encodeURIComponent(lang)}`;
for (const b of document.querySelectorAll('[data-lang]')) {
  b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  b.addEventListener('click', () => {
    try { localStorage.setItem(LANG_KEY, b.dataset.lang); } catch { /* private mode */ }
    params.set('lang', b.dataset.lang);
    location.search = params.toString();
  });
}

async function load() {
  const r = await fetch(`api/v1/report?format=html&lang=${encodeURIComponent(lang)}`,
    { credentials: 'same-origin', cache: 'no-store' });
  if (!r.ok) throw new Error(`report: HTTP ${r.status}`);
  // parsed inert (a template), so that its own style block meets no policy here: css/report.css
  // is the same sheet
  const doc = document.createElement('template');
  doc.innerHTML = await r.text();
  document.title = doc.content.querySelector('title').textContent;
  document.getElementById('doc').replaceChildren(
    document.importNode(doc.content.getElementById('head'), true), document.importNode(doc.content.getElementById('report'), true));
}

// Printing before the figures are shown would print headings only: any print waits for them.
const browserPrint = window.print.bind(window);
const shown = load().then(() => {
  document.body.dataset.ready = 'true';
  document.getElementById('print').disabled = false;
});
window.print = () => shown.then(browserPrint);
document.getElementById('print').addEventListener('click', () => window.print());
shown.then(() => { if (params.get('print') === '1') window.print(); })
  .catch((e) => {
    document.body.dataset.ready = 'error';
    const p = document.getElementById('error');
    p.hidden = false;
    p.textContent = String(e.message || e);
  });
