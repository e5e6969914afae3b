package io.warroom.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
      assertTrue(bytes <= 20_000 && bytes > 20_000 - 8, format + ": " + bytes);
      assertTrue(m.text(format).endsWith("…" + (format.equals("feishu") ? "\nOpen: " : "\n\n[Open](")
          + LINK + (format.equals("feishu") ? "" : ")")), format);
      assertTrue(m.text(format).contains("short"), format);
    }
  }
}
