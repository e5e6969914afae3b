package io.warroom.store;

/** The store cannot keep records right now; nothing of the batch was kept. Retrying is safe. */
public class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
