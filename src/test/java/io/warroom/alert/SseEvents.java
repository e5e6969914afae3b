package io.warroom.alert;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.warroom.TestApp;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real client of GET /api/v1/stream: reads the frames into a queue the test thread takes from. */
final class SseEvents implements AutoCloseable {
  record Event(long id, String type, String data, long receivedNanos) {
    JsonObject json() {
      return new JsonObject(data);
    }
  }

  private final HttpClient client;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final StringBuilder pending = new StringBuilder();

  private SseEvents(Vertx vertx) {
    this.client = vertx.createHttpClient();
  }

  /** Connects (with {@code lastEventId} when not null) and waits for the response headers. */
  static SseEvents open(Vertx vertx, int port, Long lastEventId) {
    SseEvents s = new SseEvents(vertx);
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(port).setURI("/api/v1/stream");
    if (lastEventId != null) o.putHeader("Last-Event-ID", String.valueOf(lastEventId));
    // The handler is set on the event loop as the headers arrive, so no frame slips past it.
    HttpClientResponse resp = TestApp.await(s.client.request(o).compose(r -> r.send())
        .map(r -> r.handler(s::onData)));
    if (resp.statusCode() != 200) throw new AssertionError("stream answered " + resp.statusCode());
    return s;
  }

  private void onData(Buffer b) {
    long t = System.nanoTime();
    pending.append(b.toString());
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String frame = pending.substring(0, end);
      pending.delete(0, end + 2);
      long id = -1;
      String type = "message";
      StringBuilder data = new StringBuilder();
      for (String line : frame.split("\n")) {
        if (line.startsWith("id: ")) id = Long.parseLong(line.substring(4));
        else if (line.startsWith("event: ")) type = line.substring(7);
        else if (line.startsWith("data: ")) data.append(line.substring(6));
      }
      if (data.length() > 0) events.add(new Event(id, type, data.toString(), t));
    }
  }

  /** The next event of {@code type} matching {@code p}, skipping others; fails after the timeout. */
  Event next(String type, Predicate<JsonObject> p, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      Event e;
      try {
        e = left <= 0 ? null : events.poll(left, TimeUnit.MILLISECONDS);
      } catch (InterruptedException ie) {
        throw new AssertionError(ie);
      }
      if (e == null) throw new AssertionError("no '" + type + "' event within " + timeoutMs + " ms");
      if (e.type().equals(type) && p.test(e.json())) return e;
    }
  }

  Event next(String type, long timeoutMs) {
    return next(type, j -> true, timeoutMs);
  }

  /** Events of {@code type} that arrive within {@code ms}. */
  java.util.List<Event> drain(String type, long ms) {
    java.util.List<Event> out = new java.util.ArrayList<>();
    long deadline = System.currentTimeMillis() + ms;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) return out;
      try {
        Event e = events.poll(left, TimeUnit.MILLISECONDS);
        if (e != null && e.type().equals(type)) out.add(e);
      } catch (InterruptedException ie) {
        throw new AssertionError(ie);
      }
    }
  }

  @Override
  public void close() {
    TestApp.await(client.close());
  }
}
