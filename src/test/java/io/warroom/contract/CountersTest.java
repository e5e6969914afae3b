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
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Counters (CONTRACT section 10): records of type `count` in every body format, summed per name
 * over the campaign, today, last1h and last15m windows, exactly; at most 100 distinct names.
 */
public class CountersTest extends AppTest {
  static final String NOW = "2026-11-11T12:00:00+08:00";
  TestApp app;

  @BeforeEach
  void start() {
    app = start(Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at(NOW));
  }

  @AfterEach
  void stop() {
    if (app != null) app.close();
  }

  JsonObject post(TestApp to, String type, String body) {
    HttpResponse<Buffer> r = to.post("/api/v1/counts", type, body);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** One record: id, ts, name, value. */
  record Count(String id, String ts, String name, long value) {
    String json() {
      return new JsonObject().put("id", id).put("ts", ts).put("name", name).put("value", value).encode();
    }
  }

  /** The expected counters section, summed here from the records by their ts. */
  static JsonObject expected(List<Count> counts, String now) {
    long t = OffsetDateTime.parse(now).toInstant().toEpochMilli();
    long[] hour = Oracle.trailing(t, 3_600_000L);
    long[] quarter = Oracle.trailing(t, 900_000L);
    long campaignFrom = OffsetDateTime.parse("2026-11-01T00:00:00+08:00").toInstant().toEpochMilli();
    long campaignTo = OffsetDateTime.parse("2026-12-01T00:00:00+08:00").toInstant().toEpochMilli();
    long dayFrom = OffsetDateTime.parse(now.substring(0, 10) + "T00:00:00+08:00").toInstant().toEpochMilli();
    Map<String, long[]> sums = new TreeMap<>();
    for (Count c : counts) {
      long ts = OffsetDateTime.parse(c.ts).toInstant().toEpochMilli();
      long[] s = new long[4];
      boolean any = false;
      long[] from = {campaignFrom, dayFrom, hour[0], quarter[0]};
      long[] to = {campaignTo, hour[1], hour[1], quarter[1]};
      for (int w = 0; w < 4; w++) {
        if (ts >= from[w] && ts < to[w]) {
          s[w] = c.value;
          any = true;
        }
      }
      if (!any) continue;
      long[] acc = sums.computeIfAbsent(c.name, k -> new long[4]);
      for (int w = 0; w < 4; w++) acc[w] += s[w];
    }
    JsonObject out = new JsonObject();
    sums.forEach((name, s) -> out.put(name, new JsonObject().put("campaign", s[0]).put("today", s[1])
        .put("last1h", s[2]).put("last15m", s[3])));
    return out;
  }

  @Test
  void countersAreSummedPerWindowFromEveryFormat() {
    List<Count> json = List.of(
        new Count("j1", "2026-11-11T11:50:00+08:00", "live_signups", 1200),
        new Count("j2", "2026-11-11T11:20:00+08:00", "live_signups", 800),
        new Count("j3", "2026-11-11T03:00:00Z", "coupon.claims", 5),
        new Count("j4", "2026-11-05T10:00:00+08:00", "live_signups", 999_999_999_999L));
    List<Count> ndjson = List.of(
        new Count("n1", "2026-11-11T11:45:00+08:00", "coupon.claims", 1),
        new Count("n2", "2026-10-31T23:59:59+08:00", "live_signups", 7),
        new Count("n3", "2026-11-01T00:00:00+08:00", "live_signups", 3));
    List<Count> csv = List.of(
        new Count("c1", "2026-11-11T11:59:59+08:00", "live_signups", 1),
        new Count("c2", "2026-11-11T10:59:00+08:00", "coupon.claims", 40),
        new Count("c3", "2026-11-11T00:00:00+08:00", "a-b_c.d", 0));
    JsonArray arr = new JsonArray();
    json.forEach(c -> arr.add(new JsonObject(c.json())));
    assertEquals(4, post(app, "application/json", arr.encode()).getInteger("accepted"));
    StringBuilder nd = new StringBuilder();
    ndjson.forEach(c -> nd.append(c.json()).append("\n\n"));
    assertEquals(3, post(app, "application/x-ndjson", nd.toString()).getInteger("accepted"));
    StringBuilder cs = new StringBuilder("name,id,value,ts\n");
    // c1 without value: a count of 1 by default
    cs.append("live_signups,c1,,").append(csv.get(0).ts).append('\n');
    cs.append("coupon.claims,c2,40,").append(csv.get(1).ts).append('\n');
    cs.append("a-b_c.d,c3,0,").append(csv.get(2).ts).append('\n');
    assertEquals(3, post(app, "text/csv", cs.toString()).getInteger("accepted"));
    // A repeat is a duplicate and counts once.
    JsonObject again = post(app, "application/json", json.get(0).json());
    assertEquals(1, again.getInteger("duplicates"));
    List<Count> all = new ArrayList<>(json);
    all.addAll(ndjson);
    all.addAll(csv);
    JsonObject counters = app.kpis().getJsonObject("counters");
    assertEquals(expected(all, NOW), counters);
    assertEquals(1_000_000_002_003L, counters.getJsonObject("live_signups").getLong("campaign"),
        "1200 + 800 + 999,999,999,999 + 3 + 1");
    // The windows move with the clock: an hour later only the campaign and today remain.
    app.clock.set(Instant.parse("2026-11-11T05:00:30Z"));
    assertEquals(expected(all, "2026-11-11T13:00:30+08:00"), app.kpis().getJsonObject("counters"));
  }

  static String names(int from, int to) {
    JsonArray a = new JsonArray();
    for (int i = from; i < to; i++) {
      a.add(new JsonObject().put("id", "n" + i).put("ts", NOW).put("name", String.format("k%03d", i)));
    }
    return a.encode();
  }

  @Test
  void aHundredAndFirstNameIsARejectedRowInEveryFormat() {
    assertEquals(99, post(app, "application/json", names(0, 99)).getInteger("accepted"));
    // The 100th name is admitted; the next new ones are rejected rows; known names still count.
    JsonObject r = post(app, "application/json", "[{\"id\":\"a\",\"ts\":\"" + NOW
        + "\",\"name\":\"k099\"},{\"id\":\"b\",\"ts\":\"" + NOW + "\",\"name\":\"k100\"},"
        + "{\"id\":\"c\",\"ts\":\"" + NOW + "\",\"name\":\"k000\",\"value\":4}]");
    assertEquals(2, r.getInteger("accepted"), r.encode());
    JsonObject refused = new JsonObject().put("row", 2).put("field", "name")
        .put("error", "a new counter name past the limit of 100 distinct names");
    assertEquals(new JsonArray().add(refused), r.getJsonArray("rejected"));
    JsonObject nd = post(app, "application/x-ndjson", "{\"id\":\"d\",\"ts\":\"" + NOW
        + "\",\"name\":\"k001\"}\n{\"id\":\"e\",\"ts\":\"" + NOW + "\",\"name\":\"zz\"}\n");
    assertEquals(1, nd.getInteger("accepted"));
    assertEquals(new JsonArray().add(refused.copy().put("row", 2)), nd.getJsonArray("rejected"));
    JsonObject csv = post(app, "text/csv", "id,ts,name\nf," + NOW + ",new.one\ng,bad-ts,k002\nh,"
        + NOW + ",k002\n");
    assertEquals(1, csv.getInteger("accepted"));
    assertEquals(new JsonArray().add(refused.copy().put("row", 1))
        .add(new JsonObject().put("row", 2).put("field", "ts")
            .put("error", csv.getJsonArray("rejected").getJsonObject(1).getString("error"))),
        csv.getJsonArray("rejected"));
    // Atomic: one refused name keeps nothing.
    HttpResponse<Buffer> atomic = app.post("/api/v1/counts?atomic=true", "application/json",
        "[{\"id\":\"i\",\"ts\":\"" + NOW + "\",\"name\":\"k003\"},{\"id\":\"j\",\"ts\":\"" + NOW
            + "\",\"name\":\"other\"}]");
    assertEquals(422, atomic.statusCode());
    assertEquals(new JsonArray().add(refused.copy().put("row", 2)),
        atomic.bodyAsJsonObject().getJsonArray("rejected"));
    JsonObject counters = app.kpis().getJsonObject("counters");
    assertEquals(100, counters.size());
    assertEquals(5, counters.getJsonObject("k000").getLong("campaign"));
    assertEquals(2, counters.getJsonObject("k001").getLong("campaign"));
    assertEquals(2, counters.getJsonObject("k002").getLong("campaign"));
    assertEquals(1, counters.getJsonObject("k003").getLong("campaign"));
    assertEquals(1, counters.getJsonObject("k099").getLong("campaign"));
  }
}
