package io.warroom.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warroom.measure.Status;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
    // the critical ones first, then by id
    assertEquals(firing.stream().filter(Alarm::recovering)
        .sorted(Comparator.comparing((Alarm a) -> a.severity() != Status.CRITICAL).thenComparing(Alarm::rule))
        .map(Alarm::rule).toList(), f.recovering());
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

  /**
   * However many alerts recover at once, the list takes at most its room in the snapshot: 40 rules
   * of 64 four-byte characters would take 10 KB; the critical ones are listed first.
   */
  @Test
  void theRecoveringListKeepsToItsRoom() {
    List<Alarm> firing = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = String.format("%02d", i) + "\uD83D\uDCC8".repeat(31);
      firing.add(new Alarm("conversion", id, "last1h", i >= 38 ? Status.CRITICAL : Status.WARNING, true));
    }
    List<String> listed = Figures.recovering(firing);
    int bytes = 0;
    for (String r : listed) bytes += r.getBytes(StandardCharsets.UTF_8).length + 3;
    assertTrue(bytes <= Figures.RECOVERING_BYTES, bytes + " bytes");
    assertEquals(List.of(firing.get(38).rule(), firing.get(39).rule(), firing.get(0).rule()),
        listed.subList(0, 3));
    assertEquals(Figures.RECOVERING_BYTES / (2 + 31 * 4 + 3), listed.size());
  }
}
