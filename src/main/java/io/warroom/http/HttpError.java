package io.warroom.http;

import io.warroom.plan.PlanException;

/**
 * A request that cannot be served as asked: the status and message to answer with. The one failure
 * type {@link Errors#failure} writes; the exceptions of other parts are mapped to it there.
 */
public final class HttpError extends RuntimeException {
  final int status;
  /** A refused document's field and reasons, or null. */
  final PlanException refused;
  /** Seconds for a Retry-After header, or 0 for none. */
  final int retryAfter;

  HttpError(int status, String message) {
    this(status, message, null, 0);
  }

  HttpError(int status, String message, PlanException refused, int retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.refused = refused;
    this.retryAfter = retryAfter;
  }
}
