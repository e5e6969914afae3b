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
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.logging.LogEntry;
import io.vertx.core.json.JsonArray;
import org.openqa.selenium.By;

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
      app.app.hub().publishAlert(app.app.kpis().seq(), app.clock.millis(), alert.encode());
      return null;
    }));
  }

  /** An alert shaped as CONTRACT 7 (for the panel's own tests; the wall's truth tests fire real ones). */
  static JsonObject alert(String rule, String kpi, String window, String severity, String state,
      double value, double threshold, ZonedDateTime since, ZonedDateTime resolvedAt, String message) {
    return new JsonObject().put("id", rule + "@" + since.toInstant().toEpochMilli()).put("rule", rule)
        .put("kpi", kpi).put("window", window).put("severity", severity).put("state", state)
        .put("value", value).put("threshold", threshold).put("since", since.toInstant().toString())
        .put("resolvedAt", resolvedAt == null ? null : resolvedAt.toInstant().toString())
        .put("message", message);
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

  /** The firing alerts the server holds now (GET /api/v1/alerts). */
  static List<JsonObject> firing(TestApp app) {
    JsonArray active = app.get("/api/v1/alerts").bodyAsJsonObject().getJsonArray("active");
    return active.stream().map(JsonObject.class::cast).filter(a -> a.getString("state").equals("firing")).toList();
  }

  static JsonObject kpi(JsonObject snapshot, String id) {
    return snapshot.getJsonArray("kpis").stream().map(JsonObject.class::cast)
        .filter(k -> k.getString("id").equals(id)).findFirst().orElseThrow();
  }

  private static final List<String> RANK = List.of("none", "ok", "warning", "critical");

  /**
   * Elements with data-kpi whose data-status differs from the snapshot's status of that KPI, or
   * lies below the severity of an alert firing on it; empty when every one agrees.
   */
  static String tileStatusMismatches(Browser b, TestApp app) {
    JsonObject snap = app.kpis();
    List<JsonObject> firing = firing(app);
    StringBuilder out = new StringBuilder();
    for (var el : b.driver.findElements(By.cssSelector("[data-kpi]"))) {
      String id = el.getDomAttribute("data-kpi");
      String shown = el.getDomAttribute("data-status");
      JsonObject k = kpi(snap, id);
      // a KPI without a status (no target) has no data-status, as the snapshot's null
      String want = k.getString("status");
      if (!Objects.equals(want, shown)) out.append(id).append(": shows ").append(shown).append(", snapshot ").append(want).append("; ");
      for (JsonObject a : firing) {
        if (a.getString("kpi").equals(id) && RANK.indexOf(shown == null ? "none" : shown) < RANK.indexOf(a.getString("severity"))) {
          out.append(id).append(": ").append(shown).append(" below firing ").append(a.getString("rule")).append("; ");
        }
      }
    }
    return out.toString();
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
