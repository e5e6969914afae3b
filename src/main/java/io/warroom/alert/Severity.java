package io.warroom.alert;

/** How bad an alert is; critical ranks above warning. */
public enum Severity {
  WARNING, CRITICAL;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Severity of(String wire) {
    return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
  }
}
