package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.warroom.TestApp;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.logging.LogEntry;

/** What the dashboard tests share: feeding the server, alert events, console checks, formats. */
final class Dash {
  private Dash() {}

  static String url(TestApp app, String query) {
    return "http://127.0.0.1:" + app.port + "/" + query;
  }

  /** Posts records (each with its "type") to /api/v1/events; all must be accepted. */
  static void ingest(TestApp app, List<ObjectNode> records) {
    for (int from = 0; from < records.size(); from += 5000) {
      List<ObjectNode> batch = records.subList(from, Math.min(records.size(), from + 5000));
      String body = batch.stream().map(ObjectNode::toString).collect(Collectors.joining("\n"));
      HttpResponse<Buffer> r = app.post("/api/v1/events", "application/x-ndjson", body);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      JsonObject answer = r.bodyAsJsonObject();
      assertEquals(batch.size(), answer.getInteger("accepted"), answer.encode());
    }
  }

  static void ingest(TestApp app, String path, String json) {
    HttpResponse<Buffer> r = app.post(path, "application/json", json);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(0, r.bodyAsJsonObject().getJsonArray("rejected").size(), r.bodyAsString());
  }

  /** Sends an alert transition (CONTRACT section 7) on the stream, from the server's event loop. */
  static void publishAlert(TestApp app, JsonObject alert) {
    TestApp.await(app.app.onLoop(() -> {
      app.app.hub().publishAlert(app.app.kpis().seq(), alert.encode());
      return null;
    }));
  }

  /**
   * The console's errors. While this server has no /api/v1/alerts (another part of the service),
   * the browser's own network line for that 404 is expected; nothing else is.
   */
  static List<String> consoleErrors(Browser b, TestApp app) {
    boolean noAlertsEndpoint = app.get("/api/v1/alerts").statusCode() == 404;
    return b.console().stream()
        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> !(noAlertsEndpoint && m.contains("/api/v1/alerts") && m.contains("404")))
        .toList();
  }

  // Formats the page must show, computed here with Java's decimal arithmetic.

  /** ¥1,234,567.89 */
  static String yuan(BigDecimal amount) {
    return yuan(amount, 2);
  }

  /** ¥1,234,568: rounded half up to {@code digits} decimals. */
  static String yuan(BigDecimal amount, int digits) {
    return "¥" + grouped(digits).format(amount.setScale(digits, RoundingMode.HALF_UP));
  }

  /** ¥123.46万: ten-thousands to two decimals, half up, from 10,000 on. */
  static String wan(BigDecimal amount) {
    if (amount.abs().compareTo(BigDecimal.valueOf(10_000)) < 0) return yuan(amount);
    return "¥" + grouped(2).format(amount.movePointLeft(4).setScale(2, RoundingMode.HALF_UP)) + "万";
  }

  /** 2.87% from a ratio a / b. */
  static String percent(long a, long b, int digits) {
    BigDecimal v = BigDecimal.valueOf(a).movePointRight(2).divide(BigDecimal.valueOf(b), digits, RoundingMode.HALF_UP);
    return grouped(digits).format(v) + "%";
  }

  static String decimal(BigDecimal v, int digits) {
    return grouped(digits).format(v.setScale(digits, RoundingMode.HALF_UP));
  }

  private static DecimalFormat grouped(int digits) {
    DecimalFormat f = new DecimalFormat(digits == 0 ? "#,##0" : "#,##0." + "0".repeat(digits),
        DecimalFormatSymbols.getInstance(Locale.ROOT));
    f.setRoundingMode(RoundingMode.UNNECESSARY);
    return f;
  }
}
