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
}
