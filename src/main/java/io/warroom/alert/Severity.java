package io.warroom.alert;

import java.util.Locale;

/** How bad an alert is; critical ranks above warning. */
public enum Severity {
  WARNING, CRITICAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity of(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
