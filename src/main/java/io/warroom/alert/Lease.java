package io.warroom.alert;

import java.util.function.Consumer;

/**
 * The duty to evaluate alerts and post webhooks, held by one node at a time. A node alone always
 * holds it; nodes sharing a database take it through the database.
 */
public interface Lease {
  /** Held for good: a node with no other nodes. */
  Lease ALWAYS = new Lease() {
    @Override
    public boolean held() {
      return true;
    }

    @Override
    public void onChange(Consumer<Boolean> listener) {}
  };

  boolean held();

  /** Told, on the owning event loop, each time the lease is taken or lost. */
  void onChange(Consumer<Boolean> listener);
}
