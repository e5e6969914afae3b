package io.warroom.plan;

/** A plan that breaks a rule; the message starts with the field's path, which {@link #field} gives alone. */
public class PlanException extends RuntimeException {
  private final String field;
  private final String reason;

  public PlanException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  /** The path of the field, such as {@code weeks[1].milestones[0].value} or {@code plan} for the whole. */
  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }
}
