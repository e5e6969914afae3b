package io.warroom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The printable report finds the web font and the icon from whichever URL serves it. */
class ReportsTest {
  @Test
  void theRootIsAsManyStepsUpAsTheReportIsDeep() {
    assertEquals("../../", Reports.root("/api/v1/report"));
    assertEquals("../../../../", Reports.root("/api/v1/campaigns/2026-11/report"));
  }
}
