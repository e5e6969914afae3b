package io.warroom.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The calendar of campaigns (CONTRACT section 13): plans by period, none overlapping another. Pure
 * rules shared by both stores; the stores keep the entries and apply these under their own lock.
 */
public final class Campaigns {
  /** Campaigns kept at most. */
  public static final int MAX = 500;
  private static final Pattern ID = Pattern.compile("[a-z0-9_.-]{1,64}");

  private Campaigns() {}

  /**
   * One campaign of the calendar. {@code name} is the plan's name as JSON; {@code version} grows
   * with every put, so a campaign put again with the same id is told apart.
   */
  public record Entry(String id, String name, String start, String end, long startMillis,
      long endMillis, long version) {
    public static Entry of(Plan plan, long version) {
      return new Entry(plan.id(), PlanParser.json(plan.name()).toString(), plan.start().toString(),
          plan.end().toString(), plan.startMillis(), plan.endMillis(), version);
    }

    public String state(long now) {
      return now >= endMillis ? "past" : now >= startMillis ? "current" : "upcoming";
    }

    boolean overlaps(Entry o) {
      return startMillis < o.endMillis && o.startMillis < endMillis;
    }
  }

  /** A campaign's entry and its plan. */
  public record Stored(Entry entry, Plan plan) {}

  /** A put or delete the calendar refuses: {@code status} 409 or 404, or 400 naming {@code field}. */
  public static final class Refused extends RuntimeException {
    private final int status;

    public Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** Whether {@code id} is one a campaign may have. */
  public static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** Refuses an id outside 1-64 characters of a-z, 0-9, '_', '.', '-' (400 naming the field). */
  public static void checkId(String id, String field) {
    if (!validId(id)) {
      throw new PlanException(field, "a campaign id is 1 to 64 characters of a-z, 0-9, '_', '.' and '-'",
          "活动 id 为 1 到 64 个字符，只能包含 a-z、0-9、“_”、“.”和“-”");
    }
  }

  /**
   * The calendar after putting {@code put} in place of the campaign {@code replacing} (null: of the
   * same id, if kept), by start. Refused when its period overlaps another's (409 naming it), when
   * the calendar is full, or, with {@code mustBeInForce}, when it would not be the plan in force at
   * {@code now}.
   */
  public static List<Entry> put(List<Entry> all, Entry put, String replacing, long now,
      boolean mustBeInForce) {
    checkId(put.id(), "id");
    String gone = replacing == null ? put.id() : replacing;
    List<Entry> out = new ArrayList<>(all.size() + 1);
    for (Entry e : all) {
      if (e.id().equals(gone) || e.id().equals(put.id())) {
        if (!e.id().equals(gone)) {
          throw new Refused(409, "campaign '" + put.id() + "' exists already; put it with"
              + " PUT /api/v1/campaigns/" + put.id());
        }
        continue;
      }
      if (e.overlaps(put)) {
        throw new Refused(409, "the period " + put.start() + " to " + put.end()
            + " overlaps campaign '" + e.id() + "' (" + e.start() + " to " + e.end() + ")");
      }
      out.add(e);
    }
    if (out.size() >= MAX) {
      throw new Refused(409, "the calendar holds " + MAX + " campaigns, the most it keeps;"
          + " delete an upcoming one first");
    }
    out.add(put);
    out.sort(Comparator.comparingLong(Entry::startMillis));
    if (mustBeInForce) {
      Entry wins = inForce(out, now);
      if (wins == null || !wins.id().equals(put.id())) {
        throw new Refused(409, "the period " + put.start() + " to " + put.end() + " would not be"
            + " in force now (" + (wins == null ? "no campaign would" : "campaign '" + wins.id()
            + "' would") + "): put it with PUT /api/v1/campaigns/" + put.id());
      }
    }
    return out;
  }

  /** The calendar without the upcoming campaign {@code id}: 404 unknown, 409 when not upcoming. */
  public static List<Entry> delete(List<Entry> all, String id, long now) {
    List<Entry> out = new ArrayList<>(all);
    for (Entry e : all) {
      if (!e.id().equals(id)) continue;
      if (!e.state(now).equals("upcoming")) {
        throw new Refused(409, "campaign '" + id + "' is " + e.state(now)
            + "; only an upcoming campaign can be deleted");
      }
      out.remove(e);
      return out;
    }
    throw new Refused(404, "no campaign '" + id + "'");
  }

  /**
   * The campaign in force at {@code now}: the one whose period holds it, else the latest past one,
   * else null (the configured plan is in force).
   */
  public static Entry inForce(List<Entry> all, long now) {
    Entry past = null;
    for (Entry e : all) {
      if (e.startMillis() <= now && now < e.endMillis()) return e;
      if (e.endMillis() <= now && (past == null || e.endMillis() > past.endMillis())) past = e;
    }
    return past;
  }

  /** The first moment after {@code now} at which a period starts or ends (MAX_VALUE: none). */
  public static long nextChange(List<Entry> all, long now) {
    long next = Long.MAX_VALUE;
    for (Entry e : all) {
      if (e.startMillis() > now) next = Math.min(next, e.startMillis());
      if (e.endMillis() > now) next = Math.min(next, e.endMillis());
    }
    return next;
  }
}
