package io.warroom.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.warroom.async.ReadAgain;
import io.warroom.config.Config;
import io.warroom.ingest.Rec;
import io.warroom.kpi.Aggregator;
import io.warroom.kpi.Counters;
import io.warroom.plan.Campaigns;
import io.warroom.plan.Plan;
import io.warroom.plan.PlanException;
import io.warroom.plan.PlanParser;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;

/**
 * Every accepted record in PostgreSQL (table {@code records}, schema migrated by Flyway at start),
 * written through the Vert.x PG pool: one INSERT per batch, complete once committed. The pool
 * opens new connections by itself after the server comes back.
 *
 * <p>A batch whose connection breaks after the statement was sent may have been committed. It is
 * sent once more with the same batch id, and the rows carrying that id are then exactly the new
 * ones. When even that fails the batch is kept "in doubt" and settled as soon as the database
 * answers again: the rows it did keep are handed to {@link #onKept} (the client got a 503 and
 * will find them duplicates when it retries).
 *
 * <p>Several nodes may share the database. Each start takes a new node number, which the rows it
 * keeps carry; the rows other nodes keep are folded in through {@link PgTail}, woken by
 * {@link PgListener} and polled every {@code pollMs} besides. Plans put through the API are kept
 * in {@code plans} and reach every node the same way. The alert and team logs share the pool and
 * the wake-ups ({@link #pool}, {@link #announce}, {@link #onAnnounce}).
 *
 * <p>Called on one event loop, like every {@link Store}.
 */
public final class PgStore implements Store, Plans, Cluster {
  /** How long a start waits to hear its own notification on the session connection. */
  static final long SAME_DATABASE_MS = 5_000;
  private static final Logger LOG = Logger.getLogger(PgStore.class.getName());
  static final int POOL_SIZE = 4;
  private static final long SETTLE_EVERY_MS = 1_000;
  private static final long PING_TIMEOUT_MS = 3_000;
  private static final long[] RESEND_PAUSES_MS = {20, 250};

  /** An append whose outcome is not known. */
  record Pending(UUID batch, List<Rec> records) {}

  private final Vertx vertx;
  private final PgConnectOptions connect;
  /** For the listening and lease connections, which keep session state. */
  private final PgConnectOptions session;
  private final PgConnectOptions migrateWith;
  private final Pool pool;
  private final long pollMs;
  private final List<Pending> inDoubt = new ArrayList<>();
  private Consumer<List<List<Rec>>> keptElsewhere = records -> { };
  private Consumer<Plan> planPut = plan -> { };
  private Runnable campaignsChanged = () -> { };
  /** Max version and count of the calendar as this node last read it. */
  private String campaignsStamp = "0/0";
  /** The newest repair of restored rows this node's aggregates include (see PgRestore). */
  private long repairSeen;
  private int node;
  private PgListener listener;
  private PgTail tail;
  private long pollTimer = -1;
  /** Reads of other nodes' records, one at a time. */
  private final ReadAgain tailReads = new ReadAgain(() -> pollTimer >= 0, this::readTailOnce);
  /** The plan of the last load. */
  private Plan loaded;
  /** Counter names admitted, as far as this node knows. */
  private final Set<String> counterNames = new HashSet<>();
  /** The newest row of {@code plans} seen. */
  private long planRow;
  private Future<Void> settling;
  private long settleTimer = -1;
  /** Grows with every rebuild; a settle begun before a rebuild hands nothing over. */
  private long generation;

  public PgStore(Vertx vertx, String url) {
    this(vertx, url, Config.DEFAULT_TAIL_POLL_MS);
  }

  public PgStore(Vertx vertx, String url, long pollMs) {
    this(vertx, url, Config.PgRoutes.NONE, pollMs);
  }

  /**
   * With a session URL the pool may go through a transaction-mode pooler (pgbouncer): it then
   * keeps no prepared statement past a statement, and the listening and lease connections, which
   * hold session state, take the session URL. Migrations take the migrate URL, else the session
   * URL (a pooler cannot carry Flyway's session lock), else the pool's.
   */
  public PgStore(Vertx vertx, String url, Config.PgRoutes routes, long pollMs) {
    this.vertx = vertx;
    this.pollMs = pollMs;
    PgConnectOptions pooled = connectOptions(url);
    if (routes.sessionUrl() != null) {
      pooled.setUseLayer7Proxy(true).setCachePreparedStatements(false);
      // A pooler refuses startup settings it does not know: the server's default applies.
      Map<String, String> props = new HashMap<>(pooled.getProperties());
      props.remove("synchronous_commit");
      pooled.setProperties(props);
    }
    this.connect = pooled;
    this.session = routes.sessionUrl() == null ? pooled
        : connectOptions(Config.PG_SESSION_URL, routes.sessionUrl());
    this.migrateWith = routes.migrateUrl() != null
        ? connectOptions(Config.PG_MIGRATE_URL, routes.migrateUrl()) : session;
    this.pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(POOL_SIZE).setName("warroom-pg")
            .setConnectionTimeout(10).setConnectionTimeoutUnit(TimeUnit.SECONDS))
        .with(new NetClientOptions().setConnectTimeout(5_000).setTcpKeepAlive(true))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  /**
   * Options from a {@code postgresql://user:pass@host:port/db} URL. Commits wait for the WAL flush
   * (synchronous_commit on), since a 200 promises the rows are durable.
   */
  public static PgConnectOptions connectOptions(String url) {
    return connectOptions(Config.PG_URL, url);
  }

  /** The same for the setting {@code key}, which an error names. */
  public static PgConnectOptions connectOptions(String key, String url) {
    PgConnectOptions o;
    try {
      o = PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      throw new Config.ConfigException(key, "cannot read the URL: " + e.getMessage());
    }
    Map<String, String> props = new HashMap<>(o.getProperties());
    props.put("application_name", "warroom");
    props.put("synchronous_commit", "on");
    return o.setProperties(props);
  }

  /**
   * Migrates the schema (blocking JDBC, on a worker), takes a node number and starts listening for
   * the other nodes.
   */
  @Override
  public Future<Void> start() {
    return sameDatabase().compose(x -> vertx.executeBlocking(() -> {
      migrate(migrateWith);
      return null;
    })).compose(v -> PgRestore.repair(pool))
        .compose(repaired -> {
          repairSeen = repaired;
          return pool.query(PgSql.NEXT_NODE).execute();
        })
        .compose(rows -> {
          node = rows.iterator().next().getInteger(0);
          tail = new PgTail(pool, node, pollMs);
          tail.onRecords(records -> keptElsewhere.accept(records));
          tail.onAhead(this::restored);
          listener = new PgListener(vertx, session, node);
          listener.on("kpis", this::readTail);
          LOG.info("node " + node + " of database '" + connect.getDatabase() + "'");
          return listener.start();
        });
  }

  /**
   * With a session URL, a notification sent through the pool must reach a connection of the
   * session URL: else it names another database, where migrations would go, and the nodes would
   * neither share the alerting lease (two would notify) nor wake each other.
   */
  private Future<Void> sameDatabase() {
    if (session == connect) return Future.succeededFuture();
    String probe = "warroom_probe_" + UUID.randomUUID().toString().replace("-", "");
    Promise<Void> heard = Promise.promise();
    String where = " (database '" + session.getDatabase() + "' at " + session.getHost() + ":"
        + session.getPort() + ")";
    return PgConnection.connect(vertx, session).recover(err -> Future.failedFuture(
        new StoreUnavailableException("cannot connect with " + Config.PG_SESSION_URL + where + ": "
            + err.getMessage(), err))).compose(c -> {
      c.notificationHandler(n -> heard.tryComplete());
      long timer = vertx.setTimer(SAME_DATABASE_MS, id -> heard.tryFail("not heard within "
          + SAME_DATABASE_MS / 1000 + " s"));
      return c.query("LISTEN " + probe).execute()
          .compose(r -> pool.preparedQuery("SELECT pg_notify($1, '')").execute(Tuple.of(probe)))
          .compose(r -> heard.future())
          .eventually(() -> {
            vertx.cancelTimer(timer);
            return c.close();
          });
    }).recover(err -> Future.failedFuture(err instanceof StoreUnavailableException ? err
        : new StoreUnavailableException(Config.PG_SESSION_URL + where + " does not reach the"
            + " database of " + Config.PG_URL + " ('" + connect.getDatabase() + "' at "
            + connect.getHost() + ":" + connect.getPort() + "): a notification sent through the"
            + " pool was not heard on the session connection (" + err.getMessage() + "); both"
            + " must name one database", err)));
  }

  static void migrate(PgConnectOptions o) {
    String jdbc = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase()
        + "?ApplicationName=warroom-migration&sslmode="
        + o.getSslMode().name().toLowerCase().replace('_', '-');
    try {
      Flyway.configure(PgStore.class.getClassLoader())
          .dataSource(jdbc, o.getUser(), o.getPassword())
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      String reason = firstLine(e);
      if (reason.contains("permission denied") || reason.contains("must be owner")) {
        reason += " (migrations need the schema's owner: set " + Config.PG_MIGRATE_URL
            + " to an owner's URL, README \"Roles and grants\")";
      }
      throw new StoreUnavailableException("cannot prepare the schema of database '"
          + o.getDatabase() + "' at " + o.getHost() + ":" + o.getPort() + ": " + reason, e);
    }
  }

  /** The deepest cause's first line: Flyway's own message is a many-line report. */
  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String m = root.getMessage() == null ? root.toString() : root.getMessage().strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }

  @Override
  public Future<Set<String>> admitCounters(Set<String> names) {
    List<String> unknown = new ArrayList<>();
    for (String n : names) if (!counterNames.contains(n)) unknown.add(n);
    if (unknown.isEmpty() || counterNames.size() >= Counters.MAX_NAMES) return Future.succeededFuture(known(names));
    Tuple params = Tuple.of(unknown.toArray(new String[0]), Counters.MAX_NAMES);
    return pool.withTransaction(conn -> conn.query(PgSql.LOCK_COUNTER_NAMES).execute()
            .compose(v -> conn.preparedQuery(PgSql.ADMIT_COUNTERS).execute(params)))
        .map(rows -> {
          for (Row row : rows) counterNames.add(row.getString(0));
          return known(names);
        })
        .recover(err -> Future.failedFuture(unavailable("cannot admit counter names", err)));
  }

  private Set<String> known(Set<String> names) {
    Set<String> out = new HashSet<>();
    for (String n : names) if (counterNames.contains(n)) out.add(n);
    return out;
  }

  @Override
  public void onKept(Consumer<List<List<Rec>>> handler) {
    this.keptElsewhere = handler;
  }

  @Override
  public void onPlan(Consumer<Plan> handler) {
    this.planPut = handler;
  }

  @Override
  public Future<List<Rec>> append(List<Rec> records) {
    if (records.isEmpty()) return Future.succeededFuture(List.of());
    Pending p = new Pending(UUID.randomUUID(), List.copyOf(records));
    Tuple params = PgSql.appendParams(p.records(), p.batch(), node);
    return settle()
        .compose(v -> pool.getConnection()
            .recover(err -> Future.failedFuture(unavailable("cannot reach PostgreSQL", err))))
        .compose(conn -> insert(conn, params)
            .map(rows -> fresh(p.records(), keys(rows)))
            .recover(err -> lostAnswer(p, params, err)))
        .onSuccess(fresh -> {
          if (!fresh.isEmpty()) listener.notify("kpis");
        });
  }

  private static Future<RowSet<Row>> insert(SqlConnection conn, Tuple params) {
    return conn.preparedQuery(PgSql.APPEND).execute(params).andThen(ar -> conn.close());
  }

  /**
   * The INSERT failed. If the server refused it, nothing was kept. If the connection broke, the
   * commit may have happened: send the batch again with the same id (it waits for any writer still
   * holding those keys) and read which rows carry that id.
   */
  private Future<List<Rec>> lostAnswer(Pending p, Tuple params, Throwable err) {
    if (err instanceof PgException pe && !connectionLost(pe)) {
      return Future.failedFuture(retryable(pe) ? unavailable("PostgreSQL refused the batch", pe) : pe);
    }
    LOG.log(Level.WARNING, "append of " + p.records().size()
        + " records lost its connection; sending it again: " + err);
    return sendAgain(p, params, 0).recover(again -> {
      LOG.warning("append of " + p.records().size() + " records is in doubt until PostgreSQL"
          + " answers: " + again);
      inDoubt.add(p);
      if (settleTimer < 0) settleTimer = vertx.setPeriodic(SETTLE_EVERY_MS, id -> settleLater());
      return Future.failedFuture(unavailable("PostgreSQL connection lost", again));
    });
  }

  /**
   * Sends a batch again under its own batch id, then reads which rows carry that id. A pause comes
   * first, and a second try, since the pool may still hold connections that died with the first.
   */
  private Future<List<Rec>> sendAgain(Pending p, Tuple params, int attempt) {
    return vertx.timer(RESEND_PAUSES_MS[attempt])
        .compose(t -> pool.getConnection())
        .compose(conn -> insert(conn, params))
        .compose(rows -> pool.preparedQuery(PgSql.KEPT_BY).execute(PgSql.keptByParams(List.of(p))))
        .map(rows -> fresh(p.records(), keys(rows)))
        .recover(err -> attempt + 1 < RESEND_PAUSES_MS.length ? sendAgain(p, params, attempt + 1)
            : Future.failedFuture(err));
  }

  /** Settles the appends in doubt, handing the rows they kept to the owner. */
  private Future<Void> settle() {
    if (inDoubt.isEmpty()) return Future.succeededFuture();
    if (settling != null) return settling;
    List<Pending> batches = List.copyOf(inDoubt);
    long gen = generation;
    Future<Void> f = pool.preparedQuery(PgSql.KEPT_BY).execute(PgSql.keptByParams(batches))
        .<Void>map(rows -> {
          if (gen != generation) return null; // a rebuild read these rows itself
          Set<String> kept = new HashSet<>();
          for (Row row : rows) kept.add(PgSql.key(row) + '\u0000' + row.getUUID(2));
          List<List<Rec>> found = new ArrayList<>();
          int count = 0;
          for (Pending p : batches) {
            List<Rec> one = new ArrayList<>();
            for (Rec r : p.records()) if (kept.remove(r.key() + '\u0000' + p.batch())) one.add(r);
            if (!one.isEmpty()) found.add(one);
            count += one.size();
          }
          inDoubt.removeAll(batches);
          if (count > 0) {
            LOG.info(count + " records kept by appends whose answer was lost are now counted");
            keptElsewhere.accept(found);
          }
          return null;
        })
        .recover(err -> Future.failedFuture(unavailable("cannot settle appends in doubt", err)));
    settling = f;
    f.onComplete(ar -> settling = null);
    return f;
  }

  private void settleLater() {
    if (inDoubt.isEmpty()) {
      vertx.cancelTimer(settleTimer);
      settleTimer = -1;
      return;
    }
    settle().onFailure(err -> LOG.fine("still in doubt: " + err.getMessage()));
  }

  /** The input records whose key the database answered, in input order (each key once). */
  private static List<Rec> fresh(List<Rec> records, Set<String> keys) {
    List<Rec> fresh = new ArrayList<>(keys.size());
    for (Rec r : records) if (keys.remove(r.key())) fresh.add(r);
    return fresh;
  }

  private static Set<String> keys(RowSet<Row> rows) {
    Set<String> keys = new HashSet<>(rows.size() * 2);
    for (Row row : rows) keys.add(PgSql.key(row));
    return keys;
  }

  /**
   * Rebuilds from the database; the tail of other nodes' records then starts at the rebuild's
   * snapshot, so that no record is folded in twice or missed.
   */
  @Override
  public Future<Aggregator> load(Plan plan, Clock clock) {
    generation++;
    loaded = plan;
    tail.hold();
    List<Pending> was = List.copyOf(inDoubt);
    inDoubt.clear(); // whatever they kept is committed, so the rebuild reads it
    return PgRebuild.run(pool, plan, clock.millis()).map(rebuilt -> {
      tail.reset(rebuilt.snapshot());
      if (pollTimer < 0) pollTimer = vertx.setPeriodic(pollMs, id -> readTail());
      return rebuilt.agg();
    }).recover(err -> {
      inDoubt.addAll(0, was);
      return Future.failedFuture(err instanceof PgException pe && !retryable(pe) ? err
          : unavailable("cannot read the records back", err));
    });
  }

  /** The rebuild {@link #load} does, for a candidate plan, leaving the tail and pending batches be. */
  @Override
  public Future<Aggregator> preview(Plan plan, Clock clock) {
    return PgRebuild.run(pool, plan, clock.millis()).<Aggregator>map(PgRebuild.Rebuilt::agg)
        .recover(err -> Future.failedFuture(err instanceof PgException pe && !retryable(pe) ? err
            : unavailable("cannot read the records for a preview", err)));
  }

  /**
   * The database was restored from another cluster under this running node: clears the xids
   * ahead of its counter, then rebuilds with the plan in force (as a plan put elsewhere would).
   */
  private void restored() {
    LOG.warning("the database holds transaction ids past its own counter, or this node's place"
        + " is past it (restored from another cluster?): repairing and rebuilding");
    PgRestore.repair(pool).onComplete(ar -> {
      if (ar.succeeded()) repairSeen = Math.max(repairSeen, ar.result());
      if (ar.succeeded() && loaded != null) {
        planPut.accept(loaded);
      } else {
        LOG.warning("cannot repair the restored rows now: "
            + (ar.failed() ? ar.cause().getMessage() : "nothing loaded yet"));
        tail.resume();
      }
    });
  }

  /**
   * Folds in what other nodes kept since the last read, then looks for a plan they put. One read
   * at a time; asked again meanwhile, it reads once more after. Not before the first load: it
   * reads the plan and records itself.
   */
  private void readTail() {
    tailReads.ask();
  }

  private Future<Void> readTailOnce() {
    return tail.read().compose(v -> newPlan()).compose(v -> newCampaigns()).onFailure(e ->
        LOG.fine("cannot read other nodes' records now: " + e.getMessage()));
  }

  /** Hands over the newest plan put on another node since the last one seen, if any. */
  private Future<Void> newPlan() {
    return newestPlan().map(put -> {
      if (put != null) planPut.accept(put);
      return null;
    });
  }

  @Override
  public Future<Plan> plan(Plan configured, long nowMillis) {
    return newestPlan().map(put -> {
      if (put == null || put.endMillis() <= nowMillis) return configured;
      LOG.info("plan " + put.id() + " as put through the API is in force");
      return put;
    });
  }

  /** The newest plan put through the API after the last one seen, or null. */
  private Future<Plan> newestPlan() {
    return pool.preparedQuery(PgSql.PLAN_AFTER).execute(Tuple.of(planRow)).map(rows -> {
      for (Row row : rows) {
        planRow = row.getLong(0);
        try {
          return PlanParser.parse(row.getString(1));
        } catch (PlanException e) {
          LOG.warning("plan " + planRow + " in the database cannot be read: " + e.getMessage());
        }
      }
      return null;
    });
  }

  /**
   * Tells the owner when the calendar changed since this node last read it; rebuilds when another
   * node repaired restored rows (they left the tail, so only a rebuild counts them).
   */
  private Future<Void> newCampaigns() {
    return pool.query(PgSql.CAMPAIGNS_STAMP).execute().map(rows -> {
      Row row = rows.iterator().next();
      long repaired = row.getLong(2);
      if (repaired > repairSeen) {
        repairSeen = repaired;
        if (loaded != null) {
          LOG.warning("another node repaired rows restored from another cluster: rebuilding");
          planPut.accept(loaded);
        }
      }
      String stamp = row.getLong(0) + "/" + row.getLong(1);
      if (!stamp.equals(campaignsStamp)) {
        campaignsStamp = stamp;
        campaignsChanged.run();
      }
      return null;
    });
  }

  @Override
  public void onCampaigns(Runnable handler) {
    this.campaignsChanged = handler;
  }

  @Override
  public Future<List<Campaigns.Entry>> campaigns() {
    return pool.query(PgSql.CAMPAIGNS).execute().map(rows -> {
      List<Campaigns.Entry> out = entries(rows);
      long max = 0;
      for (Campaigns.Entry e : out) max = Math.max(max, e.version());
      campaignsStamp = max + "/" + out.size();
      return out;
    }).recover(err -> Future.failedFuture(unavailable("cannot read the campaigns", err)));
  }

  private static List<Campaigns.Entry> entries(RowSet<Row> rows) {
    List<Campaigns.Entry> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(new Campaigns.Entry(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
          r.getLong(4), r.getLong(5), r.getLong(6)));
    }
    return out;
  }

  @Override
  public Future<Campaigns.Stored> campaign(String id) {
    return pool.preparedQuery(PgSql.CAMPAIGN).execute(Tuple.of(id))
        .recover(err -> Future.failedFuture(unavailable("cannot read the campaign", err)))
        .compose(rows -> {
          if (rows.size() == 0) return Future.succeededFuture(null);
          Row r = rows.iterator().next();
          Campaigns.Entry e = entries(rows).get(0);
          String body = r.getString(7);
          return vertx.executeBlocking(() -> new Campaigns.Stored(e, PlanParser.parse(body)));
        });
  }

  @Override
  public Future<Campaigns.Entry> putCampaign(Plan plan, String replacing, long now,
      boolean mustBeInForce) {
    String body = PlanParser.toJson(plan).toString();
    Campaigns.Entry put = Campaigns.Entry.of(plan, 0);
    Tuple params = Tuple.of(put.id(), put.name(), put.start(), put.end(),
        PgSql.time(put.startMillis()), PgSql.time(put.endMillis()), body);
    return pool.withTransaction(conn -> conn.query(PgSql.LOCK_CAMPAIGNS).execute()
        .compose(v -> conn.query(PgSql.CAMPAIGNS).execute())
        .compose(rows -> {
          Campaigns.put(entries(rows), put, replacing, now, mustBeInForce);
          Future<?> gone = replacing == null || replacing.equals(put.id()) ? Future.succeededFuture()
              : conn.preparedQuery(PgSql.DELETE_CAMPAIGN).execute(Tuple.of(replacing));
          return gone.compose(x -> conn.preparedQuery(PgSql.PUT_CAMPAIGN).execute(params));
        })
        .map(rows -> new Campaigns.Entry(put.id(), put.name(), put.start(), put.end(),
            put.startMillis(), put.endMillis(), rows.iterator().next().getLong(0))))
        .andThen(ar -> {
          if (ar.succeeded()) listener.notify("kpis");
        })
        .recover(err -> Future.failedFuture(refusedOr(err, "cannot keep the campaign")));
  }

  @Override
  public Future<Void> deleteCampaign(String id, long now) {
    return pool.withTransaction(conn -> conn.query(PgSql.LOCK_CAMPAIGNS).execute()
        .compose(v -> conn.query(PgSql.CAMPAIGNS).execute())
        .compose(rows -> {
          Campaigns.delete(entries(rows), id, now);
          return conn.preparedQuery(PgSql.DELETE_CAMPAIGN).execute(Tuple.of(id));
        }))
        .<Void>mapEmpty()
        .andThen(ar -> {
          if (ar.succeeded()) listener.notify("kpis");
        })
        .recover(err -> Future.failedFuture(refusedOr(err, "cannot delete the campaign")));
  }

  /** A refusal of the calendar's rules as it is; anything else is the database's failure. */
  private static Throwable refusedOr(Throwable err, String what) {
    return err instanceof Campaigns.Refused || err instanceof PlanException ? err
        : unavailable(what, err);
  }

  @Override
  public Future<Void> putPlan(Plan plan) {
    String body = PlanParser.toJson(plan).toString();
    return pool.preparedQuery(PgSql.PUT_PLAN).execute(Tuple.of(body)).map(rows -> {
      planRow = Math.max(planRow, rows.iterator().next().getLong(0));
      listener.notify("kpis");
      return (Void) null;
    }).recover(err -> Future.failedFuture(unavailable("cannot keep the plan", err)));
  }

  @Override
  public int node() {
    return node;
  }

  @Override
  public long lagMillis() {
    return tail == null ? 0 : tail.lagMillis();
  }

  @Override
  public long replicated() {
    return tail == null ? 0 : tail.folded();
  }

  @Override
  public Future<Void> ping() {
    return pool.query(PgSql.PING).execute().<Void>mapEmpty()
        .timeout(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(unavailable("PostgreSQL does not answer", err)));
  }

  /**
   * Options for a connection that holds session state (LISTEN, an advisory lock): the session URL's
   * when one is set, else the pool's.
   */
  public PgConnectOptions sessionOptions() {
    return session;
  }

  /** Tells the other nodes that this one kept something under {@code topic}. */
  public void announce(String topic) {
    listener.notify(topic);
  }

  /** Runs {@code wake} when another node announces {@code topic}, and after every reconnect. */
  public void onAnnounce(String topic, Runnable wake) {
    listener.on(topic, wake);
  }

  /** Stops reading. */
  @Override
  public Future<Void> close() {
    if (settleTimer >= 0) vertx.cancelTimer(settleTimer);
    if (pollTimer >= 0) vertx.cancelTimer(pollTimer);
    Future<Void> unlistened = listener == null ? Future.succeededFuture() : listener.close();
    return unlistened.transform(ar -> pool.close());
  }

  /** The pool, shared by the alert and team logs in the same database. */
  public Pool pool() {
    return pool;
  }

  /** The server ended the session (restart, shutdown, admin): the statement's fate is unknown. */
  private static boolean connectionLost(PgException e) {
    String s = e.getSqlState();
    return s != null && (s.startsWith("08") || s.startsWith("57P"));
  }

  /**
   * Refusals that say nothing about the batch itself, so retrying later is right: lost or refused
   * connections (08, 57), conflicts (40), resources such as a full disk (53), locks (55), a
   * read-only server (25), system errors (58).
   */
  private static boolean retryable(PgException e) {
    String s = e.getSqlState();
    if (s == null) return true;
    return switch (s.substring(0, 2)) {
      case "08", "25", "40", "53", "55", "57", "58" -> true;
      default -> false;
    };
  }

  private static StoreUnavailableException unavailable(String what, Throwable cause) {
    if (cause instanceof StoreUnavailableException u) return u;
    String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new StoreUnavailableException(what + ": " + detail, cause);
  }
}
