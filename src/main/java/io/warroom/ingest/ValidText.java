package io.warroom.ingest;

/**
 * What a text input must be before it reaches a store, a log or a header (CONTRACT section 3): valid
 * Unicode (no lone surrogate: PostgreSQL would get '?' and two ids would collide), no NUL (PostgreSQL
 * text cannot hold it), and at most so many code points (an emoji counts once).
 */
public final class ValidText {
  /** Longest string of a record, in code points. */
  public static final int MAX = 200;

  private ValidText() {}

  /** Why a text is refused, in English and in simplified Chinese. */
  public record Problem(String en, String zh) {}

  /** Why {@code s} is not acceptable text of at most {@code max} code points, or null when it is. */
  public static String problem(String s, int max) {
    Problem p = problemOf(s, max);
    return p == null ? null : p.en();
  }

  /** The same, in English and Chinese. */
  public static Problem problemOf(String s, int max) {
    int n = s.length();
    if (n > 2 * max) return tooLong(max);
    int points = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      points++;
      if (c == 0) {
        return new Problem("must not contain a NUL character (U+0000)", "不能包含 NUL 字符（U+0000）");
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          String code = Integer.toHexString(c).toUpperCase();
          return new Problem("must be valid Unicode text: it holds a lone surrogate (U+" + code + ")",
              "必须是有效的 Unicode 文本：含有孤立的代理字符（U+" + code + "）");
        }
      }
    }
    return points > max ? tooLong(max) : null;
  }

  /** Checks a record's string field: throws a rejection naming the field when it is not valid text. */
  static String check(String field, String s) {
    String p = problem(s, MAX);
    if (p != null) throw new RejectException(field, p);
    return s;
  }

  /** Whether {@code s} holds a lone surrogate, which text decoded from bytes holds only where the bytes were not UTF-8. */
  static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isSurrogate(c)) continue;
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else {
        return true;
      }
    }
    return false;
  }

  private static Problem tooLong(int max) {
    return new Problem("must be at most " + max + " characters", "最多 " + max + " 个字符");
  }
}
