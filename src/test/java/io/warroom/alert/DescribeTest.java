package io.warroom.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** An alert's message says what the value does against its threshold, recovering included. */
class DescribeTest {
  static final Rule ROI = new Rule("target-roi", Rule.Kind.FIELD, "roi", "last1h", "<", 3.15, 2.8,
      0, 0.1, 0, null);

  static Reading at(String value) {
    return new Reading(Double.valueOf(value), false, new BigDecimal(value), 1, 0, false);
  }

  @Test
  void pastTheThresholdItSaysBelow() {
    assertEquals("roi over last1h is 3.1, below the warning threshold 3.15",
        Readings.describe(ROI, at("3.1"), Severity.WARNING, true));
  }

  @Test
  void backPastTheThresholdButInsideTheClearMarginItSaysRecoveringNotBelow() {
    // 3.177 is above 3.15 but under 3.15 + 0.1: the alert fires on, and the message says why
    assertEquals("roi over last1h is recovering at 3.177, back past the warning threshold 3.15 but "
        + "not yet by the margin that resolves it",
        Readings.describe(ROI, at("3.177"), Severity.WARNING, true));
  }
}
