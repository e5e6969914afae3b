package io.warroom;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The one wait of the tests: until a condition holds, polling, or fail naming what was awaited. */
public final class Eventually {
  /** The wait when none is named: generous, as the machines running the tests are shared. */
  public static final long DEFAULT_MS = 30_000;

  private Eventually() {}

  public static void eventually(BooleanSupplier condition, String what) {
    eventually(condition, DEFAULT_MS, () -> what);
  }

  public static void eventually(BooleanSupplier condition, long timeoutMs, String what) {
    eventually(condition, timeoutMs, () -> what);
  }

  /**
   * Waits until {@code condition} holds, polling every 20 ms; after {@code timeoutMs} fails with
   * {@code what}, asked then so that it can show the state it found.
   */
  public static void eventually(BooleanSupplier condition, long timeoutMs, Supplier<?> what) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeoutMs + " ms: " + what.get());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what.get(), e);
      }
    }
  }
}
