package io.warroom.alert;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warroom.SseClient;

/** The stream as the alert tests read it: events of one type, ids as numbers. */
final class SseEvents implements AutoCloseable {
  record Event(long id, String type, JsonObject json, long receivedNanos) {}

  private final SseClient client;

  private SseEvents(SseClient client) {
    this.client = client;
  }

  static SseEvents open(Vertx vertx, int port, Long lastEventId) {
    return new SseEvents(SseClient.connect(vertx, port,
        lastEventId == null ? null : String.valueOf(lastEventId), null));
  }

  /** The next event of {@code type}, skipping others; fails after the timeout. */
  Event next(String type, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      SseClient.Event e = client.next(Math.max(1, deadline - System.currentTimeMillis()));
      if (e.event().equals(type)) {
        return new Event(Long.parseLong(e.id()), e.event(), e.json(), e.receivedAtNanos());
      }
    }
  }

  /** The next event, whatever its type. */
  Event first(long timeoutMs) {
    SseClient.Event e = client.next(timeoutMs);
    return new Event(Long.parseLong(e.id()), e.event(), e.json(), e.receivedAtNanos());
  }

  @Override
  public void close() {
    client.close();
  }
}
