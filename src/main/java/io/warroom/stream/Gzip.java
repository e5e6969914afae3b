package io.warroom.stream;

import io.vertx.core.buffer.Buffer;
import java.util.zip.Deflater;

/**
 * gzip for a stream whose frames are each compressed once and shared by every client. Each frame
 * is deflated on its own (no reference to earlier frames) and ends with a sync flush, so any
 * sequence of such chunks after one gzip header is a valid gzip stream that a browser decodes
 * event by event. The stream has no trailer: it ends when the connection does.
 */
final class Gzip {
  /** The gzip header: deflate, no name, no time, unknown system. */
  static final Buffer HEADER =
      Buffer.buffer(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});

  private Gzip() {}

  /** The frame as a deflate chunk that stands alone and ends on a byte boundary. */
  static Buffer chunk(Buffer plain) {
    byte[] in = plain.getBytes();
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      d.setInput(in);
      byte[] out = new byte[in.length / 2 + 64];
      Buffer chunk = Buffer.buffer(out.length);
      int n;
      do {
        n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        chunk.appendBytes(out, 0, n);
      } while (n == out.length);
      return chunk;
    } finally {
      d.end();
    }
  }

  /** Whether an Accept-Encoding header accepts gzip (listed, and not with q=0). */
  static boolean accepted(String acceptEncoding) {
    if (acceptEncoding == null) return false;
    for (String part : acceptEncoding.split(",")) {
      String[] p = part.split(";");
      if (!p[0].trim().equalsIgnoreCase("gzip")) continue;
      for (int i = 1; i < p.length; i++) {
        String param = p[i].trim();
        if (param.startsWith("q=")) {
          try {
            return Double.parseDouble(param.substring(2).trim()) > 0;
          } catch (NumberFormatException e) {
            return false;
          }
        }
      }
      return true;
    }
    return false;
  }
}
