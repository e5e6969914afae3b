package io.warroom;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads a server-sent-event stream over real HTTP into a queue of events and comments. */
public final class SseClient implements AutoCloseable {
  /** One event; {@code event} is "comment" for a comment line. */
  public record Event(String id, String event, String data, long receivedAtNanos) {
    public JsonObject json() {
      return new JsonObject(data);
    }
  }

  public final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  public HttpClientResponse response;
  private final HttpClient client;
  private final StringBuilder pending = new StringBuilder();
  private String id;
  private String event;
  private final StringBuilder data = new StringBuilder();

  private SseClient(HttpClient client) {
    this.client = client;
  }

  public static SseClient connect(Vertx vertx, int port, String lastEventId, String bearer) {
    HttpClient client = vertx.createHttpClient();
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(port).setURI("/api/v1/stream");
    if (lastEventId != null) o.putHeader("Last-Event-ID", lastEventId);
    if (bearer != null) o.putHeader("Authorization", "Bearer " + bearer);
    SseClient c = new SseClient(client);
    // The handler is set on the event loop as the response arrives, so no chunk is missed.
    c.response = TestApp.await(client.request(o).compose(req -> req.send())
        .map(resp -> resp.handler(buf -> c.feed(buf.toString()))));
    return c;
  }

  private synchronized void feed(String chunk) {
    pending.append(chunk);
    int nl;
    while ((nl = pending.indexOf("\n")) >= 0) {
      String line = pending.substring(0, nl);
      pending.delete(0, nl + 1);
      if (line.isEmpty()) {
        if (event != null || data.length() > 0) {
          events.add(new Event(id, event == null ? "message" : event, data.toString(), System.nanoTime()));
        }
        event = null;
        data.setLength(0);
      } else if (line.startsWith(":")) {
        events.add(new Event(null, "comment", line.substring(1), System.nanoTime()));
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ")) {
        if (data.length() > 0) data.append('\n');
        data.append(line.substring(6));
      }
    }
  }

  /** The next event that is not a comment, or fails after the timeout. */
  public Event next(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      Event e;
      try {
        e = left <= 0 ? null : events.poll(left, TimeUnit.MILLISECONDS);
      } catch (InterruptedException ex) {
        throw new RuntimeException(ex);
      }
      if (e == null) throw new AssertionError("no event within " + timeoutMs + " ms");
      if (!e.event().equals("comment")) return e;
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
