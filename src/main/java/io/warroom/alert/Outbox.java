package io.warroom.alert;

import io.vertx.core.Future;
import java.util.List;

/**
 * Webhook notifications not yet delivered, kept where another node can take them over: the
 * alerting node adds each one it queues and removes it once delivered, refused or dropped; a node
 * that takes the lease sends what is left. In memory there is nothing to take over.
 */
public interface Outbox {
  /** A kept notification: {@code team} null for a configured URL (WARROOM_WEBHOOK_URLS). */
  record Entry(long id, String url, String format, String team, String key, String body) {}

  /** Keeps a notification; its id, or 0 when nothing is kept. */
  Future<Long> add(String url, String format, String team, String key, String body);

  Future<Void> remove(long id);

  /** What is kept, oldest first. */
  Future<List<Entry>> pending();

  Outbox NONE = new Outbox() {
    @Override
    public Future<Long> add(String url, String format, String team, String key, String body) {
      return Future.succeededFuture(0L);
    }

    @Override
    public Future<Void> remove(long id) {
      return Future.succeededFuture();
    }

    @Override
    public Future<List<Entry>> pending() {
      return Future.succeededFuture(List.of());
    }
  };
}
