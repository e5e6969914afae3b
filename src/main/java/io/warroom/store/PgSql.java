package io.warroom.store;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.vertx.core.json.JsonArray;
import io.warroom.ingest.Rec;
import io.warroom.ingest.RecordType;
import io.warroom.kpi.Rollup;
import io.warroom.measure.Sum;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The SQL of the PostgreSQL store, with its parameters and row readers. Schema: db/migration. */
final class PgSql {
  private PgSql() {}

  /**
   * One statement per batch. Rows go in (type, id) order so that two batches that overlap take
   * their key locks in the same order and cannot deadlock; RETURNING answers only the rows that
   * were new, so the duplicates are what the database did not return.
   */
  static final String APPEND = """
      INSERT INTO records (type, id, ts, amount_cents, customer_id, channel, new_customer,
          ad_channel, cost_cents, discount_cents, order_id, category, impressions, clicks,
          sessions, score, sku, product_category, region, segment, tags, quantity, experiment,
          variant, name, value, batch, node, pos)
      SELECT r.type, r.id, r.ts, r.amount_cents, r.customer_id, r.channel, r.new_customer,
          r.ad_channel, r.cost_cents, r.discount_cents, r.order_id, r.category, r.impressions,
          r.clicks, r.sessions, r.score, r.sku, r.product_category, r.region, r.segment,
          CASE WHEN r.tags IS NULL THEN NULL
            ELSE ARRAY(SELECT jsonb_array_elements_text(r.tags::jsonb)) END,
          r.quantity, r.experiment, r.variant, r.name, r.value, $27::uuid, $28::int4, r.pos
      FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int8[], $5::text[], $6::text[],
          $7::bool[], $8::text[], $9::int8[], $10::int8[], $11::text[], $12::text[], $13::int8[],
          $14::int8[], $15::int4[], $16::int2[], $17::text[], $18::text[], $19::text[],
          $20::text[], $21::text[], $22::int4[], $23::text[], $24::text[], $25::text[],
          $26::int8[], $29::int4[])
        AS r(type, id, ts, amount_cents, customer_id, channel, new_customer, ad_channel,
          cost_cents, discount_cents, order_id, category, impressions, clicks, sessions, score,
          sku, product_category, region, segment, tags, quantity, experiment, variant, name, value,
          pos)
      ORDER BY r.type COLLATE "C", r.id COLLATE "C"
      ON CONFLICT (type, id) DO NOTHING
      RETURNING type, id""";

  /** Which of the given (type, id) rows were kept by the given batch. */
  static final String KEPT_BY = """
      SELECT r.type, r.id, r.batch
      FROM records r
      JOIN unnest($1::text[], $2::text[], $3::uuid[]) AS k(type, id, batch)
        ON r.type = k.type AND r.id = k.id AND r.batch = k.batch""";

  /** A read of several statements that sees one consistent cut (the rebuild, the alert log). */
  static final String READ_ONE_SNAPSHOT =
      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

  /** Room for the rebuild's hash aggregates (per customer), so that they need not spill to disk. */
  static final String REBUILD_MEMORY = "SET LOCAL work_mem = '256MB'";

  /**
   * A row's place in the order records were kept: its transaction, then its position in the
   * request (rows without an xid, restored ones, first; rows kept before positions, by key).
   */
  static final String FIRST = "ARRAY[coalesce(xid::text::int8, -1), coalesce(pos, 0)::int8]";

  /**
   * Plan-period sums per period hour ($1 = plan start, $2 = plan end), in the order their first
   * records were kept ({@link #FIRST}): the aggregator tells apart the first channels it meets (up
   * to its cap), so a rebuild meets them as ingest did.
   */
  static final String CAMPAIGN_ROLLUPS = """
      SELECT date_bin('1 hour', ts, $1) AS hour, type, channel, ad_channel, category, score,
          count(*), sum(amount_cents), sum(sessions::int8),
          count(*) FILTER (WHERE cost_cents IS NOT NULL),
          coalesce(sum(amount_cents) FILTER (WHERE cost_cents IS NOT NULL), 0),
          coalesce(sum(cost_cents), 0)
      FROM records
      WHERE ts >= $1 AND ts < $2
      GROUP BY 1, 2, 3, 4, 5, 6
      ORDER BY min(%FIRST%), channel COLLATE "C", ad_channel COLLATE "C"
      """.replace("%FIRST%", FIRST);

  /** Orders per customer in the plan period, and how many of them were new-customer orders. */
  static final String CAMPAIGN_CUSTOMERS = """
      SELECT customer_id, count(*), count(*) FILTER (WHERE new_customer)
      FROM records
      WHERE type = 'order' AND ts >= $1 AND ts < $2
      GROUP BY customer_id""";

  /**
   * Plan-period sums per breakdown key ($1, $2 the period): orders, gross amount, units and, for
   * regions, visit sessions; per dimension in the order keys were first kept, the first 10,000
   * one by one (and past them the focus targets' keys, $3 dimensions and $4 keys), the rest as
   * one row with a null key.
   */
  static final String BREAKDOWN_ROLLUPS = """
      WITH g AS (
        SELECT CASE WHEN GROUPING(sku) = 0 THEN 'sku'
              WHEN GROUPING(product_category) = 0 THEN 'productCategory'
              WHEN GROUPING(region) = 0 THEN 'region' ELSE 'segment' END AS d,
            coalesce(sku, product_category, region, segment) AS key,
            count(*) FILTER (WHERE type = 'order') AS orders,
            coalesce(sum(amount_cents) FILTER (WHERE type = 'order'), 0) AS revenue,
            coalesce(sum(coalesce(quantity, 1)::int8) FILTER (WHERE type = 'order'), 0) AS units,
            coalesce(sum(sessions::int8) FILTER (WHERE type = 'visit'), 0) AS sessions,
            min(%FIRST%) AS first
        FROM records
        WHERE type IN ('order', 'visit') AND ts >= $1 AND ts < $2
        GROUP BY GROUPING SETS ((sku), (product_category), (region), (segment))
        HAVING coalesce(sku, product_category, region, segment) IS NOT NULL
        UNION ALL
        SELECT 'tag', t.key, count(*), sum(r.amount_cents), sum(coalesce(r.quantity, 1)::int8), 0,
            min(%FIRST%)
        FROM records r CROSS JOIN LATERAL unnest(r.tags) AS t(key)
        WHERE r.type = 'order' AND r.ts >= $1 AND r.ts < $2 AND r.tags IS NOT NULL
        GROUP BY t.key),
      n AS (
        SELECT g.*, row_number() OVER (PARTITION BY d ORDER BY first, key COLLATE "C")
            AS rn,
          (d, key) IN (SELECT * FROM unnest($3::text[], $4::text[])) AS focus
        FROM g)
      SELECT d, key, orders, revenue, units, sessions, rn FROM n WHERE rn <= 10000 OR focus
      UNION ALL
      SELECT d, NULL, sum(orders)::int8, sum(revenue), sum(units), sum(sessions), 10001
      FROM n WHERE rn > 10000 AND NOT focus GROUP BY d
      ORDER BY 1, 7""".replace("%FIRST%", FIRST);

  /** Sums per bin (the expression {@code %s}) of the records the WHERE that follows keeps. */
  private static final String SUMS = """
      SELECT %s AS bin, type, channel, ad_channel,
          category, score, count(*), sum(amount_cents), sum(sessions::int8),
          count(*) FILTER (WHERE cost_cents IS NOT NULL),
          coalesce(sum(amount_cents) FILTER (WHERE cost_cents IS NOT NULL), 0),
          coalesce(sum(cost_cents), 0)
      FROM records
      """;

  private static final String MINUTE_BIN = "date_bin('1 minute', ts, TIMESTAMPTZ 'epoch')";

  /** Epoch minutes before $2, epoch seconds from $2 on (the seconds last1h and last15m keep). */
  private static final String RECENT_BIN = "date_bin(CASE WHEN ts >= $2 THEN INTERVAL '1 second'"
      + " ELSE INTERVAL '1 minute' END, ts, TIMESTAMPTZ 'epoch')";

  /** Sums per recent bin from $1 on (the hours, minutes and seconds the windows and charts keep). */
  static final String RECENT_ROLLUPS = SUMS.formatted(RECENT_BIN) + """
      WHERE ts >= $1
      GROUP BY 1, 2, 3, 4, 5, 6""";

  /** Orders per recent bin and customer from $1 on. */
  static final String RECENT_CUSTOMERS = """
      SELECT %s AS bin, customer_id, count(*), count(*) FILTER (WHERE new_customer)
      FROM records
      WHERE type = 'order' AND ts >= $1
      GROUP BY 1, 2""".formatted(RECENT_BIN);

  /**
   * Plan-period orders and visits of the declared experiments ($3), per experiment, variant and
   * type: their count and the sums of their amounts and sessions (CONTRACT section 12).
   */
  static final String EXPERIMENT_ROLLUPS = """
      SELECT experiment, variant, type, count(*), sum(amount_cents), sum(sessions::int8)
      FROM records
      WHERE ts >= $1 AND ts < $2 AND experiment = ANY($3::text[]) AND type IN ('order', 'visit')
      GROUP BY 1, 2, 3""";

  /** Previous-period sums per epoch minute ($1 = its start, $2 = its end). */
  static final String PREVIOUS_ROLLUPS = SUMS.formatted(MINUTE_BIN) + """
      WHERE ts >= $1 AND ts < $2 AND type <> 'count'
      GROUP BY 1, 2, 3, 4, 5, 6""";

  /**
   * Orders of the focus targets' keys ($3 dimensions, $4 keys) from $1 to $2 in bins of $5
   * minutes from $1 (the previous period by minute, this one by hour): count, gross cents, units.
   */
  static final String FOCUS_ROLLUPS = """
      SELECT date_bin(make_interval(mins => $5), r.ts, $1) AS bin, f.d, f.k, count(*),
          sum(r.amount_cents), sum(coalesce(r.quantity, 1)::int8)
      FROM (SELECT DISTINCT d, k FROM unnest($3::text[], $4::text[]) AS u(d, k)) f
      JOIN records r ON r.type = 'order' AND r.ts >= $1 AND r.ts < $2 AND CASE f.d
          WHEN 'sku' THEN r.sku = f.k
          WHEN 'productCategory' THEN r.product_category = f.k
          WHEN 'region' THEN r.region = f.k
          WHEN 'segment' THEN r.segment = f.k
          ELSE f.k = ANY(r.tags) END
      GROUP BY 1, 2, 3""";

  /**
   * Per customer of the previous period: the time of their first order, of their second (null:
   * one order) and of their first new-customer order (null: none).
   */
  static final String PREVIOUS_CUSTOMERS = """
      SELECT customer_id, min(ts), (array_agg(ts ORDER BY ts))[2],
          min(ts) FILTER (WHERE new_customer)
      FROM records
      WHERE type = 'order' AND ts >= $1 AND ts < $2
      GROUP BY customer_id""";

  /** Counter sums per period hour and name ($1 = plan start, $2 = plan end). */
  static final String CAMPAIGN_COUNTS = """
      SELECT date_bin('1 hour', ts, $1) AS hour, name, sum(value)
      FROM records
      WHERE type = 'count' AND ts >= $1 AND ts < $2
      GROUP BY 1, 2""";

  /** Counter sums per recent bin and name from $1 on. */
  static final String RECENT_COUNTS = """
      SELECT %s AS bin, name, sum(value)
      FROM records
      WHERE type = 'count' AND ts >= $1
      GROUP BY 1, 2""".formatted(RECENT_BIN);

  /** How many milliseconds ago (by the database's clock) the newest record was kept, or null. */
  static final String KEPT_AGO = """
      SELECT (extract(epoch FROM clock_timestamp() - max(kept_at)) * 1000)::int8
      FROM records WHERE kept_at IS NOT NULL""";

  /** The newest record time in the period ($1 to $2) and from $3 on (two reads of records_ts). */
  static final String NEWEST = """
      SELECT (SELECT max(ts) FROM records WHERE ts >= $1 AND ts < $2),
             (SELECT max(ts) FROM records WHERE ts >= $3)""";

  /** Serializes the admission of counter names across nodes (released at commit). */
  static final String LOCK_COUNTER_NAMES = "SELECT pg_advisory_xact_lock(17, 10)";

  /**
   * Admits the new names of $1 (in their order) while fewer than $2 exist, then answers which of
   * $1 are admitted.
   */
  static final String ADMIT_COUNTERS = """
      WITH added AS (
        INSERT INTO counter_names (name)
        SELECT n.name FROM unnest($1::text[]) WITH ORDINALITY AS n(name, i)
        WHERE NOT EXISTS (SELECT 1 FROM counter_names c WHERE c.name = n.name)
        ORDER BY n.i
        LIMIT greatest(0, $2 - (SELECT count(*) FROM counter_names))
        ON CONFLICT DO NOTHING
        RETURNING name)
      SELECT name FROM added
      UNION
      SELECT name FROM counter_names WHERE name = ANY($1::text[])""";

  static final String PING = "SELECT 1";

  /** A node's number, new at every start: the rows it keeps carry it. */
  static final String NEXT_NODE = "SELECT nextval('node_ids')::int4";

  /** The record columns, in the order {@link #rec} reads them. */
  private static final String REC_COLUMNS = "type, id, ts, amount_cents, customer_id, channel, "
      + "new_customer, ad_channel, cost_cents, discount_cents, order_id, category, impressions, "
      + "clicks, sessions, score, sku, product_category, region, segment, tags, quantity, "
      + "experiment, variant, name, value";

  /**
   * Where a tail read may go: the snapshot of now (TailCursor), and the newest xid kept (null when
   * none; past the snapshot's xmax, the rows come from another cluster). Reads the xid index.
   */
  static final String TAIL_MARK = "SELECT pg_current_snapshot()::text, (SELECT max(xid) FROM records)::text";

  /**
   * A page of a tail step (TailCursor), by transaction, at most $6 rows: from xid $1, the rows of
   * other nodes ($5 this node) visible in the step's snapshot $2 and not in the one seen before:
   * those from its xmax $3 on, and those of the transactions it saw running ($4). Two index
   * ranges, never the rows since the oldest running transaction (PgIndexTest).
   */
  static final String TAIL = TailCursor.step("xid::text AS tx, " + REC_COLUMNS + ", pos, xid AS x",
      "records", " AND node IS DISTINCT FROM $5", "x", " LIMIT $6");

  /** Every record of one transaction ($1) that is not this node's ($2). */
  static final String TAIL_ONE = "SELECT xid::text AS tx, " + REC_COLUMNS + ", pos FROM records "
      + "WHERE xid = $1::text::xid8 AND node IS DISTINCT FROM $2";

  /** The calendar of campaigns (section 13) by start; periods as epoch ms. */
  static final String CAMPAIGNS = "SELECT id, name, start_date, end_date,"
      + " (extract(epoch FROM starts) * 1000)::bigint, (extract(epoch FROM ends) * 1000)::bigint,"
      + " version FROM campaigns ORDER BY starts, id";

  /** One campaign with its plan ($1 its id), columns as {@link #CAMPAIGNS} and the body. */
  static final String CAMPAIGN = "SELECT id, name, start_date, end_date,"
      + " (extract(epoch FROM starts) * 1000)::bigint, (extract(epoch FROM ends) * 1000)::bigint,"
      + " version, body FROM campaigns WHERE id = $1";

  /** Held by puts and deletes of campaigns, so that overlaps are checked against every node's. */
  static final String LOCK_CAMPAIGNS = "SELECT pg_advisory_xact_lock(17, 11)";

  static final String PUT_CAMPAIGN = "INSERT INTO campaigns"
      + " (id, name, start_date, end_date, starts, ends, body, version)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7, nextval('campaign_versions'))"
      + " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, start_date = EXCLUDED.start_date,"
      + " end_date = EXCLUDED.end_date, starts = EXCLUDED.starts, ends = EXCLUDED.ends,"
      + " body = EXCLUDED.body, version = EXCLUDED.version, put_at = now() RETURNING version";

  static final String DELETE_CAMPAIGN = "DELETE FROM campaigns WHERE id = $1";

  /** Changes with every put (the version grows) and delete (the count drops); then the newest repair. */
  static final String CAMPAIGNS_STAMP = "SELECT coalesce(max(version), 0), count(*), "
      + "(SELECT coalesce(max(id), 0) FROM restore_repairs) FROM campaigns";

  /** The newest plan put through the API after $1 (its row id). */
  static final String PLAN_AFTER = "SELECT id, body FROM plans WHERE id > $1 ORDER BY id DESC LIMIT 1";

  static final String PUT_PLAN = "INSERT INTO plans (body) VALUES ($1) RETURNING id";

  /** The parameters of {@link #APPEND}: one array per column, the fields a type lacks as null. */
  static Tuple appendParams(List<Rec> records, UUID batch, int node) {
    int n = records.size();
    String[] type = new String[n];
    String[] id = new String[n];
    OffsetDateTime[] ts = new OffsetDateTime[n];
    Long[] amount = new Long[n];
    String[] customer = new String[n];
    String[] channel = new String[n];
    Boolean[] newCustomer = new Boolean[n];
    String[] adChannel = new String[n];
    Long[] cost = new Long[n];
    Long[] discount = new Long[n];
    String[] orderId = new String[n];
    String[] category = new String[n];
    Long[] impressions = new Long[n];
    Long[] clicks = new Long[n];
    Integer[] sessions = new Integer[n];
    Short[] score = new Short[n];
    String[] sku = new String[n];
    String[] productCategory = new String[n];
    String[] region = new String[n];
    String[] segment = new String[n];
    String[] tags = new String[n];
    Integer[] quantity = new Integer[n];
    String[] experiment = new String[n];
    String[] variant = new String[n];
    String[] name = new String[n];
    Long[] value = new Long[n];
    Integer[] pos = new Integer[n];
    for (int i = 0; i < n; i++) {
      Rec r = records.get(i);
      pos[i] = i;
      type[i] = r.type.wire;
      id[i] = r.id;
      ts[i] = time(r.ts);
      amount[i] = r.amountCents;
      customer[i] = r.customerId;
      channel[i] = r.channel;
      newCustomer[i] = r.newCustomer;
      adChannel[i] = r.adChannel;
      cost[i] = r.costCents;
      discount[i] = r.discountCents;
      orderId[i] = r.orderId;
      category[i] = r.category;
      impressions[i] = r.impressions;
      clicks[i] = r.clicks;
      sessions[i] = r.type == RecordType.VISIT ? r.sessions : null;
      score[i] = r.type == RecordType.NPS ? (short) r.score : null;
      Rec.Extra e = r.extra;
      if (e != null) {
        sku[i] = e.sku();
        productCategory[i] = e.productCategory();
        region[i] = e.region();
        segment[i] = e.segment();
        tags[i] = e.tags() == null ? null : new JsonArray(e.tags()).encode();
        quantity[i] = r.type == RecordType.ORDER && e.quantity() != 1 ? e.quantity() : null;
        experiment[i] = e.experiment();
        variant[i] = e.variant();
      }
      if (r.type == RecordType.COUNT) {
        name[i] = r.name;
        value[i] = r.value;
      }
    }
    return Tuple.from(new Object[] {type, id, ts, amount, customer, channel, newCustomer,
        adChannel, cost, discount, orderId, category, impressions, clicks, sessions, score, sku,
        productCategory, region, segment, tags, quantity, experiment, variant, name, value, batch,
        node, pos});
  }

  /** The parameters of {@link #KEPT_BY}: the key of every record of each batch, with the batch. */
  static Tuple keptByParams(List<PgStore.Pending> batches) {
    List<String> type = new ArrayList<>();
    List<String> id = new ArrayList<>();
    List<UUID> batch = new ArrayList<>();
    for (PgStore.Pending p : batches) {
      for (Rec r : p.records()) {
        type.add(r.type.wire);
        id.add(r.id);
        batch.add(p.batch());
      }
    }
    return Tuple.of(type.toArray(new String[0]), id.toArray(new String[0]),
        batch.toArray(new UUID[0]));
  }

  /** A record's duplicate key from a row whose first two columns are type and id. */
  static String key(Row row) {
    return row.getString(0) + '\u0000' + row.getString(1);
  }

  /**
   * A rollup from the columns type, channel, ad_channel, category, score, count, sums, costed
   * count, costed amount and cost at {@code at}.
   */
  static Rollup rollup(Row row, int at) {
    Short score = row.getShort(at + 4);
    return new Rollup(RecordType.ofWire(row.getString(at)), row.getString(at + 1),
        row.getString(at + 2), row.getString(at + 3), score == null ? 0 : score,
        row.getLong(at + 5), sum(row, at + 6), sum(row, at + 7), row.getLong(at + 8),
        sum(row, at + 9), sum(row, at + 10));
  }

  /** A numeric sum (PostgreSQL's sum of bigint never overflows: it is numeric), or zero for null. */
  static Sum sum(Row row, int column) {
    BigDecimal n = row.getBigDecimal(column);
    return n == null ? new Sum() : Sum.of(n.toBigIntegerExact());
  }

  /** A record from the columns of {@link #REC_COLUMNS} at {@code at}. */
  static Rec rec(Row row, int at) {
    Short score = row.getShort(at + 15);
    Integer sessions = row.getInteger(at + 14);
    String[] tags = row.getArrayOfStrings(at + 20);
    Integer quantity = row.getInteger(at + 21);
    Rec.Extra extra = new Rec.Extra(row.getString(at + 16), row.getString(at + 17),
        row.getString(at + 18), row.getString(at + 19), tags == null ? null : List.of(tags),
        quantity == null ? 1 : quantity, row.getString(at + 22), row.getString(at + 23));
    Long value = row.getLong(at + 25);
    return new Rec(RecordType.ofWire(row.getString(at)), row.getString(at + 1), millis(row, at + 2),
        row.getLong(at + 3), row.getString(at + 4), row.getString(at + 5), row.getBoolean(at + 6),
        row.getString(at + 7), row.getLong(at + 8), row.getLong(at + 9), row.getString(at + 10),
        row.getString(at + 11), row.getLong(at + 12), row.getLong(at + 13),
        sessions == null ? 0 : sessions, score == null ? 0 : score, extra, row.getString(at + 24),
        value == null ? 0 : value);
  }

  static long millis(Row row, int column) {
    return row.getOffsetDateTime(column).toInstant().toEpochMilli();
  }

  static OffsetDateTime time(long millis) {
    return Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC);
  }
}
