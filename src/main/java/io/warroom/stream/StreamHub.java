package io.warroom.stream;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.warroom.kpi.KpiService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Server-sent events (CONTRACT section 6). A timer at the push interval sends the newest snapshot
 * to every client when the KPIs changed, so no client gets more than one per interval. A client
 * whose socket is backed up is not written to: it keeps one pending frame, replaced by newer ones,
 * and sent when the socket drains. Runs on the KPI service's event loop.
 */
public final class StreamHub {
  /** A client that stays backed up this long is closed. */
  static final long STALL_LIMIT_MS = 60_000;
  private static final int ALERT_HISTORY = 1_000;

  private final Vertx vertx;
  private final KpiService kpis;
  private final Set<Client> clients = new LinkedHashSet<>();
  /** Recent alert events, oldest first, for clients that resume with Last-Event-ID. */
  private final Deque<Frame> alerts = new ArrayDeque<>();
  private final long pushTimer;
  private final long heartbeatTimer;
  private final long minGapNanos;
  /** The newest snapshot frame, shared by every client that is sent it (never one copy each). */
  private Frame latest;
  private long snapshotsSkipped;
  private long eventsSent;

  private record Frame(long seq, Buffer bytes) {}

  private final java.util.function.LongConsumer pushLatency;

  public StreamHub(Vertx vertx, KpiService kpis, long pushIntervalMs, long heartbeatMs,
      java.util.function.LongConsumer pushLatencyNanos) {
    this.vertx = vertx;
    this.kpis = kpis;
    this.pushLatency = pushLatencyNanos;
    // Timer ticks jitter by a few ms; a client is due again after 90 % of the interval.
    this.minGapNanos = pushIntervalMs * 900_000L;
    this.pushTimer = vertx.setPeriodic(pushIntervalMs, id -> push());
    this.heartbeatTimer = vertx.setPeriodic(heartbeatMs, id -> heartbeat());
  }

  /** Starts a stream on the response; {@code lastEventId} is the client's Last-Event-ID or null. */
  public void open(HttpServerResponse response, Long lastEventId) {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        // One frame is shared by every client: compressing it again per client would cost each push.
        .putHeader("Content-Encoding", "identity")
        .putHeader("Connection", "keep-alive");
    Client c = new Client(response);
    clients.add(c);
    response.closeHandler(v -> clients.remove(c));
    response.exceptionHandler(e -> clients.remove(c));
    response.write(Buffer.buffer("retry: 2000\n\n", StandardCharsets.UTF_8.name()));
    if (lastEventId != null) {
      for (Frame f : alerts) if (f.seq > lastEventId) c.send(f.bytes, false);
    }
    long seq = kpis.seq();
    c.snapshot(snapshotFrame(seq), seq, System.nanoTime());
  }

  /** Sends an alert event to every client now and keeps it for resuming clients. */
  public void publishAlert(long seq, String json) {
    Frame f = new Frame(seq, frame("alert", seq, json));
    alerts.addLast(f);
    if (alerts.size() > ALERT_HISTORY) alerts.removeFirst();
    for (Client c : clients.toArray(new Client[0])) c.send(f.bytes, false);
  }

  public int clientCount() {
    return clients.size();
  }

  public long snapshotsSkipped() {
    return snapshotsSkipped;
  }

  public long eventsSent() {
    return eventsSent;
  }

  public void close() {
    vertx.cancelTimer(pushTimer);
    vertx.cancelTimer(heartbeatTimer);
    for (Client c : clients.toArray(new Client[0])) c.response.end();
    clients.clear();
  }

  /** Sends the newest snapshot to each client that has not seen it and is due. */
  private void push() {
    if (clients.isEmpty()) return;
    long seq = kpis.seq();
    long now = System.nanoTime();
    Buffer frame = null;
    for (Client c : clients.toArray(new Client[0])) {
      if (c.snapshotSeq >= seq || now - c.snapshotAt < minGapNanos) continue;
      if (frame == null) frame = snapshotFrame(seq);
      c.snapshot(frame, seq, now);
    }
    if (frame != null) {
      long since = kpis.takeUnpushedSince();
      if (since != 0) pushLatency.accept(System.nanoTime() - since);
    }
  }

  private void heartbeat() {
    Buffer ping = Buffer.buffer(":\n\n");
    long now = System.currentTimeMillis();
    for (Client c : clients.toArray(new Client[0])) {
      if (c.stalledSince > 0 && now - c.stalledSince > STALL_LIMIT_MS) {
        clients.remove(c);
        c.response.reset();
      } else if (c.stalledSince == 0 && !c.response.writeQueueFull()) {
        c.response.write(ping);
      }
    }
  }

  /** The snapshot frame of {@code seq}, made once and shared. */
  private Buffer snapshotFrame(long seq) {
    if (latest == null || latest.seq != seq) latest = new Frame(seq, frame("snapshot", seq, kpis.snapshot()));
    return latest.bytes;
  }

  private static Buffer frame(String event, long id, String json) {
    return frame(event, id, Buffer.buffer(json, StandardCharsets.UTF_8.name()));
  }

  private static Buffer frame(String event, long id, Buffer json) {
    // The JSON is written on one line, so one data: line carries it.
    byte[] head = ("id: " + id + "\nevent: " + event + "\ndata: ").getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(head.length + json.length() + 2).appendBytes(head).appendBuffer(json)
        .appendString("\n\n");
  }

  private final class Client {
    final HttpServerResponse response;
    /** While backed up: the newest snapshot and the alerts not yet sent. */
    Buffer pendingSnapshot;
    /** Made when first needed: most clients never back up (about 100 bytes each saved). */
    Deque<Buffer> pendingAlerts;
    long stalledSince;
    long snapshotSeq;
    long snapshotAt;

    Client(HttpServerResponse response) {
      this.response = response;
    }

    void snapshot(Buffer frame, long seq, long nowNanos) {
      snapshotSeq = seq;
      snapshotAt = nowNanos;
      send(frame, true);
    }

    void send(Buffer frame, boolean snapshot) {
      if (stalledSince == 0 && !response.writeQueueFull()) {
        response.write(frame);
        eventsSent++;
        return;
      }
      if (snapshot) {
        if (pendingSnapshot != null) snapshotsSkipped++;
        pendingSnapshot = frame;
      } else {
        if (pendingAlerts == null) pendingAlerts = new ArrayDeque<>();
        if (pendingAlerts.size() < ALERT_HISTORY) pendingAlerts.addLast(frame);
      }
      if (stalledSince == 0) {
        stalledSince = System.currentTimeMillis();
        response.drainHandler(v -> flush());
      }
    }

    private boolean hasPendingAlerts() {
      return pendingAlerts != null && !pendingAlerts.isEmpty();
    }

    private void flush() {
      while (!response.writeQueueFull() && (hasPendingAlerts() || pendingSnapshot != null)) {
        Buffer next = !hasPendingAlerts() ? pendingSnapshot : pendingAlerts.removeFirst();
        if (next == pendingSnapshot) pendingSnapshot = null;
        response.write(next);
        eventsSent++;
      }
      if (!hasPendingAlerts() && pendingSnapshot == null) stalledSince = 0;
    }
  }
}
