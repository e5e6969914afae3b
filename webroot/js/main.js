// Boot: one state object, one stream, and the widgets found by data-widget (each with its data-id).
// Every change marks what changed and asks for one render in the next animation frame, so four
// snapshots a second cost at most one pass, and widgets write only the values that differ.
import { getJson } from './api.js';
import { openStream } from './connection.js';
import { formatter } from './format.js';
import { applyLabels, pickLang, translator } from './i18n.js';
import { setCatalogue } from './kpis.js';
import * as header from './widgets/header.js';
import * as hero from './widgets/hero.js';
import * as kpiTile from './widgets/kpi-tile.js';
import * as cumulative from './widgets/cumulative.js';
import * as hourly from './widgets/hourly.js';
import * as channels from './widgets/channels.js';
import * as adChannels from './widgets/ad-channels.js';
import * as budget from './widgets/budget.js';
import * as phases from './widgets/phases.js';
import * as alerts from './widgets/alerts.js';
import * as health from './widgets/health.js';
import * as breakdowns from './widgets/breakdowns.js';
import * as focus from './widgets/focus.js';
import * as adminLink from './widgets/admin-link.js';
import * as experiments from './widgets/experiments.js';
import * as team from './widgets/team.js';

const WIDGETS = {
  header, hero, 'kpi-tile': kpiTile, cumulative, hourly, channels, 'ad-channels': adChannels,
  budget, phases, alerts, health, breakdowns, focus, experiments, team,
};
const SERIES_EVERY_MS = 60_000;
const HISTORY_KEPT = 20;
const LANG_KEY = 'warroom.lang';

const params = new URLSearchParams(location.search);
const tv = params.get('tv') === '1';
if (tv) document.documentElement.classList.add('tv');
if (params.get('team')) document.documentElement.dataset.team = 'true';

const state = {
  tv,
  /** A team's own screen (?team=<id>): its alerts only, its KPIs marked. */
  team: team.teamParam(params),
  // a wall screen (?tv=1) keeps its own language: its URL's, never another screen's choice
  lang: pickLang(params, tv ? null : readStorage(LANG_KEY), navigator.language),
  t: null,
  fmt: null,
  currency: 'CNY',
  snapshot: null,
  plan: null,
  series: null,
  /** Set while reconnected and the chart data not yet fetched again: charts keep what they show. */
  seriesStale: false,
  /** `loaded`: the first answer of /api/v1/alerts came; until then the panel does not say "none". */
  alerts: { active: [], history: [], loaded: false },
  annotations: [],
  conn: { state: 'connecting', lastSnapshotAt: 0 },
  offset: 0,
  /** The server's clock now, estimated from the last snapshot's asOf. */
  serverNow: () => Date.now() + state.offset,
};

const activeAlerts = new Map();
let history = [];
let alertsLoaded = false;

let dirty = new Set();
let frame = 0;
function invalidate(what) {
  dirty.add(what);
  if (!frame) frame = requestAnimationFrame(render);
}

const widgets = [];
function render() {
  frame = 0;
  const changed = dirty;
  dirty = new Set();
  for (const w of widgets) {
    try {
      w.update(state, changed);
    } catch (e) {
      console.error(`widget ${w.id}:`, e);
    }
  }
  // the seq of the snapshot on the screen, for checks from outside
  const seq = state.snapshot ? String(state.snapshot.seq) : null;
  if (seq && document.body.dataset.seq !== seq) document.body.dataset.seq = seq;
}

function setLang(lang, remember = false) {
  state.lang = lang;
  state.t = translator(lang);
  state.fmt = formatter(lang, state.currency);
  if (remember && !tv) writeStorage(LANG_KEY, lang);
  applyLabels(document, state.t);
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  invalidate('lang');
}

/** The newest value of each section event; merged into every snapshot the widgets see. */
const sections = {};

function onSection(name, value) {
  if (value == null) delete sections[name];
  else sections[name] = value;
  if (state.snapshot) {
    state.snapshot = { ...state.snapshot, [name]: value ?? undefined };
    invalidate('snapshot');
  }
}

function onSnapshot(core) {
  const snap = { ...core, ...sections };
  const prev = state.snapshot;
  state.snapshot = snap;
  state.offset = Date.parse(snap.asOf) - Date.now();
  state.conn.lastSnapshotAt = Date.now();
  if (snap.plan.currency && snap.plan.currency !== state.currency) {
    state.currency = snap.plan.currency;
    state.fmt = formatter(state.lang, state.currency);
    invalidate('lang');
  }
  const p = state.plan;
  const planChanged = !p || p.id !== snap.plan.id || p.start !== snap.plan.start || p.end !== snap.plan.end || JSON.stringify(p.name) !== JSON.stringify(snap.plan.name);
  if (planChanged) {
    loadPlan();
    loadCatalogue();
  }
  const hour = Math.floor(Date.parse(snap.asOf) / 3_600_000);
  // a new hour, or records landed in past hours since the chart data was fetched: fetch it again
  const late = state.series && snap.seriesVersion > state.series.version;
  if (!prev || hour !== seriesHour || late || (planChanged && p)) loadSeries();
  invalidate('snapshot');
}

let planLoading = false;
async function loadPlan() {
  if (planLoading) return;
  planLoading = true;
  try {
    const plan = await getJson('api/v1/plan');
    if (plan) {
      state.plan = plan;
      invalidate('plan');
    }
  } catch {
    setTimeout(loadPlan, 5000); // the server is away: the stream shows it; try again
  } finally {
    planLoading = false;
  }
}

let seriesLoading = false;
let seriesAgain = false;
let seriesHour = null;
/**
 * Fetches the chart data. A call while a fetch is under way asks for one more after it, since the
 * answer under way may predate what the caller saw.
 */
async function loadSeries() {
  if (seriesLoading) {
    seriesAgain = true;
    return;
  }
  seriesLoading = true;
  seriesAgain = false;
  try {
    const series = await getJson('api/v1/series');
    if (series) {
      state.series = series;
      state.seriesStale = false;
      seriesHour = Math.floor(Date.parse(series.asOf) / 3_600_000);
      invalidate('series');
    }
  } catch {
    // kept the last series; the next period or reconnection fetches again
  } finally {
    seriesLoading = false;
    if (seriesAgain) loadSeries();
  }
}

async function loadCatalogue() {
  try {
    const c = await getJson('api/v1/catalogue');
    if (c) {
      setCatalogue(c);
      invalidate('lang');
    }
  } catch {
    setTimeout(loadCatalogue, 5000);
  }
}

let alertsLoading = false;
let alertsAgain = false;
/**
 * Fetches the alerts; a failed fetch is tried again in 5 s, and a call while one is under way asks
 * for one more after it (a reconnection's may see alerts the one under way does not).
 */
async function loadAlerts() {
  if (alertsLoading) {
    alertsAgain = true;
    return;
  }
  alertsLoading = true;
  alertsAgain = false;
  try {
    const a = await getJson('api/v1/alerts');
    alertsLoaded = true;
    if (!a) {
      // not offered by this server: alerts come only from the stream
      publishAlerts();
      return;
    }
    activeAlerts.clear();
    for (const x of a.active || []) activeAlerts.set(x.id, x);
    // the history lists every transition, newest first: an alert's latest one stands for it
    const seen = new Set();
    history = (a.history || []).filter((h) => !seen.has(h.id) && seen.add(h.id)).slice(0, HISTORY_KEPT);
    publishAlerts();
  } catch {
    // the stream's alert events keep the panel current meanwhile; "none" waits for an answer
    setTimeout(loadAlerts, 5000);
  } finally {
    alertsLoading = false;
    if (alertsAgain) loadAlerts();
  }
}

function onAlert(a) {
  if (!a || !a.id) return;
  if (a.state === 'resolved') {
    activeAlerts.delete(a.id);
    history = [a, ...history.filter((h) => h.id !== a.id)].slice(0, HISTORY_KEPT);
  } else {
    activeAlerts.set(a.id, a);
  }
  publishAlerts();
}

function publishAlerts() {
  state.alerts = { active: [...activeAlerts.values()], history, loaded: alertsLoaded };
  invalidate('alerts');
}

/** Annotations (section 14): all of them on (re)connect, then each change from the stream. */
async function loadAnnotations() {
  try {
    const a = await getJson('api/v1/annotations');
    if (!a) return;
    state.annotations = a.annotations || [];
    invalidate('annotations');
  } catch {
    // the stream's annotation events keep them current meanwhile
  }
}

function onAnnotation(e) {
  if (!e || !e.annotation) return;
  const rest = state.annotations.filter((x) => x.id !== e.annotation.id);
  state.annotations = e.change === 'deleted' ? rest
    : [...rest, e.annotation].sort((x, y) => Date.parse(x.ts) - Date.parse(y.ts) || x.id - y.id);
  invalidate('annotations');
}

function readStorage(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

async function boot() {
  state.t = translator(state.lang);
  state.fmt = formatter(state.lang, state.currency);
  for (const el of document.querySelectorAll('[data-widget]')) {
    const mod = WIDGETS[el.dataset.widget];
    if (!mod) {
      console.error('unknown widget', el.dataset.widget);
      continue;
    }
    const w = mod.create(el, state);
    w.id = el.dataset.id;
    widgets.push(w);
  }
  for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => setLang(b.dataset.lang, true));
  setLang(state.lang);
  adminLink.show(tv);
  // Units first, so the first values drawn are already formatted by them.
  await loadCatalogue();

  openStream('api/v1/stream', {
    snapshot: onSnapshot,
    section: onSection,
    alert: onAlert,
    annotation: onAnnotation,
    state: (s) => {
      state.conn.state = s;
      invalidate('conn');
    },
    opened: () => {
      // the server may have restarted: its figures and the chart data fetched before differ
      state.seriesStale = true;
      loadSeries();
      loadAlerts();
      loadAnnotations();
    },
    refused: async () => {
      // the view login may have lapsed: say so rather than "reconnecting" forever
      try {
        const r = await fetch('api/v1/kpis', { cache: 'no-store', credentials: 'same-origin' });
        if (r.status === 401 || r.status === 403) {
          state.conn.state = 'signin';
          invalidate('conn');
        }
      } catch {
        // the server is away: reconnecting is the truth
      }
    },
  });
  loadPlan();
  setInterval(loadSeries, SERIES_EVERY_MS);
  setInterval(() => invalidate('tick'), 1000);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) invalidate('all');
  });
}

boot();
