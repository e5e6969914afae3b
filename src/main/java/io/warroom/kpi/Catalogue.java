package io.warroom.kpi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.warroom.measure.Kpi;
import io.warroom.measure.Status;
import io.warroom.plan.Plan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * GET /api/v1/catalogue: every figure the snapshot and the alerts name, with its unit and how it
 * is shown, so the page formats what the server measures without a list of its own.
 */
public final class Catalogue {
  private static final JsonFactory JSON = SnapshotWriter.FACTORY;

  private Catalogue() {}

  public static byte[] write(Plan plan) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("figures");
      for (Kpi k : Kpi.values()) {
        figure(g, k.id, k.unit, k.decimals);
        g.writeBooleanField("cumulative", k.cumulative);
        g.writeBooleanField("targetable", k.targetable);
        g.writeEndObject();
      }
      figure(g, "grossMargin", Kpi.Unit.SHARE, 1);
      g.writeEndObject();
      figure(g, Figures.FEED_ID, Kpi.Unit.COUNT, 1);
      g.writeEndObject();
      for (String category : plan.budgetCents().keySet()) {
        figure(g, Figures.budgetId(category), Kpi.Unit.SHARE, 1);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("windows");
      for (String w : Kpi.WINDOWS) g.writeString(w);
      g.writeEndArray();
      // a pace rule's threshold by severity: this share of the value expected by now
      g.writeObjectFieldStart("paceShare");
      g.writeNumberField("warning", Status.SHORT_WARN);
      g.writeNumberField("critical", Status.SHORT_CRITICAL);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Opens a figure's object: id, unit, decimals shown. */
  private static void figure(JsonGenerator g, String id, Kpi.Unit unit, int decimals)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    g.writeStringField("unit", unit.wire());
    g.writeNumberField("decimals", decimals);
  }
}
