package io.warroom.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warroom.notify.Message;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chat notifications tell apart what watches the same figure (CONTRACT section 14: readable,
 * with formatted values): pace from forecast, a focus target by its text, a broken A/B split.
 */
class AlertMessageTest {
  static final long AT = Instant.parse("2026-12-10T02:00:00Z").toEpochMilli();
  final Plan plan = SeedPlan.forMonth(LocalDate.of(2026, 12, 1));

  static Alert alert(String rule, String kpi, String window, String value, String threshold) {
    return new Alert("a-1", rule, kpi, window, Severity.WARNING, State.FIRING,
        new BigDecimal(value), new BigDecimal(threshold), AT, null, "", AT, null, false, null,
        null, null);
  }

  @Test
  void paceAndForecastOfRevenueReadDifferently() {
    Message pace = AlertMessage.of(alert("pace-revenue", "revenue", "campaign", "2980637.5",
        "3429461.9"), plan, null);
    Message forecast = AlertMessage.of(alert("forecast-revenue", "revenue", "campaign",
        "5138970.2", "12000000"), plan, null);
    assertEquals("【警告·告警】销售额落后进度", pace.title());
    assertEquals("当前 ¥2,980,637.50，低于警告阈值 ¥3,429,461.90", pace.lines().get(0));
    assertEquals("【警告·告警】销售额预测未达目标", forecast.title());
    assertEquals("按当前节奏预计收官 ¥5,138,970.20，低于目标 ¥12,000,000.00",
        forecast.lines().get(0));
  }

  @Test
  void aFocusTargetByItsTextAndAnSrmPValueAsPeopleWriteIt() {
    var json = PlanParser.toJson(plan);
    json.withArray("alerts").addObject().put("id", "green-low").put("kpi", "green-products")
        .put("window", "campaign").put("op", "<").put("warn", 0.2).put("critical", 0.1);
    Message focus = AlertMessage.of(alert("green-low", "green-products", "campaign",
        "0.01696728597471834", "0.2"), PlanParser.parse(json.toString()), null);
    assertEquals("【警告·告警】绿色产品促销（活动期）", focus.title());
    assertEquals("当前 1.70%，低于警告阈值 20.00%", focus.lines().get(0));
    var withExperiment = PlanParser.toJson(plan).put("language", "en");
    withExperiment.withArray("experiments").addObject().put("id", "checkout")
        .putArray("variants").add("A").add("B");
    Plan en = PlanParser.parse(withExperiment.toString());
    Message srm = AlertMessage.of(alert("srm-checkout", "experiments.checkout.srmPValue",
        "campaign", "7.125E-219", "0.001"), en, null);
    assertEquals(List.of("[WARNING firing] A/B experiment \"checkout\" sample ratio p (campaign)",
        "Now 7.1e-219, below the warning threshold 0.001"),
        List.of(srm.title(), srm.lines().get(0)));
    var banner = withExperiment.withArray("experiments").addObject().put("id", "banner");
    banner.putObject("text").put("zh-CN", "横幅颜色").put("en", "Banner colour");
    banner.putArray("variants").add("ctl").add("red");
    Message named = AlertMessage.of(alert("srm-banner", "experiments.banner.srmPValue",
        "campaign", "0.0004", "0.001"), PlanParser.parse(withExperiment.toString()), null);
    assertEquals("[WARNING firing] A/B experiment \"Banner colour\" sample ratio p (campaign)",
        named.title());
  }

  @Test
  void anAlertWhoseRuleLeftThePlanReadsAsNoLongerWatchedNotRecovered() {
    Alert gone = new Alert("a-1", "conversion-low", "conversion", "last1h", Severity.CRITICAL,
        State.RESOLVED, new BigDecimal("0.02"), new BigDecimal("0.024"), AT, AT + 60_000,
        AlertEngine.GONE, AT + 60_000, null, false, null, null, null);
    Message zh = AlertMessage.of(gone, plan, null);
    assertEquals("【严重·停止监控】转化率（近1小时）", zh.title());
    assertEquals("规则已从计划中移除；最后读数 2.00%（严重阈值 2.40%）", zh.lines().get(0));
    assertEquals("移除于 2026-12-10 10:01（Asia/Shanghai）", zh.lines().get(zh.lines().size() - 1));
    Plan en = PlanParser.parse(PlanParser.toJson(plan).put("language", "en").toString());
    Message msg = AlertMessage.of(gone, en, null);
    assertEquals("[CRITICAL no longer watched] Conversion (last hour)", msg.title());
    assertEquals("The rule left the plan; last reading 2.00% (critical threshold 2.40%)",
        msg.lines().get(0));
    // one that recovered still reads so
    Alert back = new Alert("a-1", "conversion-low", "conversion", "last1h", Severity.CRITICAL,
        State.RESOLVED, new BigDecimal("0.03"), new BigDecimal("0.024"), AT, AT + 60_000,
        "resolved: conversion 0.03", AT + 60_000, null, false, null, null, null);
    assertEquals("【严重·已恢复】转化率（近1小时）", AlertMessage.of(back, plan, null).title());
  }

  @Test
  void aValueThatCrossedItsThresholdNeverReadsAsTheThreshold() {
    Message conversion = AlertMessage.of(alert("conversion-low", "conversion", "last1h",
        "0.023996", "0.024"), plan, null);
    assertEquals("当前 2.3996%，低于警告阈值 2.4000%", conversion.lines().get(0));
    Message forecast = AlertMessage.of(alert("forecast-revenue", "revenue", "campaign",
        "11999999.996", "12000000"), plan, null);
    assertEquals("按当前节奏预计收官 ¥11,999,999.996，低于目标 ¥12,000,000.000",
        forecast.lines().get(0));
    Message apart = AlertMessage.of(alert("conversion-low", "conversion", "last1h",
        "0.0236", "0.024"), plan, null);
    assertEquals("当前 2.36%，低于警告阈值 2.40%", apart.lines().get(0));
    // a rule of <= (or >=) fires at its threshold: the value reaches it, it is not past it
    Message at = AlertMessage.of(alert("conversion-low", "conversion", "last1h", "0.024", "0.024"), plan, null);
    assertEquals("当前 2.40%，达到警告阈值 2.40%", at.lines().get(0));
  }
}
