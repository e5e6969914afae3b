package io.warroom.http;

/**
 * A request that cannot be served as asked: the status and message to answer with. The one failure
 * type {@link Errors#failure} writes; the exceptions of other parts are mapped to it there.
 */
public final class HttpError extends RuntimeException {
  final int status;
  /** The field of a refused document, as its parser named it, or null. */
  final String field;
  /** Seconds for a Retry-After header, or 0 for none. */
  final int retryAfter;

  HttpError(int status, String message) {
    this(status, message, null, 0);
  }

  HttpError(int status, String message, String field, int retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}
