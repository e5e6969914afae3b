package io.warroom.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Repeats within one body are set apart on the worker that reads it: the first of each counts. */
public class BodyReaderTest {
  private static final long NOW = Instant.parse("2026-11-11T04:00:00Z").toEpochMilli();

  private static ParsedBody read(String ndjson) {
    return new BodyReader(null, Set.of("ads"), NOW).read(BodyReader.Format.NDJSON,
        ndjson.getBytes(StandardCharsets.UTF_8));
  }

  private static String visit(String id, int sessions) {
    return "{\"type\":\"visit\",\"id\":\"" + id + "\",\"ts\":\"2026-11-11T10:00:00+08:00\","
        + "\"channel\":\"jd\",\"sessions\":" + sessions + "}\n";
  }

  private static String nps(String id) {
    return "{\"type\":\"nps\",\"id\":\"" + id + "\",\"ts\":\"2026-11-11T10:00:00+08:00\",\"score\":9}\n";
  }

  @Test
  void theFirstOfEachTypeAndIdIsKeptInOrder() {
    ParsedBody p = read(visit("a", 1) + visit("b", 2) + visit("a", 3) + nps("a") + visit("b", 4)
        + nps("a"));
    assertEquals(6, p.records.size());
    assertEquals(3, p.unique.size());
    assertEquals(3, p.repeats());
    assertSame(p.records.get(0), p.unique.get(0));
    assertEquals(1, p.unique.get(0).sessions);
    assertSame(p.records.get(1), p.unique.get(1));
    assertSame(p.records.get(3), p.unique.get(2));
  }

  @Test
  void idsWithTheSameHashAreStillTwoRecords() {
    // "Aa" and "BB" share a String hash code.
    ParsedBody p = read(visit("Aa", 1) + visit("BB", 1) + visit("Aa", 2) + visit("BB", 2));
    assertEquals(List.of("Aa", "BB"), p.unique.stream().map(r -> r.id).toList());
    assertEquals(2, p.repeats());
  }

  @Test
  void agreesWithAMapOfKeysOnALargeBody() {
    Random rnd = new Random(5);
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      String id = "id-" + rnd.nextInt(1_500);
      body.append(rnd.nextBoolean() ? visit(id, 1 + i) : nps(id));
    }
    ParsedBody p = read(body.toString());
    Map<String, Rec> first = new LinkedHashMap<>();
    for (Rec r : p.records) first.putIfAbsent(r.key(), r);
    assertEquals(new ArrayList<>(first.values()), p.unique);
    assertEquals(5_000 - first.size(), p.repeats());
  }

  @Test
  void aRepeatedFieldCountsAsItsLastValueAndNullRemovesIt() {
    for (int extra : new int[] {0, 5, 40}) {
      StringBuilder other = new StringBuilder();
      for (int i = 0; i < extra; i++) other.append(",\"x").append(i).append("\":").append(i);
      ParsedBody p = read("{\"type\":\"visit\",\"id\":\"v\",\"sessions\":1" + other
          + ",\"ts\":\"2026-11-11T10:00:00+08:00\",\"channel\":\"jd\",\"sessions\":7}\n"
          + "{\"type\":\"visit\",\"id\":\"w\",\"ts\":\"2026-11-11T10:00:00+08:00\"" + other
          + ",\"channel\":\"jd\",\"sessions\":3,\"sessions\":null}\n");
      assertEquals(1, p.records.size(), "extra fields: " + extra);
      assertEquals(7, p.records.get(0).sessions);
      assertEquals(new RowError(2, "sessions", "is required"), p.rejected.get(0));
    }
  }

  @Test
  void overlongFormsAndBytesPastU10ffffAreNotUtf8() {
    int[][] cases = {
        {0x61, 0xC1, 0x81}, {0xC0, 0x80}, {0xE0, 0x81, 0x81}, {0xE0, 0x9F, 0xBF},
        {0xF0, 0x8F, 0xBF, 0xBF}, {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xFF},
        {0x80}, {0xE4, 0xB8}, {0xE4, 0x41, 0x41}, {0xC3}};
    int[] at = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < cases.length; k++) {
      byte[] b = new byte[cases[k].length];
      for (int i = 0; i < b.length; i++) b[i] = (byte) cases[k][i];
      assertEquals(at[k], BodyReader.badUtf8(b, 0, b.length), "case " + k);
    }
    byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
    assertEquals(-1, BodyReader.badUtf8(surrogate, 0, 3), "left to the row's text checks");
    byte[] lowHigh = {(byte) 0xED, (byte) 0xB0, (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
    assertEquals(-1, BodyReader.badUtf8(lowHigh, 0, 6), "two lone surrogates, each refused by field");
    byte[] pair = {0x41, (byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED, (byte) 0xB8, (byte) 0x80};
    assertEquals(1, BodyReader.badUtf8(pair, 0, 7), "an emoji in CESU-8 is not UTF-8");
    // Every code point Java writes as UTF-8 passes, at the edges of each length and at random.
    Random rnd = new Random(7);
    StringBuilder text = new StringBuilder();
    int[] edges = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF};
    for (int cp : edges) text.appendCodePoint(cp);
    for (int i = 0; i < 100_000; i++) {
      int cp = rnd.nextInt(0x110000);
      if (cp < 0xD800 || cp > 0xDFFF) text.appendCodePoint(cp);
    }
    byte[] all = text.toString().getBytes(StandardCharsets.UTF_8);
    assertEquals(-1, BodyReader.badUtf8(all, 0, all.length));
    assertEquals(-1, BodyReader.badUtf8(all, 0, 0));
  }
}
