// Ad channels over the campaign: spend, attributed revenue and ROI, the ROI coloured by the status
// the server gives it. Sorted by spend; the biggest rows shown, the rest (and the server's "(other)")
// summed into one. The total
// row is the campaign's ad spend (category "ads", with or without an ad channel) and the revenue
// attributed to any ad channel: the ROI KPI itself.
import { attr, fields, keyedRows, make, text, touches } from '../dom.js';
import { kpiOf } from '../kpis.js';

const ROWS = 6;
const OTHERS = '\u0000others';
const SERVER_OTHER = '(other)';

export function create(el) {
  const f = fields(el);
  return {
    update(s, changed) {
      if (!s.snapshot || !touches(changed, 'snapshot')) return;
      const { t, fmt } = s;
      const entries = Object.entries(s.snapshot.adChannels || {});
      const all = entries.filter((e) => e[0] !== SERVER_OTHER).sort((a, b) => b[1].spend - a[1].spend || (a[0] < b[0] ? -1 : 1));
      const serverRest = entries.filter((e) => e[0] === SERVER_OTHER).map((e) => e[1]);
      let shown = all;
      if (all.length > ROWS || serverRest.length) {
        shown = all.slice(0, ROWS - 1);
        const rest = [...all.slice(ROWS - 1).map((e) => e[1]), ...serverRest];
        const spend = rest.reduce((a, r) => a + r.spend, 0);
        const attributed = rest.reduce((a, r) => a + r.attributedRevenue, 0);
        shown.push([OTHERS, { spend, attributedRevenue: attributed, roi: spend ? attributed / spend : null, status: null, count: serverRest.length ? null : rest.length }]);
      }
      const campaign = s.snapshot.windows.campaign;
      text(f.spend, fmt.moneyCell(campaign.adSpend));
      text(f.attributed, fmt.moneyCell(campaign.attributedRevenue));
      text(f.roi, fmt.num(campaign.roi, 2));
      attr(f.roi, 'data-status', kpiOf(s.snapshot, 'roi')?.status ?? null);
      const rows = keyedRows(f.rows, shown.map((e) => e[0]), buildRow);
      for (const [key, c] of shown) {
        const r = rows.get(key);
        text(r.name, key === OTHERS ? (c.count ? `+${c.count}` : t('others')) : t.label(key));
        text(r.spend, fmt.moneyCell(c.spend));
        text(r.attributed, fmt.moneyCell(c.attributedRevenue));
        text(r.roi, fmt.num(c.roi, 2));
        attr(r.roi, 'data-status', c.status ?? null);
      }
    },
  };
}

function buildRow(key) {
  const el = make('tr');
  el.dataset.key = key;
  const name = make('td', 'name');
  const spend = make('td', 'n num', 'spend');
  const attributed = make('td', 'n num', 'attributed');
  const roi = make('td', 'n num roi', 'roi');
  el.append(name, spend, attributed, roi);
  return { el, name, spend, attributed, roi };
}
