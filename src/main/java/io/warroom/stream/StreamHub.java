package io.warroom.stream;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.warroom.live.KpiService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Server-sent events (CONTRACT section 6). A timer at the push interval sends the newest snapshot
 * to every client when the KPIs changed, so no client gets more than one per interval. The
 * snapshot event carries the core figures; each section (phases, breakdowns, ...) travels as an
 * event of its own, sent on connect and then only when its content changed. Every frame is made
 * once and shared by all clients. A client whose socket is backed up is not written to: it keeps
 * the newest snapshot frame and is sent, once the socket drains, that snapshot and the sections
 * that changed meanwhile. Runs on the KPI service's event loop.
 */
public final class StreamHub {
  /** A client that stays backed up this long is closed. */
  static final long STALL_LIMIT_MS = 60_000;
  private static final int ALERT_HISTORY = 1_000;
  private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

  private final Vertx vertx;
  private final KpiService kpis;
  private final Set<Client> clients = new LinkedHashSet<>();
  /** Recent alert events, oldest first, for clients that resume with Last-Event-ID. */
  private final Deque<Frame> alerts = new ArrayDeque<>();
  /** The newest frame of each section, with the seq at which its content last changed. */
  private final Map<String, SectionFrame> sections = new LinkedHashMap<>();
  private final long pushTimer;
  private final long heartbeatTimer;
  private final long minGapNanos;
  private final LongConsumer pushLatency;
  /** The newest snapshot frame, shared by every client that is sent it (never one copy each). */
  private Frame latest;
  private long snapshotsSkipped;
  private long eventsSent;

  private record Frame(long seq, Buffer bytes) {}

  private record SectionFrame(byte[] json, Buffer bytes, long changedAt) {}

  public StreamHub(Vertx vertx, KpiService kpis, long pushIntervalMs, long heartbeatMs,
      LongConsumer pushLatencyNanos) {
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
      for (Frame f : alerts) if (f.seq > lastEventId) c.send(f.bytes);
    }
    long seq = kpis.seq();
    Buffer frame = snapshotFrame(seq);
    c.sectionsUpTo = Long.MIN_VALUE; // every section, as it is now
    c.snapshot(frame, seq, System.nanoTime());
  }

  /** Sends an alert event to every client now and keeps it for resuming clients. */
  public void publishAlert(long seq, String json) {
    Frame f = new Frame(seq, frame("alert", seq, json));
    alerts.addLast(f);
    if (alerts.size() > ALERT_HISTORY) alerts.removeFirst();
    for (Client c : clients.toArray(new Client[0])) c.alert(f.bytes);
  }

  /** Sends another event (an annotation) to every client now; not kept for resuming clients. */
  public void publishEvent(String name, long seq, String json) {
    Buffer f = frame(name, seq, json);
    for (Client c : clients.toArray(new Client[0])) c.alert(f);
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
    if (clients.isEmpty()) {
      kpis.takeUnpushedSince(); // no screen: the wait for one is no push's latency
      return;
    }
    if (kpis.folding()) return; // never part of a transaction: the next push has all of it
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

  /**
   * The snapshot frame of {@code seq}, made once and shared; the section frames are brought up to
   * the same moment, a new frame only for a section whose content changed.
   */
  private Buffer snapshotFrame(long seq) {
    if (latest != null && latest.seq == seq) return latest.bytes;
    KpiService.StreamView view = kpis.streamView();
    latest = new Frame(seq, frame("snapshot", seq, Buffer.buffer(view.core())));
    Set<String> present = new HashSet<>();
    for (Map.Entry<String, byte[]> s : view.sections().entrySet()) {
      present.add(s.getKey());
      SectionFrame old = sections.get(s.getKey());
      if (old == null || !Arrays.equals(old.json, s.getValue())) {
        sections.put(s.getKey(), new SectionFrame(s.getValue(),
            frame(s.getKey(), seq, Buffer.buffer(s.getValue())), seq));
      }
    }
    // A section the plan no longer has is sent once more as null, so screens drop it.
    for (Map.Entry<String, SectionFrame> s : sections.entrySet()) {
      if (!present.contains(s.getKey()) && s.getValue().json != NULL) {
        s.setValue(new SectionFrame(NULL, frame(s.getKey(), seq, Buffer.buffer(NULL)), seq));
      }
    }
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
    /** Sections that changed after this seq have not been sent to this client yet. */
    long sectionsUpTo;

    Client(HttpServerResponse response) {
      this.response = response;
    }

    boolean writable() {
      return stalledSince == 0 && !response.writeQueueFull();
    }

    void snapshot(Buffer frame, long seq, long nowNanos) {
      snapshotSeq = seq;
      snapshotAt = nowNanos;
      if (writable()) {
        sendSections();
        send(frame);
        return;
      }
      if (pendingSnapshot != null) snapshotsSkipped++;
      pendingSnapshot = frame;
      stall();
    }

    void alert(Buffer frame) {
      if (writable()) {
        send(frame);
        return;
      }
      if (pendingAlerts == null) pendingAlerts = new ArrayDeque<>();
      if (pendingAlerts.size() < ALERT_HISTORY) pendingAlerts.addLast(frame);
      stall();
    }

    /** The sections that changed since this client was last sent them. */
    private void sendSections() {
      long upTo = sectionsUpTo;
      for (SectionFrame s : sections.values()) {
        if (s.changedAt > upTo) send(s.bytes);
      }
      sectionsUpTo = latest == null ? upTo : latest.seq;
    }

    private void send(Buffer frame) {
      response.write(frame);
      eventsSent++;
    }

    private void stall() {
      if (stalledSince == 0) {
        stalledSince = System.currentTimeMillis();
        response.drainHandler(v -> flush());
      }
    }

    private boolean hasPendingAlerts() {
      return pendingAlerts != null && !pendingAlerts.isEmpty();
    }

    private void flush() {
      while (!response.writeQueueFull() && hasPendingAlerts()) send(pendingAlerts.removeFirst());
      if (!response.writeQueueFull() && pendingSnapshot != null) {
        sendSections();
        send(pendingSnapshot);
        pendingSnapshot = null;
      }
      if (!hasPendingAlerts() && pendingSnapshot == null) stalledSince = 0;
    }
  }
}
