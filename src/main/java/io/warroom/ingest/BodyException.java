package io.warroom.ingest;

/** A body that cannot be read at all (400), or of an unsupported type (415). */
public final class BodyException extends RuntimeException {
  public final int status;

  public BodyException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
