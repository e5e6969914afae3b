package io.warroom.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.warroom.MutableClock;
import io.warroom.TestApp;
import io.warroom.config.Config;
import io.warroom.plan.PlanParser;
import io.warroom.plan.SeedPlan;
import java.io.IOException;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CSV report is opened by spreadsheets and saved under a name built from the plan id: the name
 * cannot break out of its header, and no cell runs as a formula.
 */
@ExtendWith(VertxExtension.class)
public class ReportCsvSafetyTest {
  static TestApp start(Vertx vertx) {
    return TestApp.deploy(vertx, Config.defaults(), SeedPlan.forMonth(LocalDate.of(2026, 11, 1)),
        MutableClock.at("2026-11-20T12:00:00+08:00"));
  }

  static String disposition(TestApp app, String planId) {
    JsonObject plan = new JsonObject(PlanParser.toJson(SeedPlan.forMonth(LocalDate.of(2026, 11, 1))).toString());
    HttpResponse<Buffer> put = TestApp.await(app.client.put("/api/v1/plan")
        .putHeader("Content-Type", "application/json").sendBuffer(plan.put("id", planId).toBuffer()));
    assertEquals(200, put.statusCode(), put.bodyAsString());
    HttpResponse<Buffer> csv = app.get("/api/v1/report?format=csv");
    assertEquals(200, csv.statusCode());
    assertEquals(1, csv.headers().getAll("Content-Disposition").size());
    return csv.getHeader("Content-Disposition");
  }

  @Test
  void thePlanIdReachesTheFileNameEscaped(Vertx vertx) {
    try (TestApp app = start(vertx)) {
      assertEquals("attachment; filename=\"report-x___filename__evil.html.csv\"; "
          + "filename*=UTF-8''report-x%22%3B%20filename%3D%22evil.html.csv",
          disposition(app, "x\"; filename=\"evil.html"));
      assertEquals("attachment; filename=\"report-2026-___.csv\"; "
          + "filename*=UTF-8''report-2026-%E5%8F%8C%E5%8D%81%E4%B8%80.csv", disposition(app, "2026-双十一"));
      // A control character has no place in an id: refused before it could reach a header.
      HttpResponse<Buffer> put = TestApp.await(app.client.put("/api/v1/plan")
          .putHeader("Content-Type", "application/json").sendBuffer(new JsonObject(PlanParser.toJson(
              SeedPlan.forMonth(LocalDate.of(2026, 11, 1))).toString()).put("id", "a\r\nb").toBuffer()));
      assertEquals(400, put.statusCode(), put.bodyAsString());
    }
  }

  @Test
  void cellsStartingWithAFormulaCharacterAreShownAsText(Vertx vertx) {
    try (TestApp app = start(vertx)) {
      List<String> channels = List.of("=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@SUM(A1)", "\tcmd",
          "\r=1", "plain");
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < channels.size(); i++) {
        body.append(new JsonObject().put("id", "o" + i).put("ts", "2026-11-20T10:00:00+08:00")
            .put("customerId", "c").put("amount", 1).put("channel", channels.get(i)).encode()).append('\n');
      }
      HttpResponse<Buffer> r = app.post("/api/v1/orders", "application/x-ndjson", body.toString());
      assertEquals(channels.size(), r.bodyAsJsonObject().getInteger("accepted"), r.bodyAsString());
      String csv = app.get("/api/v1/report?format=csv").bodyAsString();
      // Read back as a spreadsheet would: every channel cell that could run as a formula starts with '.
      Set<String> items = new HashSet<>();
      try (MappingIterator<String[]> it = new com.fasterxml.jackson
          .dataformat.csv.CsvMapper().readerForArrayOf(String.class)
          .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(csv)) {
        while (it.hasNext()) {
          String[] row = it.next();
          if (row[0].equals("channel") && row[2].equals("revenue")) items.add(row[1]);
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      assertEquals(Set.of("'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'-1", "'@SUM(A1)",
          "'\tcmd", "'\r=1", "plain"), items, csv);
    }
  }
}
