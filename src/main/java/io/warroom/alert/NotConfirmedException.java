package io.warroom.alert;

/** A follower's command that could not be queued, or that the alerting node did not confirm in time. */
public final class NotConfirmedException extends RuntimeException {
  NotConfirmedException(String message) {
    super(message);
  }
}
