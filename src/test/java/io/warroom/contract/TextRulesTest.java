package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CONTRACT section 3: a string holding a lone surrogate or a NUL is a rejected row naming the field,
 * in every body format and for every string field of every type, while the request's valid rows are
 * kept; the 200-character limit counts code points.
 */
public class TextRulesTest extends AppTest {
  static final String TS = "2026-11-11T10:00:00+08:00";
  static final String NUL = "must not contain a NUL character (U+0000)";
  static final String NOT_UTF8 = "is not valid UTF-8";
  /** Bad values and the surrogate each is refused for (null: the NUL). */
  static final String[][] BAD = {
      {"x\ud800y", "D800"}, {"ls-\udbff", "DBFF"}, {"\udc00z", "DC00"}, {"\udc00\ud800", "DC00"},
      {"a\u0000b", null}};
  TestApp app;
  int next;

  @BeforeEach
  void start() {
    app = start(Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-11T12:00:00+08:00"));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  /** A valid record of each type; the strings are its string fields. */
  static Map<String, Object> record(String type, String id) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("type", type);
    r.put("id", id);
    r.put("ts", TS);
    switch (type) {
      case "order" -> {
        r.put("customerId", "c1");
        r.put("amount", 10.5);
        r.put("channel", "tmall");
        r.put("adChannel", "search");
      }
      case "refund" -> {
        r.put("orderId", "o1");
        r.put("amount", 2);
      }
      case "spend" -> {
        r.put("category", "ads");
        r.put("amount", 100);
        r.put("adChannel", "search");
      }
      case "visit" -> {
        r.put("channel", "tmall");
        r.put("sessions", 3);
      }
      default -> {
        r.put("score", 9);
        r.put("customerId", "c1");
      }
    }
    return r;
  }

  static final Map<String, String> PATHS = Map.of("order", "orders", "refund", "refunds", "spend",
      "spend", "visit", "visits", "nps", "nps");

  /** Every format, type and string field (the events endpoint adds `type`). */
  static Stream<Arguments> fields() {
    List<Arguments> out = new ArrayList<>();
    for (String format : List.of("json", "ndjson", "csv", "json-bytes")) {
      for (String type : List.of("order", "refund", "spend", "visit", "nps")) {
        for (Map.Entry<String, Object> f : record(type, "x").entrySet()) {
          if (!(f.getValue() instanceof String) || f.getKey().equals("type")) continue;
          out.add(Arguments.of(format, PATHS.get(type), type, f.getKey()));
        }
      }
      out.add(Arguments.of(format, "events", "order", "type"));
      out.add(Arguments.of(format, "events", "visit", "channel"));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}: {3}")
  @MethodSource("fields")
  void aLoneSurrogateOrNulRejectsTheRowNamingTheFieldAndTheValidRowsAreKept(String format,
      String path, String type, String field) {
    List<Map<String, Object>> rows = new ArrayList<>();
    JsonArray expected = new JsonArray();
    for (String[] bad : BAD) {
      // Raw bytes in JSON: a surrogate written in UTF-8 (CESU-8); JSON cannot hold a raw NUL.
      if (format.equals("json-bytes") && bad[1] == null) continue;
      Map<String, Object> r = record(type, "t-" + next++);
      r.put(field, bad[0]);
      rows.add(r);
      String error = bad[1] == null ? NUL : format.equals("csv") ? NOT_UTF8
          : "must be valid Unicode text: it holds a lone surrogate (U+" + bad[1] + ")";
      expected.add(new JsonObject().put("row", rows.size()).put("field", field).put("error", error));
    }
    rows.add(record(type, "good-" + next++));
    HttpResponse<Buffer> r = send(path, format, rows, !path.equals("events"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(new JsonObject().put("accepted", 1).put("duplicates", 0).put("rejected", expected),
        r.bodyAsJsonObject());
    JsonObject ingest = app.kpis().getJsonObject("ingest");
    assertEquals(1, ingest.getInteger("accepted"));
    assertEquals(expected.size(), ingest.getInteger("rejected"));
  }

  static Stream<String> formats() {
    return Stream.of("json", "ndjson", "csv");
  }

  @ParameterizedTest
  @MethodSource("formats")
  void theLimitOf200CountsCodePoints(String format) {
    String emoji = "\ud83d\ude00"; // one code point, two Java chars
    List<Map<String, Object>> rows = List.of(record("order", emoji.repeat(200)),
        record("order", "x".repeat(199) + emoji), record("order", emoji.repeat(201)),
        record("order", "y".repeat(201)));
    HttpResponse<Buffer> r = send("orders", format, rows, true);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(new JsonObject().put("accepted", 2).put("duplicates", 0).put("rejected", new JsonArray()
        .add(new JsonObject().put("row", 3).put("field", "id").put("error", "must be at most 200 characters"))
        .add(new JsonObject().put("row", 4).put("field", "id").put("error", "must be at most 200 characters"))),
        r.bodyAsJsonObject());
    // Kept whole: sending them again finds both as duplicates.
    HttpResponse<Buffer> again = send("orders", format, rows.subList(0, 2), true);
    assertEquals(new JsonObject().put("accepted", 0).put("duplicates", 2).put("rejected", new JsonArray()),
        again.bodyAsJsonObject());
  }

  @Test
  void aNulInANumberCellOfCsvRejectsTheRowAsInAnyOtherCell() {
    String orders = "id,ts,customerId,amount,channel,quantity\n"
        + "n1," + TS + ",c,1\u0000,tmall,\n"
        + "n2," + TS + ",c,\u00002,tmall,\n"
        + "n3," + TS + ",c,2,tmall,3\u0000\n"
        + "n4," + TS + ",c, 7 ,tmall, 2 \n";
    JsonObject r = app.post("/api/v1/orders", "text/csv", orders).bodyAsJsonObject();
    assertEquals(new JsonObject().put("accepted", 1).put("duplicates", 0).put("rejected",
        new JsonArray().add(nul(1, "amount")).add(nul(2, "amount")).add(nul(3, "quantity"))), r);
    assertEquals(7.0, app.kpis().getJsonObject("windows").getJsonObject("campaign")
        .getDouble("grossRevenue"), "the spaces around a number are fine");
    r = app.post("/api/v1/visits", "text/csv", "id,ts,channel,sessions\nv1," + TS
        + ",tmall,3\u0000\n").bodyAsJsonObject();
    assertEquals(new JsonArray().add(nul(1, "sessions")), r.getJsonArray("rejected"));
    r = app.post("/api/v1/nps", "text/csv", "id,ts,score\np1," + TS + ",9\u0000\n")
        .bodyAsJsonObject();
    assertEquals(new JsonArray().add(nul(1, "score")), r.getJsonArray("rejected"));
  }

  /**
   * Overlong forms are not UTF-8: Jackson would read "j\xC1\x81d" as "jAd". A JSON body holding one
   * is refused whole, as any other byte that is not UTF-8; in NDJSON only its line is.
   */
  @Test
  void anOverlongFormIsNotUtf8InJsonOrNdjson() {
    byte[][] bad = {{(byte) 0xC1, (byte) 0x81}, {(byte) 0xE0, (byte) 0x81, (byte) 0x81},
        {(byte) 0xF0, (byte) 0x80, (byte) 0x81, (byte) 0x81}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
    for (byte[] b : bad) {
      String before = "{\"id\":\"o1\",\"ts\":\"" + TS + "\",\"customerId\":\"c\","
          + "\"amount\":5,\"channel\":\"j";
      Buffer json = Buffer.buffer(before).appendBytes(b).appendString("d\"}");
      HttpResponse<Buffer> r = TestApp.await(app.client.post("/api/v1/orders")
          .putHeader("Content-Type", "application/json").sendBuffer(json));
      assertEquals(400, r.statusCode(), r.bodyAsString());
      assertEquals("body is not valid UTF-8 (byte " + before.length() + ")",
          r.bodyAsJsonObject().getString("error"), "the offset of the overlong form");

      Buffer ndjson = Buffer.buffer("{\"id\":\"o2\",\"ts\":\"" + TS + "\",\"customerId\":\"c\","
          + "\"amount\":7,\"channel\":\"j").appendBytes(b).appendString("d\"}\n")
          .appendString("{\"id\":\"o3\",\"ts\":\"" + TS + "\",\"customerId\":\"c\",\"amount\":"
              + "11,\"channel\":\"jd\"}\n");
      r = TestApp.await(app.client.post("/api/v1/orders")
          .putHeader("Content-Type", "application/x-ndjson").sendBuffer(ndjson));
      assertEquals(200, r.statusCode(), r.bodyAsString());
      JsonObject answer = r.bodyAsJsonObject();
      assertEquals(1, answer.getJsonArray("rejected").size(), answer.encode());
      assertEquals(1, answer.getJsonArray("rejected").getJsonObject(0).getInteger("row"));
    }
    JsonObject campaign = app.kpis().getJsonObject("windows").getJsonObject("campaign");
    assertEquals(1, campaign.getInteger("orders"), "only o3, once");
    assertEquals(11.0, campaign.getDouble("grossRevenue"));
    assertEquals(Set.of("jd"), app.kpis().getJsonObject("channels").fieldNames());
  }

  static JsonObject nul(int row, String field) {
    return new JsonObject().put("row", row).put("field", field).put("error", NUL);
  }

  @Test
  void oddFieldNamesAreIgnoredLikeAnyUnknownField() {
    String body = "{\"id\":\"k1\",\"ts\":\"" + TS + "\",\"customerId\":\"c\",\"amount\":1,\"channel\":\"jd\","
        + "\"x\\u0000y\":\"z\",\"\\ud800\":1,\"id\\u0000\":\"\\u0000\",\"\\u0000\":{\"a\":[\"\\udfff\"]}}";
    HttpResponse<Buffer> r = app.post("/api/v1/orders", "application/json", body);
    assertEquals(new JsonObject().put("accepted", 1).put("duplicates", 0).put("rejected", new JsonArray()),
        r.bodyAsJsonObject());
    assertEquals(1, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
  }

  @Test
  void aSilenceCommentOrRuleMustBeValidText() {
    for (String[] bad : BAD) {
      for (String field : List.of("rule", "comment")) {
        String body = "{\"rule\":\"pace-revenue\",\"for\":\"1h\",\"comment\":\"ok\"}"
            .replace(field.equals("rule") ? "\"pace-revenue\"" : "\"ok\"", "\"" + escaped(bad[0]) + "\"");
        HttpResponse<Buffer> r = app.post("/api/v1/alerts/silences", "application/json", body);
        assertEquals(400, r.statusCode(), r.bodyAsString());
        assertEquals(field + ": " + (bad[1] == null ? NUL
            : "must be valid Unicode text: it holds a lone surrogate (U+" + bad[1] + ")"),
            r.bodyAsJsonObject().getString("error"));
      }
    }
    String comment = "planned pause \ud83d\ude00 until the live show";
    HttpResponse<Buffer> ok = app.post("/api/v1/alerts/silences", "application/json",
        "{\"rule\":\"pace-revenue\",\"for\":\"1h\",\"comment\":\"" + escaped(comment) + "\"}");
    assertEquals(201, ok.statusCode(), ok.bodyAsString());
    JsonArray silences = app.get("/api/v1/alerts/silences").bodyAsJsonObject().getJsonArray("silences");
    assertEquals(1, silences.size());
    assertEquals(comment, silences.getJsonObject(0).getString("comment"));
  }

  HttpResponse<Buffer> send(String path, String format, List<Map<String, Object>> rows, boolean dropType) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Map<String, Object> r = new LinkedHashMap<>(row);
      if (dropType) r.remove("type");
      records.add(r);
    }
    byte[] body;
    String contentType;
    switch (format) {
      case "json" -> {
        body = ascii("[" + String.join(",", records.stream().map(r -> json(r, false)).toList()) + "]");
        contentType = "application/json";
      }
      case "json-bytes" -> {
        body = cesu8("[" + String.join(",", records.stream().map(r -> json(r, true)).toList()) + "]");
        contentType = "application/json";
      }
      case "ndjson" -> {
        body = ascii(String.join("\n", records.stream().map(r -> json(r, false)).toList()) + "\n");
        contentType = "application/x-ndjson";
      }
      default -> {
        Set<String> header = new LinkedHashSet<>();
        for (Map<String, Object> r : records) header.addAll(r.keySet());
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (Map<String, Object> r : records) {
          List<String> cells = new ArrayList<>();
          for (String h : header) cells.add(r.containsKey(h) ? String.valueOf(r.get(h)) : "");
          csv.append(String.join(",", cells)).append('\n');
        }
        body = cesu8(csv.toString());
        contentType = "text/csv";
      }
    }
    return TestApp.await(app.client.post("/api/v1/" + path).putHeader("Content-Type", contentType)
        .sendBuffer(Buffer.buffer(body)));
  }

  /** A JSON object; strings with every non-ASCII character as a \\u escape, or (raw) as written. */
  static String json(Map<String, Object> r, boolean raw) {
    List<String> members = new ArrayList<>();
    for (Map.Entry<String, Object> e : r.entrySet()) {
      Object v = e.getValue();
      String value = v instanceof String s ? "\"" + (raw ? s.replace("\u0000", "\\u0000") : escaped(s)) + "\""
          : String.valueOf(v);
      members.add("\"" + e.getKey() + "\":" + value);
    }
    return "{" + String.join(",", members) + "}";
  }

  static String escaped(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') b.append(c);
      else b.append(String.format("\\u%04x", (int) c));
    }
    return b.toString();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** UTF-8, but each lone surrogate written as its own three bytes (as CESU-8 would). */
  static byte[] cesu8(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1));
      if (pair) {
        out.writeBytes(s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else if (Character.isSurrogate(c)) {
        out.write(0xE0 | c >> 12);
        out.write(0x80 | c >> 6 & 0x3F);
        out.write(0x80 | c & 0x3F);
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }
}
