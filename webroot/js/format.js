// Numbers, money, shares, times and durations for one language and the plan's currency.
// Money arrives as JSON numbers: sums with at most two decimals, averages (AOV) unrounded. It is
// rounded through integer cents, so a displayed amount is the exact cent figure (English) or the
// exact half-up 万 figure (Chinese).

export const DASH = '—';
const MINUS = '\u2212';

export function formatter(lang, currency) {
  const zh = lang === 'zh-CN';
  const loc = zh ? 'zh-CN' : 'en-US';
  const cache = new Map();
  const nf = (min, max = min, extra = {}) => {
    const key = min + '/' + max + '/' + JSON.stringify(extra);
    let f = cache.get(key);
    if (!f) cache.set(key, (f = new Intl.NumberFormat(loc, { minimumFractionDigits: min, maximumFractionDigits: max, ...extra })));
    return f;
  };
  const symbol = currencySymbol(loc, currency || 'CNY');
  const sign = (v) => (v < 0 ? MINUS : '');

  /**
   * An amount: English to the cent (or to `digits` decimals); Chinese from 10,000 up in 万 with two
   * decimals, or none for a whole number of 万 when `digits` is 0 (targets, allocations).
   */
  function money(v, digits = 2) {
    if (v == null || !Number.isFinite(v)) return DASH;
    const cents = Math.round(Math.abs(v) * 100);
    if (zh && cents >= 1_000_000) {
      // hundredths of 万 = 100 currency units = 10,000 cents, rounded half up
      const h = Math.floor((cents + 5000) / 10000);
      const whole = digits === 0 && h % 100 === 0;
      return sign(v) + symbol + nf(whole ? 0 : 2).format(h / 100) + '万';
    }
    return sign(v) + symbol + nf(digits).format(cents / 100);
  }

  /**
   * A measured amount in a table column: English whole, Chinese from 10,000 up always with two
   * decimals of 万 (¥41.99万 and ¥42.00万 in one column, never a bare ¥42万 that looks exact).
   */
  function moneyCell(v) {
    return zh && v != null && Math.abs(v) >= 10_000 ? money(v) : money(v, 0);
  }

  /** Short amounts for chart axes: ¥1.2M / ¥350k, or ¥1.2亿 / ¥350万. */
  function moneyShort(v) {
    if (v == null || !Number.isFinite(v)) return DASH;
    const a = Math.abs(v);
    let body;
    if (zh) {
      if (a >= 1e8) body = nf(0, 2).format(a / 1e8) + '亿';
      else if (a >= 1e4) body = nf(0, 1).format(a / 1e4) + '万';
      else body = nf(0).format(a);
    } else if (a >= 1e9) body = nf(0, 2).format(a / 1e9) + 'B';
    else if (a >= 1e6) body = nf(0, 2).format(a / 1e6) + 'M';
    else if (a >= 1e3) body = nf(0, 1).format(a / 1e3) + 'k';
    else body = nf(0).format(a);
    return sign(v) + symbol + body;
  }

  const UNITS = zh ? [[1e8, '亿'], [1e4, '万']] : [[1e9, 'B'], [1e6, 'M'], [1e3, 'k']];

  /**
   * An amount in the largest unit it reaches with up to `digits` decimals (¥6.67M, ¥666.96万),
   * below the smallest unit to the cent; `shown` is the amount the text stands for.
   */
  function moneyUnit(v, digits) {
    const a = Math.abs(v);
    const s = v < 0 ? -1 : 1;
    let i = UNITS.findIndex(([u]) => a >= u);
    if (i < 0) return { text: money(v), shown: (s * Math.round(a * 100)) / 100 };
    const scale = 10 ** digits;
    let r = Math.round((a / UNITS[i][0]) * scale) / scale;
    if (i > 0 && r * UNITS[i][0] >= UNITS[i - 1][0]) {
      i--; // 999.999k rounds to 1,000k: 1M
      r = Math.round((a / UNITS[i][0]) * scale) / scale;
    }
    return { text: sign(v) + symbol + nf(0, digits).format(r) + UNITS[i][1], shown: s * r * UNITS[i][0] };
  }

  /** An amount to the cent (or to `digits` decimals), never in units. */
  function moneyExact(v, digits = 2) {
    if (v == null || !Number.isFinite(v)) return DASH;
    const scale = 10 ** digits;
    return sign(v) + symbol + nf(digits).format(Math.round(Math.abs(v) * scale) / scale);
  }

  function pct(v, digits = 1) {
    if (v == null || !Number.isFinite(v)) return DASH;
    return nf(digits, digits, { style: 'percent' }).format(v);
  }

  /** A share of a whole that is not yet whole never reads as it (0.9993 is 99.9 %, not 100.0 %). */
  function pctShort(v, digits = 1) {
    return pct(v != null && v < 1 ? Math.min(v, 1 - 10 ** -(digits + 2)) : v, digits);
  }

  function num(v, digits = 0) {
    if (v == null || !Number.isFinite(v)) return DASH;
    return (v < 0 ? MINUS : '') + nf(digits).format(Math.abs(v));
  }

  /** A signed difference, "+1.2" / "−0.4", through the given formatter of the magnitude. */
  function signed(v, fmt) {
    if (v == null || !Number.isFinite(v)) return DASH;
    const body = fmt(Math.abs(v));
    if (body === fmt(0)) return body;
    return (v < 0 ? MINUS : '+') + body;
  }

  function duration(ms) {
    if (ms == null || !Number.isFinite(ms)) return DASH;
    const s = Math.max(0, Math.floor(ms / 1000));
    const m = Math.floor(s / 60);
    const h = Math.floor(m / 60);
    const d = Math.floor(h / 24);
    if (zh) {
      if (s < 60) return s + '秒';
      if (m < 60) return m + '分钟';
      if (h < 24) return h + '小时' + (m % 60) + '分';
      return d + '天' + (h % 24) + '小时';
    }
    if (s < 60) return s + ' s';
    if (m < 60) return m + ' min';
    if (h < 24) return h + ' h ' + (m % 60) + ' min';
    return d + ' d ' + (h % 24) + ' h';
  }

  const timeFormats = new Map();
  function dtf(tz, opts) {
    const key = tz + JSON.stringify(opts);
    let f = timeFormats.get(key);
    if (!f) timeFormats.set(key, (f = new Intl.DateTimeFormat(loc, { timeZone: tz, ...opts })));
    return f;
  }

  /** 14:05:09 in the zone. */
  function time(ms, tz, seconds = true) {
    if (ms == null) return DASH;
    const opts = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    if (seconds) opts.second = '2-digit';
    return dtf(tz, opts).format(ms);
  }

  /** GMT+8 for the zone at the instant. */
  function zone(ms, tz) {
    const part = dtf(tz, { timeZoneName: 'shortOffset' }).formatToParts(ms).find((p) => p.type === 'timeZoneName');
    return part ? part.value : tz;
  }

  /** "Nov 18" / "11月18日" for a yyyy-mm-dd date. */
  function day(isoDate) {
    if (!isoDate) return DASH;
    return dtf('UTC', { month: 'short', day: 'numeric' }).format(Date.parse(isoDate + 'T00:00:00Z'));
  }

  return { lang, zh, money, moneyCell, moneyShort, moneyUnit, moneyExact, pct, pctShort, num, signed, duration, time, zone, day, symbol };
}

function currencySymbol(loc, currency) {
  try {
    const parts = new Intl.NumberFormat(loc, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).formatToParts(0);
    const c = parts.find((p) => p.type === 'currency');
    return c ? c.value : currency + ' ';
  } catch {
    return currency + ' ';
  }
}

/** Calendar parts of an instant in a zone: { date: 'yyyy-mm-dd', hour }. */
export function zoned(ms, tz) {
  const parts = zonedFormat(tz).formatToParts(ms);
  const get = (t) => parts.find((p) => p.type === t).value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) % 24, minute: Number(get('minute')) };
}

const zonedFormats = new Map();
function zonedFormat(tz) {
  let f = zonedFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    zonedFormats.set(tz, f);
  }
  return f;
}

/** Whole days from one yyyy-mm-dd date to another. */
export function daysBetween(a, b) {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86_400_000);
}
