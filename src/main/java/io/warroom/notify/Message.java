package io.warroom.notify;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * A readable notification: a title, lines, and a link to the dashboard (or null), written as each
 * chat platform's webhook takes it (CONTRACT section 14). Each body stays within the platform's
 * published limit: WeCom group robots take at most 4,096 bytes of markdown content, DingTalk and
 * Feishu custom robots at most 20,000 bytes of request body, Slack shows up to 4,000 characters
 * well (it truncates past 40,000). A text too long is cut at a character boundary and ends with
 * "…".
 */
public record Message(String title, List<String> lines, String link, String linkText) {
  public static final List<String> FORMATS = List.of("json", "wecom", "dingtalk", "feishu", "slack");
  static final int WECOM_BYTES = 4096;
  static final int BODY_BYTES = 20_000;
  static final int SLACK_CHARS = 4000;
  static final String MORE = "…";

  /**
   * The body for {@code format}; {@code json} is {@code json} itself (the alert object or the
   * digest), the others the message's text.
   */
  public String body(String format, JsonObject json) {
    return switch (format) {
      case "wecom" -> new JsonObject().put("msgtype", "markdown")
          .put("markdown", new JsonObject().put("content", cut(markdown(false), WECOM_BYTES)))
          .encode();
      case "dingtalk" -> {
        String t = cut(title, 200);
        yield fit(markdown(true), text -> new JsonObject().put("msgtype", "markdown")
            .put("markdown", new JsonObject().put("title", t).put("text", text)));
      }
      case "feishu" -> fit(plain(), text -> new JsonObject().put("msg_type", "text")
          .put("content", new JsonObject().put("text", text)));
      case "slack" -> new JsonObject().put("text", cutChars(slack(), SLACK_CHARS)).encode();
      default -> json.encode();
    };
  }

  /** The text of a format, as the body carries it (json: the plain text). */
  public String text(String format) {
    return switch (format) {
      case "wecom" -> cut(markdown(false), WECOM_BYTES);
      case "dingtalk" -> markdown(true);
      case "slack" -> cutChars(slack(), SLACK_CHARS);
      default -> plain();
    };
  }

  /**
   * Markdown: the title in bold, a line each. DingTalk breaks lines only between paragraphs, so
   * its lines are paragraphs.
   */
  String markdown(boolean paragraphs) {
    String sep = paragraphs ? "\n\n" : "\n";
    StringBuilder b = new StringBuilder(paragraphs ? "### " : "**").append(title)
        .append(paragraphs ? "" : "**");
    for (String l : lines) b.append(sep).append(l);
    if (link != null) b.append(sep).append('[').append(linkText).append("](").append(link).append(')');
    return b.toString();
  }

  String plain() {
    StringBuilder b = new StringBuilder(title);
    for (String l : lines) b.append('\n').append(l);
    if (link != null) b.append('\n').append(linkText).append(": ").append(link);
    return b.toString();
  }

  /** Slack mrkdwn: &, < and > escaped, the title in bold, the link as {@code <url|text>}. */
  String slack() {
    StringBuilder b = new StringBuilder("*").append(esc(title)).append('*');
    for (String l : lines) b.append('\n').append(esc(l));
    if (link != null) b.append('\n').append('<').append(link).append('|').append(esc(linkText)).append('>');
    return b.toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** The body made by {@code wrap}, with the text cut until the encoded body fits. */
  private static String fit(String text, Function<String, JsonObject> wrap) {
    String body = wrap.apply(text).encode();
    int limit = BODY_BYTES;
    while (body.getBytes(StandardCharsets.UTF_8).length > BODY_BYTES) {
      int over = body.getBytes(StandardCharsets.UTF_8).length - BODY_BYTES;
      limit = Math.min(limit, text.getBytes(StandardCharsets.UTF_8).length) - over;
      body = wrap.apply(cut(text, Math.max(0, limit))).encode();
    }
    return body;
  }

  /** At most {@code max} bytes of UTF-8, cut between characters, ending with "…" when cut. */
  public static String cut(String s, int max) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= max) return s;
    int room = max - MORE.getBytes(StandardCharsets.UTF_8).length;
    int used = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int n = utf8Length(cp);
      if (used + n > room) break;
      used += n;
      i += Character.charCount(cp);
    }
    return s.substring(0, i) + MORE;
  }

  /** At most {@code max} characters (code points), ending with "…" when cut. */
  static String cutChars(String s, int max) {
    if (s.codePointCount(0, s.length()) <= max) return s;
    return s.substring(0, s.offsetByCodePoints(0, max - 1)) + MORE;
  }

  private static int utf8Length(int cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
}
