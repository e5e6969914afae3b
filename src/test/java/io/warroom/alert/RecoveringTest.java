package io.warroom.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * A firing alert is recovering once its value is back past its threshold, by its rule's op: the
 * snapshot's {@code recovering}, the wall and the report say so.
 */
class RecoveringTest {
  static final Rule FORECAST = new Rule("forecast-revenue", Rule.Kind.FORECAST, "revenue", "campaign",
      "<", 1.0, null, 900_000, 0.02, 0, null);
  static final Rule ABOVE = new Rule("refunds-high", Rule.Kind.FIELD, "refunds", "today", ">=", 1000,
      null, 0, 100, 0, null);

  static Alert alert(State state, String value, String threshold) {
    return new Alert("a-1", "r", "revenue", "campaign", Severity.WARNING, state, new BigDecimal(value),
        new BigDecimal(threshold), 0, null, "", 0, null, false, null, null, null);
  }

  @Test
  void firingAndBackPastItsThresholdIsRecovering() {
    // on course for 12.2M against a 12M target, not yet 2 % past it
    assertEquals(true, FORECAST.recovering(alert(State.FIRING, "12200000", "12000000")));
    assertEquals(true, FORECAST.recovering(alert(State.FIRING, "12000000", "12000000")));
    assertEquals(false, FORECAST.recovering(alert(State.FIRING, "11999999.99", "12000000")));
    assertEquals(false, FORECAST.recovering(alert(State.RESOLVED, "12200000", "12000000")));
    assertEquals(false, FORECAST.recovering(alert(State.PENDING, "12200000", "12000000")));
    // a rule that fires at or above its threshold recovers below it
    assertEquals(true, ABOVE.recovering(alert(State.FIRING, "999.99", "1000")));
    assertEquals(false, ABOVE.recovering(alert(State.FIRING, "1000", "1000")));
  }
}
