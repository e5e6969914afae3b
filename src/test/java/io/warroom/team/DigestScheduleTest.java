package io.warroom.team;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warroom.plan.Plan;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When a team's weekly digest is due (CONTRACT section 14): from digestLeadMinutes before its
 * meeting until the meeting starts, also when that reaches back into the week before, and for a
 * lead of 0 in the meeting's first minute.
 */
class DigestScheduleTest {
  static Plan plan(String day, String time, int lead) {
    return PlanParser.parse("{\"id\":\"t\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\","
        + "\"timezone\":\"Asia/Shanghai\",\"currency\":\"CNY\",\"digestLeadMinutes\":" + lead + ","
        + "\"teams\":[{\"id\":\"data\",\"name\":\"Data\",\"meeting\":{\"day\":\"" + day
        + "\",\"time\":\"" + time + "\"},\"webhooks\":[{\"url\":\"http://127.0.0.1:9/h\","
        + "\"format\":\"json\"}]}]}");
  }

  /** Meeting (day, time, lead), a moment in Shanghai time, and the meeting due then (or none). */
  @ParameterizedTest(name = "{0} {1} less {2} min, at {3}: {4}")
  @CsvSource(nullValues = "none", value = {
      // Friday 16:00 less 30 minutes: due from 15:30 until the meeting starts
      "fri, 16:00, 30, 2026-11-13T15:29:59, none",
      "fri, 16:00, 30, 2026-11-13T15:30:00, 2026-11-13T16:00",
      "fri, 16:00, 30, 2026-11-13T15:59:59, 2026-11-13T16:00",
      "fri, 16:00, 30, 2026-11-13T16:00:00, none",
      // Monday 00:05 less 10 minutes is Sunday 23:55 (it was sent at Monday 00:00, 5 minutes late)
      "mon, 00:05, 10, 2026-11-15T23:54:59, none",
      "mon, 00:05, 10, 2026-11-15T23:55:00, 2026-11-16T00:05",
      "mon, 00:05, 10, 2026-11-16T00:04:59, 2026-11-16T00:05",
      // Monday 00:00 less 10 minutes (it was never sent), and a whole day ahead
      "mon, 00:00, 10, 2026-11-15T23:50:00, 2026-11-16T00:00",
      "mon, 09:00, 1440, 2026-11-15T09:00:00, 2026-11-16T09:00",
      // a lead of 0: the meeting's first minute (it was never sent)
      "fri, 16:00, 0, 2026-11-13T15:59:59, none",
      "fri, 16:00, 0, 2026-11-13T16:00:00, 2026-11-13T16:00",
      "fri, 16:00, 0, 2026-11-13T16:00:59, 2026-11-13T16:00",
      "fri, 16:00, 0, 2026-11-13T16:01:00, none",
      "sun, 23:59, 0, 2026-11-15T23:59:30, 2026-11-15T23:59",
      "sun, 23:59, 0, 2026-11-16T00:00:00, none"})
  void dueFromTheLeadUntilTheMeeting(String day, String time, int lead, String now, String due) {
    Plan p = plan(day, time, lead);
    ZonedDateTime m = Digests.dueMeeting(p.team("data"), p,
        OffsetDateTime.parse(now + "+08:00").toInstant().toEpochMilli());
    assertEquals(due, m == null ? null : m.toLocalDateTime().toString());
  }

  /** A team may set its own lead; the plan's applies to the others; a bad one is named. */
  @Test
  void aTeamsOwnLeadWinsOverThePlans() {
    String teams = "\"teams\":[{\"id\":\"data\",\"meeting\":{\"day\":\"fri\",\"time\":\"16:00\"},"
        + "\"digestLeadMinutes\":10,\"webhooks\":[{\"url\":\"http://127.0.0.1:9/h\"}]},"
        + "{\"id\":\"crm\",\"meeting\":{\"day\":\"fri\",\"time\":\"16:00\"},"
        + "\"webhooks\":[{\"url\":\"http://127.0.0.1:9/h\"}]}]";
    Plan p = PlanParser.parse("{\"id\":\"t\",\"start\":\"2026-11-01\",\"end\":\"2026-12-01\","
        + "\"timezone\":\"Asia/Shanghai\",\"currency\":\"CNY\",\"digestLeadMinutes\":45," + teams + "}");
    long at1540 = OffsetDateTime.parse("2026-11-13T15:40:00+08:00").toInstant().toEpochMilli();
    long at1550 = OffsetDateTime.parse("2026-11-13T15:50:00+08:00").toInstant().toEpochMilli();
    assertNull(Digests.dueMeeting(p.team("data"), p, at1540), "data: 10 minutes before, not 45");
    assertEquals("2026-11-13T16:00",
        Digests.dueMeeting(p.team("data"), p, at1550).toLocalDateTime().toString());
    assertEquals("2026-11-13T16:00",
        Digests.dueMeeting(p.team("crm"), p, at1540).toLocalDateTime().toString(), "crm: the plan's 45");
    // kept as given when the plan is read back
    Plan again = PlanParser.parse(PlanParser.toJson(p).toString());
    assertEquals(10, again.team("data").digestLeadMinutes());
    assertNull(again.team("crm").digestLeadMinutes());

    PlanException bad = assertThrows(PlanException.class, () -> PlanParser.parse(
        PlanParser.toJson(p).toString().replace("\"digestLeadMinutes\":10", "\"digestLeadMinutes\":1441")));
    assertEquals("teams[0].digestLeadMinutes", bad.field());
  }
}
