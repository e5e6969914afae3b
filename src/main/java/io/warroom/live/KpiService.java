package io.warroom.live;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.kpi.Alarm;
import io.warroom.kpi.Figures;
import io.warroom.kpi.PreviousSection;
import io.warroom.kpi.Section;
import io.warroom.kpi.SnapshotWriter;
import io.warroom.measure.Kpi;
import io.warroom.plan.Campaigns;
import io.warroom.plan.Plan;
import io.warroom.store.Cluster;
import io.warroom.store.Plans;
import io.warroom.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one owner of the aggregates: every accepted batch goes to the store and then into the
 * aggregator here, on one event loop, as do the records the store hands over (kept by other nodes)
 * and the plans other nodes put. Everyone else reads snapshots. {@link #seq} grows with every
 * change; listeners hear of each one.
 */
public final class KpiService {
  private static final Logger LOG = Logger.getLogger(KpiService.class.getName());
  /** Records folded in per turn of the event loop: a big batch leaves room for /health between. */
  static final int SLICE = 5_000;
  private final Vertx vertx;
  private final Store store;
  private final Plans plans;
  private final Clock clock;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private Aggregator agg;
  private long seq;
  private long seqStart;
  private long changes;
  private long accepted;
  private long duplicates;
  private long rejected;
  private Long lastRecordAt;
  private Long lastFedAt;
  /** When the store last kept a record, as the last rebuild read it (before this node fed any). */
  private Long keptAt;
  /** The feeds count as silent from here when no record arrived since start. */
  private long quietFrom;
  private long unpushedSince;
  /** The firing alerts, for the statuses (none until an alert service supplies them). */
  private Supplier<Collection<Alarm>> alarms = List::of;

  /** Appends wait on this while a new plan is being loaded; null when open. */
  private Promise<Void> gate;
  private int inFlight;
  private Promise<Void> drained;

  /** Batches waiting to be folded in, in order, a slice per turn; where the first one is. */
  private final ArrayDeque<Folding> folding = new ArrayDeque<>();
  private int foldBatch;
  private int foldRecord;
  /** Whether slices are being folded (until the queue is empty). */
  private boolean slicing;
  /** Tasks waiting for the transaction being folded in to be whole. */
  private final List<Runnable> atBoundary = new ArrayList<>();

  /** Transactions to fold into an aggregator, and who waits for the last of them. */
  private record Folding(Aggregator into, List<List<Rec>> batches, Promise<Void> done) {}

  /** The calendar of campaigns as last read from the store, by start. */
  private List<Campaigns.Entry> calendar = List.of();
  /** The campaign whose plan is loaded; null while no campaign is in force (the configured plan). */
  private Campaigns.Entry running;
  /** When the campaign in force may change next, and when that was worked out. */
  private long nextSwitch = Long.MAX_VALUE;
  private long checkedAt;
  /** A switch to the campaign in force under way, or null. */
  private Future<Void> switching;

  /** {@code store} keeps the records, {@code plans} the plans, {@code cluster} tells of other nodes. */
  public KpiService(Vertx vertx, Store store, Plans plans, Cluster cluster, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.plans = plans;
    this.clock = clock;
    cluster.onKept(this::kept);
    cluster.onPlan(plan -> {
      if (running != null) {
        LOG.info("plan " + plan.id() + " put without campaigns is not in force: campaign "
            + running.id() + " is");
        return;
      }
      replacePlan(plan).onFailure(err -> LOG.log(Level.WARNING,
          "cannot put in force plan " + plan.id() + " from another node", err));
    });
    cluster.onCampaigns(() -> refreshCalendar().onFailure(err -> LOG.log(Level.WARNING,
        "cannot follow the campaigns another node changed", err)));
  }

  /**
   * Builds the aggregates from everything the store holds, for the plan in force: the campaign
   * whose period holds now (else the latest past one), else {@code plan}, unless the store keeps a
   * newer one put through the API.
   */
  public Future<Void> start(Plan plan) {
    quietFrom = clock.millis();
    long now = clock.millis();
    return plans.plan(plan, now).compose(legacy -> plans.campaigns().compose(list -> {
      calendar = list;
      checkedAt = now;
      nextSwitch = Campaigns.nextChange(list, now);
      Campaigns.Entry e = Campaigns.inForce(list, now);
      if (e == null) return Future.succeededFuture(legacy);
      return plans.campaign(e.id()).map(c -> {
        if (c == null) return legacy;
        running = c.entry();
        LOG.info("campaign " + running.id() + " is in force");
        return c.plan();
      });
    })).compose(p -> store.load(p, clock)).map(a -> {
      agg = a;
      keptAt = a.keptAt();
      // Past every seq an earlier run gave (see next()), so a screen that resumes with
      // Last-Event-ID after a restart is sent the alerts since.
      seqStart = System.currentTimeMillis() * 1_000;
      seq = seqStart + 1;
      return null;
    });
  }

  /** The calendar as this node knows it, by start. */
  public List<Campaigns.Entry> campaigns() {
    return calendar;
  }

  /** The campaign in force, or null while the configured plan (or one put without campaigns) is. */
  public Campaigns.Entry running() {
    return running;
  }

  /**
   * Keeps a campaign (section 13) and, once the store took it, puts in force whatever the calendar
   * now says is. Fails with {@link Campaigns.Refused} when the calendar refuses it.
   */
  public Future<Campaigns.Entry> putCampaign(Plan plan) {
    return plans.putCampaign(plan, null, clock.millis(), false)
        .compose(e -> refreshCalendar().map(e));
  }

  /** Campaign {@code id} with its plan, as kept; null when unknown. */
  public Future<Campaigns.Stored> campaign(String id) {
    return plans.campaign(id);
  }

  /** Deletes an upcoming campaign. */
  public Future<Void> deleteCampaign(String id) {
    return plans.deleteCampaign(id, clock.millis()).compose(v -> refreshCalendar());
  }

  /** Reads the calendar again (changed here or on another node) and follows it. */
  private Future<Void> refreshCalendar() {
    return plans.campaigns().compose(list -> {
      calendar = list;
      nextSwitch = Long.MIN_VALUE;
      return follow();
    });
  }

  /**
   * Puts in force the campaign the calendar names for now, when it is not the one loaded (another
   * campaign, or the same put again). One switch at a time; completes once the plan is in force.
   */
  private Future<Void> follow() {
    if (switching != null) return switching.transform(ar -> follow());
    long now = clock.millis();
    checkedAt = now;
    nextSwitch = Campaigns.nextChange(calendar, now);
    Campaigns.Entry want = Campaigns.inForce(calendar, now);
    if (want == null || want.equals(running)) return Future.succeededFuture();
    Future<Void> f = plans.campaign(want.id()).compose(c -> {
      if (c == null) return Future.succeededFuture(); // deleted meanwhile: the next read says so
      LOG.info("campaign " + c.entry().id() + " is in force from now");
      return replacePlan(c.plan()).map(v -> {
        running = c.entry();
        return (Void) null;
      });
    });
    switching = f;
    f.onComplete(ar -> {
      switching = null;
      if (ar.failed()) {
        LOG.log(Level.WARNING, "cannot put campaign " + want.id() + " in force; trying again", ar.cause());
        nextSwitch = clock.millis() + 5_000;
      }
    });
    return f;
  }

  public Plan plan() {
    return agg.plan();
  }

  public long seq() {
    roll();
    return seq;
  }

  /**
   * Takes the next seq for an event that is not a KPI change (an alert transition), so stream ids
   * stay one ordered sequence; listeners are not told.
   */
  public long nextSeq() {
    return next();
  }

  /**
   * The next seq: at least the wall clock's millisecond x 1,000, so seqs of every run and of
   * every node on one clock are one order (a screen that resumes on another node, or after a
   * restart, is sent the alerts after the last event it had), and exact in JavaScript.
   */
  private long next() {
    changes++;
    return seq = Math.max(seq + 1, System.currentTimeMillis() * 1_000);
  }

  /** The first seq of this run: alert events kept from before it are below it. */
  public long seqStart() {
    return seqStart;
  }

  /** When this node last accepted a new record (its clock), or null since start. */
  public Long lastRecordAt() {
    return lastRecordAt;
  }

  /**
   * When a new record last reached the aggregates, from this node or another (its clock); before
   * any has since the start, when the store last kept one; else null.
   */
  public Long lastFedAt() {
    return lastFedAt != null ? lastFedAt : keptAt;
  }

  /**
   * Since when the feeds count as silent: the last record to reach the aggregates, else the
   * earliest of the store's last kept record, the start and the moment {@link #quietSince(long)}
   * set.
   */
  public long quietSince() {
    if (lastFedAt != null) return lastFedAt;
    return keptAt != null ? Math.min(keptAt, quietFrom) : quietFrom;
  }

  /** The feeds were already silent at {@code since} (a stale-feed alert kept over a restart). */
  public void quietSince(long since) {
    quietFrom = Math.min(quietFrom, since);
  }

  /** Where the statuses learn which alerts fire. */
  public void alarms(Supplier<Collection<Alarm>> firing) {
    this.alarms = firing;
  }

  /** The alerts firing changed: the statuses in the snapshot change with them. */
  public void alarmsChanged() {
    changed();
  }

  /** Changes since the start, without moving the windows (for metrics). */
  public long changes() {
    return changes;
  }

  /** The campaign value of a KPI (money in currency units), or null. */
  public Double kpiValue(Kpi kpi) {
    return kpi.number(agg.campaign());
  }

  /** The plan's target for a KPI, or null. */
  public Double kpiTarget(Kpi kpi) {
    BigDecimal t = Figures.targetOf(agg, kpi.id);
    return t == null ? null : t.doubleValue();
  }

  public double elapsed() {
    return agg.plan().elapsed(clock.millis());
  }

  /**
   * When the oldest change not yet pushed was ingested (System.nanoTime), or 0; reading resets
   * it. The stream hub records ingest-to-push latency with it.
   */
  public long takeUnpushedSince() {
    long t = unpushedSince;
    unpushedSince = 0;
    return t;
  }

  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Stores the batch (already valid and free of repeats) and folds the new records in. Completes
   * with the new records once they are stored; the rest were duplicates.
   */
  public Future<List<Rec>> ingest(List<Rec> batch, int repeatsInRequest, int rejectedRows) {
    Future<Void> open = gate == null ? Future.succeededFuture() : gate.future();
    return open.compose(v -> {
      inFlight++;
      return store.append(batch).compose(fresh -> fold(agg, List.of(fresh)).map(fresh))
          .andThen(ar -> {
            if (--inFlight == 0 && drained != null) drained.complete();
          });
    }).map(fresh -> {
      count(fresh.size(), batch.size() - fresh.size() + repeatsInRequest, rejectedRows);
      return fresh;
    });
  }

  /**
   * Folds transactions into {@code into} after those already waiting: at once when they are few
   * and nothing waits, else {@link #SLICE} records a turn of the event loop, so that a batch of
   * 100,000 never holds up /health or the stream. Each transaction is one batch of the aggregator.
   */
  private Future<Void> fold(Aggregator into, List<List<Rec>> batches) {
    int n = 0;
    for (List<Rec> b : batches) n += b.size();
    if (!slicing && n <= SLICE) {
      for (List<Rec> b : batches) into.apply(b);
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    folding.add(new Folding(into, batches, done));
    if (!slicing) {
      slicing = true;
      foldSlice();
    }
    return done.future();
  }

  /**
   * Whether a transaction is partly folded in (its rest waits for a later turn): the screens, the
   * alerts and readers wait for all of it, so that none shows or judges part of a transaction.
   */
  public boolean folding() {
    return foldRecord != 0;
  }

  /**
   * Runs {@code r} now when no transaction is partly folded in, else as soon as the one being
   * folded is whole (before the next one begins).
   */
  public void whenWhole(Runnable r) {
    if (!folding()) r.run();
    else atBoundary.add(r);
  }

  private void runAtBoundary() {
    if (atBoundary.isEmpty() || folding()) return;
    List<Runnable> due = new ArrayList<>(atBoundary);
    atBoundary.clear();
    for (Runnable r : due) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "a task waiting for a whole transaction failed", e);
      }
    }
  }

  private void foldSlice() {
    try {
      foldSome();
    } catch (RuntimeException e) {
      // A bug, not bad input (records are valid here): fail the waiting request, go on with the next.
      LOG.log(Level.SEVERE, "folding records into the aggregates failed", e);
      Folding f = folding.poll();
      foldBatch = 0;
      foldRecord = 0;
      f.done().fail(e);
    }
    runAtBoundary();
    // A timer, not runOnContext: the loop reads its sockets before it runs the next slice.
    if (folding.isEmpty()) slicing = false;
    else vertx.setTimer(1, id -> foldSlice());
  }

  private void foldSome() {
    int budget = SLICE;
    while (budget > 0 && !folding.isEmpty()) {
      Folding f = folding.peek();
      if (foldBatch < f.batches().size()) {
        List<Rec> batch = f.batches().get(foldBatch);
        int to = Math.min(batch.size(), foldRecord + budget);
        for (int i = foldRecord; i < to; i++) f.into().apply(batch.get(i));
        budget -= to - foldRecord;
        foldRecord = to;
        if (foldRecord < batch.size()) break;
        foldBatch++;
        foldRecord = 0;
        // A transaction is whole: let those waiting for one run before the next begins.
        if (!atBoundary.isEmpty()) budget = 0;
      }
      if (foldBatch == f.batches().size()) {
        folding.poll();
        foldBatch = 0;
        f.done().complete();
      }
    }
  }

  /**
   * Records the store kept that this node did not answer for (other nodes', or a request that
   * failed although its rows were kept): counted in the KPIs, not as accepted here.
   */
  private void kept(List<List<Rec>> transactions) {
    if (agg == null || transactions.isEmpty()) return;
    // Into the aggregator of now: a rebuild that replaces it meanwhile holds these already.
    Aggregator into = agg;
    fold(into, transactions).onSuccess(v -> {
      if (into != agg) return;
      lastFedAt = clock.millis();
      if (unpushedSince == 0) unpushedSince = System.nanoTime();
      changed();
    });
  }

  /** Of these counter names, those records may carry (the store's limit of distinct names). */
  public Future<Set<String>> admitCounters(Set<String> names) {
    return store.admitCounters(names);
  }

  /** Counts a request that kept nothing (atomic mode with invalid rows). */
  public void countRejected(int rows) {
    count(0, 0, rows);
  }

  private void count(int newRecords, int dups, int rejectedRows) {
    if (newRecords == 0 && dups == 0 && rejectedRows == 0) return;
    accepted += newRecords;
    duplicates += dups;
    rejected += rejectedRows;
    if (newRecords > 0) {
      lastRecordAt = clock.millis();
      lastFedAt = lastRecordAt;
      if (unpushedSince == 0) unpushedSince = System.nanoTime();
    }
    changed();
  }

  /**
   * Puts a plan in force here and, through the store, on every other node and after restarts.
   * While a campaign is in force the plan replaces it in the calendar (refused when it would then
   * not be in force).
   */
  public Future<Void> putPlan(Plan plan) {
    if (running == null) return plans.putPlan(plan).compose(v -> replacePlan(plan));
    return plans.putCampaign(plan, running.id(), clock.millis(), true)
        .compose(e -> refreshCalendar());
  }

  /** Replaces the plan: holds appends, lets those under way finish, rebuilds from the store. */
  public Future<Void> replacePlan(Plan plan) {
    if (gate != null) {
      return gate.future().compose(v -> replacePlan(plan));
    }
    Promise<Void> myGate = Promise.promise();
    gate = myGate;
    Future<Void> idle;
    if (inFlight == 0) {
      idle = Future.succeededFuture();
    } else {
      drained = Promise.promise();
      idle = drained.future();
    }
    return idle.compose(v -> store.load(plan, clock)).map(a -> {
      agg = a;
      if (a.keptAt() != null) keptAt = a.keptAt();
      changed();
      return (Void) null;
    }).andThen(ar -> {
      drained = null;
      gate = null;
      myGate.complete();
    });
  }

  /**
   * Moves the rolling windows to the clock's second; a move that changes a figure is a change.
   * When a campaign's period began or ended since the last look, the calendar's plan in force
   * takes over.
   */
  public boolean roll() {
    return roll(clock.millis());
  }

  private boolean roll(long now) {
    if (switching == null && (now >= nextSwitch || now < checkedAt)) {
      follow().onFailure(err -> { }); // logged by follow
    }
    if (agg.advance(now)) {
      changed();
      return true;
    }
    return false;
  }

  /** Every figure now, with its status. */
  public Figures figures() {
    long now = clock.millis();
    roll(now);
    return Figures.of(agg, now, alarms.get(), lastFedAt(), quietSince());
  }

  /**
   * Every figure now, its tables listed as the snapshot lists them (shorter when the whole
   * snapshot would pass its limit), so the report lists what the wall does.
   */
  public Figures listedFigures() {
    return SnapshotWriter.fitted(seq, figures(), ingestCounts());
  }

  /** What this node answered since it started, as the snapshot's {@code ingest} shows it. */
  public SnapshotWriter.IngestCounts ingestCounts() {
    return new SnapshotWriter.IngestCounts(accepted, duplicates, rejected, lastRecordAt);
  }

  /** The current snapshot as JSON, under 64 KiB. */
  public Buffer snapshot() {
    Figures f = figures();
    SnapshotWriter.IngestCounts counts = ingestCounts();
    return Buffer.buffer(SnapshotWriter.write(seq, f, counts));
  }

  /**
   * What the stream sends for the current seq: the snapshot without its sections, and each
   * section's value by name (in the order written).
   */
  public record StreamView(byte[] core, Map<String, byte[]> sections) {}

  public StreamView streamView() {
    Figures f = figures();
    SnapshotWriter.IngestCounts counts = ingestCounts();
    StreamView view = streamView(f, counts);
    int whole = view.core().length;
    for (Map.Entry<String, byte[]> e : view.sections().entrySet()) {
      whole += e.getKey().length() + e.getValue().length + 4;
    }
    // Past the limit GET /api/v1/kpis lists fewer names: the stream lists the same.
    if (whole > SnapshotWriter.LIMIT) view = streamView(SnapshotWriter.fitted(seq, f, counts), counts);
    return view;
  }

  private StreamView streamView(Figures f, SnapshotWriter.IngestCounts counts) {
    byte[] core = SnapshotWriter.writeCore(seq, f, counts);
    Map<String, byte[]> sections = new LinkedHashMap<>();
    for (Section s : f.sections()) sections.put(s.name(), SnapshotWriter.writeSection(s, f));
    sections.put(PreviousSection.NAME, SnapshotWriter.writeSection(PreviousSection.INSTANCE, f));
    return new StreamView(core, sections);
  }

  /** Hourly chart data as JSON. */
  public Buffer series() {
    roll();
    return Buffer.buffer(SnapshotWriter.writeSeries(clock.millis(), agg));
  }

  public Aggregator aggregator() {
    return agg;
  }

  /** Time alone has passed: a new seq, so the next snapshot is made now (a fresh asOf). */
  public void touch() {
    changed();
  }

  private void changed() {
    next();
    for (Runnable l : listeners) l.run();
  }
}
