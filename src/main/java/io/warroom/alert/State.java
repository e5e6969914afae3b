package io.warroom.alert;

/** Where an alert is in its life (CONTRACT section 7). */
public enum State {
  PENDING, FIRING, RESOLVED;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static State of(String wire) {
    return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
  }
}
