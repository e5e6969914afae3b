package io.warroom.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warroom.kpi.Figures;
import io.warroom.measure.Kpi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page and the server (report, chat) give the usual keys the same names in both languages. */
class NamesTest {
  @Test
  void theReportNamesTheUsualKeysAsThePageDoes() throws Exception {
    String js = Files.readString(Path.of("webroot/js/i18n.js"));
    Matcher block = Pattern.compile("const names = \\{\\s*en: \\{(.*?)\\},\\s*'zh-CN': \\{(.*?)\\},\\s*\\};",
        Pattern.DOTALL).matcher(js);
    assertTrue(block.find(), "names in i18n.js");
    Map<String, String> en = entries(block.group(1));
    Map<String, String> zh = entries(block.group(2));
    assertEquals(en.keySet(), zh.keySet());
    Map<String, String> javaEn = new TreeMap<>();
    Map<String, String> javaZh = new TreeMap<>();
    for (String key : Words.NAMES.keySet()) {
      javaEn.put(key, Words.name(key, "en"));
      javaZh.put(key, Words.name(key, "zh-CN"));
    }
    assertEquals(en, javaEn);
    assertEquals(zh, javaZh);
    assertEquals("shop_9", Words.name("shop_9", "zh-CN"), "others as sent");
  }

  /**
   * Every KPI of the catalogue (and the other figures alerts watch) has a name in both languages
   * on the page and in notifications and the report, the same in Chinese.
   */
  @Test
  void everyKpiIsNamedOnThePageAndByTheServerInBothLanguages() throws Exception {
    String js = Files.readString(Path.of("webroot/js/i18n.js"));
    Map<String, String> en = kpiNames(js, "const en = {");
    Map<String, String> zh = kpiNames(js, "const zh = {");
    List<String> ids = new ArrayList<>();
    for (Kpi k : Kpi.values()) ids.add(k.id);
    ids.add("grossMargin");
    ids.add(Figures.FEED_ID);
    for (String id : ids) {
      assertTrue(en.containsKey(id), "kpi." + id + " in the page's English");
      assertEquals(zh.get(id), Words.kpi(id, null, "zh-CN"), "kpi." + id + " in Chinese");
      assertNotEquals(id, Words.kpi(id, null, "en"), id + " named in English by the server");
    }
  }

  /** The {@code 'kpi.<id>': '...'} entries of the dictionary that starts at {@code head}. */
  private static Map<String, String> kpiNames(String js, String head) {
    int from = js.indexOf(head);
    assertTrue(from >= 0, head);
    String body = js.substring(from, js.indexOf("\n};", from));
    Map<String, String> out = new TreeMap<>();
    Matcher m = Pattern.compile("'kpi\\.([A-Za-z]+)': '([^']*)'").matcher(body);
    while (m.find()) out.put(m.group(1), m.group(2));
    return out;
  }

  private static Map<String, String> entries(String body) {
    Map<String, String> out = new TreeMap<>();
    Matcher m = Pattern.compile("(?:'([^']+)'|([A-Za-z_][A-Za-z0-9_]*)): '([^']*)'").matcher(body);
    while (m.find()) out.put(m.group(1) != null ? m.group(1) : m.group(2), m.group(3));
    return out;
  }
}
