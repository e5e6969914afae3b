package io.warroom.stream;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.warroom.live.KpiService;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Server-sent events (CONTRACT section 6). A timer at the push interval sends the newest snapshot
 * to every client when the KPIs changed, so no client gets more than one per interval. The
 * snapshot event carries the core figures; each section (phases, breakdowns, ...) travels as an
 * event of its own, sent on connect and then when its content changed, but not at every push: a
 * section's first change goes out with the next snapshot, later ones at most once per
 * {@link #sectionGapNanos gap} (1 s, longer for a large section), so that under a steady flow of
 * orders the large sections cost a client little. Every frame is made once and shared by all
 * clients, compressed once for the clients that accept gzip. A client whose socket is backed up
 * is not written to: it keeps the newest snapshot frame and is sent, once the socket drains, that
 * snapshot and the sections that changed meanwhile. Runs on the KPI service's event loop.
 */
public final class StreamHub {
  /** The kernel's send buffer of a stream connection (Linux doubles it; it grows to 4 MB unset). */
  static final int SEND_BUFFER_BYTES = 8 * 1024;
  /** Bytes queued in the server for a client before it counts as backed up. */
  static final int WRITE_QUEUE_BYTES = 16 * 1024;
  /** A client that stays backed up this long is closed. */
  static final long STALL_LIMIT_MS = 60_000;
  private static final int ALERT_HISTORY = 1_000;
  /** Event ids remembered (8 bytes each): a snapshot per push, about 7 hours at 4 a second. */
  static final int ISSUED_KEPT = 100_000;
  /**
   * How far back a transition may have happened and not yet reached a screen on another node or
   * an earlier run (its time, from the alert log, is before the ids that node gave it and the
   * snapshot it sent just before it): a screen resuming from there is sent those again too.
   */
  static final long RESUME_MARGIN = 10_000_000L;
  /** Clients written in one turn of the event loop (about 5 ms of writes). */
  static final int CLIENTS_PER_TURN = 256;
  private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);
  /** A changed section waits at least this long after its last change was sent... */
  static final long SECTION_MIN_GAP_NANOS = 1_000_000_000L;
  /** ...and, when large, long enough to average at most this many bytes a second... */
  static final long SECTION_BYTES_PER_SECOND = 2_048;
  /** ...but never longer than this. */
  static final long SECTION_MAX_GAP_NANOS = 15_000_000_000L;
  private static final long NEVER = Long.MIN_VALUE;
  /** A frame older than this is made again for a new screen (its asOf sets the screen's clock). */
  static final long FRESH_NANOS = 1_000_000_000L;
  private static final Frame RETRY = new Frame(0, Buffer.buffer("retry: 2000\n\n"), null, 0);
  private static final Frame PING = new Frame(0, Buffer.buffer(":\n\n"), null, 0);

  static {
    // Shared by the hubs of every event loop: compressed here, never lazily on one of them.
    RETRY.bytes(true);
    PING.bytes(true);
  }

  private final Vertx vertx;
  private final KpiService kpis;
  private final Set<Client> clients = new LinkedHashSet<>();
  /** Recent alert events, oldest first, for clients that resume with Last-Event-ID. */
  private final Deque<AlertFrame> alerts = new ArrayDeque<>();
  /** The event ids this run gave lately: a Last-Event-ID among them is this run's own. */
  private final Issued issued = new Issued(ISSUED_KEPT);
  /** The frame of each section as last sent, with its version and when its content changed. */
  private final Map<String, SectionFrame> sections = new LinkedHashMap<>();
  /** Grows with every new section frame; a client has seen the frames up to its own mark. */
  private long sectionVersion;
  /** Whether a section's change is held back, and when the first such is due (nanoTime). */
  private boolean sectionsBehind;
  private long sectionsDueAt;
  /**
   * The sections a client has not seen and the snapshot after them, as one frame per distinct
   * mark (most clients share one): one write per client and push, not one per event.
   */
  private final Map<Long, Frame> bundles = new HashMap<>();
  private Frame bundledSnapshot;
  private long bundledVersion;
  private final long pushTimer;
  private final long heartbeatTimer;
  private final long minGapNanos;
  private final LongConsumer pushLatency;
  /** The newest snapshot frame, shared by every client that is sent it (never one copy each). */
  private Frame latest;
  /** When {@link #latest} was made (nanoTime). */
  private long latestAt;
  /** The sections as they were when {@link #latest} was made, changes held back included. */
  private Map<String, byte[]> latestSections = Map.of();
  /** A new screen's first frame while a section change is held back: made once per moment. */
  private Frame firstBundle;
  private Frame firstFor;
  private long firstVersion;
  /** A push under way: its clients, the next to write, the moment it pushes, its frame. */
  private Client[] round;
  private int roundAt;
  private long roundSeq;
  private long roundNanos;
  private Frame roundFrame;
  private boolean roundPushed;
  private boolean pushAgain;
  private long snapshotsSkipped;
  private boolean pushWaiting;
  private int gzipClients;
  private long eventsSent;

  /**
   * Events written together, plain and (made when first asked for) gzipped; shared by all
   * clients. One event, or several: the parts, whose gzip chunks are joined.
   */
  private static final class Frame {
    final long seq;
    final Buffer plain;
    final Frame[] parts;
    /** Events in it (the retry line and heartbeats are none). */
    final int events;
    private Buffer gzip;

    Frame(long seq, Buffer plain) {
      this(seq, plain, null, 1);
    }

    private Frame(long seq, Buffer plain, Frame[] parts, int events) {
      this.seq = seq;
      this.plain = direct(plain);
      this.parts = parts;
      this.events = events;
    }

    static Frame of(List<Frame> parts) {
      Buffer plain = Buffer.buffer();
      int events = 0;
      for (Frame f : parts) {
        plain.appendBuffer(f.plain);
        events += f.events;
      }
      return new Frame(parts.get(parts.size() - 1).seq, plain, parts.toArray(new Frame[0]), events);
    }

    Buffer bytes(boolean gzipped) {
      if (!gzipped) return plain;
      if (gzip == null) {
        if (parts == null) {
          gzip = direct(Gzip.chunk(plain));
        } else {
          Buffer joined = Buffer.buffer();
          for (Frame f : parts) joined.appendBuffer(f.bytes(true));
          gzip = direct(joined);
        }
      }
      return gzip;
    }
  }

  /**
   * The bytes outside the heap, written to every client as they are: Netty writes a heap buffer
   * by first copying it to direct memory, once per client (10,000 screens connecting at once to a
   * 50 KB snapshot copied 500 MB and held /health for 3 s). Freed by the GC, never by a write.
   */
  static Buffer direct(Buffer heap) {
    ByteBuffer d = ByteBuffer.allocateDirect(heap.length());
    d.put(heap.getBytes()).flip();
    return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(d)));
  }

  /** {@code changedAt} is System.nanoTime when its content change was sent, NEVER for none yet. */
  private record SectionFrame(byte[] json, Frame frame, long version, long changedAt) {}

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

  /**
   * Starts a stream on the response; {@code lastEventId} is the client's Last-Event-ID or null,
   * {@code acceptEncoding} its Accept-Encoding header or null.
   */
  public void open(HttpServerResponse response, HttpConnection connection, Long lastEventId,
      String acceptEncoding) {
    boolean gzip = Gzip.accepted(acceptEncoding);
    // Small buffers: a slow link backs up here, where the newest snapshot replaces the one
    // waiting, not in kernel buffers of megabytes that would hold minutes of old snapshots.
    response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    if (connection instanceof ConnectionBase c) {
      c.channel().config().setOption(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES);
    }
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        .putHeader("Vary", "Accept-Encoding")
        // Set here, so the server's own compression (one deflater per client) stays out of it.
        .putHeader("Content-Encoding", gzip ? "gzip" : "identity");
    Client c = new Client(response, gzip);
    clients.add(c);
    if (gzip) gzipClients++;
    response.closeHandler(v -> remove(c));
    response.exceptionHandler(e -> remove(c));
    if (gzip) response.write(Gzip.HEADER);
    c.send(RETRY);
    if (lastEventId != null) {
      // The alerts sent after it; for an id this run did not give (another node's, an earlier
      // run's), also those whose transition came so shortly before it that the screen may not
      // have had them there.
      boolean own = issued.contains(lastEventId);
      for (AlertFrame a : alerts) {
        if (a.frame.seq > lastEventId || !own && a.at > lastEventId - RESUME_MARGIN) c.send(a.frame);
      }
    }
    c.sectionsSeen = Long.MIN_VALUE; // every section, as it is now
    // Not part of a transaction being folded in: the first snapshot waits until it is whole.
    kpis.whenWhole(() -> {
      if (!clients.contains(c) || c.snapshotAt != 0) return; // gone, or a push was first
      long now = System.nanoTime();
      // A screen sets its clock by asOf: an idle server's frame can be a minute old, so a new
      // screen gets a new one (at most one a second; the others get it at the next push).
      if (latest != null && latest.seq == kpis.seq() && now - latestAt > FRESH_NANOS) kpis.touch();
      long seq = kpis.seq();
      c.snapshot(snapshotFrame(seq, now), seq, now);
    });
  }

  /** An alert transition kept before this run: when it happened (ms) and its JSON. */
  public record Past(long at, String json) {}

  /** An alert event as sent, and when its transition happened (ms x 1,000, as ids are). */
  private record AlertFrame(Frame frame, long at) {}

  private static long micros(long millis) {
    if (millis > Long.MAX_VALUE / 1_000) return Long.MAX_VALUE;
    return millis < Long.MIN_VALUE / 1_000 ? Long.MIN_VALUE : millis * 1_000;
  }

  /**
   * Keeps the transitions of the alert log from before this run (oldest first) for screens that
   * resume with a Last-Event-ID from before a restart, or from another node: each under the seq
   * its time gives (seqs follow the wall clock), below every seq of this run. Only while this run
   * has published none.
   */
  public void remember(List<Past> oldestFirst) {
    if (!alerts.isEmpty() || oldestFirst.isEmpty()) return;
    long start = kpis.seqStart() > 0 ? kpis.seqStart() : System.currentTimeMillis() * 1_000;
    int n = oldestFirst.size();
    long prev = Long.MIN_VALUE;
    for (int i = Math.max(0, n - ALERT_HISTORY); i < n; i++) {
      Past p = oldestFirst.get(i);
      long at = micros(p.at());
      long seq = Math.max(prev + 1, Math.min(at, start - (n - i)));
      prev = seq;
      alerts.addLast(new AlertFrame(new Frame(seq, frame("alert", seq, p.json())), at));
    }
  }

  /**
   * Sends an alert event to every client now and keeps it for resuming clients; {@code at} is
   * when its transition happened (ms).
   */
  public void publishAlert(long seq, long at, String json) {
    Frame f = new Frame(seq, frame("alert", seq, json));
    issued.add(seq);
    alerts.addLast(new AlertFrame(f, micros(at)));
    if (alerts.size() > ALERT_HISTORY) alerts.removeFirst();
    for (Client c : clients.toArray(new Client[0])) c.alert(f);
  }

  /**
   * Sends the newest snapshot now to every client that has not had it, whatever the push
   * interval: called before alert events, so that a screen never shows an alert firing above the
   * status its tile has yet.
   */
  public void snapshotNow() {
    if (clients.isEmpty() || kpis.folding()) return;
    long seq = kpis.seq();
    long now = System.nanoTime();
    Frame snap = snapshotFrame(seq, now);
    for (Client c : clients.toArray(new Client[0])) {
      if (c.snapshotAt != 0 && c.snapshotSeq < seq) c.snapshot(snap, seq, now);
    }
  }

  /** Sends another event (an annotation) to every client now; not kept for resuming clients. */
  public void publishEvent(String name, long seq, String json) {
    Frame f = new Frame(seq, frame(name, seq, json));
    issued.add(seq);
    for (Client c : clients.toArray(new Client[0])) c.alert(f);
  }

  public int clientCount() {
    return clients.size();
  }

  /** The clients sent the gzipped stream. */
  public int gzipClientCount() {
    return gzipClients;
  }

  private void remove(Client c) {
    if (clients.remove(c) && c.gzip) gzipClients--;
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
    gzipClients = 0;
  }

  /** Sends the newest snapshot to each client that has not seen it and is due. */
  private void push() {
    if (round != null) {
      pushAgain = true; // the round under way ends first
      return;
    }
    if (clients.isEmpty()) {
      kpis.takeUnpushedSince(); // no screen: the wait for one is no push's latency
      return;
    }
    if (kpis.folding()) {
      // Never part of a transaction: push as soon as it is whole.
      if (!pushWaiting) {
        pushWaiting = true;
        kpis.whenWhole(() -> {
          pushWaiting = false;
          push();
        });
      }
      return;
    }
    long seq = kpis.seq();
    long now = System.nanoTime();
    // A section change held back is due and no new snapshot would bring it: bring it alone.
    if (sectionsBehind && now - sectionsDueAt >= 0 && latest != null && latest.seq == seq) {
      updateSections(kpis.streamView().sections(), seq, now);
    }
    round = clients.toArray(new Client[0]);
    roundAt = 0;
    roundSeq = seq;
    roundNanos = now;
    // made now: a frame made in a later turn would hold what changed since
    roundFrame = snapshotFrame(seq, now);
    roundPushed = false;
    pushSome();
  }

  /**
   * Writes the round's next {@link #CLIENTS_PER_TURN} clients, then lets the loop read its
   * sockets (a /health, an ingest) before the next ones: ten thousand screens never hold it up
   * for the whole push.
   */
  private void pushSome() {
    int to = Math.min(round.length, roundAt + CLIENTS_PER_TURN);
    for (; roundAt < to; roundAt++) {
      Client c = round[roundAt];
      if (!clients.contains(c)) continue; // gone since the round began
      if (c.snapshotSeq >= roundSeq || roundNanos - c.snapshotAt < minGapNanos) {
        if (c.sectionsSeen < sectionVersion && c.writable()) c.sendSections();
        continue;
      }
      roundPushed = true;
      c.snapshot(roundFrame, roundSeq, roundNanos);
    }
    if (roundAt < round.length) {
      // A timer, not runOnContext: the loop reads its sockets before it runs the next turn.
      vertx.setTimer(1, id -> pushSome());
      return;
    }
    if (roundPushed) {
      long since = kpis.takeUnpushedSince();
      if (since != 0) pushLatency.accept(System.nanoTime() - since);
    }
    round = null;
    roundFrame = null;
    if (pushAgain) {
      pushAgain = false;
      push();
    }
  }

  private void heartbeat() {
    long now = System.currentTimeMillis();
    for (Client c : clients.toArray(new Client[0])) {
      if (c.stalledSince > 0 && now - c.stalledSince > STALL_LIMIT_MS) {
        remove(c);
        c.response.reset();
      } else if (c.stalledSince == 0 && !c.response.writeQueueFull()) {
        c.send(PING);
      }
    }
  }

  /**
   * The snapshot frame of {@code seq}, made once and shared; the section frames are brought up to
   * the same moment where their gap allows (see {@link #updateSections}).
   */
  private Frame snapshotFrame(long seq, long now) {
    if (latest != null && latest.seq == seq) return latest;
    KpiService.StreamView view = kpis.streamView();
    latest = new Frame(seq, frame("snapshot", seq, Buffer.buffer(view.core())));
    issued.add(seq);
    latestAt = now;
    latestSections = view.sections();
    updateSections(view.sections(), seq, now);
    return latest;
  }

  /**
   * A new frame for each section whose content changed, unless its last change was sent less than
   * its gap ago: then the old frame stays and the change is sent once the gap has passed.
   */
  private void updateSections(Map<String, byte[]> now, long seq, long nanos) {
    sectionsBehind = false;
    Set<String> present = new HashSet<>();
    for (Map.Entry<String, byte[]> s : now.entrySet()) {
      present.add(s.getKey());
      SectionFrame old = sections.get(s.getKey());
      if (old == null) {
        sections.put(s.getKey(), sectionFrame(s.getKey(), s.getValue(), seq, NEVER));
      } else if (!Arrays.equals(old.json, s.getValue())) {
        long due = old.changedAt == NEVER ? nanos : old.changedAt + sectionGapNanos(s.getValue().length);
        if (nanos - due >= 0) {
          sections.put(s.getKey(), sectionFrame(s.getKey(), s.getValue(), seq, nanos));
        } else if (!sectionsBehind || due - sectionsDueAt < 0) {
          sectionsBehind = true;
          sectionsDueAt = due;
        }
      }
    }
    // A section the plan no longer has is sent once more as null, so screens drop it.
    for (Map.Entry<String, SectionFrame> s : sections.entrySet()) {
      if (!present.contains(s.getKey()) && s.getValue().json != NULL) {
        s.setValue(sectionFrame(s.getKey(), NULL, seq, nanos));
      }
    }
  }

  /**
   * A new screen's first frame: every section as it is now, then {@code snapshot}. A change held
   * back from the screens already connected (they have the section, its next change waits for its
   * gap) is not held back from a new one: it would show a section older than its snapshot and
   * than GET /api/v1/kpis for up to 15 s.
   */
  private Frame first(Frame snapshot) {
    if (firstFor != snapshot || firstVersion != sectionVersion) {
      List<Frame> parts = new ArrayList<>();
      for (Map.Entry<String, SectionFrame> e : sections.entrySet()) {
        SectionFrame shared = e.getValue();
        byte[] now = latestSections.get(e.getKey());
        parts.add(now == null || Arrays.equals(now, shared.json) ? shared.frame
            : new Frame(latest.seq, frame(e.getKey(), latest.seq, Buffer.buffer(now))));
      }
      parts.add(snapshot);
      firstBundle = Frame.of(parts);
      firstFor = snapshot;
      firstVersion = sectionVersion;
    }
    return firstBundle;
  }

  /** The section frames made after {@code seen}, then {@code snapshot} (when not null), as one. */
  private Frame withSections(long seen, Frame snapshot) {
    if (seen >= sectionVersion && snapshot != null) return snapshot;
    // a new screen, while a section change is held back from the others
    if (seen == Long.MIN_VALUE && sectionsBehind && snapshot != null && snapshot == latest) {
      return first(snapshot);
    }
    if (bundledSnapshot != snapshot || bundledVersion != sectionVersion) {
      bundles.clear();
      bundledSnapshot = snapshot;
      bundledVersion = sectionVersion;
    }
    return bundles.computeIfAbsent(seen, k -> {
      List<Frame> parts = new ArrayList<>();
      for (SectionFrame s : sections.values()) if (s.version > seen) parts.add(s.frame);
      if (snapshot != null) parts.add(snapshot);
      return parts.size() == 1 ? parts.get(0) : Frame.of(parts);
    });
  }

  private SectionFrame sectionFrame(String name, byte[] json, long seq, long changedAt) {
    return new SectionFrame(json, new Frame(seq, frame(name, seq, Buffer.buffer(json))),
        ++sectionVersion, changedAt);
  }

  /** 1 s, or the time that {@link #SECTION_BYTES_PER_SECOND} takes to carry the section, up to 15 s. */
  static long sectionGapNanos(int bytes) {
    long bySize = bytes * 1_000_000_000L / SECTION_BYTES_PER_SECOND;
    return Math.min(SECTION_MAX_GAP_NANOS, Math.max(SECTION_MIN_GAP_NANOS, bySize));
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
    final boolean gzip;
    /** While backed up: the newest snapshot and the alerts not yet sent. */
    Frame pendingSnapshot;
    /** Made when first needed: most clients never back up (about 100 bytes each saved). */
    Deque<Frame> pendingAlerts;
    long stalledSince;
    long snapshotSeq;
    long snapshotAt;
    /** The section frames up to this version have been sent to this client. */
    long sectionsSeen;

    Client(HttpServerResponse response, boolean gzip) {
      this.response = response;
      this.gzip = gzip;
    }

    boolean writable() {
      return stalledSince == 0 && !response.writeQueueFull();
    }

    void snapshot(Frame frame, long seq, long nowNanos) {
      snapshotSeq = seq;
      snapshotAt = nowNanos;
      if (writable()) {
        send(withSections(sectionsSeen, frame));
        sectionsSeen = sectionVersion;
        return;
      }
      if (pendingSnapshot != null) snapshotsSkipped++;
      pendingSnapshot = frame;
      stall();
    }

    void alert(Frame frame) {
      if (writable()) {
        send(frame);
        return;
      }
      if (pendingAlerts == null) pendingAlerts = new ArrayDeque<>();
      if (pendingAlerts.size() < ALERT_HISTORY) pendingAlerts.addLast(frame);
      stall();
    }

    /** The section frames made since this client was last sent them. */
    void sendSections() {
      if (sectionsSeen < sectionVersion) send(withSections(sectionsSeen, null));
      sectionsSeen = sectionVersion;
    }

    void send(Frame frame) {
      response.write(frame.bytes(gzip));
      eventsSent += frame.events;
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
        send(withSections(sectionsSeen, pendingSnapshot));
        sectionsSeen = sectionVersion;
        pendingSnapshot = null;
      }
      if (!hasPendingAlerts() && pendingSnapshot == null) stalledSince = 0;
    }
  }
}
