package io.warroom.store;

/**
 * A reader's place in a table tailed by the {@code xid8} of the transaction that wrote each row.
 * Every row with an xid below {@link #from} has been read. A read takes only rows below the
 * {@code pg_snapshot_xmin} of its own statement, older than every transaction still running, so
 * a row whose transaction commits late is read late but never skipped.
 *
 * <p>After a load from a snapshot the cursor starts at that snapshot's xmin and, until it passes
 * the snapshot's xmax, skips the rows the snapshot already saw.
 */
public final class XidCursor {
  /** Opens a read that sees one snapshot throughout. */
  public static final String READ_ONE_SNAPSHOT = PgSql.READ_ONE_SNAPSHOT;

  /** The rows of a tail read: {@code xid >= $from AND xid < $xmin}, minus what the load saw. */
  public static final String RANGE = "xid >= $1::text::xid8 AND xid < $2::text::xid8 "
      + "AND ($3::text IS NULL OR NOT pg_visible_in_snapshot(xid, $3::text::pg_snapshot))";

  /** The xmin of the statement's snapshot: rows below it are final. */
  public static final String XMIN = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text";

  /** The snapshot of the transaction it runs in, to hand to {@link #reset}. */
  public static final String SNAPSHOT = "SELECT pg_current_snapshot()::text";

  private long from;
  private String snapshot;
  private long snapshotXmax;

  /** Starts after a load that read {@code snapshot} (the text of a pg_snapshot). */
  public void reset(String pgSnapshot) {
    String[] parts = pgSnapshot.split(":", 3);
    from = Long.parseLong(parts[0]);
    snapshotXmax = Long.parseLong(parts[1]);
    snapshot = pgSnapshot;
  }

  public long from() {
    return from;
  }

  /** The load's snapshot while rows it saw may still lie ahead, else null. */
  public String snapshot() {
    return snapshot;
  }

  /** Everything below {@code xid} has been read. */
  public void advance(long xid) {
    if (xid <= from) return;
    from = xid;
    if (from >= snapshotXmax) snapshot = null;
  }
}
