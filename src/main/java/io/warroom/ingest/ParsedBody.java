package io.warroom.ingest;

import java.util.ArrayList;
import java.util.List;

/** The outcome of reading one ingest body: the valid records in row order and the rejected rows. */
public final class ParsedBody {
  public final List<Rec> records = new ArrayList<>();
  public final List<RowError> rejected = new ArrayList<>();
  /** Rows seen, valid or not. */
  public int rows;
}
