package io.warroom.plan;

import io.warroom.ingest.ValidText;

/**
 * A plan (or other document) that breaks a rule: the field's path and the reason in English and in
 * Chinese. The message is the field's path and the English reason.
 */
public class PlanException extends RuntimeException {
  private final String field;
  private final String reason;
  private final String reasonZh;

  public PlanException(String field, String reason, String reasonZh) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
    this.reasonZh = reasonZh;
  }

  /** A text that is not valid text, for the reasons {@link ValidText#problemOf} gives. */
  public PlanException(String field, ValidText.Problem problem) {
    this(field, problem.en(), problem.zh());
  }

  /** The path of the field, such as {@code weeks[1].milestones[0].value} or {@code plan} for the whole. */
  public String field() {
    return field;
  }

  /** The reason in English. */
  public String reason() {
    return reason;
  }

  /** The reason in simplified Chinese. */
  public String reasonZh() {
    return reasonZh;
  }
}
