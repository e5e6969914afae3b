package io.warroom.ingest;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Reads a record's `ts` (ISO-8601 with an offset) to epoch milliseconds. The usual shape,
 * {@code 2026-11-11T00:00[:05[.fraction]](Z|+08:00)}, is read by hand; anything else goes to
 * java.time's {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}, whose rules stay the only ones: the
 * fast path accepts a subset of what it accepts, with the same result.
 */
final class IsoTime {
  /** No value from the fast path. */
  private static final long NONE = Long.MIN_VALUE;

  private IsoTime() {}

  /**
   * Epoch milliseconds; throws {@link java.time.format.DateTimeParseException} or
   * {@link ArithmeticException} as java.time does.
   */
  static long millis(String s) {
    long fast = fast(s);
    if (fast != NONE) return fast;
    return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
  }

  /** The usual shape by hand, or NONE for anything else (java.time then decides). */
  static long fast(String s) {
    int n = s.length();
    if (n < 17 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':') {
      return NONE;
    }
    boolean hasSeconds = s.charAt(16) == ':';
    if (hasSeconds && n < 20) return NONE;
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = hasSeconds ? digits(s, 17, 2) : 0;
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return NONE;
    }
    int i = hasSeconds ? 19 : 16;
    int millis = 0;
    if (hasSeconds && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
        if (i - start < 3) millis = millis * 10 + (s.charAt(i) - '0');
        i++;
      }
      int len = i - start;
      if (len == 0) return NONE;
      for (int k = len; k < 3; k++) millis *= 10;
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > 18 * 60) return NONE;
      offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
    } else {
      return NONE;
    }
    long seconds = epochDay(year, month, day) * 86_400L + hour * 3600 + minute * 60 + second
        - offsetSeconds;
    return seconds * 1000 + millis;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The non-negative number in s[from, from + len), or -1 if a char is not an ASCII digit. */
  private static int digits(String s, int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int lengthOfMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (as LocalDate.toEpochDay). */
  private static long epochDay(int year, int month, int day) {
    long y = year;
    long total = 365 * y;
    if (y >= 0) {
      total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
    } else {
      total -= y / -4 - y / -100 + y / -400;
    }
    total += (367 * month - 362) / 12;
    total += day - 1;
    if (month > 2) {
      total--;
      if (!(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) total--;
    }
    return total - 719_528L;
  }
}
