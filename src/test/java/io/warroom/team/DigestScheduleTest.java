package io.warroom.team;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warroom.plan.Plan;
import io.warroom.plan.PlanParser;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

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

  /** The meeting whose digest is due at {@code now} (Shanghai time), as its local date-time. */
  static String due(Plan p, String now) {
    ZonedDateTime m = Digests.dueMeeting(p.team("data"), p,
        OffsetDateTime.parse(now + "+08:00").toInstant().toEpochMilli());
    return m == null ? null : m.toLocalDateTime().toString();
  }

  @Test
  void dueFromTheLeadUntilTheMeeting() {
    Plan fri = plan("fri", "16:00", 30);
    assertEquals(null, due(fri, "2026-11-13T15:29:59"));
    assertEquals("2026-11-13T16:00", due(fri, "2026-11-13T15:30:00"));
    assertEquals("2026-11-13T16:00", due(fri, "2026-11-13T15:59:59"));
    assertEquals(null, due(fri, "2026-11-13T16:00:00"));
  }

  @Test
  void aLeadReachingBackIntoTheWeekBefore() {
    // Monday 00:05 less 10 minutes is Sunday 23:55 (it was sent at Monday 00:00, 5 minutes late).
    Plan early = plan("mon", "00:05", 10);
    assertEquals(null, due(early, "2026-11-15T23:54:59"));
    assertEquals("2026-11-16T00:05", due(early, "2026-11-15T23:55:00"));
    assertEquals("2026-11-16T00:05", due(early, "2026-11-16T00:04:59"));
    // Monday 00:00 less 10 minutes (it was never sent).
    assertEquals("2026-11-16T00:00", due(plan("mon", "00:00", 10), "2026-11-15T23:50:00"));
    // A whole day ahead: Sunday 09:00 for Monday 09:00.
    assertEquals("2026-11-16T09:00", due(plan("mon", "09:00", 1440), "2026-11-15T09:00:00"));
  }

  @Test
  void aLeadOfNoneIsTheMeetingsFirstMinute() {
    Plan now = plan("fri", "16:00", 0);
    assertEquals(null, due(now, "2026-11-13T15:59:59"));
    assertEquals("2026-11-13T16:00", due(now, "2026-11-13T16:00:00"));
    assertEquals("2026-11-13T16:00", due(now, "2026-11-13T16:00:59"));
    assertEquals(null, due(now, "2026-11-13T16:01:00"));
    assertEquals("2026-11-15T23:59", due(plan("sun", "23:59", 0), "2026-11-15T23:59:30"));
    assertEquals(null, due(plan("sun", "23:59", 0), "2026-11-16T00:00:00"));
  }
}
