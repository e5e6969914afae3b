package io.warroom.async;

import io.vertx.core.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One read at a time, read again after: asked while a read runs, it reads once more when that one
 * completes (however many times it was asked), so a change noticed mid-read is never missed.
 * Called on one event loop.
 */
public final class ReadAgain {
  private final BooleanSupplier ready;
  private final Supplier<Future<?>> read;
  private boolean reading;
  private boolean again;

  /** {@code read} runs only while {@code ready} holds; asked when it does not, nothing happens. */
  public ReadAgain(BooleanSupplier ready, Supplier<Future<?>> read) {
    this.ready = ready;
    this.read = read;
  }

  public ReadAgain(Supplier<Future<?>> read) {
    this(() -> true, read);
  }

  /** Reads now, or once more after the read under way. */
  public void ask() {
    if (!ready.getAsBoolean()) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    again = false;
    read.get().onComplete(ar -> {
      reading = false;
      if (again) ask();
    });
  }

  /** Whether a read was asked for while the one under way ran (it follows at once). */
  public boolean asked() {
    return again;
  }
}
