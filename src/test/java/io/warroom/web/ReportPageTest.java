package io.warroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warroom.Config;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.plan.SeedPlan;
import io.warroom.report.ReportTest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The printable report page in a real browser, under the server's Content-Security-Policy. */
class ReportPageTest {
  static List<String> row(Browser b, String table, int i) {
    List<WebElement> rows = b.find("#" + table + " tbody").findElements(By.tagName("tr"));
    return rows.get(i).findElements(By.tagName("td")).stream()
        .map(td -> td.getDomProperty("textContent").trim()).toList();
  }

  @Test
  void theReportPageShowsTheReportsFigures() {
    try (TestApp app = TestApp.start(Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
            MutableClock.at("2026-11-30T12:00:00Z"));
        Browser b = Browser.start(1200, 900)) {
      assertEquals(200, app.post("/api/v1/events", "application/x-ndjson", ReportTest.DATA).statusCode());
      b.open("http://127.0.0.1:" + app.port + "/report.html");
      b.waitFor(Duration.ofSeconds(10),
          () -> b.find("#kpis tbody").findElements(By.tagName("tr")).size() == 8,
          () -> b.find("body").getDomProperty("textContent"));
      assertEquals(List.of("revenue", "1,050.49", "12,000,000", "0.0 %"), row(b, "kpis", 0));
      assertEquals(List.of("conversion", "0.3 %", "3.0 %", "10.4 %"), row(b, "kpis", 3));
      assertEquals(List.of("roi", "5.00", "3.50", "143.0 %"), row(b, "kpis", 5));
      assertEquals(List.of("nps", "33.3", "65.0", "51.3 %"), row(b, "kpis", 6));
      List<String> week2 = row(b, "weeks", 1);
      assertEquals("2026-11-08 – 2026-11-15", week2.get(0));
      // No sign-ups were counted, and week 2 has ended: the measured milestone was missed.
      assertEquals("5,000 sign-ups to watch the launch live stream [missed]", week2.get(2));
      assertEquals("650", week2.get(3));
      assertEquals(List.of("promotion", "1,500,000", "1,000", "0.1 %"), row(b, "budget", 0));
      assertEquals(List.of("none"), row(b, "alerts", 0));
      // The seed plan's focus targets, without numbers as the document gives none.
      assertEquals(List.of("Key product A units", "sku", "A", "units", "0", "—", "—"), row(b, "focus", 0));
      assertTrue(b.text("#title").startsWith("November sales battle plan — report so far"), b.text("#title"));
      assertEquals(List.of(), b.console().stream().map(Object::toString)
          .filter(s -> s.contains("SEVERE")).toList());
    }
  }
}
