// A team's own screen (?team=<id>, issue 21): the header names the team in the page's language,
// the alert panel and the critical banner show only the alerts the team owns, and the KPIs the
// team owns are marked data-owned="true" (the others "false", drawn dimmer). Statuses stay the
// snapshot's: a team screen shows fewer alerts, never other statuses.
import { attr, fields, hidden, text, touches } from '../dom.js';
import { textIn } from '../i18n.js';

const MAX_ID = 64;

/** The team id asked for in the URL, or null. */
export function teamParam(params) {
  const id = (params.get('team') || '').trim();
  return id ? id.slice(0, MAX_ID) : null;
}

/** Of these alerts, those the screen's team owns (all when no team is asked for). */
export function forTeam(s, alerts) {
  return s.team ? alerts.filter((a) => a.owner === s.team) : alerts;
}

/** Whether the screen's team owns KPI `id`: a rule of its on the KPI, or the plan's owners map. */
export function owns(plan, team, id) {
  const owners = plan.owners || {};
  if ((plan.alerts || []).some((r) => r.kpi === id && r.owner === team)) return true;
  const owner = owners[id] ?? owners['*'];
  return owner === team;
}

export function create(el) {
  const f = fields(el);
  return {
    update(s, changed) {
      hidden(el, !s.team);
      if (!s.team || !touches(changed, 'plan', 'snapshot')) return;
      const { t } = s;
      const team = (s.plan?.teams || []).find((x) => x.id === s.team);
      attr(el, 'data-team', s.team);
      attr(el, 'data-known', s.plan ? String(!!team) : null);
      text(f.teamName, team ? t('teamScreen', { team: textIn(team.name, s.lang) || team.id })
        : s.plan ? t('teamUnknown', { team: s.team }) : '');
      if (!s.plan) return;
      // after this render pass, so that tiles other widgets build in it (focus targets) count too
      queueMicrotask(() => {
        for (const k of document.querySelectorAll('[data-kpi]')) {
          attr(k, 'data-owned', String(!!team && owns(s.plan, s.team, k.dataset.kpi)));
        }
      });
    },
  };
}
