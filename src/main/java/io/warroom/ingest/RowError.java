package io.warroom.ingest;

/** A rejected row: its number (from 1), the field where known (null otherwise) and why. */
public record RowError(int row, String field, String error) {}
