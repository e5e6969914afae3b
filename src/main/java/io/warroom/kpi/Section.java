package io.warroom.kpi;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * A part of the snapshot that is large or changes rarely (phases, breakdowns, experiments,
 * counters, the previous period): GET /api/v1/kpis writes it as a field of the one snapshot, while
 * the stream sends it as an event of its own, named like the field, on connect and whenever its
 * content changed, so that a `snapshot` event stays small (CONTRACT section 6).
 */
public interface Section {
  /** The snapshot's field, and the stream's event name. */
  String name();

  /** Writes the field's value (an object or an array) for the figures of one moment. */
  void write(JsonGenerator g, Figures f) throws IOException;
}
