package io.warroom.ingest;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared String per value of the fields that take few values (channel, adChannel, category),
 * so a kept record refers to it instead of holding its own copy: about 50 bytes and two objects
 * less per record for the heap and for the GC to copy. Bounded: past {@link #MAX} values, strings
 * are kept as they come.
 */
final class Canonical {
  static final int MAX = 10_000;
  private static final ConcurrentHashMap<String, String> VALUES = new ConcurrentHashMap<>();

  private Canonical() {}

  static String of(String s) {
    if (s == null) return null;
    String c = VALUES.get(s);
    if (c != null) return c;
    if (VALUES.size() >= MAX) return s;
    c = VALUES.putIfAbsent(s, s);
    return c == null ? s : c;
  }
}
