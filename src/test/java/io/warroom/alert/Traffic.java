package io.warroom.alert;

import io.warroom.MutableClock;

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
}
