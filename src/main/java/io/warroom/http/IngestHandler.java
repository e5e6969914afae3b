package io.warroom.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.warroom.ingest.BodyException;
import io.warroom.ingest.BodyReader;
import io.warroom.ingest.ParsedBody;
import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.ingest.RowError;
import io.warroom.kpi.KpiService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * POST /api/v1/{orders,refunds,spend,visits,nps,events} (CONTRACT section 4): reads the body on a
 * worker, drops repeats within the request, and answers once the new rows are stored.
 */
public final class IngestHandler {
  private final Vertx vertx;
  private final KpiService kpis;
  private final Clock clock;
  private final long bodyLimit;

  public IngestHandler(Vertx vertx, KpiService kpis, Clock clock, long bodyLimit) {
    this.vertx = vertx;
    this.kpis = kpis;
    this.clock = clock;
    this.bodyLimit = bodyLimit;
  }

  /** Refuses an unsupported Content-Type before the body is read. */
  public static void checkContentType(RoutingContext ctx) {
    try {
      BodyReader.format(ctx.request().getHeader("Content-Type"));
      ctx.next();
    } catch (BodyException e) {
      Errors.send(ctx, e.status, e.getMessage());
    }
  }

  /** The handler for one endpoint; {@code type} null for /api/v1/events. */
  public void handle(RoutingContext ctx, RecordType type) {
    BodyReader.Format format = BodyReader.format(ctx.request().getHeader("Content-Type"));
    boolean atomic = "true".equalsIgnoreCase(ctx.request().getParam("atomic"));
    Bodies.read(ctx, bodyLimit)
        .compose(body -> {
          BodyReader reader = new BodyReader(type, kpis.plan().budgetCents().keySet(), clock.millis());
          return vertx.executeBlocking(() -> reader.read(format, body.getBytes()), false);
        })
        .compose(parsed -> {
          List<Rec> unique = new ArrayList<>(parsed.records.size());
          Set<String> seen = new HashSet<>(parsed.records.size() * 2);
          for (Rec r : parsed.records) if (seen.add(r.key())) unique.add(r);
          int repeats = parsed.records.size() - unique.size();
          if (atomic && !parsed.rejected.isEmpty()) {
            kpis.countRejected(parsed.rejected.size());
            reply(ctx, 422, 0, 0, parsed);
            return io.vertx.core.Future.succeededFuture();
          }
          return kpis.ingest(unique, repeats, parsed.rejected.size())
              .map(fresh -> {
                reply(ctx, 200, fresh, parsed.records.size() - fresh, parsed);
                return null;
              });
        })
        .onFailure(ctx::fail);
  }

  private static void reply(RoutingContext ctx, int status, int accepted, int duplicates,
      ParsedBody parsed) {
    JsonArray rejected = new JsonArray();
    for (RowError e : parsed.rejected) {
      JsonObject o = new JsonObject().put("row", e.row());
      if (e.field() != null) o.put("field", e.field());
      o.put("error", e.error());
      rejected.add(o);
    }
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("accepted", accepted).put("duplicates", duplicates)
            .put("rejected", rejected).encode());
  }
}
