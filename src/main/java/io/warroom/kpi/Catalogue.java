package io.warroom.kpi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.warroom.measure.Kpi;
import io.warroom.measure.Status;
import io.warroom.plan.Plan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * GET /api/v1/catalogue: every figure the snapshot and the alerts name, with its unit and how it
 * is shown, so the page formats what the server measures without a list of its own.
 */
public final class Catalogue {
  private static final JsonFactory JSON = SnapshotWriter.FACTORY;

  private Catalogue() {}

  /** The id of the gross margin of orders that carry a cost. */
  public static final String GROSS_MARGIN = "grossMargin";

  /** How a figure is shown: its unit and the decimals it is written with. */
  public record Shown(Kpi.Unit unit, int decimals) {}

  /**
   * How the figure named {@code id} is shown: a KPI by its catalogue entry, the gross margin and a
   * budget burn as shares to 0.1, the feed's idle minutes to 0.1; null for others (focus targets,
   * counters and experiments are the plan's).
   */
  public static Shown shown(String id) {
    Kpi k = Kpi.of(id);
    if (k != null) return new Shown(k.unit, k.decimals);
    if (id.equals(GROSS_MARGIN) || id.startsWith("budget.")) return new Shown(Kpi.Unit.SHARE, 1);
    if (id.equals(Figures.FEED_ID)) return new Shown(Kpi.Unit.COUNT, 1);
    return null;
  }

  /** How a focus target's value is shown: a share to 0.01 %, money to the cent, a count whole. */
  public static Shown shown(Plan.Focus f) {
    Kpi.Unit unit = f.unit();
    return new Shown(unit, unit == Kpi.Unit.SHARE ? 2 : 0);
  }

  public static byte[] write(Plan plan) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("figures");
      for (Kpi k : Kpi.values()) {
        figure(g, k.id, shown(k.id));
        g.writeBooleanField("cumulative", k.cumulative);
        g.writeBooleanField("targetable", k.targetable);
        g.writeEndObject();
      }
      for (String id : List.of(GROSS_MARGIN, Figures.FEED_ID)) {
        figure(g, id, shown(id));
        g.writeEndObject();
      }
      for (String category : plan.budgetCents().keySet()) {
        figure(g, Figures.budgetId(category), shown(Figures.budgetId(category)));
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
  private static void figure(JsonGenerator g, String id, Shown shown) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    g.writeStringField("unit", shown.unit().wire());
    g.writeNumberField("decimals", shown.decimals());
  }
}
