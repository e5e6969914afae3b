package io.warroom.kpi;

/**
 * Customer number ({@link CustomerIds}) -> (orders, new-customer orders), in open addressing with
 * linear probing: per slot the number and both counts side by side in one int array, 12 bytes a
 * slot and no references. A slot is taken while its orders are above 0. Removal shifts later
 * entries back, so no tombstones build up.
 */
final class CustomerCounts {
  /** Per slot: customer number, orders, new-customer orders. */
  private static final int STRIDE = 3;

  private int[] slots = new int[16 * STRIDE];
  private int size;

  int size() {
    return size;
  }

  private int capacity() {
    return slots.length / STRIDE;
  }

  /** Adds deltas to a customer; an entry whose orders drop to 0 or below is removed. */
  void add(int customer, int orderDelta, int newDelta, Listener l) {
    int i = find(customer);
    int s = i * STRIDE;
    int beforeOrders = slots[s + 1];
    int beforeNew = slots[s + 2];
    int afterOrders = beforeOrders + orderDelta;
    int afterNew = beforeNew + newDelta;
    if (afterOrders <= 0) {
      if (beforeOrders > 0) remove(i);
    } else {
      if (beforeOrders == 0) {
        slots[s] = customer;
        size++;
      }
      slots[s + 1] = afterOrders;
      slots[s + 2] = afterNew;
      if (size * 3 > capacity() * 2) grow();
    }
    l.changed(beforeOrders, beforeNew, Math.max(afterOrders, 0), afterOrders <= 0 ? 0 : afterNew);
  }

  interface Listener {
    void changed(int beforeOrders, int beforeNew, int afterOrders, int afterNew);
  }

  interface Entry {
    void accept(int customer, int orders, int newOrders);
  }

  void forEach(Entry f) {
    for (int s = 0; s < slots.length; s += STRIDE) {
      if (slots[s + 1] > 0) f.accept(slots[s], slots[s + 1], slots[s + 2]);
    }
  }

  void clear() {
    slots = new int[16 * STRIDE];
    size = 0;
  }

  /** The slot holding customer, or the empty slot where it would go. */
  private int find(int customer) {
    int mask = capacity() - 1;
    int i = mix(customer) & mask;
    while (slots[i * STRIDE + 1] > 0 && slots[i * STRIDE] != customer) i = (i + 1) & mask;
    return i;
  }

  private void remove(int i) {
    int mask = capacity() - 1;
    clearSlot(i);
    size--;
    // Shift back the entries of the same probe run that would no longer be found.
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (slots[j * STRIDE + 1] <= 0) return;
      int home = mix(slots[j * STRIDE]) & mask;
      boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!between) {
        System.arraycopy(slots, j * STRIDE, slots, i * STRIDE, STRIDE);
        clearSlot(j);
        i = j;
      }
    }
  }

  private void clearSlot(int i) {
    slots[i * STRIDE] = 0;
    slots[i * STRIDE + 1] = 0;
    slots[i * STRIDE + 2] = 0;
  }

  private void grow() {
    int[] old = slots;
    slots = new int[old.length * 2];
    int mask = capacity() - 1;
    for (int s = 0; s < old.length; s += STRIDE) {
      if (old[s + 1] <= 0) continue;
      int i = mix(old[s]) & mask;
      while (slots[i * STRIDE + 1] > 0) i = (i + 1) & mask;
      System.arraycopy(old, s, slots, i * STRIDE, STRIDE);
    }
  }

  static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
