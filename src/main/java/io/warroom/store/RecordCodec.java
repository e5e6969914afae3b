package io.warroom.store;

import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A record as bytes, for {@link MemoryStore}: type, a byte of flags, the id, then every other
 * field; numbers as variable-length (zigzag) integers, strings as a length and their chars, one
 * byte each when all fit in 8 bits, else two. Lossless: decoding gives back equal fields.
 */
final class RecordCodec {
  static final RecordType[] TYPES = RecordType.values();
  private static final int NEW_KNOWN = 1;
  private static final int NEW_TRUE = 2;
  private static final int COST = 4;
  private static final int DISCOUNT = 8;
  private static final int IMPRESSIONS = 16;
  private static final int CLICKS = 32;
  private static final int EXTRA = 64;

  private RecordCodec() {}

  /** Encodes records into one reused buffer. */
  static final class Writer {
    private byte[] buf = new byte[4096];
    private int pos;

    byte[] bytes() {
      return buf;
    }

    /** Encodes r; answers its length in {@link #bytes()}. */
    int encode(Rec r) {
      pos = 0;
      int flags = 0;
      if (r.newCustomer != null) flags |= NEW_KNOWN | (r.newCustomer ? NEW_TRUE : 0);
      if (r.costCents != null) flags |= COST;
      if (r.discountCents != null) flags |= DISCOUNT;
      if (r.impressions != null) flags |= IMPRESSIONS;
      if (r.clicks != null) flags |= CLICKS;
      if (r.extra != null) flags |= EXTRA;
      room(2);
      buf[pos++] = (byte) r.type.ordinal();
      buf[pos++] = (byte) flags;
      string(r.id);
      number(r.ts);
      number(r.amountCents);
      number(r.sessions);
      number(r.score);
      string(r.customerId);
      string(r.channel);
      string(r.adChannel);
      string(r.orderId);
      string(r.category);
      if (r.costCents != null) number(r.costCents);
      if (r.discountCents != null) number(r.discountCents);
      if (r.impressions != null) number(r.impressions);
      if (r.clicks != null) number(r.clicks);
      if (r.type == RecordType.COUNT) {
        string(r.name);
        number(r.value);
      }
      Rec.Extra e = r.extra;
      if (e != null) {
        string(e.sku());
        string(e.productCategory());
        string(e.region());
        string(e.segment());
        string(e.experiment());
        string(e.variant());
        number(e.quantity());
        List<String> tags = e.tags() == null ? List.of() : e.tags();
        number(e.tags() == null ? 0 : tags.size() + 1);
        for (String t : tags) string(t);
      }
      return pos;
    }

    private void room(int n) {
      if (pos + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }

    private void number(long v) {
      room(10);
      long z = (v << 1) ^ (v >> 63);
      while ((z & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((z & 0x7F) | 0x80);
        z >>>= 7;
      }
      buf[pos++] = (byte) z;
    }

    /** 0 for null, else (length * 2 + wide) + 1, then the chars. */
    private void string(String s) {
      if (s == null) {
        number(0);
        return;
      }
      int n = s.length();
      boolean wide = false;
      for (int i = 0; i < n && !wide; i++) wide = s.charAt(i) > 0xFF;
      number((n * 2L + (wide ? 1 : 0)) + 1);
      room(wide ? n * 2 : n);
      if (wide) {
        for (int i = 0; i < n; i++) {
          char c = s.charAt(i);
          buf[pos++] = (byte) (c >>> 8);
          buf[pos++] = (byte) c;
        }
      } else {
        for (int i = 0; i < n; i++) buf[pos++] = (byte) s.charAt(i);
      }
    }
  }

  /** Whether the record at b[at] has r's type and id. */
  static boolean sameKey(byte[] b, int at, Rec r) {
    if (b[at] != r.type.ordinal()) return false;
    Reader in = new Reader(b, at + 2);
    long head = in.number() - 1;
    int n = (int) (head >>> 1);
    String id = r.id;
    if (n != id.length()) return false;
    int p = in.pos;
    if ((head & 1) == 0) {
      for (int i = 0; i < n; i++) if ((char) (b[p + i] & 0xFF) != id.charAt(i)) return false;
    } else {
      for (int i = 0; i < n; i++) {
        if ((char) (((b[p + 2 * i] & 0xFF) << 8) | (b[p + 2 * i + 1] & 0xFF)) != id.charAt(i)) return false;
      }
    }
    return true;
  }

  static Rec decode(byte[] b, int at) {
    RecordType type = TYPES[b[at]];
    int flags = b[at + 1];
    Reader in = new Reader(b, at + 2);
    String id = in.string();
    long ts = in.number();
    long amount = in.number();
    int sessions = (int) in.number();
    int score = (int) in.number();
    String customerId = in.string();
    String channel = in.string();
    String adChannel = in.string();
    String orderId = in.string();
    String category = in.string();
    Long cost = (flags & COST) != 0 ? in.number() : null;
    Long discount = (flags & DISCOUNT) != 0 ? in.number() : null;
    Long impressions = (flags & IMPRESSIONS) != 0 ? in.number() : null;
    Long clicks = (flags & CLICKS) != 0 ? in.number() : null;
    Boolean isNew = (flags & NEW_KNOWN) == 0 ? null : (flags & NEW_TRUE) != 0;
    String name = null;
    long value = 0;
    if (type == RecordType.COUNT) {
      name = in.string();
      value = in.number();
    }
    Rec.Extra extra = null;
    if ((flags & EXTRA) != 0) {
      String sku = in.string();
      String productCategory = in.string();
      String region = in.string();
      String segment = in.string();
      String experiment = in.string();
      String variant = in.string();
      int quantity = (int) in.number();
      int tagCount = (int) in.number();
      List<String> tags = null;
      if (tagCount > 0) {
        String[] t = new String[tagCount - 1];
        for (int i = 0; i < t.length; i++) t[i] = in.string();
        tags = List.of(t);
      }
      extra = new Rec.Extra(sku, productCategory, region, segment, tags, quantity, experiment, variant);
    }
    return new Rec(type, id, ts, amount, customerId, channel, isNew, adChannel, cost, discount,
        orderId, category, impressions, clicks, sessions, score, extra, name, value);
  }

  private static final class Reader {
    final byte[] b;
    int pos;

    Reader(byte[] b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    long number() {
      long z = 0;
      int shift = 0;
      byte x;
      do {
        x = b[pos++];
        z |= (long) (x & 0x7F) << shift;
        shift += 7;
      } while (x < 0);
      return (z >>> 1) ^ -(z & 1);
    }

    String string() {
      long head = number();
      if (head == 0) return null;
      head--;
      int n = (int) (head >>> 1);
      String s;
      if ((head & 1) == 0) {
        s = new String(b, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
      } else {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) c[i] = (char) (((b[pos + 2 * i] & 0xFF) << 8) | (b[pos + 2 * i + 1] & 0xFF));
        pos += 2 * n;
        s = new String(c);
      }
      return s;
    }
  }
}
