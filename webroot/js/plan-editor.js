// The plan editor (/plan.html, admins): loads the plan in force, edits its targets, budget, weeks
// with activities and milestones, and alert rules, texts in Chinese and English; previews the KPIs
// a candidate would give (POST api/v1/plan/preview) and puts it in force (PUT api/v1/plan). A
// refused plan's reason is shown at the field the server names, in the page's language. Parts of
// the plan this page does not edit (teams, risks, focus, ...) are sent back as they came.
import { getJson } from './api.js';
import { formatter } from './format.js';
import { pickLang, textIn as textOf } from './i18n.js';
import { editorTranslator } from './plan-i18n.js';

const LANG_KEY = 'warroom.lang';
const OPS = ['>=', '>', '<=', '<'];
const $ = (id) => document.getElementById(id);

const state = {
  lang: pickLang(new URLSearchParams(location.search), readStorage(), navigator.language),
  t: null,
  session: null,
  catalogue: null,
  doc: null, // the plan as loaded: what the page does not edit goes back unchanged
  m: null, // what the form edits
};

// ---- model: plan JSON <-> form values ----

/** A plan text as the two inputs show it; a plain string shows in both. */
function textIn(v) {
  if (v == null) return { zh: '', en: '' };
  if (typeof v === 'string') return { zh: v, en: v };
  return { zh: v['zh-CN'] ?? '', en: v.en ?? '', rest: v };
}

/** The inputs back as a plan text: null when empty, a string when both say the same. */
/** An instant as a date and time on the plan's clock ("2026-11-18 01:30"). */
function when(iso) {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const f = new Intl.DateTimeFormat('sv-SE', { timeZone: state.doc?.timezone || 'UTC', dateStyle: 'short', timeStyle: 'short' });
  return f.format(ms);
}

function textOut(x) {
  const zh = x.zh.trim() ? x.zh : '';
  const en = x.en.trim() ? x.en : '';
  if (!zh && !en) return null;
  if (zh === en) return zh;
  const o = {};
  for (const [k, v] of Object.entries(x.rest || {})) if (k !== 'zh-CN' && k !== 'en') o[k] = v;
  if (zh) o['zh-CN'] = zh;
  if (en) o.en = en;
  return o;
}

const str = (v) => (v == null ? '' : String(v));

/** An input's number: a JSON number when it reads as one; else the text, for the server to name. */
function numOut(s) {
  const v = s.trim();
  if (v === '') return null;
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v) && Number.isFinite(Number(v))) return Number(v);
  return v;
}

function toModel(doc) {
  const targets = {};
  for (const [k, v] of Object.entries(doc.targets || {})) {
    targets[k] = v != null && typeof v === 'object' ? { mode: 'growth', value: str(v.growth) } : { mode: 'abs', value: str(v) };
  }
  const labels = doc.budgetLabels || {};
  return {
    id: doc.id,
    name: textIn(doc.name),
    start: doc.start,
    end: doc.end,
    targets,
    budget: Object.entries(doc.budget || {}).map(([cat, amount]) => ({ cat, amount: str(amount), label: textIn(labels[cat]) })),
    weeks: (doc.weeks || []).map((w) => ({
      start: w.start,
      end: w.end,
      owner: textIn(w.owner),
      activities: (w.activities || []).map(textIn),
      milestones: (w.milestones || []).map(milestoneIn),
    })),
    alerts: (doc.alerts || []).map((r) => ({
      id: str(r.id), kpi: str(r.kpi), window: r.window || 'last1h', op: r.op || '<', warn: str(r.warn),
      critical: str(r.critical), for: str(r.for), clear: str(r.clear), minSamples: str(r.minSamples),
      runbook: textIn(r.runbook), owner: r.owner,
    })),
  };
}

function milestoneIn(x) {
  const plain = typeof x === 'string' || (x && typeof x === 'object' && !('text' in x));
  if (plain) return { text: textIn(x), measured: false, metric: 'revenue', window: 'week', op: '>=', mode: 'abs', value: '' };
  const growth = x.value != null && typeof x.value === 'object';
  return {
    text: textIn(x.text),
    measured: x.metric != null,
    metric: x.metric ?? 'revenue',
    window: x.window ?? 'week',
    op: x.op ?? '>=',
    mode: growth ? 'growth' : 'abs',
    value: growth ? str(x.value.growth) : str(x.value),
    done: x.done,
  };
}

/** The candidate plan: the loaded plan with the edited parts replaced. */
function toPlan() {
  const m = state.m;
  const p = JSON.parse(JSON.stringify(state.doc));
  p.id = m.id;
  p.name = textOut(m.name);
  p.start = m.start || null;
  p.end = m.end || null;
  p.targets = {};
  for (const [k, x] of Object.entries(m.targets)) {
    if (x.mode === 'abs') p.targets[k] = numOut(x.value);
    else if (x.mode === 'growth') p.targets[k] = { growth: numOut(x.value) };
  }
  p.budget = {};
  p.budgetLabels = {};
  for (const b of m.budget) {
    p.budget[b.cat] = numOut(b.amount);
    const label = textOut(b.label);
    if (label != null) p.budgetLabels[b.cat] = label;
  }
  p.weeks = m.weeks.map((w) => {
    const o = { start: w.start || null, end: w.end || null };
    const owner = textOut(w.owner);
    if (owner != null) o.owner = owner;
    o.activities = w.activities.map(textOut);
    o.milestones = w.milestones.map((x) => {
      const text = textOut(x.text);
      if (!x.measured) return x.done ? { text, done: x.done } : text;
      return { text, metric: x.metric, window: x.window, op: x.op,
        value: x.mode === 'growth' ? { growth: numOut(x.value) } : numOut(x.value) };
    });
    return o;
  });
  p.alerts = m.alerts.map((r) => {
    const o = { id: r.id, kpi: r.kpi, window: r.window, op: r.op, warn: numOut(r.warn), critical: numOut(r.critical) };
    if (r.for.trim()) o.for = r.for.trim();
    if (r.clear.trim()) o.clear = numOut(r.clear);
    if (r.minSamples.trim()) o.minSamples = numOut(r.minSamples);
    if (r.owner) o.owner = r.owner;
    const runbook = textOut(r.runbook);
    if (runbook != null) o.runbook = runbook;
    return o;
  });
  return p;
}

// ---- form ----

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('data')) e.setAttribute(k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

/** A labelled input bound to obj[key]; `path` is the plan field it becomes (for errors). */
function input(label, obj, key, path, opts = {}) {
  const i = el('input', { type: opts.type || 'text', dataPath: path, inputmode: opts.inputmode,
    placeholder: opts.placeholder, class: opts.cls, 'aria-label': label });
  i.value = obj[key] ?? '';
  i.addEventListener('input', () => { obj[key] = i.value; });
  return el('label', { class: 'field' }, el('span', { class: 'lbl', text: label }), i);
}

function select(label, obj, key, path, options, onChange) {
  const s = el('select', { dataPath: path, 'aria-label': label });
  for (const [value, text] of options) s.append(el('option', { value, text }));
  s.value = obj[key];
  s.addEventListener('change', () => {
    obj[key] = s.value;
    if (onChange) onChange();
  });
  return el('label', { class: 'field' }, el('span', { class: 'lbl', text: label }), s);
}

/** Both languages of a text: one group whose path is the text's, inputs at path.zh-CN / path.en. */
function textPair(label, obj, key, path) {
  const t = state.t;
  const x = obj[key];
  return el('div', { class: 'pair', dataPath: path },
    el('span', { class: 'lbl', text: label }),
    input(t('pe.zh'), x, 'zh', path + '.zh-CN', { cls: 'zh' }),
    input(t('pe.en'), x, 'en', path + '.en', { cls: 'en' }));
}

function button(key, onClick, cls) {
  const b = el('button', { type: 'button', class: cls || 'add', text: state.t(key) });
  b.addEventListener('click', () => { onClick(); render(); });
  return b;
}

const removeFrom = (list, item) => button('pe.remove', () => list.splice(list.indexOf(item), 1), 'remove');

function targetIds() {
  const ids = (state.catalogue?.figures || []).filter((f) => f.targetable).map((f) => f.id);
  for (const k of Object.keys(state.m.targets)) if (!ids.includes(k)) ids.push(k);
  return ids;
}

// What an absolute target looks like: a share is written 0.03 for 3 % (3 would be refused).
function hint(id) {
  const f = (state.catalogue?.figures || []).find((x) => x.id === id);
  return f?.unit === 'share' ? state.t('pe.shareHint') : '';
}

function metricOptions() {
  const t = state.t;
  const out = targetIds().map((id) => [id, t('kpi.' + id)]);
  for (const f of state.doc.focus || []) out.push([f.id, t.text(f.text) || f.id]);
  return out;
}

function render() {
  const t = state.t;
  const m = state.m;
  const form = $('editor');
  form.replaceChildren();

  form.append(el('section', { id: 'general' }, el('h2', { text: t('pe.general') }),
    el('div', { class: 'row' }, input(t('pe.id'), m, 'id', 'id'),
      input(t('pe.start'), m, 'start', 'start', { type: 'date' }),
      input(t('pe.end'), m, 'end', 'end', { type: 'date' })),
    textPair(t('pe.name'), m, 'name', 'name')));

  const tbody = el('tbody');
  for (const id of targetIds()) {
    const x = m.targets[id] || (m.targets[id] = { mode: 'none', value: '' });
    const path = 'targets.' + id;
    tbody.append(el('tr', { dataKpi: id },
      el('th', { text: t('kpi.' + id) }),
      el('td', {}, select(t('pe.mode'), x, 'mode', path + '.kind', [['none', t('pe.mode.none')], ['abs', t('pe.mode.abs')],
        ['growth', t('pe.mode.growth')]], render)),
      el('td', {}, x.mode === 'none' ? null : input(t('pe.value'), x, 'value',
        x.mode === 'growth' ? path + '.growth' : path,
        { inputmode: 'decimal', placeholder: x.mode === 'growth' ? t('pe.growthHint') : hint(id) }))));
  }
  form.append(el('section', { id: 'targets', dataPath: 'targets' }, el('h2', { text: t('pe.targets') }),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', { text: t('pe.kpi') }), el('th', { text: t('pe.mode') }),
      el('th', { text: t('pe.value') }))), tbody)));

  const budget = el('div', { class: 'rows' });
  for (const b of m.budget) {
    budget.append(el('div', { class: 'row item', dataPath: 'budget.' + b.cat },
      input(t('pe.category'), b, 'cat', 'budget.' + b.cat + '.category'),
      input(t('pe.amount'), b, 'amount', 'budget.' + b.cat, { inputmode: 'decimal' }),
      textPair(t('pe.label'), b, 'label', 'budgetLabels.' + b.cat),
      removeFrom(m.budget, b)));
  }
  form.append(el('section', { id: 'budget', dataPath: 'budget' }, el('h2', { text: t('pe.budget') }), budget,
    button('pe.addCategory', () => m.budget.push({ cat: 'category' + (m.budget.length + 1), amount: '0', label: textIn(null) }))));

  const weeks = el('div', { class: 'rows' });
  m.weeks.forEach((w, i) => {
    const p = `weeks[${i}]`;
    const acts = el('div', { class: 'list' });
    w.activities.forEach((a, j) => {
      const holder = { a };
      acts.append(el('div', { class: 'row item' }, textPair(`${j + 1}.`, holder, 'a', `${p}.activities[${j}]`),
        removeFrom(w.activities, a)));
    });
    const miles = el('div', { class: 'list' });
    w.milestones.forEach((x, k) => {
      const mp = `${p}.milestones[${k}]`;
      const box = el('div', { class: 'milestone item', dataPath: mp },
        textPair(`${k + 1}.`, x, 'text', x.measured || x.done ? mp + '.text' : mp));
      const toggle = el('input', { type: 'checkbox', dataPath: mp + '.measured', 'aria-label': t('pe.measured') });
      toggle.checked = x.measured;
      toggle.addEventListener('change', () => { x.measured = toggle.checked; render(); });
      box.append(el('label', { class: 'field check' }, toggle, el('span', { text: t('pe.measured') })));
      if (x.measured) {
        box.append(el('div', { class: 'row' },
          select(t('pe.metric'), x, 'metric', mp + '.metric', metricOptions()),
          select(t('pe.window'), x, 'window', mp + '.window', [['week', t('pe.window.week')], ['campaign', t('pe.window.campaign')]]),
          select(t('pe.op'), x, 'op', mp + '.op', OPS.map((o) => [o, o])),
          select(t('pe.mode'), x, 'mode', mp + '.kind', [['abs', t('pe.mode.abs')], ['growth', t('pe.mode.growth')]], render),
          input(t('pe.value'), x, 'value', x.mode === 'growth' ? mp + '.value.growth' : mp + '.value', { inputmode: 'decimal' })));
      } else if (x.done) {
        box.append(el('p', { class: 'done', text: t('pe.signedOff', { by: x.done.by, at: when(x.done.at) }) }));
      }
      box.append(removeFrom(w.milestones, x));
      miles.append(box);
    });
    weeks.append(el('fieldset', { class: 'week', dataPath: p },
      el('legend', { text: t('pe.week', { n: i + 1 }) }),
      el('div', { class: 'row' }, input(t('pe.start'), w, 'start', p + '.start', { type: 'date' }),
        input(t('pe.end'), w, 'end', p + '.end', { type: 'date' }), removeFrom(m.weeks, w)),
      textPair(t('pe.owner'), w, 'owner', p + '.owner'),
      el('h3', { text: t('pe.activities') }), acts,
      button('pe.addActivity', () => w.activities.push(textIn(null))),
      el('h3', { text: t('pe.milestones') }), miles,
      button('pe.addMilestone', () => w.milestones.push(milestoneIn('')))));
  });
  form.append(el('section', { id: 'weeks', dataPath: 'weeks' }, el('h2', { text: t('pe.weeks') }), weeks,
    button('pe.addWeek', () => {
      const last = m.weeks[m.weeks.length - 1];
      m.weeks.push({ start: last ? last.end : m.start, end: m.end, owner: textIn(null), activities: [], milestones: [] });
    })));

  const rules = el('div', { class: 'rows' });
  const windows = (state.catalogue?.windows || ['campaign', 'today', 'last1h', 'last15m']).map((w) => [w, w]);
  m.alerts.forEach((r, i) => {
    const p = `alerts[${i}]`;
    rules.append(el('fieldset', { class: 'rule item', dataPath: p },
      el('div', { class: 'row' },
        input(t('pe.ruleId'), r, 'id', p + '.id'),
        select(t('pe.kpi'), r, 'kpi', p + '.kpi', metricOptions()),
        select(t('pe.window'), r, 'window', p + '.window', windows),
        select(t('pe.op'), r, 'op', p + '.op', OPS.map((o) => [o, o])),
        input(t('pe.warn'), r, 'warn', p + '.warn', { inputmode: 'decimal' }),
        input(t('pe.critical'), r, 'critical', p + '.critical', { inputmode: 'decimal' }),
        input(t('pe.for'), r, 'for', p + '.for', { placeholder: '5m' }),
        input(t('pe.clear'), r, 'clear', p + '.clear', { inputmode: 'decimal' }),
        input(t('pe.minSamples'), r, 'minSamples', p + '.minSamples', { inputmode: 'numeric' }),
        removeFrom(m.alerts, r)),
      textPair(t('pe.runbook'), r, 'runbook', p + '.runbook')));
  });
  form.append(el('section', { id: 'alerts', dataPath: 'alerts' }, el('h2', { text: t('pe.alerts') }), rules,
    button('pe.addRule', () => m.alerts.push({ id: 'rule-' + (m.alerts.length + 1), kpi: 'conversion', window: 'last1h',
      op: '<', warn: '', critical: '', for: '5m', clear: '', minSamples: '', runbook: textIn(null) }))));
}

// ---- errors at their field ----

function clearErrors() {
  for (const e of document.querySelectorAll('.field-error')) e.remove();
  for (const e of document.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
}

/** The element of a field path, or of the nearest enclosing path the page shows. */
function fieldElement(path) {
  const all = [...document.querySelectorAll('#editor [data-path]')];
  for (let p = path; p; p = p.replace(/(\.[^.[\]]*|\[\d+\])$/, '')) {
    const found = all.find((e) => e.dataset.path === p);
    if (found) return found;
    if (!/(\.[^.[\]]*|\[\d+\])$/.test(p)) break;
  }
  return null;
}

function showFieldError(field, message) {
  const target = field && fieldElement(field);
  if (!target) return false;
  const reason = message.startsWith(field + ': ') ? message.slice(field.length + 2) : message;
  const note = el('span', { class: 'field-error', role: 'alert', dataFor: field, text: reason });
  target.setAttribute('aria-invalid', 'true');
  const control = target.matches('input, select');
  const place = control ? target.closest('label.field') || target : target.firstElementChild || target;
  if (place === target && !control) target.prepend(note);
  else place.after(note);
  if (typeof target.focus === 'function' && target.matches('input, select')) target.focus();
  place.scrollIntoView({ block: 'center' });
  return true;
}

function say(key, params, kind) {
  const s = $('status');
  s.textContent = state.t(key, params);
  s.dataset.kind = kind || '';
}

// ---- talking to the server ----

async function send(method, path, body) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (state.session?.csrf) headers['X-CSRF-Token'] = state.session.csrf;
  const r = await fetch(path, { method, headers, body: JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  let json = null;
  try {
    json = await r.json();
  } catch {
    json = null;
  }
  return { status: r.status, json };
}

/** A refusal in the page's language: the reason in that language, else in English, else the error. */
function refused(r) {
  const j = r.json;
  const reason = j?.reason?.[state.lang] || j?.reason?.en;
  const msg = !reason ? j?.error || `HTTP ${r.status}` : j.field ? `${j.field}: ${reason}` : reason;
  clearErrors();
  showFieldError(j?.field, msg);
  say(r.status === 400 ? 'pe.refused' : 'pe.failed', { msg }, 'error');
}

async function preview() {
  clearErrors();
  say('pe.previewing');
  const r = await send('POST', 'api/v1/plan/preview', toPlan());
  if (r.status !== 200) return refused(r);
  showPreview(r.json);
  say('pe.previewed', { id: r.json.plan.id }, 'ok');
}

async function save() {
  clearErrors();
  say('pe.saving');
  const r = await send('PUT', 'api/v1/plan', toPlan());
  if (r.status !== 200) return refused(r);
  state.doc = r.json;
  state.m = toModel(r.json);
  render();
  say('pe.saved', { id: r.json.id }, 'ok');
}

function showPreview(s) {
  const t = state.t;
  const fmt = formatter(state.lang, s.plan.currency);
  const units = new Map((state.catalogue?.figures || []).map((f) => [f.id, f]));
  // focus targets are named by the plan previewed, and carry their unit in the snapshot
  const focus = new Map((toPlan().focus || []).map((x) => [x.id, x]));
  const show = (k, v) => {
    if (v == null) return '—';
    const u = units.get(k.id);
    const unit = u?.unit ?? k.unit;
    if (unit === 'money') return fmt.money(v);
    if (unit === 'share') return fmt.pct(v, u?.decimals ?? 1);
    return fmt.num(v, u?.decimals ?? (unit === 'count' ? 0 : 2));
  };
  const name = (k) => (focus.has(k.id) ? textOf(focus.get(k.id).text, state.lang) || k.id : t('kpi.' + k.id));
  const rows = s.kpis.map((k) => el('tr', { dataKpi: k.id, dataStatus: k.status ?? '' },
    el('th', { text: name(k) }),
    el('td', { class: 'n', dataField: 'value', text: show(k, k.value) }),
    el('td', { class: 'n', dataField: 'target', text: show(k, k.target) }),
    el('td', { class: 'n', dataField: 'expected', text: 'expected' in k ? show(k, k.expected) : '' }),
    el('td', { dataField: 'status', text: t('status.' + (k.status ?? 'none')) })));
  $('previewTable').replaceChildren(
    el('thead', {}, el('tr', {}, el('th', { text: t('pe.kpi') }), el('th', { text: t('pe.current') }),
      el('th', { text: t('pe.target') }), el('th', { text: t('pe.expected') }), el('th', { text: t('pe.status') }))),
    el('tbody', {}, ...rows));
  $('previewOut').hidden = false;
  $('previewOut').dataset.plan = s.plan.id;
}

// ---- page ----

function labels() {
  const t = state.t;
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  document.documentElement.setAttribute('lang', state.lang);
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
}

function setLang(lang) {
  state.lang = lang;
  state.t = editorTranslator(lang);
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  labels();
  if (state.m) render();
  $('previewOut').hidden = true;
}

function readStorage() {
  try {
    return localStorage.getItem(LANG_KEY);
  } catch {
    return null;
  }
}

async function start() {
  for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => setLang(b.dataset.lang));
  setLang(state.lang);
  $('preview').addEventListener('click', () => preview().catch((e) => say('pe.failed', { msg: e.message }, 'error')));
  $('save').addEventListener('click', () => save().catch((err) => say('pe.failed', { msg: err.message }, 'error')));
  $('signout').addEventListener('click', async () => {
    await fetch('logout', { method: 'POST', credentials: 'same-origin' });
    location.href = 'login';
  });
  state.session = await getJson('api/v1/session');
  $('signin').hidden = state.session.admin || !state.session.adminLogin;
  $('signout').hidden = state.session.by !== 'cookie';
  if (!state.session.admin) {
    $('denied').hidden = false;
    $('denied').dataset.i18n = state.session.adminLogin ? 'pe.denied' : 'pe.deniedLocal';
    labels();
    $('status').textContent = '';
    return;
  }
  const [doc, catalogue] = await Promise.all([getJson('api/v1/plan'), getJson('api/v1/catalogue')]);
  state.doc = doc;
  state.catalogue = catalogue;
  state.m = toModel(doc);
  render();
  $('editor-actions').hidden = false;
  $('status').textContent = '';
  document.body.dataset.ready = 'true';
}

start().catch((e) => say('pe.failed', { msg: e.message }, 'error'));
