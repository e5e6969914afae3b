package io.warroom;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One line per log event, as text or as JSON (WARROOM_LOG_FORMAT). */
public final class LogFormat extends Formatter {
  private final boolean json;

  LogFormat(boolean json) {
    this.json = json;
  }

  /** Replaces the root logger's handlers with one that writes single lines to stderr. */
  public static void install(boolean json) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) root.removeHandler(h);
    ConsoleHandler h = new ConsoleHandler();
    h.setFormatter(new LogFormat(json));
    h.setLevel(Level.INFO);
    root.addHandler(h);
  }

  @Override
  public String format(LogRecord r) {
    String msg = formatMessage(r);
    String err = null;
    if (r.getThrown() != null) {
      StringWriter sw = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(sw));
      err = sw.toString();
    }
    if (json) {
      JsonObject o = new JsonObject().put("ts", Instant.ofEpochMilli(r.getMillis()).toString())
          .put("level", r.getLevel().getName()).put("logger", r.getLoggerName()).put("msg", msg);
      if (err != null) o.put("error", err);
      return o.encode() + System.lineSeparator();
    }
    String line = Instant.ofEpochMilli(r.getMillis()) + " " + r.getLevel().getName() + " "
        + r.getLoggerName() + " " + msg.replace('\n', ' ');
    if (err != null) line += " | " + err.replace("\n", " | ");
    return line + System.lineSeparator();
  }
}
