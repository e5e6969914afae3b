package io.warroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.warroom.TestApp;
import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The duplicate rule of the in-memory store at scale, and records kept as bytes read back equal. */
@ExtendWith(VertxExtension.class)
public class MemoryStoreTest {
  @Test
  void keepsEachTypeAndIdOnceAcrossManyBatches(Vertx vertx) {
    MemoryStore store = new MemoryStore(vertx);
    Random rnd = new Random(3);
    Set<String> expected = new HashSet<>();
    long fresh = 0;
    for (int batch = 0; batch < 60; batch++) {
      List<Rec> recs = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        String id = "id-" + rnd.nextInt(150_000);
        Rec r = rnd.nextBoolean() ? Rec.visit(id, 0, "jd", 1) : Rec.nps(id, 0, 9, null);
        recs.add(r);
        expected.add(r.key());
      }
      fresh += TestApp.await(store.append(recs)).size();
      assertEquals(expected.size(), fresh, "after batch " + batch);
    }
    assertEquals(expected.size(), store.size());
  }

  @Test
  void everyFieldReadsBackEqualAndDuplicatesAreFoundByTypeAndId() {
    Random rnd = new Random(9);
    MemoryStore store = new MemoryStore(null);
    Map<String, Rec> first = new LinkedHashMap<>();
    for (int batch = 0; batch < 40; batch++) {
      List<Rec> recs = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        Rec r = random(rnd);
        recs.add(r);
        first.putIfAbsent(r.key(), r);
      }
      store.append(recs);
    }
    // One record larger than a page.
    Rec big = Rec.visit("x".repeat(300_000), 1, "jd", 2);
    store.append(List.of(big, big));
    first.put(big.key(), big);
    List<Rec> kept = store.records();
    List<Rec> expected = new ArrayList<>(first.values());
    assertEquals(expected.size(), kept.size());
    for (int i = 0; i < kept.size(); i++) assertSameFields(expected.get(i), kept.get(i));
    assertEquals(0, store.append(expected).result().size());
  }

  private static final String[] IDS = {"Aa", "BB", "o-1", "訂單-7", "\uD800", "?", "", "x y", "é"};

  private static String text(Random rnd) {
    return switch (rnd.nextInt(6)) {
      case 0 -> null;
      case 1 -> IDS[rnd.nextInt(IDS.length)];
      case 2 -> "c-" + rnd.nextInt(1_000_000);
      case 3 -> "ü" + (char) rnd.nextInt(0x10000);
      default -> Long.toString(rnd.nextLong(), 36);
    };
  }

  private static Long optional(Random rnd) {
    return switch (rnd.nextInt(5)) {
      case 0 -> null;
      case 1 -> Long.MAX_VALUE;
      case 2 -> Long.MIN_VALUE;
      case 3 -> 0L;
      default -> rnd.nextLong() >> rnd.nextInt(64);
    };
  }

  private static Rec random(Random rnd) {
    RecordType type = RecordType.values()[rnd.nextInt(RecordType.values().length)];
    String id = rnd.nextInt(4) == 0 ? IDS[rnd.nextInt(IDS.length)] : text(rnd);
    if (id == null) id = "id-" + rnd.nextInt(5_000);
    Boolean isNew = switch (rnd.nextInt(3)) {
      case 0 -> null;
      case 1 -> Boolean.TRUE;
      default -> Boolean.FALSE;
    };
    Rec.Extra extra = rnd.nextBoolean() ? null : new Rec.Extra(text(rnd), text(rnd), text(rnd),
        text(rnd), rnd.nextBoolean() ? null : Stream.generate(() -> {
          String t = text(rnd);
          return t == null ? "t" : t;
        }).limit(1 + rnd.nextInt(4)).distinct().toList(), 1 + rnd.nextInt(1000), text(rnd), text(rnd));
    return new Rec(type, id, rnd.nextLong() >> rnd.nextInt(64), rnd.nextLong() >> rnd.nextInt(64),
        text(rnd), text(rnd), isNew, text(rnd), optional(rnd), optional(rnd), text(rnd), text(rnd),
        optional(rnd), optional(rnd), rnd.nextInt(), rnd.nextInt(21) - 10, extra,
        type == RecordType.COUNT ? text(rnd) : null, type == RecordType.COUNT ? rnd.nextLong() : 0);
  }

  static void assertSameFields(Rec a, Rec b) {
    assertEquals(a.type, b.type);
    assertEquals(a.id, b.id);
    assertEquals(a.ts, b.ts);
    assertEquals(a.amountCents, b.amountCents);
    assertEquals(a.customerId, b.customerId);
    assertEquals(a.channel, b.channel);
    assertEquals(a.newCustomer, b.newCustomer);
    assertEquals(a.adChannel, b.adChannel);
    assertEquals(a.costCents, b.costCents);
    assertEquals(a.discountCents, b.discountCents);
    assertEquals(a.orderId, b.orderId);
    assertEquals(a.category, b.category);
    assertEquals(a.impressions, b.impressions);
    assertEquals(a.clicks, b.clicks);
    assertEquals(a.sessions, b.sessions);
    assertEquals(a.score, b.score);
    assertEquals(a.extra, b.extra);
    assertEquals(a.name, b.name);
    assertEquals(a.value, b.value);
  }
}
