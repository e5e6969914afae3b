package io.warroom.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-read `ts` agrees with java.time's ISO_OFFSET_DATE_TIME on every input, valid or not. */
public class IsoTimeTest {
  /** java.time's answer: epoch millis, or null when it refuses. */
  private static Long javaTime(String s) {
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Long ours(String s) {
    try {
      return IsoTime.millis(s);
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Test
  void edgesAgree() {
    List<String> cases = List.of(
        "2026-11-11T00:00:05+08:00", "2026-11-11T00:00:05Z", "2026-11-11T00:00:05.1Z",
        "2026-11-11T00:00:05.12Z", "2026-11-11T00:00:05.123Z", "2026-11-11T00:00:05.123456789Z",
        "2026-11-11T00:00:05.1234567891Z", "2026-11-11T00:00:05.Z", "2026-11-11T00:00:05.+08:00",
        "2026-11-11T00:00:05-00:00", "2026-11-11T00:00:05+18:00", "2026-11-11T00:00:05-18:00",
        "2026-11-11T00:00:05+18:01", "2026-11-11T00:00:05+17:59", "2026-11-11T00:00:05+08:60",
        "2026-11-11T00:00:05+0800", "2026-11-11T00:00:05+08", "2026-11-11T00:00:05+08:00:30",
        "2026-11-11t00:00:05z", "2026-11-11T00:00:05z", "2026-11-11T00:00Z", "2026-11-11T00:00+08:00",
        "2026-11-11T00:00.5Z", "2026-11-11T00:0Z", "2026-11-11T00:00:Z", "2026-11-11T00:00:5Z",
        "2026-11-11T23:59-18:00", "2026-11-11T00:00+8:00", "2026-11-11T00", "2026-11-11T00:00",
        "2026-11-11T24:00:00Z", "2026-11-11T23:59:60Z", "2026-11-11T23:60:00Z",
        "2024-02-29T12:00:00Z", "2026-02-29T12:00:00Z", "2000-02-29T12:00:00Z", "1900-02-29T12:00:00Z",
        "2026-04-31T00:00:00Z", "2026-04-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
        "2026-01-00T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
        "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z", "1600-03-01T00:00:00+01:00",
        "+2026-11-11T00:00:05Z", "-0001-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "20266-11-11T00:00:05Z",
        "2026-11-11 00:00:05Z", "2026-11-11T00:00:05", "2026-11-11T00:00:05+08:00 ", " 2026-11-11T00:00:05Z",
        "2026-1a-11T00:00:05Z", "2026-11-11T0a:00:05Z", "2026-11-11T00:00:05+0a:00", "２026-11-11T00:00:05Z",
        "2026-11-11T00:00:05.١Z", "", "yesterday");
    for (String s : cases) assertEquals(javaTime(s), ours(s), s);
  }

  @Test
  void randomInstantsAndMutationsAgree() {
    Random rnd = new Random(11);
    String[] offsets = {"Z", "+08:00", "-05:30", "+00:00", "-00:00", "+14:00", "-12:00", "+18:00",
        "-18:00", "+05:45"};
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      long seconds = (long) (rnd.nextDouble() * 253_402_300_799L * 1.1) - 62_167_219_200L;
      StringBuilder b = new StringBuilder(LocalDateTime.ofEpochSecond(seconds, 0,
          ZoneOffset.UTC).withNano(0).toString());
      boolean withSeconds = b.length() == 19 || rnd.nextInt(5) > 0;
      if (b.length() == 16 && withSeconds) b.append(":00");
      int frac = withSeconds ? rnd.nextInt(11) : 0;
      if (frac > 0) {
        b.append('.');
        for (int k = 1; k < frac; k++) b.append((char) ('0' + rnd.nextInt(10)));
      }
      b.append(offsets[rnd.nextInt(offsets.length)]);
      String s = b.toString();
      if (rnd.nextInt(4) == 0) {
        char[] c = s.toCharArray();
        c[rnd.nextInt(c.length)] = "0123456789:-+.TZtz x".charAt(rnd.nextInt(20));
        s = new String(c);
      }
      all.add(s);
    }
    int valid = 0;
    int byHand = 0;
    for (String s : all) {
      Long expected = javaTime(s);
      assertEquals(expected, ours(s), s);
      if (expected != null) valid++;
      if (IsoTime.fast(s) != Long.MIN_VALUE) byHand++;
    }
    assertTrue(valid > 100_000, "valid cases: " + valid);
    assertTrue(byHand > 100_000, "read by hand: " + byHand);
  }
}
