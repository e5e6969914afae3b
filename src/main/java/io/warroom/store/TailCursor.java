package io.warroom.store;

/**
 * Where the tail of other nodes' records stands, by the {@code pg_snapshot} of each read: every
 * row with an xid below {@link #from} has been read, and so has every row at or past it that was
 * visible in the snapshot seen last. A read (a step) takes a new snapshot and reads the rows
 * visible in it and not in the one seen: those of transactions that were still running then (its
 * xip list) and have committed since, and those from its xmax to the new xmax. A transaction that
 * stays open (a pg_dump, another database's long query) holds back none of the rows committed
 * after it began; its own rows come when it commits.
 *
 * <p>A step reads in pages ({@link #pageFrom}); one that fails part way is taken up again with
 * its own snapshot, so no row is read twice.
 */
public final class TailCursor {
  /** Opens a read that sees one snapshot throughout. */
  public static final String READ_ONE_SNAPSHOT = PgSql.READ_ONE_SNAPSHOT;

  /** The snapshot of now (of the transaction it runs in), to hand to {@link #reset} or {@link #begin}. */
  public static final String SNAPSHOT = "SELECT pg_current_snapshot()::text";

  /**
   * The rows of {@code table} that a step reads, as two index ranges of its xid column: from xid
   * $1, visible in the step's snapshot $2, from the seen snapshot's xmax $3 on, or among the xids
   * it saw running ($4); {@code where} adds a condition. Ordered by {@code order}.
   */
  public static String step(String columns, String table, String where, String order, String limit) {
    String part = "SELECT " + columns + " FROM " + table + " WHERE %s"
        + " AND pg_visible_in_snapshot(xid, $2::text::pg_snapshot)" + where
        + " ORDER BY xid" + limit;
    return "SELECT * FROM (("
        + part.formatted("xid >= greatest($1::text::xid8, $3::text::xid8) "
            + "AND xid < pg_snapshot_xmax($2::text::pg_snapshot)")
        + ") UNION ALL ("
        + part.formatted("xid = ANY($4::text[]::xid8[]) AND xid >= $1::text::xid8")
        + ")) step ORDER BY " + order + limit;
  }

  private long from;
  /** The snapshot seen last; before any, one that saw nothing. */
  private Snapshot seenAt = new Snapshot(0, 0, new String[0]);
  /** The snapshot of the step under way, else null. */
  private String step;
  private Snapshot stepAt;
  private long pageFrom;

  /** A pg_snapshot's text, "xmin:xmax:xip,xip". */
  public record Snapshot(long xmin, long xmax, String[] xip) {
    public static Snapshot parse(String text) {
      String[] parts = text.split(":", 3);
      String list = parts.length > 2 ? parts[2] : "";
      return new Snapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
          list.isEmpty() ? new String[0] : list.split(","));
    }
  }

  /** Starts after a load that read everything visible in {@code snapshot}. */
  public void reset(String snapshot) {
    seenAt = Snapshot.parse(snapshot);
    from = seenAt.xmin();
    step = null;
    stepAt = null;
  }

  public long from() {
    return from;
  }

  /** Begins a step with {@code snapshot} unless one is under way; whether one was. */
  public boolean begin(String snapshot) {
    if (step != null) return true;
    step = snapshot;
    stepAt = Snapshot.parse(snapshot);
    pageFrom = from;
    return false;
  }

  /** The step's lowest xid still to read. */
  public long pageFrom() {
    return pageFrom;
  }

  /** Rows below {@code xid} of this step are read. */
  void pageTo(long xid) {
    pageFrom = Math.max(pageFrom, xid);
  }

  /** The step is read whole: its snapshot becomes the one seen. */
  public void finish() {
    seenAt = stepAt;
    from = Math.max(from, stepAt.xmin());
    step = null;
    stepAt = null;
  }

  /** The step's snapshot. */
  public String step() {
    return step;
  }

  /** Where the new xids of the step begin: the seen snapshot's xmax. */
  public long newFrom() {
    return seenAt.xmax();
  }

  /** Xids running at the seen snapshot, which may have committed since. */
  public String[] running() {
    return seenAt.xip();
  }
}
