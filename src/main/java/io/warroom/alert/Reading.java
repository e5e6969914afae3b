package io.warroom.alert;

import java.math.BigDecimal;

/**
 * What a rule sees at one evaluation. {@code measure} is compared with the rule's thresholds; it is
 * null when the rule cannot judge now (no data, or fewer samples than the rule's minimum).
 * {@code off} means the rule does not apply now (outside the plan's period): nothing holds.
 * {@code value} is shown; the shown threshold of a level is {@code level * scale + offset}.
 */
record Reading(Double measure, boolean off, BigDecimal value, double scale, double offset,
    boolean money) {

  static Reading unknown(BigDecimal value, boolean money) {
    return new Reading(null, false, value, 1, 0, money);
  }

  static Reading off(BigDecimal value) {
    return new Reading(null, true, value, 1, 0, false);
  }

  boolean judged() {
    return measure != null;
  }
}
