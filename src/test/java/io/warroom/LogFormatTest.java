package io.warroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** One line per log event, as text or JSON, stack traces folded into the line. */
public class LogFormatTest {
  static LogRecord record() {
    LogRecord r = new LogRecord(Level.SEVERE, "request abc failed:\nPOST /api/v1/orders");
    r.setLoggerName("warroom.http");
    r.setInstant(Instant.parse("2026-11-11T00:00:00Z"));
    r.setThrown(new IllegalStateException("boom"));
    return r;
  }

  @Test
  void jsonIsOneObjectPerLine() {
    String line = new LogFormat(true).format(record());
    assertEquals(1, line.split("\n").length, line);
    JsonObject o = new JsonObject(line.trim());
    assertEquals("2026-11-11T00:00:00Z", o.getString("ts"));
    assertEquals("SEVERE", o.getString("level"));
    assertEquals("warroom.http", o.getString("logger"));
    assertEquals("request abc failed:\nPOST /api/v1/orders", o.getString("msg"));
    assertTrue(o.getString("error").contains("IllegalStateException: boom"));
  }

  @Test
  void textIsOneLine() {
    String line = new LogFormat(false).format(record());
    assertEquals(1, line.split("\n").length, line);
    assertTrue(line.startsWith("2026-11-11T00:00:00Z SEVERE warroom.http request abc failed: POST"), line);
    assertTrue(line.contains("IllegalStateException: boom"));
  }
}
