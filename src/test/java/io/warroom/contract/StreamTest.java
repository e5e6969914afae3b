package io.warroom.contract;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.warroom.MutableClock;
import io.warroom.SseClient;
import io.warroom.SseClient.Event;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.SeedPlan;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CONTRACT section 6: snapshot on connect, coalescing, ids, heartbeats, resume, slow clients. */
public class StreamTest extends AppTest {
  static final String NOW = "2026-11-11T12:00:00+08:00";
  TestApp app;

  @AfterEach
  void stop() {
    if (app != null) app.close();
  }

  void start(long pushMs, long heartbeatMs) {
    app = start(Config.defaults().withPushIntervalMs(pushMs).withHeartbeatMs(heartbeatMs),
        SeedPlan.forMonth(LocalDate.of(2026, 11, 1)), MutableClock.at(NOW));
  }

  static String order(String id, String amount) {
    return "{\"id\":\"" + id + "\",\"ts\":\"2026-11-11T11:00:00+08:00\",\"customerId\":\"c\","
        + "\"amount\":" + amount + ",\"channel\":\"tmall\"}";
  }

  @Test
  void connectGetsTheCurrentSnapshotWithItsSeqAsId() {
    start(250, 10_000);
    app.post("/api/v1/orders", "application/json", order("o1", "12.34"));
    try (SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
      assertEquals("text/event-stream; charset=utf-8", sse.header("Content-Type"));
      assertEquals("no-cache", sse.header("Cache-Control"));
      assertEquals("no", sse.header("X-Accel-Buffering"));
      Event e = sse.snapshot(8000);
      assertEquals("snapshot", e.event());
      JsonObject s = e.json();
      assertEquals(Long.parseLong(e.id()), s.getLong("seq"));
      assertEquals(app.kpis().getLong("seq"), s.getLong("seq"));
      assertEquals(12.34, s.getJsonObject("windows").getJsonObject("campaign").getDouble("revenue"));
    }
  }

  @Test
  void changesAreCoalescedToOneSnapshotPerInterval() throws Exception {
    long interval = 400;
    start(interval, 10_000);
    try (SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
      Event first = sse.snapshot(8000);
      long firstSeq = Long.parseLong(first.id());
      long began = System.nanoTime();
      for (int i = 0; i < 40; i++) {
        app.post("/api/v1/orders", "application/json", order("o" + i, "1"));
      }
      long finalSeq = app.kpis().getLong("seq");
      assertTrue(finalSeq >= firstSeq + 40, "every accepted batch is a change");
      List<Event> got = new ArrayList<>();
      got.add(first);
      while (Long.parseLong(got.get(got.size() - 1).id()) < finalSeq) got.add(sse.snapshot(8000));
      // Far fewer snapshots than changes: at most one per interval over the time it took. (Gaps
      // between arrivals are not measured: a busy machine delays the reader and bunches them.)
      long tookMs = (System.nanoTime() - began) / 1_000_000;
      assertTrue(got.size() < 20, "coalesced: " + got.size() + " snapshots for 40 changes");
      assertTrue(got.size() - 1 <= tookMs / interval + 2,
          (got.size() - 1) + " snapshots after the first in " + tookMs + " ms");
      for (int i = 1; i < got.size(); i++) {
        assertTrue(Long.parseLong(got.get(i).id()) > Long.parseLong(got.get(i - 1).id()));
      }
      JsonObject last = got.get(got.size() - 1).json();
      assertEquals(40, last.getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));
      assertEquals(finalSeq, last.getLong("seq"));
    }
  }

  @Test
  void aQuietStreamGetsHeartbeatComments() {
    start(250, 200);
    try (SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
      sse.next(8000);
      int[] comments = {0};
      eventually(() -> {
        for (Event e; (e = sse.events.poll()) != null; ) {
          if (e.event().equals("comment")) comments[0]++;
        }
        return comments[0] >= 2;
      }, 8000, () -> "heartbeat comments: " + comments[0]);
    }
  }

  @Test
  void aNewScreenIsSentTheTimeOfNowNotThatOfAnOldSnapshot() {
    start(250, 10_000);
    app.post("/api/v1/orders", "application/json", order("o1", "5"));
    try (SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
      assertEquals(Instant.parse("2026-11-11T04:00:00Z"),
          Instant.parse(sse.snapshot(8000).json().getString("asOf")));
    }
    // Nothing arrives for 20 s: no figure changes, so no snapshot is made. The screen sets its
    // clock by the first snapshot's asOf, so a new one must not be 20 s old.
    app.clock.advance(Duration.ofSeconds(20));
    Instant now = Instant.parse("2026-11-11T04:00:20Z");
    eventually(() -> {
      try (SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
        return Instant.parse(sse.snapshot(8000).json().getString("asOf")).equals(now);
      }
    }, 8000, () -> "a fresh asOf on connect");
    assertEquals(now, Instant.parse(app.kpis().getString("asOf")));
  }

  @Test
  void resumingWithLastEventIdGetsAFreshSnapshot() {
    start(250, 10_000);
    long seen;
    try (SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
      seen = Long.parseLong(sse.snapshot(8000).id());
    }
    app.post("/api/v1/orders", "application/json", order("o1", "5"));
    try (SseClient sse = SseClient.connect(app.vertx, app.port, String.valueOf(seen), null)) {
      Event e = sse.snapshot(8000);
      assertEquals("snapshot", e.event());
      assertTrue(Long.parseLong(e.id()) > seen);
      assertEquals(5.0, e.json().getJsonObject("windows").getJsonObject("campaign").getDouble("revenue"));
    }
  }

  @Test
  void closedClientsAreReleased() throws Exception {
    start(250, 10_000);
    List<SseClient> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) clients.add(SseClient.connect(app.vertx, app.port, null, null));
    for (SseClient c : clients) c.next(8000);
    assertEquals(5, (int) TestApp.await(app.app.onLoop(() -> app.app.hub().clientCount())));
    for (SseClient c : clients) c.close();
    eventually(() -> TestApp.await(app.app.onLoop(() -> app.app.hub().clientCount())) == 0, 3_000,
        "every closed client released");
  }

  @Test
  void screensThatDoNotReadHoldNoCopyOfTheFrames() throws Exception {
    start(250, 10_000);
    // A snapshot of about 50 KB (50 wide channels and ad channels, the most it lists), larger
    // than what the kernel takes on a stalled socket, so the rest waits in Netty for each client.
    postWide("渠道".repeat(90), true);
    int snapshotBytes = app.get("/api/v1/kpis").body().length();
    assertTrue(snapshotBytes > 45_000, "snapshot of " + snapshotBytes + " bytes");

    int n = 1000;
    long before = directMemory();
    List<Socket> screens = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", app.port), 5_000);
        s.getOutputStream().write("GET /api/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        screens.add(s);
      }
      eventually(() -> TestApp.await(app.app.onLoop(() -> app.app.hub().clientCount())) == n,
          10_000, "every screen connected");
      // Each got its first snapshot: written, or waiting for a socket that does not read.
      eventually(() -> TestApp.await(app.app.onLoop(() -> app.app.hub().eventsSent())) >= n,
          10_000, "every screen was sent its first snapshot");
      long held = directMemory() - before;
      // Netty copies a heap buffer to direct memory for each socket it is written to (50 MB
      // here); shared direct frames are written as they are.
      assertTrue(held < (long) n * snapshotBytes / 4,
          "direct memory held for " + n + " stalled screens: " + held + " bytes");
    } finally {
      for (Socket s : screens) s.close();
    }
  }

  /**
   * 60 visits and ad spends on channels named {@code wide} + i, so the snapshot lists 50 wide
   * channels and ad channels (the most it lists); with {@code keys}, as many orders with that key
   * in every breakdown dimension.
   */
  private void postWide(String wide, boolean keys) {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      rows.append("{\"type\":\"visit\",\"id\":\"v").append(i)
          .append("\",\"ts\":\"2026-11-11T11:00:00+08:00\",\"channel\":\"").append(wide).append(i)
          .append("\",\"sessions\":1}\n");
      rows.append("{\"type\":\"spend\",\"id\":\"s").append(i)
          .append("\",\"ts\":\"2026-11-11T11:00:00+08:00\",\"category\":\"ads\",\"amount\":1,")
          .append("\"adChannel\":\"").append(wide).append(i).append("\"}\n");
      if (!keys) continue;
      String key = "\"" + wide + i + "\"";
      rows.append("{\"type\":\"order\",\"id\":\"o").append(i)
          .append("\",\"ts\":\"2026-11-11T11:00:00+08:00\",\"customerId\":\"c\",\"amount\":1,")
          .append("\"channel\":\"tmall\",\"sku\":").append(key).append(",\"productCategory\":")
          .append(key).append(",\"region\":").append(key).append(",\"segment\":").append(key)
          .append(",\"tags\":[").append(key).append("]}\n");
    }
    assertEquals(200, app.post("/api/v1/events", "application/x-ndjson", rows.toString()).statusCode());
  }

  /** Direct memory of Netty's default allocator, which the server's connections use. */
  private static long directMemory() {
    return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
  }

  @Test
  void aClientThatDoesNotReadGetsTheNewestSnapshotNotABacklog() throws Exception {
    start(20, 10_000);
    // Big snapshots (50 channels and 50 ad channels with long names, the most a snapshot lists)
    // fill the stalled socket's buffers quickly.
    postWide("渠道".repeat(60), false);
    int snapshotBytes = app.get("/api/v1/kpis").body().length();
    assertTrue(snapshotBytes > 15_000, "snapshot of " + snapshotBytes + " bytes");
    int changes = 0;

    // A small receive buffer: the kernel's own autotuning would otherwise absorb megabytes.
    NetClient net = app.vertx.createNetClient(new NetClientOptions().setReceiveBufferSize(8192));
    NetSocket slow = TestApp.await(net.connect(app.port, "127.0.0.1"));
    AtomicLong received = new AtomicLong();
    StringBuilder tail = new StringBuilder();
    slow.handler(b -> {
      received.addAndGet(b.length());
      synchronized (tail) {
        tail.append(b.toString());
        if (tail.length() > 4_000_000) tail.delete(0, tail.length() - 2_000_000);
      }
    });
    slow.pause();
    TestApp.await(slow.write(Buffer.buffer("GET /api/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n")));

    try (SseClient healthy = SseClient.connect(app.vertx, app.port, null, null)) {
      healthy.next(8000);
      // Changes until the stalled socket's buffers (kernel and Netty) are full and it is skipped.
      long skipped = 0;
      long until = System.currentTimeMillis() + 60_000;
      while (changes < 300 || skipped == 0 && System.currentTimeMillis() < until) {
        long t0 = System.nanoTime();
        var r = app.post("/api/v1/orders", "application/json", order("o" + changes, "1"));
        assertEquals(200, r.statusCode());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000, "ingest is not held up");
        changes++;
        Thread.sleep(5);
        if (changes % 50 == 0) {
          skipped = TestApp.await(app.app.onLoop(() -> app.app.hub().snapshotsSkipped()));
        }
      }
      long finalSeq = app.kpis().getLong("seq");
      Event e;
      do {
        e = healthy.snapshot(8000);
      } while (Long.parseLong(e.id()) < finalSeq);
      assertEquals(changes, e.json().getJsonObject("windows").getJsonObject("campaign").getInteger("orders"));

      assertTrue(skipped > 0, "the stalled client skipped snapshots");

      slow.resume();
      eventually(() -> {
        synchronized (tail) {
          return tail.indexOf("\"seq\":" + finalSeq + ",") >= 0;
        }
      }, 10_000, "the stalled client catches up with the newest snapshot");
      // It was sent fewer snapshots than there were changes: the newest, not a backlog.
      assertTrue(received.get() < (long) changes * snapshotBytes,
          "bytes sent to the slow client: " + received.get());
    } finally {
      net.close();
    }
  }

  static String skuOrder(String id, String sku) {
    return "{\"id\":\"" + id + "\",\"ts\":\"2026-11-11T11:00:00+08:00\",\"customerId\":\"c\","
        + "\"amount\":10,\"channel\":\"tmall\",\"sku\":\"" + sku + "\"}";
  }

  /** Events other than comments until the snapshot of {@code seq}, as "id event data" lines. */
  static List<String> until(SseClient sse, long seq) {
    List<String> got = new ArrayList<>();
    while (true) {
      Event e = sse.nextAny(8000);
      got.add(e.id() + " " + e.event() + " " + e.data());
      if (e.event().equals("snapshot") && Long.parseLong(e.id()) >= seq) return got;
    }
  }

  @Test
  void aClientThatAcceptsGzipGetsTheSameEventsCompressed() {
    start(250, 10_000);
    app.post("/api/v1/orders", "application/json", skuOrder("o1", "A"));
    try (SseClient plain = SseClient.connect(app.vertx, app.port, null, null);
        SseClient gzip = SseClient.connectGzip(app.port)) {
      assertEquals("gzip", gzip.header("Content-Encoding"));
      assertEquals(null, plain.header("Content-Encoding"));
      long seq = app.kpis().getLong("seq");
      List<String> a = until(plain, seq);
      List<String> b = until(gzip, seq);
      assertEquals(a, b);
      app.post("/api/v1/orders", "application/json", skuOrder("o2", "B"));
      seq = app.kpis().getLong("seq");
      List<String> a2 = until(plain, seq);
      assertEquals(a2, until(gzip, seq));
      assertTrue(a2.stream().anyMatch(l -> l.contains(" breakdowns ")), "the section changed: " + a2);
      assertTrue(gzip.wireBytes() * 2 < plain.wireBytes(),
          "gzip " + gzip.wireBytes() + " bytes, plain " + plain.wireBytes());
    }
  }

  @Test
  void underASteadyFlowOfOrdersASectionIsNotResentAtEveryPush() throws Exception {
    start(100, 10_000);
    try (SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
      until(sse, app.kpis().getLong("seq"));
      sse.events.clear();
      // 4 s of orders every 40 ms: the KPIs change before every push (10 a second).
      long t0 = System.nanoTime();
      int n = 0;
      while (System.nanoTime() - t0 < 4_000_000_000L) {
        app.post("/api/v1/orders", "application/json", skuOrder("f" + n, "sku-" + (n % 7)));
        n++;
        Thread.sleep(40);
      }
      long seq = app.kpis().getLong("seq");
      List<Event> got = new ArrayList<>();
      long quietUntil = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < quietUntil) {
        Event e = sse.events.poll(100, TimeUnit.MILLISECONDS);
        if (e != null && !e.event().equals("comment")) got.add(e);
      }
      List<Event> snapshots = got.stream().filter(e -> e.event().equals("snapshot")).toList();
      List<Event> sections = got.stream().filter(e -> e.event().equals("breakdowns")).toList();
      assertTrue(snapshots.size() >= 20, "a snapshot at (nearly) every push: " + snapshots.size());
      // The first change goes at once, then at most one a second (the section is small): over
      // 4 s of changes, not one at each of the 40 pushes. (Arrival gaps are not measured: a busy
      // machine delays the reader and bunches them.)
      assertTrue(sections.size() >= 3 && sections.size() <= 7, "breakdowns events: " + sections.size());
      // Once the orders stop, the change held back arrives on its own: the section ends exact.
      Event last = sections.get(sections.size() - 1);
      assertEquals(app.kpis().getJsonObject("breakdowns"), last.json());
      assertEquals(n, last.json().getJsonObject("sku").getJsonObject("other").getInteger("orders")
          + last.json().getJsonObject("sku").getJsonArray("top").stream()
              .mapToInt(o -> ((JsonObject) o).getInteger("orders")).sum());
      assertEquals(seq, snapshots.get(snapshots.size() - 1).json().getLong("seq"));
    }
  }

  /**
   * A change of a section held back from the screens already connected (its gap has not passed)
   * is not held back from a new one: its first events are the whole shape as GET /api/v1/kpis
   * answers it.
   */
  @Test
  void aNewScreenGetsEverySectionAsItIsNow() {
    start(100, 10_000);
    try (SseClient first = SseClient.connect(app.vertx, app.port, null, null)) {
      until(first, app.kpis().getLong("seq"));
      app.post("/api/v1/orders", "application/json", skuOrder("h1", "sku-a"));
      Event sent;
      do {
        sent = first.nextAny(8000);
      } while (!sent.event().equals("breakdowns"));
      // The next change within the section's gap (1 s) is held back from the first screen.
      app.post("/api/v1/orders", "application/json", skuOrder("h2", "sku-b"));
      JsonObject now = app.kpis();
      try (SseClient second = SseClient.connect(app.vertx, app.port, null, null)) {
        List<String> got = until(second, now.getLong("seq"));
        String breakdowns = got.stream().filter(l -> l.split(" ", 3)[1].equals("breakdowns"))
            .findFirst().orElseThrow().split(" ", 3)[2];
        assertEquals(now.getJsonObject("breakdowns"), new JsonObject(breakdowns), got.toString());
        assertEquals(2, new JsonObject(breakdowns).getJsonObject("sku").getInteger("distinct"));
      }
    }
  }

  @Test
  void aClientOnASlowLinkGetsRecentSnapshotsNotABacklogOfThem() throws Exception {
    start(50, 10_000);
    AtomicBoolean stop = new AtomicBoolean();
    Thread orders = new Thread(() -> {
      for (int i = 0; !stop.get(); i++) {
        app.post("/api/v1/orders", "application/json", order("slow-" + i, "1"));
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    try (Socket socket = new Socket()) {
      // A small receive window read 4 KB every 250 ms: a link slower than the stream.
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("127.0.0.1", app.port));
      socket.getOutputStream().write("GET /api/v1/stream HTTP/1.1\r\nHost: w\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[4096];
      orders.start();
      long until = System.nanoTime() + 6_000_000_000L;
      while (System.nanoTime() < until) {
        if (in.read(buf) < 0) throw new AssertionError("closed");
        Thread.sleep(250);
      }
      stop.set(true);
      orders.join();
      Thread.sleep(200);
      long last = app.kpis().getLong("seq");
      // Now read at full speed: what was queued for this client comes first, then the newest.
      socket.setSoTimeout(10_000);
      StringBuilder rest = new StringBuilder();
      String end = "id: " + last + "\nevent: snapshot\n";
      while (rest.indexOf(end) < 0) {
        int n = in.read(buf);
        if (n < 0) throw new AssertionError("closed before the newest snapshot");
        rest.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      int queued = rest.substring(0, rest.indexOf(end)).split("\nevent: snapshot\n", -1).length - 1;
      // Kernel and server buffers of a few snapshots, not minutes of them (before: 100 and more).
      assertTrue(queued <= 12, queued + " old snapshots were queued for the slow client");
    } finally {
      stop.set(true);
      orders.join();
    }
  }

  @Test
  void eventIdsAfterARestartComeAfterThoseBefore() {
    start(250, 10_000);
    for (int i = 0; i < 30; i++) app.post("/api/v1/orders", "application/json", order("r" + i, "1"));
    long before;
    try (SseClient sse = SseClient.connect(app.vertx, app.port, null, null)) {
      before = Long.parseLong(sse.snapshot(8000).id());
    }
    assertTrue(before >= app.kpis().getLong("seq") - 1);
    app.close();
    start(250, 10_000);
    // A screen that resumes with its Last-Event-ID after the restart is past no event of the new run.
    try (SseClient sse = SseClient.connect(app.vertx, app.port, Long.toString(before), null)) {
      long after = Long.parseLong(sse.snapshot(8000).id());
      assertTrue(after > before, before + " then " + after);
    }
  }
}
