package io.warroom.notify;

import io.warroom.kpi.Catalogue;
import io.warroom.kpi.Figures;
import io.warroom.plan.Plan;
import io.warroom.plan.Text;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The words and number formats of notifications and digests, in Chinese ({@code zh-CN}) or
 * English: KPI and window names, money with its currency sign, percentages, times.
 */
public final class Words {
  private Words() {}

  private static final Map<String, String[]> KPIS = Map.ofEntries(
      Map.entry("revenue", new String[] {"销售额", "Revenue"}),
      Map.entry("grossRevenue", new String[] {"总销售额", "Gross revenue"}),
      Map.entry("refunds", new String[] {"退款", "Refunds"}),
      Map.entry("orders", new String[] {"订单数", "Orders"}),
      Map.entry("aov", new String[] {"客单价", "Average order value"}),
      Map.entry("sessions", new String[] {"访问量", "Sessions"}),
      Map.entry("conversion", new String[] {"转化率", "Conversion"}),
      Map.entry("customers", new String[] {"客户数", "Customers"}),
      Map.entry("newCustomers", new String[] {"新客户数", "New customers"}),
      Map.entry("repurchaseRate", new String[] {"复购率", "Repurchase rate"}),
      Map.entry("adSpend", new String[] {"广告花费", "Ad spend"}),
      Map.entry("attributedRevenue", new String[] {"归因销售额", "Attributed revenue"}),
      Map.entry("roi", new String[] {"广告ROI", "Ad ROI"}),
      Map.entry("npsResponses", new String[] {"NPS 答卷数", "NPS responses"}),
      Map.entry("nps", new String[] {"客户满意度(NPS)", "NPS"}),
      Map.entry("onlineShare", new String[] {"线上占比", "Online share"}),
      Map.entry(Catalogue.GROSS_MARGIN, new String[] {"毛利率", "Gross margin"}),
      Map.entry(Figures.FEED_ID, new String[] {"无新数据分钟数", "Minutes without records"}));

  /**
   * Names of the usual channels, ad channels, budget categories and breakdown keys, as the page
   * names them (webroot/js/i18n.js {@code names}; NamesTest keeps the two equal); others as sent.
   */
  static final Map<String, String[]> NAMES = Map.ofEntries(
      Map.entry("tmall", new String[] {"天猫", "Tmall"}),
      Map.entry("jd", new String[] {"京东", "JD"}),
      Map.entry("douyin_live", new String[] {"抖音直播", "Douyin Live"}),
      Map.entry("wechat_mall", new String[] {"微信商城", "WeChat Mall"}),
      Map.entry("website", new String[] {"官网", "Website"}),
      Map.entry("offline_store", new String[] {"线下门店", "Stores"}),
      Map.entry("stores", new String[] {"线下门店", "Stores"}),
      Map.entry("pinduoduo", new String[] {"拼多多", "Pinduoduo"}),
      Map.entry("xiaohongshu", new String[] {"小红书", "Xiaohongshu"}),
      Map.entry("search", new String[] {"搜索", "Search"}),
      Map.entry("feed", new String[] {"信息流", "Feed"}),
      Map.entry("social", new String[] {"社交", "Social"}),
      Map.entry("kol", new String[] {"达人", "KOL"}),
      Map.entry("display", new String[] {"展示", "Display"}),
      Map.entry("video", new String[] {"视频", "Video"}),
      Map.entry("promotion", new String[] {"促销", "Promotion"}),
      Map.entry("ads", new String[] {"广告", "Ads"}),
      Map.entry("live_content", new String[] {"直播与内容", "Live & content"}),
      Map.entry("crm", new String[] {"会员运营", "CRM"}),
      Map.entry("partners", new String[] {"合作伙伴", "Partners"}),
      Map.entry("store", new String[] {"线下门店", "Stores"}),
      Map.entry("partner_shops", new String[] {"合作门店", "Partner shops"}),
      Map.entry("feeds", new String[] {"信息流", "Feeds"}),
      Map.entry("short_video", new String[] {"短视频", "Short video"}),
      Map.entry("home", new String[] {"家居", "Home"}),
      Map.entry("personal_care", new String[] {"个护", "Personal care"}),
      Map.entry("green", new String[] {"绿色产品", "Green products"}),
      Map.entry("electronics", new String[] {"数码", "Electronics"}),
      Map.entry("new", new String[] {"新品", "New"}),
      Map.entry("new-market", new String[] {"新市场", "New markets"}),
      Map.entry("b2b", new String[] {"企业客户", "B2B"}),
      Map.entry("education", new String[] {"教育", "Education"}),
      Map.entry("vip", new String[] {"会员", "VIP"}),
      Map.entry("bundle", new String[] {"捆绑套餐", "Bundles"}),
      Map.entry("standard", new String[] {"标准", "Standard"}),
      Map.entry("华东", new String[] {"华东", "East China"}),
      Map.entry("华北", new String[] {"华北", "North China"}),
      Map.entry("华南", new String[] {"华南", "South China"}),
      Map.entry("华中", new String[] {"华中", "Central China"}),
      Map.entry("西南", new String[] {"西南", "Southwest"}),
      Map.entry("西北", new String[] {"西北", "Northwest"}));

  /** A channel, ad channel, budget category or breakdown key by its usual name, else as sent. */
  public static String name(String key, String lang) {
    String[] n = NAMES.get(key);
    return n == null ? key : pick(lang, n[0], n[1]);
  }

  private static final Map<String, String[]> WINDOWS = Map.of(
      "campaign", new String[] {"活动期", "campaign"},
      "today", new String[] {"今日", "today"},
      "last1h", new String[] {"近1小时", "last hour"},
      "last15m", new String[] {"近15分钟", "last 15 min"});

  private static final Map<String, String> SIGNS = Map.of("CNY", "¥", "USD", "$", "EUR", "€",
      "GBP", "£", "JPY", "JP¥", "HKD", "HK$");

  public static boolean zh(String lang) {
    return lang != null && lang.startsWith("zh");
  }

  /** Chinese or English, by the language. */
  public static String pick(String lang, String zh, String en) {
    return zh(lang) ? zh : en;
  }

  /** A figure's name: a KPI, {@code budget.<category>} (by the plan's label), or the id itself. */
  public static String kpi(String id, Plan plan, String lang) {
    if (id == null) return "";
    if (id.startsWith("budget.")) {
      String c = id.substring("budget.".length());
      Text label = plan.budgetLabels().get(c);
      String name = label != null ? label.in(lang) : c;
      return pick(lang, "预算「" + name + "」消耗", "Budget \"" + name + "\" spent");
    }
    Plan.Focus f = focus(id, plan);
    if (f != null) return f.text() != null ? f.text().in(lang) : f.id();
    String x = srmOf(id);
    if (x != null) {
      String name = x;
      if (plan != null) {
        for (Plan.Experiment e : plan.experiments()) if (e.id().equals(x) && e.text() != null) name = e.text().in(lang);
      }
      return pick(lang, "A/B 实验「" + name + "」样本比例 p 值", "A/B experiment \"" + name + "\" sample ratio p");
    }
    String[] n = KPIS.get(id);
    return n == null ? id : pick(lang, n[0], n[1]);
  }

  /** The experiment whose sample-ratio p-value a figure id names, or null. */
  private static String srmOf(String id) {
    String head = "experiments.";
    String tail = ".srmPValue";
    return id.startsWith(head) && id.endsWith(tail) && id.length() > head.length() + tail.length()
        ? id.substring(head.length(), id.length() - tail.length()) : null;
  }

  /** The plan's focus target of this id, or null (also without a plan). */
  private static Plan.Focus focus(String id, Plan plan) {
    if (plan == null) return null;
    for (Plan.Focus f : plan.focus()) if (f.id().equals(id)) return f;
    return null;
  }

  public static String window(String w, String lang) {
    String[] n = w == null ? null : WINDOWS.get(w);
    return n == null ? (w == null ? "" : w) : pick(lang, n[0], n[1]);
  }

  /** A text of the plan in the language, or null. */
  public static String text(Text t, String lang) {
    return t == null ? null : t.in(lang);
  }

  /**
   * A value of a figure as people read it: money with the currency sign and cents, shares as
   * percentages, counts grouped by thousands; "-" for none.
   */
  public static String value(String kpi, BigDecimal v, Plan plan) {
    return value(kpi, v, plan, 0);
  }

  /**
   * A value and the threshold (or goal) it is compared with, decimals added while they differ
   * but read alike: 2.3996% against 2.4000%, never 2.40% against 2.40%.
   */
  public static String[] values(String kpi, BigDecimal v, BigDecimal threshold, Plan plan) {
    return apart(v, threshold,
        extra -> new String[] {value(kpi, v, plan, extra), value(kpi, threshold, plan, extra)});
  }

  /**
   * Two numbers as {@code at(extra)} writes them with {@code extra} more digits than usual: the
   * first {@code extra} from 0 at which they read apart, unless they are equal.
   */
  public static String[] apart(BigDecimal v, BigDecimal w, IntFunction<String[]> at) {
    String[] s = at.apply(0);
    for (int extra = 1; extra <= 16 && s[0].equals(s[1]) && v != null && w != null
        && v.compareTo(w) != 0; extra++) {
      s = at.apply(extra);
    }
    return s;
  }

  private static String value(String kpi, BigDecimal v, Plan plan, int extra) {
    if (v == null) return "-";
    if (kpi == null) return plain(v);
    if (srmOf(kpi) != null) {
      return extra == 0 ? pValue(v) : v.setScale(3 + extra, RoundingMode.HALF_UP).toPlainString();
    }
    Plan.Focus f = focus(kpi, plan);
    Catalogue.Shown shown = f != null ? Catalogue.shown(f) : Catalogue.shown(kpi);
    if (shown == null) return plain(v);
    return switch (shown.unit()) {
      case MONEY -> money(v, plan.currency(), 2 + extra);
      case SHARE -> percent(v, shown.decimals() + extra);
      case COUNT, RATIO, SCORE -> grouped(v, shown.decimals() + extra);
    };
  }

  /** A p-value: three decimals, below 0.001 as 7.1e-12. */
  static String pValue(BigDecimal p) {
    if (p.signum() != 0 && p.abs().compareTo(new BigDecimal("0.001")) < 0) return tiny(p.doubleValue());
    return p.setScale(3, RoundingMode.HALF_UP).toPlainString();
  }

  /** A number too small for plain decimals, as people write it: 7.1e-12 (as JavaScript does). */
  public static String tiny(double v) {
    return String.format(Locale.ROOT, "%.1e", v).replaceFirst("e([+-])0(\\d)$", "e$1$2");
  }

  /** ¥1,234.50: the currency's sign (or its code and a space) and two decimals. */
  public static String money(BigDecimal v, String currency) {
    return money(v, currency, 2);
  }

  /** An amount with the currency's sign and {@code decimals} decimals. */
  public static String money(BigDecimal v, String currency, int decimals) {
    String sign = SIGNS.get(currency);
    String n = grouped(v.abs(), decimals);
    String s = sign != null ? sign + n : currency + " " + n;
    return v.signum() < 0 ? "-" + s : s;
  }

  /** A share as a percentage: 0.0255 with 2 decimals is 2.55%. */
  public static String percent(BigDecimal share, int decimals) {
    return share.movePointRight(2).setScale(decimals, RoundingMode.HALF_UP).toPlainString() + "%";
  }

  /** A change as a signed percentage: +4.2%, -1.0%. */
  public static String change(BigDecimal change) {
    String p = percent(change, 1);
    return change.signum() >= 0 && !p.startsWith("-") ? "+" + p : p;
  }

  /** Grouped by thousands with this many decimals. */
  public static String grouped(BigDecimal v, int decimals) {
    DecimalFormat f = new DecimalFormat(decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals),
        DecimalFormatSymbols.getInstance(Locale.ROOT));
    f.setRoundingMode(RoundingMode.HALF_UP);
    return f.format(v);
  }

  private static String plain(BigDecimal v) {
    return v.stripTrailingZeros().toPlainString();
  }

  /** A moment in the plan's time zone: 2026-11-11 02:00. */
  public static String time(long millis, Plan plan) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(plan.timezone())
        .format(Instant.ofEpochMilli(millis));
  }
}
