package io.warroom.kpi;

import com.fasterxml.jackson.core.JsonGenerator;
import io.warroom.measure.Kpi;
import java.io.IOException;
import java.util.TreeSet;

/**
 * The snapshot's `counters` (CONTRACT section 10): each counter's sum over the campaign, today,
 * last1h and last15m windows, by name in order. At most {@link #MAX_NAMES} names exist at all (the
 * store refuses a new one past that), so the section stays small.
 */
public final class Counters implements Section {
  /** Distinct counter names the stores keep apart; a new name past this is a rejected row. */
  public static final int MAX_NAMES = 100;
  public static final Counters SECTION = new Counters();

  private Counters() {}

  @Override
  public String name() {
    return "counters";
  }

  @Override
  public void write(JsonGenerator g, Figures f) throws IOException {
    Aggregator a = f.agg();
    TreeSet<String> names = new TreeSet<>(a.campaign().counts().keySet());
    names.addAll(a.today().counts().keySet());
    names.addAll(a.last1h().counts().keySet());
    names.addAll(a.last15m().counts().keySet());
    g.writeStartObject();
    for (String n : names) {
      g.writeObjectFieldStart(n);
      g.writeFieldName("campaign");
      SnapshotWriter.number(g, Kpi.count(a.campaign().count(n)));
      g.writeFieldName("today");
      SnapshotWriter.number(g, Kpi.count(a.today().count(n)));
      g.writeFieldName("last1h");
      SnapshotWriter.number(g, Kpi.count(a.last1h().count(n)));
      g.writeFieldName("last15m");
      SnapshotWriter.number(g, Kpi.count(a.last15m().count(n)));
      g.writeEndObject();
    }
    g.writeEndObject();
  }
}
