package io.warroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.RandomRecords;
import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.kpi.SnapshotWriter;
import io.warroom.kpi.Totals;
import io.warroom.plan.Plan;
import io.warroom.plan.SeedPlan;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rebuild from SQL rollups gives exactly the aggregator that applying the same records one by
 * one gives: the same snapshot and chart JSON, byte for byte, for random records of every type
 * (late ones, refunds, ahead of the clock, before the period, on every window edge), at clock
 * times that put the windows in different places.
 */
@ExtendWith(VertxExtension.class)
class PgRebuildTest {
  private static PgTestDb db;
  private static OnLoop loop;
  private static PgStore store;

  @BeforeAll
  static void start(Vertx vertx) {
    db = PgTestDb.create();
    loop = new OnLoop(vertx);
    store = loop.store(db.url());
  }

  @AfterAll
  static void stop() {
    if (loop != null) {
      loop.call(() -> store.close());
    }
    if (db != null) db.close();
  }

  @ParameterizedTest(name = "seed {0} at {1} in {2}")
  @CsvSource({
      "1, 2026-11-11T10:17:30.250+08:00, Asia/Shanghai",
      "2, 2026-11-01T00:30:00+08:00, Asia/Shanghai",
      "3, 2026-12-01T00:20:00+08:00, Asia/Shanghai",
      "4, 2026-11-11T00:05:00+08:00, Asia/Shanghai",
      "5, 2026-11-30T23:59:59.999+08:00, Asia/Shanghai",
      "6, 2026-10-31T23:10:00+08:00, Asia/Shanghai",
      "7, 2026-11-15T13:44:10+05:30, Asia/Kolkata",
      "8, 2026-11-02T00:10:00-05:00, America/New_York"})
  void rebuildEqualsApplyingEachRecord(long seed, String now, String zone) {
    db.execute("TRUNCATE records");
    Plan seedPlan = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
    Plan plan = seedPlan.toBuilder().timezone(ZoneId.of(zone)).build();
    long nowMillis = OffsetDateTime.parse(now).toInstant().toEpochMilli();

    List<Rec> records = new RandomRecords(seed, plan, nowMillis).list(4000);
    Aggregator expected = new Aggregator(plan, nowMillis);
    Set<String> kept = new HashSet<>();
    Random rnd = new Random(seed);
    int sent = 0;
    while (sent < records.size()) {
      int n = Math.min(records.size() - sent, 1 + rnd.nextInt(700));
      List<Rec> batch = new ArrayList<>(records.subList(sent, sent + n));
      // Some records come again: in the same batch, or re-sent from earlier batches.
      for (int i = 0; i < n / 10; i++) batch.add(records.get(rnd.nextInt(sent + n)));
      List<Rec> firstTime = new ArrayList<>();
      for (Rec r : batch) if (kept.add(r.key())) firstTime.add(r);
      List<Rec> fresh = loop.call(() -> store.append(batch));
      assertEquals(firstTime, fresh, "the new records of a batch, in input order");
      for (Rec r : firstTime) expected.apply(r);
      sent += n;
    }

    Aggregator rebuilt = loop.call(() -> store.load(plan,
        Clock.fixed(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC)));

    assertTrue(expected.campaign().orders() > 0 && expected.campaign().customers() > 0);
    assertTrue(expected.last15m().orders() > 0 && expected.last1h().npsResponses() > 0);
    assertTrue(expected.today().sessions().signum() > 0 && expected.hours().size() > 24);
    SnapshotWriter.IngestCounts counts = new SnapshotWriter.IngestCounts(0, 0, 0, null);
    // Equal byte for byte, the newest record time to the millisecond included (read apart).
    assertEquals(expected.newestRecordAt(), rebuilt.newestRecordAt());
    assertEquals(text(SnapshotWriter.write(1, nowMillis, expected, counts)),
        text(SnapshotWriter.write(1, nowMillis, rebuilt, counts)));
    assertEquals(text(SnapshotWriter.writeSeries(nowMillis, expected)),
        text(SnapshotWriter.writeSeries(nowMillis, rebuilt)));
    // The sums alerts read beyond the snapshot: gross margin and minimum samples.
    assertTrue(expected.campaign().costedOrders() > 0 && expected.campaign().refundCount() > 0);
    assertEquals(alertSums(expected.campaign()), alertSums(rebuilt.campaign()), "campaign");
    assertEquals(alertSums(expected.today()), alertSums(rebuilt.today()), "today");
    assertEquals(alertSums(expected.last1h()), alertSums(rebuilt.last1h()), "last1h");
    assertEquals(alertSums(expected.last15m()), alertSums(rebuilt.last15m()), "last15m");
  }

  private static List<Object> alertSums(Totals t) {
    return List.of(t.costedOrders(), t.costedGross(), t.cost(), t.refundCount(), t.adSpendCount());
  }

  private static String text(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }
}
