package io.warroom.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Stops accepting connections while the process holds {@code pauseAt} HTTP connections, until it
 * holds fewer than {@code resumeAt}: new ones wait in the kernel's backlog, which costs no
 * descriptor. Counted on the thread that accepts, as each connection is accepted, so the count is
 * never behind an event loop busy writing to thousands of streams: the acceptor used to run so
 * far ahead of {@link Connections} that a flood used up the descriptors, and Netty then stops
 * accepting for a whole second (a health check waited 3 s). {@link Connections} still closes
 * the excess, which lets the gate open again.
 */
@ChannelHandler.Sharable
final class AcceptGate extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = Logger.getLogger("warroom.http");
  /** How long a closed connection still counts (its descriptor is freed at the next select). */
  private static final long RELEASE_DELAY_MS = 20;

  private final Channel server;
  private final int pauseAt;
  private final int resumeAt;
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger most = new AtomicInteger();
  private final Counter pauses;
  /** Written on the server channel's event loop only. */
  private volatile boolean paused;

  private AcceptGate(Channel server, int pauseAt, int resumeAt, MeterRegistry meters) {
    this.server = server;
    this.pauseAt = pauseAt;
    this.resumeAt = resumeAt;
    this.pauses = Counter.builder("warroom_http_accept_pauses")
        .description("Times the server stopped accepting connections while it held the most it may")
        .register(meters);
  }

  /**
   * The gate on {@code http}'s listening channel, or null where Vert.x does not show it (it is
   * found by reflection into Vert.x 5's server; without it, only {@link Connections} keeps the
   * count).
   */
  static AcceptGate install(HttpServer http, int pauseAt, int resumeAt, MeterRegistry meters) {
    try {
      Object tcp = field(http, "tcpServer");
      Object actual = field(tcp, "actualServer");
      Object bound = field(actual == null ? tcp : actual, "bindFuture");
      Channel server = (Channel) ((Future<?>) bound).result();
      AcceptGate gate = new AcceptGate(server, pauseAt, resumeAt, meters);
      server.pipeline().addFirst("warroom-accept-gate", gate);
      return gate;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warning("cannot watch connections as they are accepted (" + e + "); a flood may run the "
          + "process out of descriptors");
      return null;
    }
  }

  private static Object field(Object o, String name) throws ReflectiveOperationException {
    for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
      } catch (NoSuchFieldException e) {
        // a superclass may have it
      }
    }
    throw new NoSuchFieldException(name);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel child) {
      int now = held.incrementAndGet();
      most.accumulateAndGet(now, Math::max);
      // A closed socket keeps its descriptor until its event loop next selects (Java NIO frees it
      // then), so it is counted a little longer than it is open.
      child.closeFuture().addListener(f -> child.eventLoop().schedule(this::released,
          RELEASE_DELAY_MS, TimeUnit.MILLISECONDS));
      if (now >= pauseAt) {
        if (!paused) pauses.increment();
        paused = true;
        server.config().setAutoRead(false);
      }
    }
    ctx.fireChannelRead(msg);
  }

  private void released() {
    if (held.decrementAndGet() < resumeAt && paused) server.eventLoop().execute(this::resume);
  }

  private void resume() {
    if (paused && held.get() < resumeAt) {
      paused = false;
      server.config().setAutoRead(true);
    }
  }

  /** A check now and then, should a release and a pause have crossed. */
  void check() {
    if (paused) server.eventLoop().execute(this::resume);
  }

  /** The most connections held at once since the start. */
  int most() {
    return most.get();
  }
}
