package io.warroom.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/** The outcome of reading one ingest body: the valid records in row order and the rejected rows. */
public final class ParsedBody {
  public final List<Rec> records = new ArrayList<>();
  public final List<RowError> rejected = new ArrayList<>();
  /** The row number of each of {@link #records}. */
  public final List<Integer> recordRows = new ArrayList<>();
  /** Rows seen, valid or not. */
  public int rows;
  /** records without the repeats of an earlier (type, id) in the same body. */
  public List<Rec> unique = List.of();

  /**
   * Turns the valid records that {@code refused} picks into rejected rows naming {@code field},
   * with the reason {@code error} gives; rejected rows stay in row order.
   */
  public void refuse(Predicate<Rec> refused, String field,
      Function<Rec, String> error) {
    List<Rec> kept = new ArrayList<>(records.size());
    List<Integer> keptRows = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      Rec r = records.get(i);
      if (refused.test(r)) {
        rejected.add(new RowError(recordRows.get(i), field, error.apply(r)));
      } else {
        kept.add(r);
        keptRows.add(recordRows.get(i));
      }
    }
    records.clear();
    records.addAll(kept);
    recordRows.clear();
    recordRows.addAll(keptRows);
    rejected.sort(Comparator.comparingInt(RowError::row));
    unique = firstOfEach(records);
  }

  /** Valid records that repeat an earlier one of the same body. */
  public int repeats() {
    return records.size() - unique.size();
  }

  /** The records without repeats: the first of each (type, id), in order. */
  static List<Rec> firstOfEach(List<Rec> records) {
    int n = records.size();
    List<Rec> out = new ArrayList<>(n);
    if (n == 0) return out;
    Rec[] table = new Rec[Integer.highestOneBit(n) << 2];
    int[] hashes = new int[table.length];
    int mask = table.length - 1;
    for (Rec r : records) {
      int hash = r.keyHash();
      int i = hash & mask;
      while (table[i] != null && !(hashes[i] == hash && table[i].sameKey(r))) i = (i + 1) & mask;
      if (table[i] == null) {
        table[i] = r;
        hashes[i] = hash;
        out.add(r);
      }
    }
    return out;
  }
}
