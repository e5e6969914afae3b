package io.warroom.alert;

import java.util.Locale;

/** Where an alert is in its life (CONTRACT section 7). */
public enum State {
  PENDING, FIRING, RESOLVED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static State of(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
