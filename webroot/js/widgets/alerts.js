// Alerts of CONTRACT section 7: active first (firing before pending, critical before warning,
// oldest first), then the latest resolved ones, each with severity, since when and the value
// against the threshold, and a message the page builds in its language. A firing critical alert
// turns the panel red. The panel never clips: it shows as many as fit, the count by severity above;
// rows past those that fit whole are shown in brief while room is left.
// Each names its owner team and what to do (the rule's runbook, else the response of the plan's
// risk it watches), in the page's language.
import {
  alertMessage, alertTitle, formatAlertPair, recovering, shownThreshold, shownValue,
} from '../alert-text.js';
import { attr, fields, hidden, keyedRows, make, text, touches } from '../dom.js';
import { textIn } from '../i18n.js';
import { forTeam } from './team.js';

const SHOWN = 6;
const RANK = { critical: 0, warning: 1 };

export function create(el) {
  const f = fields(el);
  let lastFit = '';
  return {
    update(s, changed) {
      if (!touches(changed, 'alerts', 'tick', 'snapshot', 'plan', 'lang')) return;
      const { t, fmt } = s;
      const tz = s.snapshot?.plan?.timezone || 'UTC';
      const now = s.serverNow();
      const mine = forTeam(s, s.alerts.active);
      // a pending alert has not fired: every firing one ranks above it, whatever the severities
      const active = [...mine].sort((a, b) =>
        (a.state === 'firing' ? 0 : 1) - (b.state === 'firing' ? 0 : 1)
        || (RANK[a.severity] ?? 2) - (RANK[b.severity] ?? 2)
        || Date.parse(a.since) - Date.parse(b.since));
      const all = [...active, ...forTeam(s, s.alerts.history).filter((h) => !s.alerts.active.some((a) => a.id === h.id))];
      const shown = all.slice(0, SHOWN);
      const firing = active.filter((a) => a.state === 'firing');
      const level = firing.some((a) => a.severity === 'critical') ? 'critical' : firing.length ? 'warning' : active.length ? 'pending' : 'none';
      attr(el, 'data-level', level);
      const counts = [];
      for (const sev of ['critical', 'warning']) {
        const n = firing.filter((a) => a.severity === sev).length;
        if (n) counts.push(t('count.' + sev, { n }));
      }
      const pending = active.length - firing.length;
      if (pending) counts.push(t('count.pending', { n: pending }));
      text(f.count, counts.join(' · '));
      // before the first answer of /api/v1/alerts the panel does not know there are none
      const loaded = s.alerts.loaded !== false;
      attr(el, 'data-state', loaded ? 'ready' : 'loading');
      const empty = loaded ? 'noAlerts' : 'loadingAlerts';
      if (f.empty.dataset.i18n !== empty) f.empty.dataset.i18n = empty;
      text(f.empty, t(empty));
      hidden(f.empty, active.length > 0);
      const rows = keyedRows(f.list, shown.map((a) => a.id), buildRow);
      for (const a of shown) {
        const r = rows.get(a.id);
        attr(r.el, 'data-severity', a.severity);
        attr(r.el, 'data-state', a.state);
        text(r.sev, t('severity.' + a.severity));
        const back = recovering(a, s.snapshot);
        attr(r.el, 'data-recovering', back ? 'true' : null);
        text(r.what, alertTitle(t, a, s.plan));
        text(r.state, t(back ? 'state.recovering' : 'state.' + a.state));
        const [v, th] = formatAlertPair(fmt, a, shownValue(a, s.snapshot), shownThreshold(a, s.snapshot), s.snapshot);
        text(r.value, t('valueVsThreshold', { v, th }));
        const since = Date.parse(a.since);
        text(r.since, a.state === 'resolved' && a.resolvedAt
          ? t('resolvedAt', { t: fmt.time(Date.parse(a.resolvedAt), tz, false) })
          : t('since', { t: fmt.time(since, tz, false), d: fmt.duration(now - since) }));
        text(r.message, alertMessage(t, fmt, a, s.snapshot, s.plan));
        const team = (s.plan?.teams || []).find((x) => x.id === a.owner);
        attr(r.el, 'data-owner', a.owner || '');
        text(r.owner, a.owner ? t('alertOwner', { team: team ? textIn(team.name, s.lang) || team.id : a.owner }) : '');
        const risk = (s.plan?.risks || []).find((x) => x.id === a.risk);
        const todo = textIn(a.runbook, s.lang);
        text(r.runbook, todo ? t('alertRunbook', { text: todo, risk: risk ? textIn(risk.text, s.lang) : '' }) : '');
        attr(r.runbook, 'title', r.runbook.textContent || null); // cut at two lines: the whole on hover
        hidden(r.owner, !a.owner);
        hidden(r.runbook, !todo);
      }
      // fitting measures the layout: only when what is shown or the panel's size changed
      const key = [el.clientWidth, el.clientHeight, active.length, ...shown.map((a) => {
        const r = rows.get(a.id);
        return r.what.textContent + r.state.textContent + r.value.textContent + r.message.textContent
          + r.owner.textContent + r.runbook.textContent;
      })].join('|');
      if (key !== lastFit) {
        lastFit = key;
        fit(el, f, shown, rows, active, t);
      }
    },
  };
}

/**
 * As many whole rows as fit, then as many of the next as still fit in brief (title, value and
 * since: no owner, runbook or message, which the whole rows keep), at least one row; says how many
 * active alerts are not shown.
 */
function fit(el, f, shown, rows, active, t) {
  const apply = (whole, visible) => {
    shown.forEach((a, i) => {
      const r = rows.get(a.id).el;
      hidden(r, i >= visible);
      r.classList.toggle('brief', i >= whole);
    });
    const hiddenActive = active.length - shown.slice(0, visible).filter((a) => a.state !== 'resolved').length;
    text(f.more, hiddenActive > 0 ? t('moreAlerts', { n: hiddenActive }) : '');
  };
  const over = () => el.scrollHeight > el.clientHeight + 1;
  let whole = shown.length;
  apply(whole, whole);
  while (whole > 0 && over()) {
    whole--;
    apply(whole, Math.max(whole, 1));
  }
  // a first row too tall to fit whole (a long plan text in its message) is shown in brief
  let visible = Math.max(whole, 1);
  while (visible < shown.length) {
    apply(whole, visible + 1);
    if (over()) break;
    visible++;
  }
  apply(whole, visible);
}

function buildRow(id) {
  const el = make('li', 'alert');
  el.dataset.key = id;
  const top = make('div', 'alert-top');
  const sev = make('span', 'sev');
  const what = make('span', 'what');
  const state = make('span', 'state');
  top.append(sev, what, state);
  const line = make('div', 'alert-line');
  const value = make('span', 'alert-value num');
  const since = make('span', 'alert-since muted');
  line.append(value, since);
  const message = make('div', 'alert-msg');
  const owner = make('div', 'alert-owner muted');
  owner.dataset.field = 'owner';
  const runbook = make('div', 'alert-runbook');
  runbook.dataset.field = 'runbook';
  el.append(top, line, owner, runbook, message);
  return { el, sev, what, state, value, since, message, owner, runbook };
}
