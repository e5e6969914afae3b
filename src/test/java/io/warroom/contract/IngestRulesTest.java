package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.time.LocalDate;
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

/** CONTRACT sections 3 and 4: every validation rule, body format, duplicate and atomic rule. */
public class IngestRulesTest extends AppTest {
  static final String NOW = "2026-11-11T12:00:00+08:00";
  static final String TS = "2026-11-11T10:00:00+08:00";
  TestApp app;

  @BeforeEach
  void start() {
    app = start(Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at(NOW));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  static final String ORDER = "{\"id\":\"o1\",\"ts\":\"" + TS + "\",\"customerId\":\"c1\","
      + "\"amount\":10.5,\"channel\":\"tmall\"}";

  /** An order with one field replaced (or removed, when value is null). */
  static String order(String field, String value) {
    JsonObject o = new JsonObject(ORDER);
    if (value == null) o.remove(field);
    else o.put(field, new JsonObject("{\"v\":" + value + "}").getValue("v"));
    return o.encode();
  }

  /** The order with one field written as given, as JSON text (numbers no parser should round). */
  static String raw(String field, String json) {
    return ORDER.replace("}", ",\"" + field + "\":" + json + "}").replace("\"amount\":10.5,", field.equals("amount") ? "" : "\"amount\":10.5,");
  }

  static Stream<Arguments> invalidRows() {
    return Stream.of(
        // path, JSON record, field, error
        Arguments.of("orders", order("id", null), "id", "is required"),
        Arguments.of("orders", order("id", "\"\""), "id", "must not be empty"),
        Arguments.of("orders", order("id", "42"), "id", "must be a string"),
        Arguments.of("orders", order("id", "\"" + "x".repeat(201) + "\""), "id",
            "must be at most 200 characters"),
        Arguments.of("orders", order("ts", null), "ts", "is required"),
        Arguments.of("orders", order("ts", "\"2026-11-11T10:00:00\""), "ts",
            "must be an ISO-8601 instant with an offset, such as 2026-11-11T00:00:05+08:00"),
        Arguments.of("orders", order("ts", "\"yesterday\""), "ts",
            "must be an ISO-8601 instant with an offset, such as 2026-11-11T00:00:05+08:00"),
        Arguments.of("orders", order("ts", "\"2026-11-11T12:05:00.001+08:00\""), "ts",
            "is more than 5 minutes in the future"),
        Arguments.of("orders", order("ts", "\"1899-12-31T23:59:59.999Z\""), "ts", "must be in 1900 or later"),
        Arguments.of("orders", order("ts", "\"-5000-01-01T00:00:00Z\""), "ts", "must be in 1900 or later"),
        Arguments.of("orders", order("customerId", null), "customerId", "is required"),
        Arguments.of("orders", order("amount", null), "amount", "is required"),
        Arguments.of("orders", order("amount", "0"), "amount", "must be > 0"),
        Arguments.of("orders", order("amount", "-3"), "amount", "must be > 0"),
        Arguments.of("orders", order("amount", "\"10.50\""), "amount", "must be a number"),
        Arguments.of("orders", order("amount", "1.005"), "amount", "must have at most 2 decimals"),
        Arguments.of("orders", order("amount", "1000000000000.01"), "amount",
            "must be at most 1000000000000"),
        // huge and tiny exponents are valid JSON: answered at once, never computed out
        Arguments.of("orders", raw("amount", "1e999999999"), "amount", "must be at most 1000000000000"),
        Arguments.of("orders", raw("amount", "1e10000000"), "amount", "must be at most 1000000000000"),
        Arguments.of("orders", raw("amount", "1e-999999999"), "amount", "must have at most 2 decimals"),
        Arguments.of("orders", raw("amount", "1e2147483648"), "amount", "is out of range"),
        // a long number is the row's problem, never the body's (it made the whole request a 400)
        Arguments.of("orders", raw("amount", "9".repeat(5_000)), "amount", "is out of range"),
        Arguments.of("orders", raw("amount", "0." + "0".repeat(1_000_000) + "1"), "amount",
            "is out of range"),
        Arguments.of("orders", raw("cost", "0.01e999999999"), "cost", "must be at most 1000000000000"),
        Arguments.of("events", "{\"type\":\"spend\",\"id\":\"s1\",\"ts\":\"" + TS
            + "\",\"category\":\"ads\",\"amount\":1E999999999}", "amount", "must be at most 1000000000000"),
        Arguments.of("visits", "{\"id\":\"v1\",\"ts\":\"" + TS + "\",\"channel\":\"jd\",\"sessions\":1e2147483648}",
            "sessions", "is out of range"),
        Arguments.of("orders", order("channel", null), "channel", "is required"),
        Arguments.of("orders", order("newCustomer", "\"yes\""), "newCustomer", "must be a boolean"),
        Arguments.of("orders", order("adChannel", "7"), "adChannel", "must be a string"),
        Arguments.of("orders", order("cost", "-1"), "cost", "must be >= 0"),
        Arguments.of("orders", order("discount", "\"5\""), "discount", "must be a number"),
        Arguments.of("refunds", "{\"id\":\"r1\",\"ts\":\"" + TS + "\",\"amount\":5}", "orderId",
            "is required"),
        Arguments.of("refunds", "{\"id\":\"r1\",\"ts\":\"" + TS + "\",\"orderId\":\"o1\",\"amount\":0}",
            "amount", "must be > 0"),
        Arguments.of("spend", "{\"id\":\"s1\",\"ts\":\"" + TS + "\",\"category\":\"tv\",\"amount\":5}",
            "category",
            "unknown category 'tv'; the plan's budget has [promotion, ads, live_content, crm, partners]"),
        Arguments.of("spend", "{\"id\":\"s1\",\"ts\":\"" + TS + "\",\"category\":\"ads\",\"amount\":-0.01}",
            "amount", "must be >= 0"),
        Arguments.of("spend", "{\"id\":\"s1\",\"ts\":\"" + TS
            + "\",\"category\":\"ads\",\"amount\":1,\"clicks\":1.5}", "clicks", "must be an integer"),
        Arguments.of("spend", "{\"id\":\"s1\",\"ts\":\"" + TS
            + "\",\"category\":\"ads\",\"amount\":1,\"impressions\":-1}", "impressions", "must be >= 0"),
        Arguments.of("visits", "{\"id\":\"v1\",\"ts\":\"" + TS + "\",\"channel\":\"jd\",\"sessions\":0}",
            "sessions", "must be >= 1"),
        Arguments.of("visits", "{\"id\":\"v1\",\"ts\":\"" + TS + "\",\"channel\":\"jd\",\"sessions\":\"3\"}",
            "sessions", "must be an integer"),
        Arguments.of("visits", "{\"id\":\"v1\",\"ts\":\"" + TS + "\",\"sessions\":3}", "channel",
            "is required"),
        Arguments.of("nps", "{\"id\":\"n1\",\"ts\":\"" + TS + "\",\"score\":11}", "score", "must be <= 10"),
        Arguments.of("nps", "{\"id\":\"n1\",\"ts\":\"" + TS + "\",\"score\":-1}", "score", "must be >= 0"),
        Arguments.of("nps", "{\"id\":\"n1\",\"ts\":\"" + TS + "\",\"score\":9.5}", "score",
            "must be an integer"),
        Arguments.of("events", "{\"id\":\"e1\",\"ts\":\"" + TS + "\"}", "type", "is required"),
        Arguments.of("events", "{\"type\":\"coupon\",\"id\":\"e1\",\"ts\":\"" + TS + "\"}", "type",
            "unknown type 'coupon'; expected order, refund, spend, visit, nps or count"));
  }

  @ParameterizedTest(name = "{0}: {2} {3}")
  @MethodSource("invalidRows")
  void eachRuleRejectsTheRowNamingFieldAndReason(String path, String record, String field,
      String error) {
    String valid = "{\"type\":\"nps\",\"id\":\"ok-1\",\"ts\":\"" + TS + "\",\"score\":10}";
    if (!path.equals("events") && !path.equals("nps")) {
      valid = null;
    }
    String body = valid == null ? "[" + record + "]" : "[" + valid + "," + record + "]";
    JsonObject answer = ok(app.post("/api/v1/" + path, "application/json", body));
    int row = valid == null ? 1 : 2;
    assertEquals(new JsonObject().put("accepted", valid == null ? 0 : 1).put("duplicates", 0)
        .put("rejected", new JsonArray().add(new JsonObject().put("row", row).put("field", field)
            .put("error", error))), answer);
    assertEquals(valid == null ? 0 : 1, app.kpis().getJsonObject("ingest").getLong("accepted"));
  }

  @Test
  void aLongStringInAnUnknownFieldIsTheRowsProblemNotTheBodys() {
    // It made the whole request a 400 ("String value length exceeds the maximum"), the valid row lost.
    String body = "[" + ORDER + "," + order("id", "\"o2\"").replace("}", ",\"note\":\""
        + "x".repeat(1_100_000) + "\"}") + "]";
    JsonObject answer = ok(app.post("/api/v1/orders", "application/json", body));
    assertEquals(new JsonObject().put("accepted", 2).put("duplicates", 0).put("rejected", new JsonArray()),
        answer, "unknown fields are ignored");
    assertEquals(2, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
  }

  @Test
  void aTimestampExactlyFiveMinutesAheadIsAccepted() {
    JsonObject answer = ok(app.post("/api/v1/orders", "application/json",
        order("ts", "\"2026-11-11T04:05:00Z\"")));
    assertEquals(1, answer.getInteger("accepted"));
  }

  @Test
  void csvCellsAreReadByTheFieldsType() {
    String csv = "id,ts,customerId,amount,channel,newCustomer,adChannel,cost\n"
        + "o1," + TS + ",c1,120.50,tmall,true,,30\n"
        + "o2," + TS + ",c2,80,jd,false,search,\n"
        + "o3," + TS + ",c3,abc,jd,,,\n"
        + "o4," + TS + ",c4,10,jd,yes,,\n"
        + "o5," + TS + ",c5,10,jd,,,,extra\n"
        + "o6," + TS + ",,10,jd,,,\n"
        // numbers as JSON writes them, exponents too; a '+' sign is not one
        + "o7," + TS + ",c7,1.5E+2,jd,,,\n"
        + "o8," + TS + ",c8,+5,jd,,,\n"
        + "o9," + TS + ",c9,1e2147483648,jd,,,\n"
        + "o10," + TS + ",c10,1e13,jd,,,\n"
        + "o11," + TS + ",c11," + "9".repeat(1_000_000) + ",jd,,,\n";
    JsonObject answer = ok(app.post("/api/v1/orders", "text/csv; charset=utf-8", csv));
    assertEquals(3, answer.getInteger("accepted"));
    assertEquals(new JsonArray()
        .add(rej(3, "amount", "must be a number"))
        .add(rej(4, "newCustomer", "must be true or false"))
        .add(new JsonObject().put("row", 5).put("error", "has 9 cells; the header has 8"))
        .add(rej(6, "customerId", "is required"))
        .add(rej(8, "amount", "must be a number"))
        .add(rej(9, "amount", "is out of range"))
        .add(rej(10, "amount", "must be at most 1000000000000"))
        .add(rej(11, "amount", "must be a number")), answer.getJsonArray("rejected"));
    JsonObject campaign = app.kpis().getJsonObject("windows").getJsonObject("campaign");
    assertEquals(350.5, campaign.getDouble("grossRevenue"));
    assertEquals(1, campaign.getInteger("newCustomers"));
    assertEquals(80.0, campaign.getDouble("attributedRevenue"));
  }

  @Test
  void csvWithAnUnclosedQuoteReportsTheRowThatCannotBeRead() {
    String csv = "id,ts,channel,sessions\nv1," + TS + ",jd,3\nv2," + TS + ",\"jd,4\nv3," + TS + ",jd,5\n";
    JsonObject answer = ok(app.post("/api/v1/visits", "text/csv", csv));
    assertEquals(1, answer.getInteger("accepted"));
    JsonArray rejected = answer.getJsonArray("rejected");
    assertEquals(1, rejected.size());
    assertEquals(2, rejected.getJsonObject(0).getInteger("row"));
    assertTrue(rejected.getJsonObject(0).getString("error").startsWith("cannot be read"),
        rejected.encode());
  }

  @Test
  void ndjsonNumbersRowsByLineCountingBlankLines() {
    String body = ORDER + "\n\n   \n{\"id\":\"o2\",\"ts\":\"" + TS + "\"\n" + order("id", "\"o3\"")
        + "\n[1,2]\n";
    JsonObject answer = ok(app.post("/api/v1/orders", "application/x-ndjson", body));
    assertEquals(2, answer.getInteger("accepted"));
    JsonArray rejected = answer.getJsonArray("rejected");
    assertEquals(2, rejected.size());
    assertEquals(4, rejected.getJsonObject(0).getInteger("row"));
    assertTrue(rejected.getJsonObject(0).getString("error").startsWith("cannot be read"));
    assertEquals(rej(6, null, "must be a JSON object"), rejected.getJsonObject(1));
  }

  @Test
  void jsonArrayElementsThatAreNotObjectsAreRejectedRows() {
    JsonObject answer = ok(app.post("/api/v1/orders", "application/json", "[" + ORDER + ", 5, \"x\"]"));
    assertEquals(1, answer.getInteger("accepted"));
    assertEquals(new JsonArray().add(rej(2, null, "must be a JSON object"))
        .add(rej(3, null, "must be a JSON object")), answer.getJsonArray("rejected"));
  }

  @Test
  void duplicatesWithinARequestAcrossRequestsButNotAcrossTypes() {
    JsonObject first = ok(app.post("/api/v1/orders", "application/json", "[" + ORDER + "," + ORDER + "]"));
    assertEquals(1, first.getInteger("accepted"));
    assertEquals(1, first.getInteger("duplicates"));
    JsonObject second = ok(app.post("/api/v1/orders", "application/json",
        "[" + ORDER + "," + order("id", "\"o2\"") + "]"));
    assertEquals(1, second.getInteger("accepted"));
    assertEquals(1, second.getInteger("duplicates"));
    // The same id in another type is another record.
    JsonObject refund = ok(app.post("/api/v1/events", "application/json",
        "{\"type\":\"refund\",\"id\":\"o1\",\"ts\":\"" + TS + "\",\"orderId\":\"o1\",\"amount\":2.5}"));
    assertEquals(1, refund.getInteger("accepted"));
    // A repeat with different content is still a duplicate: the first one counts.
    JsonObject changed = ok(app.post("/api/v1/orders", "application/json", order("amount", "999")));
    assertEquals(0, changed.getInteger("accepted"));
    assertEquals(1, changed.getInteger("duplicates"));

    JsonObject k = app.kpis();
    JsonObject campaign = k.getJsonObject("windows").getJsonObject("campaign");
    assertEquals(21.0, campaign.getDouble("grossRevenue"));
    assertEquals(2.5, campaign.getDouble("refunds"));
    assertEquals(18.5, campaign.getDouble("revenue"));
    assertEquals(2, campaign.getInteger("orders"));
    JsonObject ingest = k.getJsonObject("ingest");
    assertEquals(3, ingest.getInteger("accepted"));
    assertEquals(3, ingest.getInteger("duplicates"));
    assertEquals(0, ingest.getInteger("rejected"));
    assertEquals("2026-11-11T04:00:00Z", ingest.getString("lastRecordAt"));
  }

  @Test
  void atomicRequestWithAnInvalidRowKeepsNothing() {
    HttpResponse<Buffer> r = app.post("/api/v1/orders?atomic=true", "application/json",
        "[" + ORDER + "," + order("id", "\"o2\"").replace("10.5", "-1") + "]");
    assertEquals(422, r.statusCode());
    assertEquals(new JsonObject().put("accepted", 0).put("duplicates", 0)
        .put("rejected", new JsonArray().add(rej(2, "amount", "must be > 0"))), r.bodyAsJsonObject());
    assertEquals(0, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
    // The valid row was not kept: sending it again is accepted, not a duplicate.
    JsonObject again = ok(app.post("/api/v1/orders?atomic=true", "application/json", ORDER));
    assertEquals(1, again.getInteger("accepted"));
    assertEquals(0, again.getInteger("duplicates"));
    // A value other than true or false is refused, not read as "not atomic" keeping the valid rows.
    for (String odd : List.of("1", "yes", "")) {
      assertError(app.post("/api/v1/orders?atomic=" + odd, "application/json",
          "[" + order("id", "\"o3\"") + "," + order("id", "\"o4\"").replace("10.5", "-1") + "]"), 400,
          "atomic must be true or false, not '" + odd + "'");
    }
    assertEquals(1, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
    assertEquals(1, ok(app.post("/api/v1/orders?atomic=FALSE", "application/json", order("id", "\"o5\"")))
        .getInteger("accepted"));
  }

  @Test
  void unreadableBodiesAndWrongTypesAnswerWithAnErrorBody() {
    assertError(app.post("/api/v1/orders", "application/json", "[" + ORDER), 400,
        "body is not valid JSON");
    assertError(app.post("/api/v1/orders", "application/json", ""), 400, "body is empty");
    assertError(app.post("/api/v1/orders", "text/csv", "id,ts,customerId,amount,channel,amount\n"
        + "o9,2026-11-11T12:00:00+08:00,c9,10,tmall,20\n"), 400, "CSV header names amount twice (columns 4 and 6)");
    assertError(app.post("/api/v1/orders", "application/json", "42"), 400,
        "body must be a JSON object or an array of objects");
    assertError(app.post("/api/v1/orders", "application/json", ORDER + " {}"), 400,
        "body is not valid JSON: content after the end of the value");
    assertError(app.post("/api/v1/orders", "text/plain", ORDER), 415, "unsupported Content-Type 'text/plain'");
    assertError(app.post("/api/v1/visits", "text/csv", ""), 400, "CSV body has no header row");
    // A CSV row with bytes that are not UTF-8 is a rejected row (as an NDJSON line is); a header
    // row with them leaves no row readable.
    HttpResponse<Buffer> badRow = TestApp.await(app.client.post("/api/v1/orders")
        .putHeader("Content-Type", "text/csv").sendBuffer(Buffer.buffer(new byte[] {'i', 'd', '\n', (byte) 0xC3, '\n'})));
    assertEquals(200, badRow.statusCode(), badRow.bodyAsString());
    assertEquals(new JsonArray().add(new JsonObject().put("row", 1).put("field", "id")
        .put("error", "is not valid UTF-8")), badRow.bodyAsJsonObject().getJsonArray("rejected"));
    HttpResponse<Buffer> badHeader = TestApp.await(app.client.post("/api/v1/orders")
        .putHeader("Content-Type", "text/csv").sendBuffer(Buffer.buffer(new byte[] {'i', (byte) 0xC3, '\n', 'x', '\n'})));
    assertError(badHeader, 400, "CSV header row is not valid UTF-8 (column 1)");
    assertError(app.get("/api/v1/nothing"), 404, "no such endpoint");
    assertEquals(0, app.kpis().getJsonObject("ingest").getInteger("accepted"));
  }

  @Test
  void aBodyOverTheLimitIs413AndKeepsNothing() {
    try (TestApp small = TestApp.deploy(vertx, Config.from(Map.of("WARROOM_HTTP_PORT", "0",
        "WARROOM_HTTP_HOST", "127.0.0.1", "WARROOM_BODY_LIMIT_BYTES", "2048"), new String[0]),
        SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at(NOW), store())) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < 40; i++) b.append(i == 0 ? "" : ",").append(order("id", "\"o" + i + "\""));
      assertError(small.post("/api/v1/orders", "application/json", b + "]"), 413,
          "body is over the limit of 2048 bytes");
      assertEquals(0, small.kpis().getJsonObject("ingest").getInteger("accepted"));
    }
  }

  static JsonObject rej(int row, String field, String error) {
    JsonObject o = new JsonObject().put("row", row);
    if (field != null) o.put("field", field);
    return o.put("error", error);
  }

  static JsonObject ok(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("application/json", r.getHeader("Content-Type"));
    return r.bodyAsJsonObject();
  }

  static void assertError(HttpResponse<Buffer> r, int status, String startOfMessage) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(Set.of("error", "requestId"), body.fieldNames(), body.encode());
    assertEquals(r.getHeader("X-Request-Id"), body.getString("requestId"));
    assertTrue(body.getString("error").startsWith(startOfMessage), body.encode());
  }
}
