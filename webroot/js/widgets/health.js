// Data health: records accepted per minute (measured here over the last minute of snapshots),
// rejected and duplicate counts, the records of the period the server holds (also right after a
// restart, when this node has accepted nothing yet), and the time since the last record reached
// the KPIs, coloured by the feed status the server decided (the plan's stale-feed minutes, or a
// firing stale-feed alert).
import { attr, fields, text, touches } from '../dom.js';
import { zoned } from '../format.js';

const WINDOW_MS = 60_000;
const MIN_SPAN_MS = 10_000;

export function create(el) {
  const f = fields(el);
  /** [local ms, accepted], one per second at most, the last minute only. */
  let samples = [];

  function sample(accepted) {
    const now = Date.now();
    const last = samples[samples.length - 1];
    if (last && accepted < last[1]) samples = []; // the server restarted: its counters did too
    if (last && now - last[0] < 1000 && samples.length > 1) last[1] = accepted;
    else samples.push([now, accepted]);
    while (samples.length > 2 && now - samples[1][0] >= WINDOW_MS) samples.shift();
  }

  return {
    update(s, changed) {
      if (!s.snapshot || !touches(changed, 'snapshot', 'tick')) return;
      const { t, fmt } = s;
      const ing = s.snapshot.ingest;
      sample(ing.accepted);
      const first = samples[0];
      const last = samples[samples.length - 1];
      const span = last[0] - first[0];
      text(f.rate, span >= MIN_SPAN_MS ? fmt.num(((last[1] - first[1]) * 60_000) / span, 0) : '—');
      text(f.rejected, fmt.num(ing.rejected, 0));
      text(f.duplicates, fmt.num(ing.duplicates, 0));
      text(f.held, fmt.num(ing.periodRecords ?? ing.accepted, 0));
      attr(f.held, 'title', `${t('accepted')}: ${fmt.num(ing.accepted, 0)}`);
      // a figure to notice, not a status: statuses are the snapshot's
      attr(f.rejected, 'data-some', ing.rejected > 0 ? 'true' : null);
      // after a restart nothing has arrived yet: the newest record the server rebuilt from
      const fedAt = ing.lastFedAt ?? ing.lastRecordAt ?? ing.newestRecordAt;
      attr(el, 'data-status', ing.status ?? null);
      if (fedAt == null) {
        text(f.last, t('never'));
      } else {
        const tz = s.snapshot.plan.timezone || 'UTC';
        const ended = s.snapshot.plan.elapsed >= 1;
        // after the period the feed's silence is no news: the time of the last record, not its age
        const age = Math.max(0, s.serverNow() - Date.parse(fedAt));
        text(f.last, ended ? `${fmt.day(zoned(Date.parse(fedAt), tz).date)} ${fmt.time(Date.parse(fedAt), tz, false)}`
          : t('ago', { d: fmt.duration(age) }));
      }
    },
  };
}
