package io.warroom.stream;

import java.util.Arrays;

/**
 * The newest event ids this run gave, in the order given (they only grow), so that a screen's
 * Last-Event-ID can be told as this run's own or as one from another node or an earlier run.
 * A ring of {@code capacity} longs: 8 bytes an id, searched by halving.
 */
final class Issued {
  private final long[] ids;
  /** Ids held, and where the next goes. */
  private int size;
  private int next;

  Issued(int capacity) {
    ids = new long[capacity];
  }

  /** Keeps {@code id} when it is past the last kept (the same id again is kept once). */
  void add(long id) {
    if (size > 0 && id <= ids[(next - 1 + ids.length) % ids.length]) return;
    ids[next] = id;
    next = (next + 1) % ids.length;
    if (size < ids.length) size++;
  }

  boolean contains(long id) {
    if (size == 0) return false;
    int oldest = (next - size + ids.length) % ids.length;
    // the ring as at most two sorted runs: [oldest, end) and [0, next)
    if (oldest < next || next == 0) {
      int end = oldest < next ? next : ids.length;
      return Arrays.binarySearch(ids, oldest, end, id) >= 0;
    }
    return Arrays.binarySearch(ids, oldest, ids.length, id) >= 0
        || Arrays.binarySearch(ids, 0, next, id) >= 0;
  }
}
