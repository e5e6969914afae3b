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
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The optional fields of later sections (CONTRACT section 3): orders with sku, productCategory,
 * region, segment, tags, quantity, experiment and variant; visits with region, experiment and
 * variant; and the sixth type, `count` (section 10), in every body format, validated as other
 * fields are.
 */
public class RecordFieldsTest extends AppTest {
  static final String TS = "2026-11-11T10:00:00+08:00";
  TestApp app;

  @BeforeEach
  void start() {
    app = start(Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-11T12:00:00+08:00"));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  JsonObject post(String path, String type, String body) {
    HttpResponse<Buffer> r = app.post(path, type, body);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static String order(String id, String extra) {
    return "{\"id\":\"" + id + "\",\"ts\":\"" + TS + "\",\"customerId\":\"c\",\"amount\":10,"
        + "\"channel\":\"tmall\"" + extra + "}";
  }

  @Test
  void ordersAndVisitsTakeTheirOptionalFieldsInEveryFormat() {
    String full = ",\"sku\":\"A\",\"productCategory\":\"green\",\"region\":\"华东\",\"segment\":\"30-45\","
        + "\"tags\":[\"green\",\"新品\",\"green\"],\"quantity\":3,\"experiment\":\"checkout-v2\",\"variant\":\"B\"";
    assertEquals(1, post("/api/v1/orders", "application/json", order("j1", full)).getInteger("accepted"));
    assertEquals(1, post("/api/v1/orders", "application/x-ndjson", order("n1", full) + "\n")
        .getInteger("accepted"));
    String csv = "id,ts,customerId,amount,channel,sku,productCategory,region,segment,tags,quantity,experiment,variant\n"
        + "c1," + TS + ",c,10,tmall,A,green,华东,30-45,green; 新品 ;green,3,checkout-v2,B\n"
        + "c2," + TS + ",c,10,tmall,,,,,,,,\n";
    assertEquals(2, post("/api/v1/orders", "text/csv", csv).getInteger("accepted"));
    String visit = "{\"id\":\"v1\",\"ts\":\"" + TS + "\",\"channel\":\"tmall\",\"sessions\":5,"
        + "\"region\":\"east\",\"experiment\":\"checkout-v2\",\"variant\":\"A\"}";
    assertEquals(1, post("/api/v1/visits", "application/json", visit).getInteger("accepted"));
    assertEquals(4, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
  }

  /** A tag counts under one key whatever the body: CSV and JSON values alike lose outer spaces. */
  @Test
  void aTagCountsUnderOneKeyInEveryFormat() {
    post("/api/v1/orders", "application/json", order("t1", ",\"tags\":[\" 新品 \",\"green\"]"));
    post("/api/v1/orders", "text/csv", "id,ts,customerId,amount,channel,tags\n"
        + "t2," + TS + ",c,10,tmall,green; 新品\n");
    JsonObject tags = app.kpis().getJsonObject("breakdowns").getJsonObject("tag");
    assertEquals(new JsonArray()
        .add(new JsonObject().put("key", "green").put("revenue", 20).put("orders", 2).put("units", 2)
            .put("share", 1.0))
        .add(new JsonObject().put("key", "新品").put("revenue", 20).put("orders", 2).put("units", 2)
            .put("share", 1.0)), tags.getJsonArray("top"));
    assertEquals(2, tags.getInteger("distinct"));
  }

  @Test
  void badOptionalFieldsAreRejectedNamingTheField() {
    List<String[]> cases = List.of(
        new String[] {",\"quantity\":0", "quantity", "must be >= 1"},
        new String[] {",\"quantity\":1.5", "quantity", "must be an integer"},
        new String[] {",\"quantity\":\"2\"", "quantity", "must be an integer"},
        new String[] {",\"tags\":\"green\"", "tags", "must be an array of strings"},
        new String[] {",\"tags\":[\"green\",3]", "tags", "must be an array of strings"},
        new String[] {",\"tags\":[\"\"]", "tags", "must not be empty"},
        new String[] {",\"tags\":[\"green\",\" \u3000\"]", "tags", "must not be empty"},
        new String[] {",\"tags\":" + new JsonArray(Collections.nCopies(21, "t")).encode(),
            "tags", "at most 20 tags"},
        new String[] {",\"sku\":\"" + "s".repeat(201) + "\"", "sku", "must be at most 200 characters"},
        new String[] {",\"region\":5", "region", "must be a string"});
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < cases.size(); i++) body.append(i == 0 ? "" : ",").append(order("bad" + i, cases.get(i)[0]));
    body.append(",").append(order("good", ",\"tags\":[]")).append("]");
    JsonObject r = post("/api/v1/orders", "application/json", body.toString());
    assertEquals(1, r.getInteger("accepted"), r.encode());
    JsonArray rejected = r.getJsonArray("rejected");
    assertEquals(cases.size(), rejected.size(), rejected.encode());
    for (int i = 0; i < cases.size(); i++) {
      JsonObject row = rejected.getJsonObject(i);
      assertEquals(i + 1, row.getInteger("row"));
      assertEquals(cases.get(i)[1], row.getString("field"), row.encode());
      assertEquals(cases.get(i)[2], row.getString("error"), row.encode());
    }
  }

  @Test
  void countsAreATypeOfTheirOwnInEveryFormat() {
    JsonObject r = post("/api/v1/counts", "application/json", "[{\"id\":\"k1\",\"ts\":\"" + TS
        + "\",\"name\":\"live_signups\"},{\"id\":\"k2\",\"ts\":\"" + TS
        + "\",\"name\":\"live_signups\",\"value\":250},{\"id\":\"k3\",\"ts\":\"" + TS
        + "\",\"name\":\"Live Signups\"},{\"id\":\"k4\",\"ts\":\"" + TS
        + "\",\"name\":\"x\",\"value\":-1},{\"id\":\"k5\",\"ts\":\"" + TS + "\"},{\"id\":\"k1\",\"ts\":\""
        + TS + "\",\"name\":\"live_signups\"}]");
    assertEquals(2, r.getInteger("accepted"), r.encode());
    assertEquals(1, r.getInteger("duplicates"));
    assertEquals(new JsonArray()
        .add(new JsonObject().put("row", 3).put("field", "name")
            .put("error", "must be 1 to 64 characters of a-z, 0-9, '_', '.' and '-'"))
        .add(new JsonObject().put("row", 4).put("field", "value").put("error", "must be >= 0"))
        .add(new JsonObject().put("row", 5).put("field", "name").put("error", "is required")),
        r.getJsonArray("rejected"));
    assertEquals(1, post("/api/v1/counts", "text/csv", "id,ts,name,value\nc1," + TS + ",coupon.claims,7\n")
        .getInteger("accepted"));
    assertEquals(1, post("/api/v1/counts", "application/x-ndjson", "{\"id\":\"n1\",\"ts\":\"" + TS
        + "\",\"name\":\"coupon.claims\"}\n").getInteger("accepted"));
    assertEquals(1, post("/api/v1/events", "application/json", "{\"type\":\"count\",\"id\":\"e1\",\"ts\":\""
        + TS + "\",\"name\":\"coupon.claims\"}").getInteger("accepted"));
    // Counts are not orders: no KPI of section 5 moves.
    assertEquals(0, app.kpis().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
  }
}
