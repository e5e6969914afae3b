package io.warroom.ingest;

import java.util.Locale;

/**
 * The record types; {@link #wire} is the name used in JSON `type` fields, {@link #path} the
 * endpoint under /api/v1 (counts: CONTRACT section 10).
 */
public enum RecordType {
  ORDER("order", "orders"),
  REFUND("refund", "refunds"),
  SPEND("spend", "spend"),
  VISIT("visit", "visits"),
  NPS("nps", "nps"),
  COUNT("count", "counts");

  public final String wire;
  public final String path;

  RecordType(String wire, String path) {
    this.wire = wire;
    this.path = path;
  }

  /** The type named by a JSON `type` field, or null. */
  public static RecordType ofWire(String name) {
    if (name == null) return null;
    for (RecordType t : values()) if (t.wire.equals(name.toLowerCase(Locale.ROOT))) return t;
    return null;
  }
}
