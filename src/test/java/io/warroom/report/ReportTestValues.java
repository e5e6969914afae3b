package io.warroom.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/** The week figures of {@link ReportTest#DATA}, computed by hand. */
final class ReportTestValues {
  private ReportTestValues() {}

  static void check(JsonObject report) {
    JsonArray w = report.getJsonArray("weeks");
    String[] revenue = {"300.50", "650", "99.99", "0"};
    int[] orders = {2, 2, 1, 0};
    int[] sessions = {1000, 500, 100, 0};
    for (int i = 0; i < 4; i++) {
      JsonObject week = w.getJsonObject(i);
      assertEquals(0, new BigDecimal(revenue[i]).compareTo(new BigDecimal(week.getValue("revenue").toString())), "week " + i);
      assertEquals(orders[i], week.getInteger("orders"), "week " + i);
      assertEquals(sessions[i], week.getInteger("sessions"), "week " + i);
    }
  }
}
