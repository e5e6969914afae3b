package io.warroom.kpi;

import java.util.function.BiConsumer;

/**
 * customerId -> (orders, new-customer orders), in open addressing with linear probing: per slot the
 * id's hash and both counts side by side in one int array, and the id in a parallel array that a
 * probe reads only when the hashes match: 16 bytes a slot, where a HashMap of int[] takes about 70
 * an entry. A slot is taken while its orders are above 0. Removal shifts later entries
 * back, so no tombstones build up.
 */
final class CustomerCounts {
  /** Per slot: hash, orders, new-customer orders. */
  private static final int STRIDE = 3;

  private String[] keys = new String[16];
  private int[] slots = new int[16 * STRIDE];
  private int size;

  int size() {
    return size;
  }

  /** Adds deltas to a customer; an entry whose orders drop to 0 or below is removed. */
  void add(String id, int orderDelta, int newDelta, Listener l) {
    int hash = mix(id.hashCode());
    int i = find(id, hash);
    int s = i * STRIDE;
    int beforeOrders = slots[s + 1];
    int beforeNew = slots[s + 2];
    int afterOrders = beforeOrders + orderDelta;
    int afterNew = beforeNew + newDelta;
    if (afterOrders <= 0) {
      if (beforeOrders > 0) remove(i);
    } else {
      if (beforeOrders == 0) {
        keys[i] = id;
        slots[s] = hash;
        size++;
      }
      slots[s + 1] = afterOrders;
      slots[s + 2] = afterNew;
      if (size * 3 > keys.length * 2) grow();
    }
    l.changed(beforeOrders, beforeNew, Math.max(afterOrders, 0), afterOrders <= 0 ? 0 : afterNew);
  }

  interface Listener {
    void changed(int beforeOrders, int beforeNew, int afterOrders, int afterNew);
  }

  void forEach(BiConsumer<String, int[]> f) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) f.accept(keys[i], new int[] {slots[i * STRIDE + 1], slots[i * STRIDE + 2]});
    }
  }

  void clear() {
    keys = new String[16];
    slots = new int[16 * STRIDE];
    size = 0;
  }

  /** The slot holding id, or the empty slot where it would go. */
  private int find(String id, int hash) {
    int mask = keys.length - 1;
    int i = hash & mask;
    while (slots[i * STRIDE + 1] > 0) {
      if (slots[i * STRIDE] == hash && keys[i].equals(id)) return i;
      i = (i + 1) & mask;
    }
    return i;
  }

  private void remove(int i) {
    int mask = keys.length - 1;
    clearSlot(i);
    size--;
    // Shift back the entries of the same probe run that would no longer be found.
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (slots[j * STRIDE + 1] <= 0) return;
      int home = slots[j * STRIDE] & mask;
      boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!between) {
        keys[i] = keys[j];
        System.arraycopy(slots, j * STRIDE, slots, i * STRIDE, STRIDE);
        clearSlot(j);
        i = j;
      }
    }
  }

  private void clearSlot(int i) {
    keys[i] = null;
    slots[i * STRIDE] = 0;
    slots[i * STRIDE + 1] = 0;
    slots[i * STRIDE + 2] = 0;
  }

  private void grow() {
    String[] oldKeys = keys;
    int[] oldSlots = slots;
    keys = new String[oldKeys.length * 2];
    slots = new int[keys.length * STRIDE];
    int mask = keys.length - 1;
    for (int k = 0; k < oldKeys.length; k++) {
      if (oldKeys[k] == null) continue;
      int i = oldSlots[k * STRIDE] & mask;
      while (slots[i * STRIDE + 1] > 0) i = (i + 1) & mask;
      keys[i] = oldKeys[k];
      System.arraycopy(oldSlots, k * STRIDE, slots, i * STRIDE, STRIDE);
    }
  }

  static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
