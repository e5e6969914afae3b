package io.warroom.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warroom.measure.Status;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The alert a figure shows, of those firing on it: the most severe, and of two as severe one that
 * holds rather than one recovering, so a tile says "recovering" only when it is; the snapshot's
 * {@code recovering} lists every rule recovering, in order.
 */
class AlarmsTest {
  static final Plan PLAN = PlanParser.parse("{\"id\":\"t\",\"start\":\"2026-12-01\",\"end\":\"2027-01-01\","
      + "\"timezone\":\"Asia/Shanghai\",\"targets\":{\"conversion\":0.03}}");
  static final long NOW = Instant.parse("2026-12-05T04:00:00Z").toEpochMilli();

  static Alarm alarm(String rule, Status severity, boolean recovering) {
    return new Alarm("conversion", rule, rule.endsWith("15m") ? "last15m" : "last1h", severity, recovering);
  }

  static Figures.Target conversion(List<Alarm> firing) {
    Figures f = Figures.of(new Aggregator(PLAN, NOW), NOW, firing, null, NOW);
    assertEquals(firing.stream().filter(Alarm::recovering).map(Alarm::rule).sorted().toList(), f.recovering());
    return f.targets().stream().filter(t -> t.kpi().id.equals("conversion")).findFirst().orElseThrow();
  }

  @Test
  void aFigureShowsItsWorstAlertAndOneThatHoldsBeforeOneRecovering() {
    Alarm hourBack = alarm("conv-1h", Status.WARNING, true);
    Alarm quarterHolds = alarm("conv-15m", Status.WARNING, false);
    Alarm quarterCritical = alarm("conv-15m", Status.CRITICAL, true);
    assertEquals("conv-15m", conversion(List.of(hourBack, quarterHolds)).alarm().rule());
    assertEquals("conv-15m", conversion(List.of(quarterHolds, hourBack)).alarm().rule());
    assertEquals("conv-15m", conversion(List.of(hourBack, quarterCritical)).alarm().rule());
    assertEquals(Status.CRITICAL, conversion(List.of(hourBack, quarterCritical)).status());
    assertEquals("conv-1h", conversion(List.of(hourBack)).alarm().rule());
    assertEquals(Status.WARNING, conversion(List.of(hourBack)).status(), "recovering, still raised");
  }
}
