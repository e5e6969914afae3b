package io.warroom.notify;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A readable notification: a title, lines, and a link to the dashboard (or null), written as each
 * chat platform's webhook takes it (CONTRACT section 14). Each body stays within the platform's
 * published limit: WeCom group robots take at most 4,096 bytes of markdown content, DingTalk and
 * Feishu custom robots at most 20,000 bytes of request body, Slack shows up to 4,000 characters
 * well (it truncates past 40,000). A text too long loses the end of its longest lines (such as a
 * runbook), cut at a character and ending with "…", so the rest and the link stay; a line is cut
 * below {@value #FLOOR} characters only once the {@code spare} lines (indices, the first to go
 * first: a digest's alerts beyond what fits) are left out, each run of them as one "… +N" line.
 */
public record Message(String title, List<String> lines, String link, String linkText,
    List<Integer> spare) {
  public static final List<String> FORMATS = List.of("json", "wecom", "dingtalk", "feishu", "slack");
  static final int WECOM_BYTES = 4096;
  static final int BODY_BYTES = 20_000;
  /** What a Feishu robot's signature adds to the body when it is sent (timestamp and sign). */
  static final int FEISHU_SIGNATURE_BYTES = 128;
  static final int SLACK_CHARS = 4000;
  static final String MORE = "…";
  /** The fewest characters a line is cut to while spare lines can go instead. */
  static final int FLOOR = 60;

  public Message(String title, List<String> lines, String link, String linkText) {
    this(title, lines, link, linkText, List.of());
  }

  public Message {
    lines = List.copyOf(lines);
    spare = List.copyOf(spare);
  }

  /**
   * The body for {@code format}; {@code json} is {@code json} itself (the alert object or the
   * digest), the others the message's text.
   */
  public String body(String format, JsonObject json) {
    return switch (format) {
      case "wecom" -> wecom(fitted(format).markdown(false)).encode();
      case "dingtalk" -> dingtalk(fitted(format).markdown(true)).encode();
      case "feishu" -> feishu(fitted(format).plain()).encode();
      case "slack" -> new JsonObject().put("text", text(format)).encode();
      default -> json.encode();
    };
  }

  /** The text of a format, as the body carries it (json: the plain text). */
  public String text(String format) {
    return switch (format) {
      case "wecom" -> cut(fitted(format).markdown(false), WECOM_BYTES);
      case "dingtalk" -> fitted(format).markdown(true);
      case "feishu" -> fitted(format).plain();
      case "slack" -> cutChars(fitted(format).slack(), SLACK_CHARS);
      default -> plain();
    };
  }

  private static JsonObject wecom(String text) {
    return new JsonObject().put("msgtype", "markdown")
        .put("markdown", new JsonObject().put("content", cut(text, WECOM_BYTES)));
  }

  private JsonObject dingtalk(String text) {
    return new JsonObject().put("msgtype", "markdown")
        .put("markdown", new JsonObject().put("title", cut(title, 200)).put("text", text));
  }

  private static JsonObject feishu(String text) {
    return new JsonObject().put("msg_type", "text").put("content", new JsonObject().put("text", text));
  }

  /**
   * This message within the format's limit: the fewest spare lines left out (found by halving)
   * such that cutting the longest lines, none below {@link #FLOOR} characters, fits; else every
   * spare line out and the longest lines cut as far as needed, so the title, the other lines and
   * the link stay. (A title alone past the limit is cut at the end as a last resort.)
   */
  Message fitted(String format) {
    ToIntFunction<Message> size = size(format);
    if (size.applyAsInt(this) <= 0) return this;
    int lo = 0;
    int hi = spare.size();
    int best = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      // It fits with mid spare lines out when it fits with every long line at the floor.
      if (size.applyAsInt(without(mid).floored()) <= 0) {
        best = mid;
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return best >= 0 ? without(best).cut(size, FLOOR) : without(spare.size()).cut(size, 0);
  }

  /** This message with every line longer than {@link #FLOOR} characters cut to it. */
  private Message floored() {
    Message m = this;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).codePointCount(0, lines.get(i).length()) > FLOOR + 1) m = m.cutLine(i, FLOOR);
    }
    return m;
  }

  /**
   * This message without its first {@code n} spare lines, each run of consecutive lines left out
   * shown as one "… +N" line.
   */
  Message without(int n) {
    if (n == 0) return new Message(title, lines, link, linkText);
    boolean[] out = new boolean[lines.size()];
    for (int i = 0; i < n; i++) out[spare.get(i)] = true;
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < lines.size(); ) {
      if (!out[i]) {
        kept.add(lines.get(i++));
        continue;
      }
      int run = 0;
      while (i < lines.size() && out[i]) {
        run++;
        i++;
      }
      kept.add(MORE + " +" + run);
    }
    return new Message(title, kept, link, linkText);
  }

  /** How far a message is over the format's limit (positive when over). */
  private ToIntFunction<Message> size(String format) {
    return switch (format) {
      case "wecom" -> m -> bytes(m.markdown(false)) - WECOM_BYTES;
      case "dingtalk" -> m -> bytes(dingtalk(m.markdown(true)).encode()) - BODY_BYTES;
      case "feishu" -> m -> bytes(feishu(m.plain()).encode()) - (BODY_BYTES - FEISHU_SIGNATURE_BYTES);
      case "slack" -> m -> {
        String text = m.slack();
        return text.codePointCount(0, text.length()) - SLACK_CHARS;
      };
      default -> m -> 0;
    };
  }

  /**
   * While over the limit, the longest line loses what is over, keeping at least {@code floor}
   * characters, and ends with "…".
   */
  private Message cut(ToIntFunction<Message> size, int floor) {
    Message m = this;
    for (int over = size.applyAsInt(m); over > 0; over = size.applyAsInt(m)) {
      int longest = -1;
      int most = floor + 1; // a line of floor characters and "…" is cut already
      for (int i = 0; i < m.lines.size(); i++) {
        int n = m.lines.get(i).codePointCount(0, m.lines.get(i).length());
        if (n > most) {
          longest = i;
          most = n;
        }
      }
      if (longest < 0) break;
      // the most code points of the line that fit, by halving
      int lo = floor;
      int hi = most - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (size.applyAsInt(m.cutLine(longest, mid)) <= 0) lo = mid;
        else hi = mid - 1;
      }
      m = m.cutLine(longest, lo);
    }
    return m;
  }

  /** This message with line {@code i} cut to its first {@code keep} code points and "…". */
  private Message cutLine(int i, int keep) {
    String line = lines.get(i);
    List<String> out = new ArrayList<>(lines);
    out.set(i, line.substring(0, line.offsetByCodePoints(0, keep)) + MORE);
    return new Message(title, List.copyOf(out), link, linkText);
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
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
