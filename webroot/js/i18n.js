// Labels in English and Chinese. Elements with data-i18n get their text from here; widgets call t().
import { text } from './dom.js';
import { wallStrings } from './i18n-wall.js';
import { planStrings } from './i18n-plan.js';

export const LANGS = ['en', 'zh-CN'];

const en = {
  revenue: 'Revenue',
  target: 'Target',
  ofTarget: '{p}',
  targetIs: 'of target {v}',
  expectedByNow: 'Expected by now',
  expectedMarker: 'expected',
  forecast: 'Forecast at this pace',
  neededPerDay: 'Needed per remaining day',
  targetReached: 'target reached',
  today: 'Today',
  yesterday: 'Yesterday',
  day: 'Day {n} of {m}',
  elapsed: '{p} of time',
  notStarted: 'starts {d}',
  ended: 'ended',
  'conn.connecting': 'Connecting',
  'conn.live': 'Live',
  'conn.reconnecting': 'Reconnecting',
  'conn.stale': 'Stale',
  'conn.signin': 'Sign-in needed (/login)',
  planEditor: 'Edit plan',
  updatedAgo: 'updated {age} ago',
  cumulativeTitle: 'Cumulative revenue vs plan',
  actual: 'Actual',
  plan: 'Plan',
  forecastShort: 'Forecast',
  hourlyTitle: 'Revenue per hour',
  channels: 'Sales channels',
  channel: 'Channel',
  revenueCol: 'Revenue',
  orders: 'Orders',
  conversionCol: 'Conv.',
  adChannels: 'Ad channels',
  spend: 'Spend',
  attributed: 'Attributed',
  roiCol: 'ROI',
  allAds: 'All ads',
  budget: 'Budget burn',
  budgetTotal: '{s} of {a}',
  budgetUsed: '{p} used',
  budgetTime: 'time {p}',
  phases: 'Weekly phases',
  week: 'Week {n}',
  now: 'Now',
  done: 'Done',
  milestones: 'Milestones',
  alerts: 'Alerts',
  noAlerts: 'No active alerts',
  loadingAlerts: 'Loading alerts…',
  alarm: '{n} critical alerts',
  alarmOne: 'Critical: {what}',
  moreAlerts: '+{n} more active',
  expMore: '+{n} more experiments',
  focusMore: '+{n} more',
  others: 'Other',
  'severity.critical': 'Critical',
  'severity.warning': 'Warning',
  'state.pending': 'pending',
  'state.firing': 'firing',
  'state.resolved': 'resolved',
  since: 'since {t} · {d}',
  resolvedAt: 'resolved {t}',
  valueVsThreshold: '{v} vs {th}',
  health: 'Data health',
  recordsPerMin: 'Records / min',
  lastRecord: 'Last record',
  rejected: 'Rejected',
  duplicates: 'Duplicates',
  accepted: 'Accepted',
  held: 'Records held',
  ago: '{d} ago',
  never: 'none yet',
  gapVsTarget: '{g} vs target',
  gapVsExpected: '{g} vs pace',
  targetLine: 'Target {v}',
  noTarget: 'No target',
  'status.ok': 'On track',
  'status.warning': 'At risk',
  'status.critical': 'Off track',
  'kpi.revenue': 'Revenue',
  'kpi.conversion': 'Conversion',
  'kpi.aov': 'Avg order value',
  'kpi.roi': 'Ad ROI',
  'kpi.nps': 'NPS',
  'kpi.newCustomers': 'New customers',
  'kpi.repurchaseRate': 'Repurchase rate',
  'kpi.onlineShare': 'Online share',
  'kpi.orders': 'Orders',
  'kpi.sessions': 'Sessions',
  'kpi.grossRevenue': 'Gross revenue',
  'kpi.refunds': 'Refunds',
  'kpi.adSpend': 'Ad spend',
  'kpi.attributedRevenue': 'Attributed revenue',
  'kpi.npsResponses': 'NPS responses',
  'kpi.customers': 'Customers',
  'kpi.grossMargin': 'Gross margin',
  'kpi.feedIdleMinutes': 'Minutes without records',
  budgetOf: 'Budget: {c}',
  'window.campaign': 'campaign',
  'window.today': 'today',
  'window.last1h': 'last hour',
  'window.last15m': 'last 15 min',
  spark24h: '24 h',
  // teams (section 14)
  alertOwner: 'Owner: {team}',
  teamScreen: 'Team: {team}',
  teamUnknown: 'Unknown team “{team}”',
  alertRunbook: 'Do: {text}',
  annotations: 'Annotations',
  // breakdowns and focus targets (section 11)
  breakdowns: 'Breakdowns',
  shareCol: 'Share',
  unitsCol: 'Units',
  'dim.sku': 'Product',
  'dim.productCategory': 'Category',
  'dim.region': 'Region',
  'dim.segment': 'Segment',
  'dim.tag': 'Tag',
  breakdownOther: 'Other ({n} more)',
  breakdownCapped: '(past 10,000 keys)',
  breakdownEmpty: 'No orders carry this field yet',
  // A/B experiments (widgets/experiments.js)
  experiments: 'A/B experiments',
  expVariant: 'Variant',
  expSessions: 'Sessions',
  expOrders: 'Orders',
  expConversion: 'Conversion',
  expLift: 'Lift [95 % interval]',
  expDecision: 'Decision',
  expControl: 'control',
  expSrm: 'Sample ratio mismatch (p = {p}): the split differs from the plan, results are not trustworthy',
  expSrmShort: 'Sample ratio mismatch (p = {p}): not trustworthy',
  'dec.better': 'better',
  'dec.worse': 'worse',
  'dec.no difference yet': 'no difference yet',
};

const zh = {
  revenue: '销售额',
  target: '目标',
  ofTarget: '完成 {p}',
  targetIs: '目标 {v}',
  expectedByNow: '按进度应完成',
  expectedMarker: '应完成',
  forecast: '按当前节奏预测',
  neededPerDay: '剩余每日需完成',
  targetReached: '已达成目标',
  today: '今日',
  yesterday: '昨日',
  day: '第 {n} 天 / 共 {m} 天',
  elapsed: '时间进度 {p}',
  notStarted: '{d} 开始',
  ended: '已结束',
  'conn.connecting': '连接中',
  'conn.live': '实时',
  'conn.reconnecting': '重新连接中',
  'conn.stale': '数据滞后',
  'conn.signin': '需要登录 (/login)',
  planEditor: '编辑计划',
  updatedAgo: '{age}前更新',
  cumulativeTitle: '累计销售额 vs 计划',
  actual: '实际',
  plan: '计划',
  forecastShort: '预测',
  hourlyTitle: '每小时销售额',
  channels: '销售渠道',
  channel: '渠道',
  revenueCol: '销售额',
  orders: '订单',
  conversionCol: '转化率',
  adChannels: '广告渠道',
  spend: '花费',
  attributed: '归因销售额',
  roiCol: 'ROI',
  allAds: '全部广告',
  budget: '预算消耗',
  budgetTotal: '{s} / {a}',
  budgetUsed: '已用 {p}',
  budgetTime: '时间 {p}',
  phases: '周计划',
  week: '第 {n} 周',
  now: '进行中',
  done: '已完成',
  milestones: '里程碑',
  alerts: '告警',
  noAlerts: '无活动告警',
  loadingAlerts: '正在加载告警…',
  alarm: '{n} 个严重告警',
  alarmOne: '严重告警：{what}',
  moreAlerts: '另有 {n} 个活动告警',
  expMore: '另有 {n} 个实验',
  focusMore: '另有 {n} 个',
  others: '其他',
  'severity.critical': '严重',
  'severity.warning': '警告',
  'state.pending': '待触发',
  'state.firing': '触发中',
  'state.resolved': '已恢复',
  since: '自 {t} · {d}',
  resolvedAt: '{t} 恢复',
  valueVsThreshold: '{v}，阈值 {th}',
  health: '数据健康',
  recordsPerMin: '每分钟记录',
  lastRecord: '最近记录',
  rejected: '已拒绝',
  duplicates: '重复',
  accepted: '已接收',
  held: '本期记录',
  ago: '{d}前',
  never: '暂无',
  gapVsTarget: '较目标 {g}',
  gapVsExpected: '较进度 {g}',
  targetLine: '目标 {v}',
  noTarget: '无目标',
  'status.ok': '正常',
  'status.warning': '预警',
  'status.critical': '落后',
  'kpi.revenue': '销售额',
  'kpi.conversion': '转化率',
  'kpi.aov': '客单价',
  'kpi.roi': '广告ROI',
  'kpi.nps': '客户满意度(NPS)',
  'kpi.newCustomers': '新客户数',
  'kpi.repurchaseRate': '复购率',
  'kpi.onlineShare': '线上占比',
  'kpi.orders': '订单数',
  'kpi.sessions': '访问量',
  'kpi.grossRevenue': '总销售额',
  'kpi.refunds': '退款',
  'kpi.adSpend': '广告花费',
  'kpi.attributedRevenue': '归因销售额',
  'kpi.npsResponses': 'NPS 答卷数',
  'kpi.customers': '客户数',
  'kpi.grossMargin': '毛利率',
  'kpi.feedIdleMinutes': '无新数据分钟数',
  budgetOf: '预算：{c}',
  'window.campaign': '活动期',
  'window.today': '今日',
  'window.last1h': '近1小时',
  'window.last15m': '近15分钟',
  spark24h: '24小时',
  // 团队（第 14 节）
  alertOwner: '负责：{team}',
  teamScreen: '团队：{team}',
  teamUnknown: '未知团队“{team}”',
  alertRunbook: '应对：{text}',
  annotations: '标注',
  // 细分与重点目标(第11节)
  breakdowns: '销售细分',
  shareCol: '占比',
  unitsCol: '件数',
  'dim.sku': '产品',
  'dim.productCategory': '品类',
  'dim.region': '地区',
  'dim.segment': '客群',
  'dim.tag': '标签',
  breakdownOther: '其他(另{n}项)',
  breakdownCapped: '(超过1万项)',
  breakdownEmpty: '暂无订单带此字段',
  // A/B experiments (widgets/experiments.js)
  experiments: 'A/B 测试',
  expVariant: '版本',
  expSessions: '访问',
  expOrders: '订单',
  expConversion: '转化率',
  expLift: '提升 [95% 区间]',
  expDecision: '结论',
  expControl: '对照组',
  expSrm: '样本比例失衡 (p = {p})：分流与计划不符，结果不可信',
  expSrmShort: '样本比例失衡 (p = {p})：结果不可信',
  'dec.better': '更好',
  'dec.worse': '更差',
  'dec.no difference yet': '暂无差异',
};

// Names of the usual channels, ad channels, budget categories and breakdown keys (the demo's);
// others show as sent.
const names = {
  en: {
    tmall: 'Tmall', jd: 'JD', douyin_live: 'Douyin Live', wechat_mall: 'WeChat Mall', website: 'Website',
    offline_store: 'Stores', stores: 'Stores', pinduoduo: 'Pinduoduo', xiaohongshu: 'Xiaohongshu',
    search: 'Search', feed: 'Feed', social: 'Social', kol: 'KOL', display: 'Display', video: 'Video',
    promotion: 'Promotion', ads: 'Ads', live_content: 'Live & content', crm: 'CRM', partners: 'Partners',
    store: 'Stores', partner_shops: 'Partner shops', feeds: 'Feeds', short_video: 'Short video',
    home: 'Home', personal_care: 'Personal care', green: 'Green products', electronics: 'Electronics',
    new: 'New', 'new-market': 'New markets', b2b: 'B2B', education: 'Education', vip: 'VIP',
    bundle: 'Bundles', standard: 'Standard',
    '华东': 'East China', '华北': 'North China', '华南': 'South China', '华中': 'Central China', '西南': 'Southwest', '西北': 'Northwest',
  },
  'zh-CN': {
    tmall: '天猫', jd: '京东', douyin_live: '抖音直播', wechat_mall: '微信商城', website: '官网',
    offline_store: '线下门店', stores: '线下门店', pinduoduo: '拼多多', xiaohongshu: '小红书',
    search: '搜索', feed: '信息流', social: '社交', kol: '达人', display: '展示', video: '视频',
    promotion: '促销', ads: '广告', live_content: '直播与内容', crm: '会员运营', partners: '合作伙伴',
    store: '线下门店', partner_shops: '合作门店', feeds: '信息流', short_video: '短视频',
    home: '家居', personal_care: '个护', green: '绿色产品', electronics: '数码',
    new: '新品', 'new-market': '新市场', b2b: '企业客户', education: '教育', vip: '会员',
    bundle: '捆绑套餐', standard: '标准',
    '华东': '华东', '华北': '华北', '华南': '华南', '华中': '华中', '西南': '西南', '西北': '西北',
  },
};

// The previous period (issue 18).
Object.assign(en, {
  vsPrevious: '{g} vs. last period at this point',
  vsPreviousNone: 'no last period to compare',
  vsPreviousAt: 'last period at this point {v}',
  vsPreviousPts: '{g} pts vs. last period at this point',
});
Object.assign(zh, {
  vsPrevious: '较上期同期 {g}',
  vsPreviousNone: '无上期同期数据',
  vsPreviousAt: '上期同期 {v}',
  vsPreviousPts: '较上期同期 {g}分',
});

const dicts = { en, 'zh-CN': zh };
Object.assign(en, wallStrings.en);
Object.assign(zh, wallStrings['zh-CN']);
Object.assign(en, planStrings.en);
Object.assign(zh, planStrings['zh-CN']);

export function pickLang(params, storage, navigatorLang) {
  // language tags are case-insensitive: zh-cn, zh and zh-Hans ask for Chinese, en-US for English
  for (const asked of [params.get('lang'), storage]) {
    const a = (asked || '').toLowerCase();
    if (a === 'zh' || a.startsWith('zh-')) return 'zh-CN';
    if (a === 'en' || a.startsWith('en-')) return 'en';
  }
  return (navigatorLang || '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * A plan's text (CONTRACT section 9) in a language: a string as it is, or the entry of the
 * language, else English, else the first.
 */
export function textIn(value, lang) {
  if (value == null || typeof value === 'string') return value ?? '';
  return value[lang] ?? value[lang.split('-')[0]] ?? value.en ?? Object.values(value)[0] ?? '';
}

export function translator(lang) {
  const d = dicts[lang] || en;
  function t(key, params) {
    let s = d[key] ?? en[key] ?? key;
    if (params) for (const [k, v] of Object.entries(params)) s = s.replace('{' + k + '}', v);
    return s;
  }
  t.label = (key) => names[lang]?.[key] ?? names.en[key] ?? key;
  t.text = (value) => textIn(value, lang);
  t.lang = lang;
  return t;
}

/** Relabels every data-i18n element under root. */
export function applyLabels(root, t) {
  for (const el of root.querySelectorAll('[data-i18n]')) text(el, t(el.dataset.i18n));
  root.documentElement?.setAttribute('lang', t.lang);
}
