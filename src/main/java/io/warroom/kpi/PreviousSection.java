package io.warroom.kpi;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;

/**
 * The previous period's windows (CONTRACT section 13). GET /api/v1/kpis writes them inside
 * `windows`; the stream sends them as the `previous` event, `{"previous": {...},
 * "previousToDate": {...}}`, which changes once a minute at most (and when a late record of the
 * previous period arrives), not with every push.
 */
public final class PreviousSection implements Section {
  public static final String NAME = "previous";
  public static final PreviousSection INSTANCE = new PreviousSection();

  private PreviousSection() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void write(JsonGenerator g, Figures f) throws IOException {
    g.writeStartObject();
    windows(g, f);
    g.writeEndObject();
  }

  /** The two windows as fields of the object being written. */
  static void windows(JsonGenerator g, Figures f) throws IOException {
    g.writeObjectFieldStart("previous");
    SnapshotWriter.fields(g, f.previousWhole());
    g.writeEndObject();
    g.writeObjectFieldStart("previousToDate");
    SnapshotWriter.fields(g, f.previousToDate());
    g.writeEndObject();
  }

  /** The plan's `previous`: the period compared with, and where its to-date window ends. */
  static void period(JsonGenerator g, Figures f) throws IOException {
    Previous p = f.agg().previous();
    var period = Previous.period(f.plan());
    g.writeObjectFieldStart("previous");
    g.writeStringField("start", period.start().toString());
    g.writeStringField("end", period.end().toString());
    g.writeStringField("toDate", Instant.ofEpochMilli(p.toDateMillis()).toString());
    g.writeEndObject();
  }
}
