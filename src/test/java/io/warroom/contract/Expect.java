package io.warroom.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.plan.Plan;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a snapshot against {@link Oracle}: the four windows at the snapshot's own {@code asOf},
 * and the campaign's channels, ad channels and budget, every field exactly.
 */
public final class Expect {
  private Expect() {}

  /** The windows, channels, ad channels and budget of snapshot {@code s}, from {@code sent}. */
  public static void windowsAndBreakdowns(JsonNode s, List<Oracle.R> sent, Plan plan) {
    Set<String> online = Set.copyOf(plan.onlineChannels());
    Instant at = Instant.parse(s.get("asOf").asText());
    long dayStart = at.atZone(plan.timezone()).toLocalDate().atStartOfDay(plan.timezone())
        .toInstant().toEpochMilli();
    long start = plan.startMillis();
    long end = plan.endMillis();

    window("campaign", s.at("/windows/campaign"), Oracle.window(sent, start, end, online));
    long[] hour = Oracle.trailing(at.toEpochMilli(), 3_600_000L);
    long[] quarter = Oracle.trailing(at.toEpochMilli(), 900_000L);
    // today so far: up to the current second, as last1h
    window("today", s.at("/windows/today"), Oracle.window(sent, dayStart, hour[1], online));
    window("last1h", s.at("/windows/last1h"), Oracle.window(sent, hour[0], hour[1], online));
    window("last15m", s.at("/windows/last15m"), Oracle.window(sent, quarter[0], quarter[1], online));

    Map<String, Object[]> channels = Oracle.channels(sent, start, end);
    assertEquals(channels.keySet(), fieldNames(s.get("channels")));
    for (Map.Entry<String, Object[]> c : channels.entrySet()) {
      JsonNode a = s.get("channels").get(c.getKey());
      money((BigDecimal) c.getValue()[0], a.get("revenue"), "channel revenue " + c.getKey());
      assertEquals((long) c.getValue()[1], a.get("orders").asLong());
      assertEquals((long) c.getValue()[2], a.get("sessions").asLong());
      long sessions = (long) c.getValue()[2];
      ratio(sessions == 0 ? null : Oracle.quotient((long) c.getValue()[1], sessions),
          a.get("conversion"), "channel conversion " + c.getKey());
    }
    Map<String, BigDecimal[]> ads = Oracle.adChannels(sent, start, end);
    assertEquals(ads.keySet(), fieldNames(s.get("adChannels")));
    for (Map.Entry<String, BigDecimal[]> c : ads.entrySet()) {
      JsonNode a = s.get("adChannels").get(c.getKey());
      money(c.getValue()[0], a.get("spend"), "ad spend " + c.getKey());
      money(c.getValue()[1], a.get("attributedRevenue"), "attributed " + c.getKey());
      ratio(c.getValue()[0].signum() == 0 ? null
          : Oracle.quotient(c.getValue()[1], c.getValue()[0]),
          a.get("roi"), "roi " + c.getKey());
    }
    Map<String, BigDecimal> spent = Oracle.spent(sent, start, end);
    for (Map.Entry<String, Long> b : plan.budgetCents().entrySet()) {
      String cat = b.getKey();
      money(BigDecimal.valueOf(b.getValue(), 2), s.at("/budget/" + cat + "/allocated"),
          "allocated " + cat);
      money(spent.getOrDefault(cat, BigDecimal.ZERO), s.at("/budget/" + cat + "/spent"),
          "spent " + cat);
    }
  }

  /** The campaign window of snapshot {@code s}, every field exactly, from {@code sent}. */
  public static void campaign(JsonNode s, List<Oracle.R> sent, Plan plan) {
    window("campaign", s.at("/windows/campaign"),
        Oracle.window(sent, plan.startMillis(), plan.endMillis(), Set.copyOf(plan.onlineChannels())));
  }

  static void window(String name, JsonNode a, Oracle.Window e) {
    money(e.revenue(), a.get("revenue"), name + ".revenue");
    money(e.gross, a.get("grossRevenue"), name + ".grossRevenue");
    money(e.refunds, a.get("refunds"), name + ".refunds");
    assertEquals(e.orders, a.get("orders").asLong(), name + ".orders");
    ratio(e.aov(), a.get("aov"), name + ".aov");
    assertEquals(e.sessions, a.get("sessions").asLong(), name + ".sessions");
    ratio(e.conversion(), a.get("conversion"), name + ".conversion");
    assertEquals(e.customers(), a.get("customers").asLong(), name + ".customers");
    assertEquals(e.newCustomers.size(), a.get("newCustomers").asLong(), name + ".newCustomers");
    ratio(e.repurchaseRate(), a.get("repurchaseRate"), name + ".repurchaseRate");
    money(e.adSpend, a.get("adSpend"), name + ".adSpend");
    money(e.attributed, a.get("attributedRevenue"), name + ".attributedRevenue");
    ratio(e.roi(), a.get("roi"), name + ".roi");
    assertEquals(e.npsResponses, a.get("npsResponses").asLong(), name + ".npsResponses");
    ratio(e.nps(), a.get("nps"), name + ".nps");
    ratio(e.onlineShare(), a.get("onlineShare"), name + ".onlineShare");
    assertEquals(16, a.size(), name + " has exactly the contract's 16 fields");
  }

  static void money(BigDecimal expected, JsonNode actual, String what) {
    if (expected == null) {
      assertTrue(actual.isNull(), what + " should be null but was " + actual);
      return;
    }
    assertTrue(actual.isNumber(), what + " should be a number but was " + actual);
    assertEquals(0, expected.compareTo(actual.decimalValue()),
        what + ": expected " + expected.toPlainString() + " but was " + actual);
  }

  static void ratio(Double expected, JsonNode actual, String what) {
    if (expected == null) {
      assertTrue(actual.isNull(), what + " should be null but was " + actual);
      return;
    }
    assertEquals(expected, actual.doubleValue(), what);
  }

  static Set<String> fieldNames(JsonNode o) {
    Set<String> names = new TreeSet<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** A record as the oracle knows it. */
  public static Oracle.R of(Rec r) {
    return new Oracle.R(r.type.wire, r.id, r.ts,
        r.type == RecordType.ORDER || r.type == RecordType.REFUND
            || r.type == RecordType.SPEND ? BigDecimal.valueOf(r.amountCents, 2)
            : null,
        r.customerId, r.channel, r.newCustomer, r.adChannel, r.category,
        r.type == RecordType.VISIT ? r.sessions : null,
        r.type == RecordType.NPS ? r.score : null);
  }
}
