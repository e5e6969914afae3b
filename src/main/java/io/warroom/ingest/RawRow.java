package io.warroom.ingest;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One record as read from a body, before validation. From JSON, values keep their JSON type
 * (String, Boolean, {@link Num}, or {@link #NESTED}); from CSV every value is text and is read by its
 * field's type ({@link #textual}). Absent fields and JSON nulls are not present.
 */
final class RawRow {
  /** A JSON number: its exact value and whether it was written as an integer. */
  record Num(BigDecimal value, boolean integral) {}

  /** Marker for a JSON number no BigDecimal can hold (an exponent past the int range). */
  static final Object OUT_OF_RANGE = new Object();

  /** Marker for a JSON object value, or an array that is not one of strings. */
  static final Object NESTED = new Object();

  /** A JSON array of strings (tags), as given. */
  record Strings(List<String> values) {}

  final int row;
  final boolean textual;
  final Map<String, Object> values = new HashMap<>(16);

  RawRow(int row, boolean textual) {
    this.row = row;
    this.textual = textual;
  }
}
