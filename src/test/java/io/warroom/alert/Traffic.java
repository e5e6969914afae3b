package io.warroom.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.warroom.MutableClock;
import io.warroom.TestApp;

/** NDJSON bodies of visits and orders stamped with the test clock, each record with a new id. */
final class Traffic {
  MutableClock clock;
  private int next;

  /** One visit of {@code sessions} (none when 0) and {@code orders} orders of 100.00. */
  String ndjson(int sessions, int orders) {
    String ts = clock.instant().toString();
    StringBuilder b = new StringBuilder();
    if (sessions > 0) {
      b.append("{\"type\":\"visit\",\"id\":\"v").append(next++).append("\",\"ts\":\"").append(ts)
          .append("\",\"channel\":\"tmall\",\"sessions\":").append(sessions).append("}\n");
    }
    for (int i = 0; i < orders; i++) {
      int k = next++;
      b.append("{\"type\":\"order\",\"id\":\"o").append(k).append("\",\"ts\":\"").append(ts)
          .append("\",\"customerId\":\"c").append(k).append("\",\"amount\":100,\"channel\":\"tmall\"}\n");
    }
    return b.toString();
  }

  /** Sends {@link #ndjson} to /api/v1/events; it must be answered 200. */
  void send(TestApp app, int sessions, int orders) {
    HttpResponse<Buffer> r = app.post("/api/v1/events", "application/x-ndjson",
        ndjson(sessions, orders));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }
}
