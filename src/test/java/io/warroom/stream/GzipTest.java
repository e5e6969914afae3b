package io.warroom.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The shared gzip frames and the gap between a section's resends (README: the stream on the wire). */
class GzipTest {
  @Test
  void chunksMadeApartJoinIntoOneGzipStream() throws Exception {
    String a = "id: 1\nevent: snapshot\ndata: {\"seq\":1,\"x\":\"" + "中".repeat(300) + "\"}\n\n";
    String b = ":\n\n";
    String c = "id: 2\nevent: snapshot\ndata: {\"seq\":2,\"x\":\"" + "abc".repeat(2000) + "\"}\n\n";
    Buffer stream = Buffer.buffer().appendBuffer(Gzip.HEADER);
    for (String s : new String[] {a, b, c}) stream.appendBuffer(Gzip.chunk(Buffer.buffer(s)));
    byte[] out = new byte[a.length() * 4 + b.length() + c.length()];
    int n = 0;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stream.getBytes()))) {
      for (int r; n < out.length && (r = in.read(out, n, out.length - n)) > 0; ) n += r;
    } catch (EOFException e) {
      // no trailer: the stream ends with the connection
    }
    assertEquals(a + b + c, new String(out, 0, n, StandardCharsets.UTF_8));
    assertTrue(Gzip.chunk(Buffer.buffer(c)).length() < c.length() / 20, "compressed");
  }

  @Test
  void gzipIsSentOnlyWhenAccepted() {
    assertTrue(Gzip.accepted("gzip, deflate, br, zstd"));
    assertTrue(Gzip.accepted("br;q=1.0, GZIP;q=0.5"));
    assertFalse(Gzip.accepted("gzip;q=0"));
    assertFalse(Gzip.accepted("gzip; q=0.0, deflate"));
    assertFalse(Gzip.accepted("deflate, br"));
    assertFalse(Gzip.accepted("identity"));
    assertFalse(Gzip.accepted(""));
    assertFalse(Gzip.accepted(null));
    assertFalse(Gzip.accepted("gzip;q=x"));
  }

  @Test
  void aSectionWaitsASecondOrWhatItsSizeTakesAt2KbASecondUpTo15Seconds() {
    assertEquals(1_000_000_000L, StreamHub.sectionGapNanos(800));
    assertEquals(1_000_000_000L, StreamHub.sectionGapNanos(2_048));
    assertEquals(2_500_000_000L, StreamHub.sectionGapNanos(5_120));
    assertEquals(15_000_000_000L, StreamHub.sectionGapNanos(35_467));
    assertEquals(15_000_000_000L, StreamHub.sectionGapNanos(Integer.MAX_VALUE));
  }
}
