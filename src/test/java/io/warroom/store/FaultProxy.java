package io.warroom.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP relay in front of PostgreSQL that can lose an answer: once armed with a marker, the
 * connection whose client bytes contain it has the server's answer dropped and is cut a moment
 * later, after the server has done the work. It can also refuse connections, as a database that
 * cannot be reached.
 */
final class FaultProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicReference<byte[]> marker = new AtomicReference<>();
  private volatile long cutAfterMs;
  private volatile boolean refuseAfterCut;
  private volatile boolean refusing;

  FaultProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0);
    Thread t = new Thread(this::accept, "fault-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /**
   * The next client bytes that contain {@code text} are passed on, the answer is dropped, and both
   * sides are cut {@code afterMs} later; then, if {@code thenRefuse}, the database is unreachable.
   */
  void loseAnswerTo(String text, long afterMs, boolean thenRefuse) {
    cutAfterMs = afterMs;
    refuseAfterCut = thenRefuse;
    marker.set(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Cuts every connection and refuses new ones ({@code true}), or lets them through again. */
  void refuse(boolean on) {
    refusing = on;
    if (on) for (Socket s : sockets) quietClose(s);
  }

  boolean armed() {
    return marker.get() != null;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (refusing) {
          quietClose(client);
          continue;
        }
        Socket db = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(db);
        Link link = new Link(client, db);
        start(() -> link.pump(client, db, true));
        start(() -> link.pump(db, client, false));
      } catch (IOException e) {
        // closed
      }
    }
  }

  private final class Link {
    final Socket client;
    final Socket db;
    volatile boolean dropAnswers;

    Link(Socket client, Socket db) {
      this.client = client;
      this.db = db;
    }

    void pump(Socket from, Socket to, boolean fromClient) {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          if (fromClient) {
            byte[] m = marker.get();
            if (m != null && contains(buf, n, m) && marker.compareAndSet(m, null)) {
              dropAnswers = true;
              start(this::cutLater);
            }
          } else if (dropAnswers) {
            continue;
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        quietClose(client);
        quietClose(db);
      }
    }

    void cutLater() {
      try {
        Thread.sleep(cutAfterMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (refuseAfterCut) refuse(true);
      quietClose(client);
      quietClose(db);
    }
  }

  private static boolean contains(byte[] buf, int n, byte[] m) {
    outer:
    for (int i = 0; i + m.length <= n; i++) {
      for (int j = 0; j < m.length; j++) if (buf[i + j] != m[j]) continue outer;
      return true;
    }
    return false;
  }

  private static void start(Runnable r) {
    Thread t = new Thread(r, "fault-proxy-link");
    t.setDaemon(true);
    t.start();
  }

  private void quietClose(Socket s) {
    sockets.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) quietClose(s);
  }
}
