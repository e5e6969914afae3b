package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warroom.plan.Campaigns;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Every refusal of a plan gives its reason in Chinese too (the editor shows it on a Chinese page):
 * bad plans through many branches of the parser, each refused at the field meant, with a Chinese
 * reason.
 */
class PlanReasonsTest {
  static final Pattern HAN = Pattern.compile("\\p{IsHan}");

  record Bad(String field, Executable parse) {}

  static Bad plan(String field, UnaryOperator<JsonObject> change) {
    return new Bad(field, () -> PlanParser.parse(change.apply(PlanModelTest.seed()).encode()));
  }

  static JsonObject week(Object milestone) {
    return new JsonObject().put("start", "2026-11-01").put("end", "2026-11-08")
        .put("milestones", new JsonArray().add(milestone));
  }

  static Bad milestone(String field, Object milestone) {
    return plan("weeks[0].milestones[0]" + field, p -> p.put("weeks", new JsonArray().add(week(milestone))));
  }

  static JsonObject measured() {
    return new JsonObject().put("text", "x").put("metric", "revenue").put("value", 1);
  }

  static Bad rule(String field, UnaryOperator<JsonObject> change) {
    JsonObject r = new JsonObject().put("id", "r").put("kpi", "roi").put("op", "<").put("warn", 3)
        .put("critical", 2);
    return plan("alerts[0]" + field, p -> p.put("alerts", new JsonArray().add(change.apply(r))));
  }

  static Bad focus(String field, UnaryOperator<JsonObject> change) {
    JsonObject f = new JsonObject().put("id", "f").put("dimension", "sku").put("key", "A");
    return plan("focus[0]" + field, p -> p.put("focus", new JsonArray().add(change.apply(f))));
  }

  static Bad experiment(String field, UnaryOperator<JsonObject> change) {
    JsonObject x = new JsonObject().put("id", "x").put("variants", new JsonArray().add("A").add("B"));
    return plan("experiments[0]" + field, p -> p.put("experiments", new JsonArray().add(change.apply(x))));
  }

  static Bad team(String field, UnaryOperator<JsonObject> change) {
    JsonObject t = new JsonObject().put("id", "t");
    return plan("teams[0]" + field, p -> p.put("teams", new JsonArray().add(change.apply(t))));
  }

  static Bad hook(String field, JsonObject hook) {
    return team(".webhooks[0]" + field, t -> t.put("webhooks", new JsonArray().add(hook)));
  }

  static List<Bad> bad() {
    List<Bad> out = new ArrayList<>(List.of(
        new Bad("plan", () -> PlanParser.parse("{\"id\":")),
        new Bad("plan", () -> PlanParser.parse("[]")),
        new Bad("for", () -> PlanParser.duration("soon", "for")),
        new Bad("for", () -> PlanParser.duration("500d", "for")),
        new Bad("id", () -> Campaigns.checkId("Not An Id", "id")),
        plan("currency", p -> p.put("currency", "yuan")),
        plan("start", p -> p.put("start", 20261101)),
        plan("start", p -> p.put("start", "1999-11-01")),
        plan("previous", p -> p.put("previous", "last month")),
        plan("previous.end", p -> p.put("previous", new JsonObject().put("start", "2026-10-01")
            .put("end", "2026-09-01"))),
        plan("previous.end", p -> p.put("previous", new JsonObject().put("start", "2025-01-01")
            .put("end", "2026-10-01"))),
        plan("previous.end", p -> p.put("previous", new JsonObject().put("start", "2026-10-01")
            .put("end", "2026-11-05"))),
        plan("onlineChannels", p -> p.put("onlineChannels", "tmall")),
        plan("onlineChannels[0]", p -> p.put("onlineChannels", new JsonArray().add(1))),
        plan("onlineChannels[0]", p -> p.put("onlineChannels", new JsonArray().add(" "))),
        plan("targets", p -> p.put("targets", "high")),
        plan("targets.aov", p -> p.put("targets", new JsonObject().put("aov", new JsonObject()
            .put("growth", 0.1).put("floor", 1)))),
        plan("targets.aov.growth", p -> p.put("targets", new JsonObject().put("aov", new JsonObject()
            .put("growth", 500)))),
        plan("targets.roi", p -> p.put("targets", new JsonObject().put("roi", 1e40))),
        plan("budget", p -> p.put("budget", 5)),
        plan("budget.", p -> p.put("budget", new JsonObject().put("", 1))),
        plan("budgetLabels", p -> p.put("budgetLabels", "x")),
        plan("owners", p -> p.put("owners", "x")),
        plan("owners.r", p -> p.put("owners", new JsonObject().put("r", "nobody"))),
        plan("kpiTable[0].kpi", p -> p.put("kpiTable", new JsonArray().add(new JsonObject()
            .put("kpi", "profit").put("name", "x")))),
        plan("market[0]", p -> p.put("market", new JsonArray().add(5))),
        plan("evaluation[0]", p -> p.put("evaluation", new JsonArray().addNull())),
        plan("risks[0].text", p -> p.put("risks", new JsonArray().add(new JsonObject().put("id", "r")
            .put("text", "")))),
        plan("name", p -> p.put("name", 5)),
        plan("name", p -> p.put("name", new JsonObject().put("en", "a").put("zh-CN", "b").put("fr", "c")
            .put("de", "d").put("ja", "e"))),
        plan("name.en", p -> p.put("name", new JsonObject().put("en", 1))),
        plan("profitFloor", p -> p.put("profitFloor", 1.5)),
        plan("profitFloor", p -> p.put("profitFloor", -0.1)),
        plan("staleFeedMinutes", p -> p.put("staleFeedMinutes", 5000)),
        plan("digestLeadMinutes", p -> p.put("digestLeadMinutes", -1)),
        milestone("", null),
        milestone(".done.at", new JsonObject().put("text", "x").put("done", new JsonObject()
            .put("by", "李经理").put("at", "yesterday"))),
        milestone(".done", measured().put("done", new JsonObject().put("by", "李经理")
            .put("at", "2026-11-07T18:00:00Z"))),
        milestone(".window", measured().put("window", "month")),
        milestone(".op", measured().put("op", "==")),
        milestone(".value", measured().put("value", new JsonObject().put("growth", 0.1).put("x", 1))),
        milestone(".value.growth", measured().put("value", new JsonObject().put("growth", -2))),
        milestone(".value", measured().put("value", 1e13)),
        milestone(".value", measured().put("value", "lots")),
        rule(".id", r -> r.putNull("id")),
        rule(".window", r -> r.put("window", "last7y")),
        rule(".op", r -> r.put("op", "=")),
        rule(".critical", r -> r.put("critical", 4)),
        rule(".critical", r -> r.put("op", ">")),
        rule(".clear", r -> r.put("clear", -1)),
        rule(".minSamples", r -> r.put("minSamples", 1.5)),
        rule(".warn", r -> r.put("warn", 1e13)),
        rule(".kpi", r -> r.put("kpi", 7)),
        focus(".id", f -> f.put("id", "revenue")),
        focus(".dimension", f -> f.put("dimension", "colour")),
        focus(".metric", f -> f.put("metric", "profit")),
        focus(".target", f -> f.put("metric", "share").put("target", 2)),
        plan("focus[1].id", p -> p.put("focus", new JsonArray()
            .add(new JsonObject().put("id", "f").put("dimension", "sku").put("key", "A"))
            .add(new JsonObject().put("id", "f").put("dimension", "sku").put("key", "B")))),
        experiment(".variants", x -> x.put("variants", new JsonArray().add("A"))),
        experiment(".variants", x -> x.put("variants", new JsonArray().add("A").add("A"))),
        experiment(".control", x -> x.put("control", "C")),
        experiment(".split", x -> x.put("split", new JsonArray().add(1))),
        experiment(".split[0]", x -> x.put("split", new JsonArray().add(0).add(1))),
        team(".id", t -> t.put("id", "a\\b")),
        team(".meeting", t -> t.put("meeting", "mondays")),
        team(".meeting.day", t -> t.put("meeting", new JsonObject().put("day", "xyz").put("time", "16:00"))),
        team(".meeting.time", t -> t.put("meeting", new JsonObject().put("day", "mon").put("time", "4pm"))),
        team(".digestLeadMinutes", t -> t.put("digestLeadMinutes", 2000)),
        hook(".url", new JsonObject().put("url", "ftp://example.com/hook")),
        hook(".url", new JsonObject().put("url", "https://example.com/" + "a".repeat(2000))),
        hook(".format", new JsonObject().put("url", "https://example.com/hook").put("format", "telegram")),
        hook(".secret", new JsonObject().put("url", "https://example.com/hook").put("secret", "s")),
        hook(".secret", new JsonObject().put("url", "https://example.com/hook").put("format", "dingtalk")
            .put("secret", "with spaces")),
        plan("teams[1].id", p -> p.put("teams", new JsonArray().add(new JsonObject().put("id", "t"))
            .add(new JsonObject().put("id", "t"))))));
    // The bad plans the other tests refuse.
    for (Arguments a : PlanTest.badPlans().toList()) {
      JsonObject p = (JsonObject) a.get()[0];
      out.add(new Bad(((String) a.get()[1]).split(": ")[0], () -> PlanParser.parse(p.encode())));
    }
    for (Arguments a : PlanModelTest.beyondTheLimits().toList()) {
      @SuppressWarnings("unchecked")
      UnaryOperator<JsonObject> change = (UnaryOperator<JsonObject>) a.get()[0];
      out.add(plan(((String) a.get()[1]).split(": ")[0], change));
    }
    return out;
  }

  @Test
  void everyRefusalHasAChineseReason() {
    Set<String> reasons = new HashSet<>();
    for (Bad b : bad()) {
      PlanException e = assertThrows(PlanException.class, b.parse, b.field);
      String zh = e.reasonZh();
      assertEquals(b.field, e.field(), e.getMessage());
      assertTrue(zh != null && !zh.isBlank() && HAN.matcher(zh).find(),
          e.field() + ": no Chinese reason for '" + e.reason() + "': " + zh);
      assertNotEquals(e.reason(), zh);
      assertEquals(e.field() + ": " + e.reason(), e.getMessage(), "the message stays English");
      reasons.add(e.reason().replaceAll("\\d+|'[^']*'", "#"));
    }
    assertTrue(reasons.size() >= 70, "the bad plans reach " + reasons.size() + " distinct reasons");
  }

  @Test
  void theReasonsReadAsAChineseProductWritesThem() {
    assertEquals("必须晚于开始时间", reason(p -> p.put("end", "2026-10-01")));
    assertEquals("最多两位小数", reason(p -> p.put("budget", new JsonObject().put("ads", 1.001))));
    assertEquals("必填", reason(p -> p.putNull("id")));
    assertEquals("未知时区“Mars/Olympus”", reason(p -> p.put("timezone", "Mars/Olympus")));
    assertEquals("最多 200 个字符", reason(p -> p.put("name", "名".repeat(201))));
    assertEquals("必须不高于 warn（运算符为 <）", reason(p -> p.put("alerts", new JsonArray()
        .add(new JsonObject().put("id", "x").put("kpi", "roi").put("op", "<").put("warn", 2)
            .put("critical", 3)))));
    assertEquals("重复的 id“margin”", reason(p -> p.put("risks", new JsonArray()
        .add(new JsonObject().put("id", "margin").put("text", "a"))
        .add(new JsonObject().put("id", "margin").put("text", "b")))));
  }

  static String reason(UnaryOperator<JsonObject> change) {
    return assertThrows(PlanException.class,
        () -> PlanParser.parse(change.apply(PlanModelTest.seed()).encode())).reasonZh();
  }
}
