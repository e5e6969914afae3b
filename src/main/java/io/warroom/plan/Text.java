package io.warroom.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A text of a plan (CONTRACT section 9): either one string for every language, or the entries of
 * language tags, {@code {"zh-CN": "市场调研报告出稿", "en": "Market research report drafted"}}.
 * {@link #in} picks the entry of a language, else {@code en}, else the first.
 */
public record Text(String plain, Map<String, String> byLanguage) {
  public Text {
    byLanguage = byLanguage == null ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(byLanguage));
  }

  /** The same string in every language. */
  public static Text of(String s) {
    return s == null ? null : new Text(s, null);
  }

  /** A Chinese original and its English translation. */
  public static Text zhEn(String zh, String en) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("zh-CN", zh);
    m.put("en", en);
    return new Text(null, m);
  }

  /** The entry of {@code language}, else English, else the first; the plain string if there is one. */
  public String in(String language) {
    if (plain != null) return plain;
    String v = byLanguage.get(language);
    if (v == null && language != null && language.indexOf('-') > 0) {
      v = byLanguage.get(language.substring(0, language.indexOf('-')));
    }
    if (v == null) v = byLanguage.get("en");
    if (v == null && !byLanguage.isEmpty()) v = byLanguage.values().iterator().next();
    return v;
  }

  /** The English entry, else the first (for logs and plain-text places). */
  @Override
  public String toString() {
    return in("en");
  }

  /** Every entry's text, for size checks. */
  public Iterable<String> all() {
    return plain != null ? List.of(plain) : byLanguage.values();
  }
}
