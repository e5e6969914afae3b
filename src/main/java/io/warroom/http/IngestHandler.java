package io.warroom.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.warroom.ingest.BodyException;
import io.warroom.ingest.BodyReader;
import io.warroom.ingest.ParsedBody;
import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.ingest.RowError;
import io.warroom.kpi.Counters;
import io.warroom.live.KpiService;
import io.warroom.metrics.Metrics;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * POST /api/v1/{orders,refunds,spend,visits,nps,events} (CONTRACT section 4): reads the body on a
 * worker (which also sets repeats within the request apart), and answers once the new rows are
 * stored.
 */
public final class IngestHandler {
  private static final Logger LOG = Logger.getLogger("warroom.ingest");

  private final Vertx vertx;
  private final KpiService kpis;
  private final Clock clock;
  private final long bodyLimit;
  private final int maxRows;
  private final Metrics metrics;

  public IngestHandler(Vertx vertx, KpiService kpis, Clock clock, long bodyLimit, int maxRows,
      Metrics metrics) {
    this.vertx = vertx;
    this.kpis = kpis;
    this.clock = clock;
    this.bodyLimit = bodyLimit;
    this.maxRows = maxRows;
    this.metrics = metrics;
  }

  /** Refuses an unsupported Content-Type before the body is read. */
  /** One route per record type and one for mixed events, each behind the ingest token and the rate limit. */
  void mount(Router router, Handler<RoutingContext> auth, Handler<RoutingContext> limit) {
    for (RecordType t : RecordType.values()) {
      router.post("/api/v1/" + t.path).handler(auth).handler(limit)
          .handler(IngestHandler::checkContentType).handler(ctx -> handle(ctx, t));
    }
    router.post("/api/v1/events").handler(auth).handler(limit)
        .handler(IngestHandler::checkContentType).handler(ctx -> handle(ctx, null));
  }

  public static void checkContentType(RoutingContext ctx) {
    try {
      BodyReader.format(ctx.request().getHeader("Content-Type"));
      ctx.next();
    } catch (BodyException e) {
      ctx.fail(e);
    }
  }

  /** The handler for one endpoint; {@code type} null for /api/v1/events. */
  public void handle(RoutingContext ctx, RecordType type) {
    long started = System.nanoTime();
    String endpoint = type == null ? "events" : type.path;
    String source = ctx.get(Auth.SOURCE);
    BodyReader.Format format = BodyReader.format(ctx.request().getHeader("Content-Type"));
    String atomicParam = ctx.request().getParam("atomic");
    if (atomicParam != null && !atomicParam.equalsIgnoreCase("true") && !atomicParam.equalsIgnoreCase("false")) {
      // ?atomic=1 or yes read as not atomic would keep the valid rows of a batch meant all or none
      Errors.send(ctx, 400, "atomic must be true or false, not '" + Errors.clip(atomicParam) + "'");
      return;
    }
    boolean atomic = "true".equalsIgnoreCase(atomicParam);
    Bodies.read(ctx, bodyLimit)
        .compose(body -> {
          BodyReader reader = new BodyReader(type, kpis.plan().budgetCents().keySet(), clock.millis(),
              maxRows);
          return vertx.executeBlocking(() -> reader.read(format, body.getBytes()), false);
        })
        .compose(parsed -> atomic && !parsed.rejected.isEmpty() ? Future.succeededFuture(parsed)
            : capCounters(parsed))
        .compose(parsed -> {
          if (atomic && !parsed.rejected.isEmpty()) {
            kpis.countRejected(parsed.rejected.size());
            return Future.succeededFuture(new Outcome(422, parsed, List.of()));
          }
          return kpis.ingest(parsed.unique, parsed.repeats(), parsed.rejected.size())
              .map(fresh -> new Outcome(200, parsed, fresh));
        })
        .onSuccess(o -> {
          reply(ctx, o);
          count(endpoint, type, source, o);
          metrics.request(endpoint, o.status, o.parsed.rows, System.nanoTime() - started);
          LOG.info(() -> "ingest request=" + ctx.get(Headers.REQUEST_ID) + " source=" + source
              + " endpoint=" + endpoint + " status=" + o.status + " rows=" + o.parsed.rows
              + " accepted=" + o.fresh.size() + " duplicates=" + o.duplicates() + " rejected="
              + o.parsed.rejected.size() + " ms=" + (System.nanoTime() - started) / 1_000_000);
        })
        .onFailure(ctx::fail);
  }

  /**
   * Rejects the count records whose name would be a new one past the limit of distinct names
   * (CONTRACT section 10), on every node sharing the store.
   */
  private Future<ParsedBody> capCounters(ParsedBody parsed) {
    Set<String> names = new LinkedHashSet<>();
    for (Rec r : parsed.unique) if (r.type == RecordType.COUNT) names.add(r.name);
    if (names.isEmpty()) return Future.succeededFuture(parsed);
    return kpis.admitCounters(names).map(admitted -> {
      if (admitted.size() < names.size()) {
        parsed.refuse(r -> r.type == RecordType.COUNT && !admitted.contains(r.name), "name",
            r -> "a new counter name past the limit of " + Counters.MAX_NAMES + " distinct names");
      }
      return parsed;
    });
  }

  private record Outcome(int status, ParsedBody parsed, List<Rec> fresh) {
    int duplicates() {
      return status == 200 ? parsed.records.size() - fresh.size() : 0;
    }
  }

  private void count(String endpoint, RecordType type, String source, Outcome o) {
    // Per type: records accepted and valid records that were duplicates.
    long[] accepted = new long[RecordType.values().length];
    long[] duplicates = new long[accepted.length];
    boolean[] seen = new boolean[accepted.length];
    if (o.status == 200) {
      for (Rec r : o.parsed.records) {
        duplicates[r.type.ordinal()]++;
        seen[r.type.ordinal()] = true;
      }
      for (Rec r : o.fresh) {
        accepted[r.type.ordinal()]++;
        duplicates[r.type.ordinal()]--;
      }
    }
    for (RecordType t : RecordType.values()) {
      if (!seen[t.ordinal()]) continue;
      metrics.records(t.wire, "accepted", source, accepted[t.ordinal()]);
      metrics.records(t.wire, "duplicate", source, duplicates[t.ordinal()]);
    }
    metrics.records(type == null ? "unknown" : type.wire, "rejected", source, o.parsed.rejected.size());
  }

  private static void reply(RoutingContext ctx, Outcome o) {
    JsonArray rejected = new JsonArray();
    for (RowError e : o.parsed.rejected) {
      JsonObject row = new JsonObject().put("row", e.row());
      if (e.field() != null) row.put("field", e.field());
      row.put("error", e.error());
      rejected.add(row);
    }
    ctx.response().setStatusCode(o.status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("accepted", o.fresh.size()).put("duplicates", o.duplicates())
            .put("rejected", rejected).encode());
  }
}
