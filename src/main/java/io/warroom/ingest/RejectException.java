package io.warroom.ingest;

/** Thrown while validating one row; becomes a {@link RowError}. No stack trace: it is routine. */
final class RejectException extends RuntimeException {
  final String field;

  RejectException(String field, String reason) {
    super(reason, null, false, false);
    this.field = field;
  }
}
