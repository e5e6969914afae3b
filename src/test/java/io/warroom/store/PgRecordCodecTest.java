package io.warroom.store;

import static io.warroom.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.RandomRecords;
import io.warroom.ingest.Rec;
import io.warroom.plan.SeedPlan;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every field of every record type, the optional ones of sections 3 and 10 included, comes back
 * from PostgreSQL as it was kept: another node sharing the database reads them in its tail.
 */
@ExtendWith(VertxExtension.class)
class PgRecordCodecTest {
  @Test
  void anotherNodeReadsBackEveryFieldOfEveryType(Vertx vertx) throws Exception {
    var plan = SeedPlan.forMonth(LocalDate.of(2026, 11, 1));
    List<Rec> records = new RandomRecords(77, plan, plan.startMillis() + 10L * 86_400_000).list(2_000);
    // Two nodes: two event loops on the test's Vert.x.
    OnLoop writer = new OnLoop(vertx);
    OnLoop reader = new OnLoop(vertx);
    try (PgTestDb db = PgTestDb.create()) {
      PgStore a = writer.store(db.url());
      PgStore b = reader.store(db.url());
      List<Rec> seen = new CopyOnWriteArrayList<>();
      reader.call(() -> {
        b.onKept(transactions -> transactions.forEach(seen::addAll));
        return b.load(plan, Clock.systemUTC()).mapEmpty();
      });
      List<Rec> fresh = writer.call(() -> a.append(records));
      eventually(() -> seen.size() >= fresh.size(), 30_000, () -> seen.size() + " of " + fresh.size());
      assertEquals(fresh.size(), seen.size());
      Map<String, Rec> byKey = new HashMap<>();
      for (Rec r : seen) byKey.put(r.key(), r);
      List<String> types = new ArrayList<>();
      for (Rec r : fresh) {
        MemoryStoreTest.assertSameFields(r, byKey.get(r.key()));
        if (!types.contains(r.type.wire)) types.add(r.type.wire);
      }
      assertEquals(6, types.size(), types.toString());
      assertEquals(true, fresh.stream().anyMatch(r -> r.extra != null && r.extra.tags() != null
          && r.extra.tags().size() > 1));
    }
  }
}
