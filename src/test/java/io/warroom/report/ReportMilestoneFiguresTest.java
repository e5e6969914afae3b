package io.warroom.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The printable report's milestones table never shows a value short of its goal as the goal
 * itself: decimals are added until the two read apart.
 */
class ReportMilestoneFiguresTest {
  static final String REPORT = """
      {"plan": {"name": "t", "start": "2026-11-01", "end": "2026-12-01", "timezone": "Asia/Shanghai",
        "currency": "CNY"},
       "asOf": "2026-11-20T00:00:00Z",
       "kpis": [
         {"id": "conversion", "unit": "share", "decimals": 2, "value": 0.02996, "target": 0.03,
          "completion": 0.998667, "status": "critical"},
         {"id": "roi", "unit": "ratio", "decimals": 2, "value": 3.4996, "target": 3.5,
          "completion": 0.999886, "status": "ok"},
         {"id": "aov", "unit": "money", "decimals": 2, "value": 312.5, "target": 300,
          "completion": 1.041667, "status": "ok"}],
       "weeks": [{"start": "2026-11-01", "end": "2026-11-08", "state": "current", "milestones": [
         {"text": "a", "metric": "conversion", "value": 0.02996, "goal": 0.03, "status": "behind"},
         {"text": "b", "metric": "conversion", "value": 0.025, "goal": 0.03, "status": "behind"},
         {"text": "c", "metric": "roi", "op": ">=", "value": 3.4996, "goal": 3.5, "status": "missed"},
         {"text": "d", "metric": "conversion", "op": "<", "value": 0.03, "goal": 0.03, "status": "missed"},
         {"text": "e", "metric": "revenue", "value": 11999999.99, "goal": 12000000, "status": "behind"},
         {"text": "f", "metric": "newCustomers", "value": 2500, "goal": 2500.05, "status": "behind"},
         {"text": "g", "metric": "newCustomers", "op": ">=", "value": 3, "goal": null, "status": "pending"}
       ]}]}""";

  /** Cells {@code from} (inclusive) to {@code to} of each row with a status in table {@code id}. */
  static List<String> cells(String html, String id, int from, int to) {
    String table = html.substring(html.indexOf("id=\"" + id + "\""));
    table = table.substring(0, table.indexOf("</table>"));
    List<String> out = new ArrayList<>();
    Matcher row = Pattern.compile("<tr[^>]*data-status[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(table);
    while (row.find()) {
      List<String> cells = new ArrayList<>();
      Matcher td = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(row.group(1));
      while (td.find()) cells.add(td.group(1));
      out.add(String.join(" | ", cells.subList(from, to)));
    }
    return out;
  }

  /** Value and goal cells of each milestone row. */
  static List<String> figures(String html) {
    return cells(html, "milestones", 2, 4);
  }

  /** Value, target and completion cells of each KPI row. */
  static List<String> kpiFigures(String html) {
    return cells(html, "kpis", 1, 4);
  }

  @Test
  void kpisShortOfTheirTargetNeverReadAsReached() throws Exception {
    ObjectNode r = (ObjectNode) new ObjectMapper().readTree(REPORT);
    List<String> expected = List.of("2.996% | 3.000% | 99.9%", "3.4996 | 3.5000 | 99.9%",
        "¥312.50 | ¥300.00 | 104.2%");
    assertEquals(expected, kpiFigures(Report.html(r, "en", "")));
    assertEquals(expected, kpiFigures(Report.html(r, "zh-CN", "")));
  }

  @Test
  void valuesShortOfTheirGoalNeverReadAsTheGoal() throws Exception {
    ObjectNode r = (ObjectNode) new ObjectMapper().readTree(REPORT);
    // with the comparison where the milestone gives one (HTML-escaped), none without a goal yet
    List<String> expected = List.of("2.996% | 3.000%", "2.50% | 3.00%", "3.4996 | ≥ 3.5000",
        "3.00% | &lt; 3.00%", "¥11,999,999.99 | ¥12,000,000.00", "2,500.0 | 2,500.1", "3 | —");
    assertEquals(expected, figures(Report.html(r, "en", "")));
    assertEquals(expected, figures(Report.html(r, "zh-CN", "")));
  }
}
