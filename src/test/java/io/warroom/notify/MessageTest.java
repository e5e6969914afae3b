package io.warroom.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A message over a platform's limit keeps its title, short lines and link whole. */
class MessageTest {
  static final String LINK = "https://warroom.example.com/";

  @Test
  void slackCutsTheLongLineBeforeEscapingSoNoEscapeIsBroken() {
    Message m = new Message("A & B", List.of("Now 2.60%", "Runbook: " + "&".repeat(1000),
        "Since 02:00"), LINK, "Open <the war room>");
    String text = new JsonObject(m.body("slack", null)).getString("text");
    assertTrue(text.codePointCount(0, text.length()) <= 4000, text.length() + " characters");
    assertTrue(text.startsWith("*A &amp; B*\nNow 2.60%\nRunbook: &amp;&amp;"), text.substring(0, 40));
    assertTrue(text.endsWith("&amp;…\nSince 02:00\n<" + LINK + "|Open &lt;the war room&gt;>"),
        text.substring(text.length() - 80));
    assertTrue(Pattern.compile("&(?!amp;|lt;|gt;)").matcher(text).results().findAny().isEmpty(),
        "every & starts a whole escape");
    assertEquals(text, m.text("slack"));
  }

  @Test
  void withinTheLimitNothingIsCut() {
    Message m = new Message("T", List.of("a", "b"), LINK, "Open");
    assertEquals("**T**\na\nb\n[Open](" + LINK + ")",
        new JsonObject(m.body("wecom", null)).getJsonObject("markdown").getString("content"));
    assertEquals("T\na\nb\nOpen: " + LINK, m.text("feishu"));
  }

  @Test
  void dingTalkAndFeishuBodiesStayWithin20000Bytes() {
    Message m = new Message("T", List.of("short", "\"" + "界".repeat(8000)), LINK, "Open");
    for (String format : List.of("dingtalk", "feishu")) {
      String body = m.body(format, null);
      int bytes = body.getBytes(StandardCharsets.UTF_8).length;
      // A signed Feishu robot's body gets timestamp and sign (79 bytes) when it is sent.
      int limit = format.equals("feishu") ? 20_000 - 128 : 20_000;
      assertTrue(bytes <= limit && bytes > limit - 8, format + ": " + bytes);
      assertTrue(m.text(format).endsWith("…" + (format.equals("feishu") ? "\nOpen: " : "\n\n[Open](")
          + LINK + (format.equals("feishu") ? "" : ")")), format);
      assertTrue(m.text(format).contains("short"), format);
    }
  }

  @Test
  void aDigestOverTheLimitLeavesOutItsLastAlertsAndKeepsEveryKpiWhole() {
    List<String> lines = new ArrayList<>();
    lines.add("关键指标：");
    for (int i = 0; i < 9; i++) lines.add("· 指标" + i + " ¥1,234,567.00 / 目标 ¥12,000,000.00（落后），较上期 +3.2%");
    lines.add("· 活动：" + "市场调研报告出稿、".repeat(200));
    List<Integer> milestones = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      milestones.add(lines.size());
      lines.add("· 里程碑：" + i + "界".repeat(200));
    }
    lines.add("进行中的告警：");
    List<Integer> spare = new ArrayList<>();
    for (int i = 0; i < 119; i++) {
      spare.add(0, lines.size());
      lines.add("· 【警告·告警】订单数（近1小时） 1,107（阈值 " + i + "）");
    }
    for (int i = milestones.size() - 1; i >= 0; i--) spare.add(milestones.get(i));
    Message m = new Message("数据分析 · 周报", lines, LINK, "打开作战室", spare);

    String text = m.text("wecom");
    assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= 4096, text.length() + " characters");
    for (int i = 0; i < 10; i++) assertTrue(text.contains(lines.get(i) + "\n"), "kept whole: " + lines.get(i));
    assertTrue(text.contains("· 【警告·告警】订单数（近1小时） 1,107（阈值 0）\n"), "the first alerts stay");
    assertTrue(!text.contains("（阈值 118）"), "the last go");
    Matcher more = Pattern.compile("\n… \\+(\\d+)\n").matcher(text);
    assertTrue(more.find(), text);
    int shown = (int) Pattern.compile("订单数（近1小时）").matcher(text).results().count();
    assertEquals(119, shown + Integer.parseInt(more.group(1)), "shown and left out add up");
    for (int i = 0; i < 10; i++) {
      assertTrue(text.contains("· 里程碑：" + i + "界".repeat(40)), "milestone " + i + " keeps its start");
    }
    assertTrue(text.endsWith("[打开作战室](" + LINK + ")"));
    // Within the limit, nothing is left out.
    Message small = new Message("T", List.of("a", "b", "c"), LINK, "Open", List.of(2, 1));
    assertEquals("T\na\nb\nc\nOpen: " + LINK, small.text("feishu"));
  }
}
