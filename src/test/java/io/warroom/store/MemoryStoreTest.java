package io.warroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.warroom.TestApp;
import io.warroom.ingest.Rec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The duplicate rule of the in-memory store at scale: (type, id) once, ever. */
public class MemoryStoreTest {
  @Test
  void keepsEachTypeAndIdOnceAcrossManyBatches() {
    Vertx vertx = Vertx.vertx();
    try {
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
    } finally {
      TestApp.await(vertx.close());
    }
  }
}
