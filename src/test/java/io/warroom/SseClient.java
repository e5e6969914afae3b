package io.warroom;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Reads a server-sent-event stream over real HTTP into a queue of events and comments. Uses the
 * JDK client and a reader thread: the Vert.x 5.0.10 client can drop the first chunk when its
 * handler is attached in a future callback (vert.x#6038).
 */
public final class SseClient implements AutoCloseable {
  /** One event; {@code event} is "comment" for a comment line. */
  public record Event(String id, String event, String data, long receivedAtNanos) {
    public JsonObject json() {
      return new JsonObject(data);
    }
  }

  public final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final HttpResponse<InputStream> response;
  private final boolean gzip;
  private final AtomicLong wire = new AtomicLong();
  private final Thread reader;

  private SseClient(HttpResponse<InputStream> response, boolean gzip) {
    this.response = response;
    this.gzip = gzip;
    this.reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  public static SseClient connect(Vertx vertx, int port, String lastEventId, String bearer) {
    return connect(port, lastEventId, bearer, false);
  }

  /** A client that asks for gzip (as browsers do) and decodes it; {@link #wireBytes} counts what came. */
  public static SseClient connectGzip(int port) {
    return connect(port, null, null, true);
  }

  /** Bytes read off the connection (compressed when gzip), chunked framing excluded. */
  public long wireBytes() {
    return wire.get();
  }


  private static SseClient connect(int port, String lastEventId, String bearer, boolean gzip) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/stream"))
        .header("Accept", "text/event-stream");
    if (gzip) b.header("Accept-Encoding", "gzip, deflate, br");
    if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        r.body().close();
        throw new AssertionError("GET /api/v1/stream: " + r.statusCode());
      }
      if (gzip != "gzip".equals(r.headers().firstValue("Content-Encoding").orElse(null))) {
        r.body().close();
        throw new AssertionError("Content-Encoding: " + r.headers().firstValue("Content-Encoding"));
      }
      return new SseClient(r, gzip);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  /** A response header of the stream. */
  public String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /**
   * The stream decoded. Its available() says 0: the inflater's says 1 until the end, and the
   * reader would then wait for the next event before handing over this one.
   */
  private static InputStream unzipped(InputStream in) throws IOException {
    return new FilterInputStream(new GZIPInputStream(in, 512)) {
      @Override
      public int available() {
        return 0;
      }
    };
  }

  private void read() {
    String id = null;
    String event = null;
    StringBuilder data = new StringBuilder();
    InputStream counted = new FilterInputStream(response.body()) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) wire.incrementAndGet();
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) wire.addAndGet(n);
        return n;
      }
    };
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        gzip ? unzipped(counted) : counted, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
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
    } catch (IOException e) {
      // closed
    }
  }

  /**
   * Events of the snapshot's sections (CONTRACT section 6), sent on connect and when they change;
   * {@link #next} passes over them.
   */
  public static final Set<String> SECTIONS =
      Set.of("phases", "breakdowns", "experiments", "counters", "previous");

  /** The next event that is neither a comment nor a section, or fails after the timeout. */
  public Event next(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      Event e = nextAny(Math.max(1, deadline - System.currentTimeMillis()));
      if (!SECTIONS.contains(e.event())) return e;
    }
  }

  /** The next event that is not a comment (sections included), or fails after the timeout. */
  public Event nextAny(long timeoutMs) {
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

  /** The next `snapshot` event, skipping the section events of the stream (and others). */
  public Event snapshot(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      Event e = next(Math.max(1, deadline - System.currentTimeMillis()));
      if (e.event().equals("snapshot")) return e;
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // already closed
    }
  }
}
