// Data health: records accepted per minute (measured here over the last minute of snapshots),
// rejected and duplicate counts, and the time since the last record, which turns amber after
// 5 minutes and red after 15 (a silent feed on a campaign day is an incident).
import { attr, fields, text, touches } from '../dom.js';

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
      text(f.accepted, fmt.num(ing.accepted, 0));
      attr(f.rejected, 'data-status', ing.rejected > 0 ? 'warning' : null);
      if (ing.lastRecordAt == null) {
        text(f.last, t('never'));
        attr(el, 'data-status', 'none');
      } else {
        const age = Math.max(0, s.serverNow() - Date.parse(ing.lastRecordAt));
        text(f.last, t('ago', { d: fmt.duration(age) }));
        attr(el, 'data-status', age > 15 * 60_000 ? 'critical' : age > 5 * 60_000 ? 'warning' : 'ok');
      }
    },
  };
}
