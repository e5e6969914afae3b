package io.warroom.plan;

import io.warroom.plan.Plan.AlertRule;
import io.warroom.plan.Plan.MarketRow;
import io.warroom.plan.Plan.Meeting;
import io.warroom.plan.Plan.Milestone;
import io.warroom.plan.Plan.Risk;
import io.warroom.plan.Plan.Strategy;
import io.warroom.plan.Plan.Team;
import io.warroom.plan.Plan.Week;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in plan: the seed document "月度销售作战策划" (monthly sales battle plan), carried in its
 * Chinese original with an English translation, for the calendar month of the given clock. Weeks
 * keep the document's day offsets (days 1-7, 8-14, 15-21, 22 to the month's end).
 */
public final class SeedPlan {
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  /** The plan's first risk, a price war eating the profit: gross margin should not fall below this. */
  public static final double PROFIT_FLOOR = 0.20;
  /** The counter of sign-ups for the launch's live stream (week 2's milestone). */
  public static final String LIVE_SIGNUPS = "live_signups";

  private SeedPlan() {}

  public static Plan forCurrentMonth(Clock clock) {
    return forMonth(LocalDate.now(clock.withZone(ZONE)).withDayOfMonth(1));
  }

  private static Text t(String zh, String en) {
    return Text.zhEn(zh, en);
  }

  /** The evaluation's last line, which names the month after the plan's (a draft moves it on). */
  public static Text nextMonthLine(LocalDate start) {
    LocalDate next = start.withDayOfMonth(1).plusMonths(1);
    return t("下月预案:根据本月数据,调整促销力度、渠道组合及预算比例,制定" + next.getMonthValue() + "月销售作战策划。",
        "Next month: adjust promotion intensity, channel mix and budget split from this month's data, and draw up "
            + next.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + "'s sales battle plan.");
  }

  public static Plan forMonth(LocalDate first) {
    LocalDate start = first.withDayOfMonth(1);
    LocalDate end = start.plusMonths(1);
    int month = start.getMonthValue();
    String monthEn = start.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);

    Map<String, BigDecimal> targets = new LinkedHashMap<>();
    targets.put("revenue", new BigDecimal("12000000"));
    targets.put("repurchaseRate", new BigDecimal("0.30"));
    targets.put("conversion", new BigDecimal("0.03"));
    targets.put("aov", new BigDecimal("300"));
    targets.put("roi", new BigDecimal("3.5"));
    targets.put("nps", new BigDecimal("65"));
    targets.put("onlineShare", new BigDecimal("0.70"));
    // 新客户增长5%: on the previous month's final count.
    Map<String, BigDecimal> growth = Map.of("newCustomers", new BigDecimal("0.05"));

    Map<String, Long> budget = new LinkedHashMap<>();
    budget.put("promotion", 150_000_000L);
    budget.put("ads", 180_000_000L);
    budget.put("live_content", 70_000_000L);
    budget.put("crm", 50_000_000L);
    budget.put("partners", 50_000_000L);
    Map<String, Text> labels = new LinkedHashMap<>();
    labels.put("promotion", t("促销活动(折扣、赠品)", "Promotions (discounts, gifts)"));
    labels.put("ads", t("广告投放(搜索、信息流、短视频)", "Advertising (search, feeds, short video)"));
    labels.put("live_content", t("直播与内容制作", "Live streams and content production"));
    labels.put("crm", t("CRM系统升级积分奖励", "CRM system upgrade and loyalty points"));
    labels.put("partners", t("合作伙伴费用(联合营销、渠道费)", "Partner fees (joint marketing, channel fees)"));

    List<Week> weeks = List.of(
        new Week(start, start.plusDays(7), t("市场部", "Marketing department"),
            List.of(t("市场调研报告出稿", "Market research report drafted"),
                t("促销方案敲定", "Promotion plan finalised"),
                t("线上渠道准备", "Online channels prepared")),
            List.of(Milestone.text(t("完成《月度市场报告》促销文案审稿",
                "Monthly Market Report completed; promotion copy reviewed")))),
        new Week(start.plusDays(7), start.plusDays(14),
            t("新产品部/销售运营", "New Products / Sales Operations"),
            List.of(t("产品上新发布会", "New product launch event"),
                t("直播预热素材拍摄", "Live-stream warm-up footage shot"),
                t("CRM积分方案上线", "CRM loyalty-points scheme live")),
            List.of(Milestone.measured(t("发布会直播预约5000人观看",
                "5,000 sign-ups to watch the launch live stream"), "counter:" + LIVE_SIGNUPS,
                "campaign", ">=", new BigDecimal("5000")))),
        new Week(start.plusDays(14), start.plusDays(21), t("数字营销", "Digital Marketing"),
            List.of(t("促销活动正式上线", "Promotion officially live"),
                t("社交媒体广告投放(投放预算30万)", "Social media ads (budget 300,000)"),
                t("客户满意度调研", "Customer satisfaction survey")),
            List.of(Milestone.measured(t("首周促销转化率≥3%",
                "Conversion in the promotion's first week ≥ 3%"), "conversion", "week", ">=",
                new BigDecimal("0.03")))),
        new Week(start.plusDays(21), end, t("全体参与部门", "All participating departments"),
            List.of(t("数据复盘、AB测试迭代", "Data review, A/B test iterations"),
                t("复购激励活动启动", "Repurchase incentive launched"),
                t("成果报告撰写", "Results report written")),
            List.of(Milestone.measured(t("达成销售额1,200万元", "Revenue of 12,000,000 CNY reached"),
                    "revenue", "campaign", ">=", new BigDecimal("12000000")),
                new Milestone(t("新客户增长5%", "New customers up 5%"), "newCustomers", "campaign",
                    ">=", null, new BigDecimal("0.05"), null))));

    List<AlertRule> alerts = List.of(
        new AlertRule("conversion-low", "conversion", "last1h", "<", 0.027, 0.024, 300_000L, null,
            null, "data", null));

    List<Team> teams = List.of(
        team("pm", t("项目经理", "Project manager"), t("全局统筹、进度控制",
            "Overall coordination, schedule control"), DayOfWeek.MONDAY, "09:00",
            t("周一9:00(全体)", "Monday 9:00 (all hands)")),
        team("planning", t("市场策划", "Marketing planning"), t("活动策划、文案、创意",
            "Campaign planning, copywriting, creative"), DayOfWeek.TUESDAY, "10:30",
            t("周二10:30(策划组)", "Tuesday 10:30 (planning group)")),
        team("sales_ops", t("销售运营", "Sales operations"), t("渠道对接、订单处理",
            "Channel liaison, order processing"), DayOfWeek.WEDNESDAY, "14:00",
            t("周三14:00(运营组)", "Wednesday 14:00 (operations group)")),
        team("content", t("内容运营", "Content operations"), t("视频/文章制作、发布",
            "Video and article production and publishing"), DayOfWeek.THURSDAY, "11:00",
            t("周四11:00(内容组)", "Thursday 11:00 (content group)")),
        team("data", t("数据分析", "Data analysis"), t("KPI监控、AB测试", "KPI monitoring, A/B tests"),
            DayOfWeek.FRIDAY, "16:00", t("周五16:00(数据组)", "Friday 16:00 (data group)")),
        new Team("crm", t("客服/CRM", "Customer service / CRM"), t("客户维护、积分方案",
            "Customer care, loyalty-points scheme"), null,
            t("持续在线,周末值班轮班", "Always online, weekend on-call rotation"), List.of()));

    Map<String, String> owners = new LinkedHashMap<>();
    owners.put("revenue", "sales_ops");
    owners.put("onlineShare", "sales_ops");
    owners.put("newCustomers", "planning");
    owners.put("aov", "planning");
    owners.put("repurchaseRate", "crm");
    owners.put("nps", "crm");
    owners.put("conversion", "data");
    owners.put("roi", "data");
    owners.put("feed-stale", "data");
    owners.put("*", "pm");

    List<Risk> risks = List.of(
        new Risk("margin", t("促销导致利润率下降", "Promotions erode the profit margin"),
            t("收入下降、毛利受压", "Lower revenue, gross margin under pressure"),
            t("设定利润保底线,采用捆绑销售提升客单价",
                "Set a profit floor; use bundles to raise the average order value"),
            List.of("margin-floor", "target-aov")),
        new Risk("channel-policy", t("渠道突发政策限制", "Sudden channel policy restrictions"),
            t("销售中断", "Sales interrupted"),
            t("多渠道备份,提前与平台沟通备选方案",
                "Keep backups across channels; agree fallback plans with the platforms in advance"),
            List.of("pace-revenue", "target-onlineShare")),
        new Risk("price-war", t("竞争对手价格战", "Competitors' price war"),
            t("市场份额流失", "Market share lost"),
            t("差异化服务、加强品牌故事、提升用户体验",
                "Differentiated service, a stronger brand story, a better user experience"),
            List.of("conversion-low", "forecast-revenue")),
        new Risk("logistics", t("物流瓶颈", "Logistics bottlenecks"),
            t("交付延迟、客户不满", "Late deliveries, unhappy customers"),
            t("预备备选物流商、提前库存布局", "Line up backup carriers; position stock in advance"),
            List.of("target-nps", "target-repurchaseRate")),
        new Risk("data-quality", t("数据监测不准确", "Inaccurate data monitoring"),
            t("投放效果失真", "A distorted view of ad results"),
            t("引入第三方数据监测工具,确保数据质量",
                "Bring in third-party monitoring tools to ensure data quality"),
            List.of("feed-stale", "target-roi")));

    List<Strategy> strategies = List.of(
        new Strategy(t("促销营销", "Promotion marketing"),
            List.of(t("“双11”预热+全场满XXX", "\"Double 11\" warm-up with store-wide spend-over-XXX offers"),
                t("新品首发限时10%折扣", "Limited-time 10% discount on new product launches")),
            t("市场策划", "Marketing planning"), t("拉动消费,提升客单价",
                "Drive spending, raise the average order value")),
        new Strategy(t("渠道扩张", "Channel expansion"),
            List.of(t("与线上主流电商平台合作专场", "Dedicated sales events with the major online marketplaces"),
                t("开通社交媒体直播带货", "Start selling through social media live streams")),
            t("销售运营", "Sales operations"), t("拓宽渠道,提升曝光", "Broaden channels, raise exposure")),
        new Strategy(t("客户维护", "Customer retention"),
            List.of(t("老客户专属积分翻倍", "Double loyalty points for existing customers"),
                t("生日/节日推送专属优惠券", "Exclusive coupons pushed on birthdays and holidays")),
            t("CRM团队", "CRM team"), t("提升复购率、LTV", "Raise the repurchase rate and LTV")),
        new Strategy(t("内容营销", "Content marketing"),
            List.of(t("每周发布2篇行业干货文章", "Two in-depth industry articles a week"),
                t("短视频展示产品使用场景", "Short videos showing the products in use")),
            t("内容运营", "Content operations"), t("增强品牌权威、教育消费者",
                "Strengthen brand authority, educate consumers")),
        new Strategy(t("渠道合作", "Channel partnerships"),
            List.of(t("与3家关联品牌联合营销", "Joint marketing with 3 related brands"),
                t("与高校、企业团体做定制套餐", "Custom bundles for universities and corporate groups")),
            t("商务拓展", "Business development"), t("开拓B2B与教育/企业市场",
                "Open up the B2B and education/enterprise markets")),
        new Strategy(t("数据驱动", "Data-driven"),
            List.of(t("实时监控转化率、AB测试", "Real-time conversion monitoring, A/B tests"),
                t("基于用户行为进行个性化推荐", "Personalised recommendations from user behaviour")),
            t("数据分析", "Data analysis"), t("提高转化率、优化投放ROI",
                "Raise conversion, optimise ad ROI")));

    List<MarketRow> market = List.of(
        new MarketRow(t("市场规模", "Market size"), t("行业整体YoY增长8%",
            "The industry grows 8% year on year"), t("本月目标销售额1,200万元",
            "This month's sales target: 12,000,000 CNY")),
        new MarketRow(t("竞争对手", "Competitors"), t("价格战、促销密集", "Price wars, dense promotions"),
            t("差异化竞争、加强服务", "Compete on differentiation, strengthen service")),
        new MarketRow(t("消费趋势", "Consumer trends"), t("线上购物占比60%,绿色/可持续产品受欢迎",
            "Online shopping at 60%; green and sustainable products are popular"),
            t("线上渠道占比70%,绿色产品促销", "Online channels at 70%; promote green products")),
        new MarketRow(t("客户画像", "Customer profile"), t("30-45岁高消费力人群,关注性价比",
            "30-45 year olds with high spending power, value-conscious"),
            t("重点触达30-45岁客群", "Focus on reaching the 30-45 age group")));

    List<Text> evaluation = List.of(
        t("完成度评估:对比实际销售额、新客数、复购率与目标值。",
            "Completion review: compare actual revenue, new customers and repurchase rate with the targets."),
        t("经验沉淀:整理成功案例与失误教训,形成《月度营销最佳实践手册》。",
            "Lessons learned: gather the successes and the mistakes into a Monthly Marketing Best Practice Handbook."),
        nextMonthLine(start));

    // The document's KPI table (5.KPI监控表), its names and goals as written.
    List<Plan.KpiRow> kpiTable = List.of(
        new Plan.KpiRow("revenue", t("销售额", "Revenue"), t("1,200万元", "12 million CNY")),
        new Plan.KpiRow("newCustomers", t("新客户数", "New customers"), t("+5%", "+5%")),
        new Plan.KpiRow("repurchaseRate", t("复购率", "Repurchase rate"), t("≥30%", "≥30%")),
        new Plan.KpiRow("conversion", t("转化率", "Conversion rate"), t("≥3%", "≥3%")),
        new Plan.KpiRow("aov", t("客单价(ARPU)", "Average order value (ARPU)"), t("300元", "300 CNY")),
        new Plan.KpiRow("roi", t("广告ROI", "Ad ROI"), t("≥3.5", "≥3.5")),
        new Plan.KpiRow("nps", t("客户满意度(NPS)", "Customer satisfaction (NPS)"), t("≥65", "≥65")));

    return Plan.builder(String.format("%d-%02d", start.getYear(), month),
            t(month + "月销售作战策划", monthEn + " sales battle plan"), ZONE, "CNY", start, end)
        .onlineChannels(List.of("tmall", "jd", "douyin_live", "wechat_mall", "website"))
        .targets(targets).growth(growth).budgetCents(budget).budgetLabels(labels).weeks(weeks).alerts(alerts)
        .owners(owners).teams(teams).risks(risks).strategies(strategies).market(market)
        .evaluation(evaluation).kpiTable(kpiTable).profitFloor(PROFIT_FLOOR).focus(focus()).build();
  }

  /**
   * What the document says the month pushes: key product A's units (重点产品A销量), green products
   * (绿色产品促销), the 30-45 customer group (重点触达30-45岁客群) and new markets (新市场渗透率).
   * It gives no numbers for them (XXX件, XX%), so none has a target: they are shown and measured
   * without a status until a plan sets one. Orders from new markets carry the tag `new-market`.
   */
  static List<Plan.Focus> focus() {
    return List.of(
        new Plan.Focus("product-a-units", t("重点产品A销量", "Key product A units"), "sku", "A",
            "units", null),
        new Plan.Focus("green-products", t("绿色产品促销", "Green product promotion"),
            "productCategory", "green", "share", null),
        new Plan.Focus("segment-30-45", t("重点触达30-45岁客群", "Reach the 30-45 age group"),
            "segment", "30-45", "orders", null),
        new Plan.Focus("new-markets", t("新市场渗透率", "New market penetration"), "tag",
            "new-market", "share", null));
  }

  private static Team team(String id, Text name, Text duties, DayOfWeek day, String time,
      Text schedule) {
    return new Team(id, name, duties, new Meeting(day, LocalTime.parse(time)), schedule, List.of());
  }
}
