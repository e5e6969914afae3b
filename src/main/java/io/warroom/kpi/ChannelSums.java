package io.warroom.kpi;

import io.warroom.measure.Kpi;
import io.warroom.measure.Sum;
import java.util.Comparator;

/** A sales channel over the campaign: gross order amount (cents), orders, and visit sessions. */
public final class ChannelSums implements Keyed.Row<ChannelSums> {
  /** Most revenue first. */
  public static final Comparator<ChannelSums> BY_REVENUE =
      Comparator.comparing((ChannelSums c) -> c.gross).reversed();

  public final Sum gross = new Sum();
  public long orders;
  public final Sum sessions = new Sum();

  @Override
  public void addTo(ChannelSums into) {
    addTo(into, 1);
  }

  @Override
  public void addTo(ChannelSums into, int sign) {
    into.gross.add(gross, sign);
    into.orders += sign * orders;
    into.sessions.add(sessions, sign);
  }

  /** Orders over sessions, or null without sessions. */
  public Double conversion() {
    return Kpi.ratio(orders, sessions);
  }
}
