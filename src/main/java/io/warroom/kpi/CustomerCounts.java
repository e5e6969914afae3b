package io.warroom.kpi;

import java.util.function.BiConsumer;

/**
 * customerId -> (orders, new-customer orders), in open addressing with linear probing: three
 * parallel arrays instead of a node, a boxed key and an int[] per customer (about 27 bytes an
 * entry instead of about 70). Removal shifts later entries back, so no tombstones build up.
 */
final class CustomerCounts {
  private String[] keys = new String[16];
  private int[] orders = new int[16];
  private int[] newOrders = new int[16];
  private int size;

  int size() {
    return size;
  }

  /** Adds deltas to a customer; an entry whose orders drop to 0 or below is removed. */
  void add(String id, int orderDelta, int newDelta, Listener l) {
    int i = find(id);
    int beforeOrders = 0;
    int beforeNew = 0;
    if (keys[i] != null) {
      beforeOrders = orders[i];
      beforeNew = newOrders[i];
    }
    int afterOrders = beforeOrders + orderDelta;
    int afterNew = beforeNew + newDelta;
    if (afterOrders <= 0) {
      if (keys[i] != null) remove(i);
    } else {
      if (keys[i] == null) {
        keys[i] = id;
        size++;
      }
      orders[i] = afterOrders;
      newOrders[i] = afterNew;
      if (size * 3 > keys.length * 2) grow();
    }
    l.changed(beforeOrders, beforeNew, Math.max(afterOrders, 0), afterOrders <= 0 ? 0 : afterNew);
  }

  interface Listener {
    void changed(int beforeOrders, int beforeNew, int afterOrders, int afterNew);
  }

  void forEach(BiConsumer<String, int[]> f) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) f.accept(keys[i], new int[] {orders[i], newOrders[i]});
    }
  }

  void clear() {
    keys = new String[16];
    orders = new int[16];
    newOrders = new int[16];
    size = 0;
  }

  /** The slot holding id, or the empty slot where it would go. */
  private int find(String id) {
    int mask = keys.length - 1;
    int i = mix(id.hashCode()) & mask;
    while (keys[i] != null && !keys[i].equals(id)) i = (i + 1) & mask;
    return i;
  }

  private void remove(int i) {
    int mask = keys.length - 1;
    keys[i] = null;
    size--;
    // Shift back the entries of the same probe run that would no longer be found.
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (keys[j] == null) return;
      int home = mix(keys[j].hashCode()) & mask;
      boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!between) {
        keys[i] = keys[j];
        orders[i] = orders[j];
        newOrders[i] = newOrders[j];
        keys[j] = null;
        i = j;
      }
    }
  }

  private void grow() {
    String[] oldKeys = keys;
    int[] oldOrders = orders;
    int[] oldNew = newOrders;
    keys = new String[oldKeys.length * 2];
    orders = new int[keys.length];
    newOrders = new int[keys.length];
    for (int k = 0; k < oldKeys.length; k++) {
      if (oldKeys[k] == null) continue;
      int i = find(oldKeys[k]);
      keys[i] = oldKeys[k];
      orders[i] = oldOrders[k];
      newOrders[i] = oldNew[k];
    }
  }

  static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
