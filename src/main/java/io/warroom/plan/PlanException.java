package io.warroom.plan;

/** A plan that breaks a rule; the message starts with the field's path. */
public class PlanException extends RuntimeException {
  public PlanException(String field, String reason) {
    super(field + ": " + reason);
  }
}
