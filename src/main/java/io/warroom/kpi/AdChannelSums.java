package io.warroom.kpi;

import io.warroom.measure.Kpi;
import io.warroom.measure.Sum;
import java.util.Comparator;

/**
 * An ad channel over the campaign: spend (cents, every spend record naming it, any category) and
 * the gross amount of the orders attributed to it.
 */
public final class AdChannelSums implements Keyed.Row<AdChannelSums> {
  /** Most spend first, then most attributed revenue. */
  public static final Comparator<AdChannelSums> BY_SPEND =
      Comparator.comparing((AdChannelSums c) -> c.spend).reversed()
          .thenComparing(Comparator.comparing((AdChannelSums c) -> c.attributed).reversed());

  public final Sum spend = new Sum();
  public final Sum attributed = new Sum();

  @Override
  public void addTo(AdChannelSums into) {
    addTo(into, 1);
  }

  @Override
  public void addTo(AdChannelSums into, int sign) {
    into.spend.add(spend, sign);
    into.attributed.add(attributed, sign);
  }

  /** Attributed revenue over spend, or null without spend. */
  public Double roi() {
    return Kpi.ratio(attributed, spend);
  }
}
