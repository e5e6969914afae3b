package io.warroom.measure;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact running sum of longs (cents, sessions, counts) in 128 bits: no sum of 2^64 longs can
 * overflow it, so any data a store can hold is added exactly. Mutable; one owner.
 */
public final class Sum implements Comparable<Sum> {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  /** High 64 bits (signed) and low 64 bits (unsigned) of the value. */
  private long hi;
  private long lo;

  public Sum() {}

  public static Sum of(long v) {
    Sum s = new Sum();
    s.add(v);
    return s;
  }

  public static Sum of(BigInteger v) {
    Sum s = new Sum();
    s.add(v);
    return s;
  }

  public void add(long x) {
    long s = lo + x;
    hi += (x >> 63) + (Long.compareUnsigned(s, lo) < 0 ? 1 : 0);
    lo = s;
  }

  /** Adds ({@code sign} 1) or subtracts ({@code sign} -1) another sum. */
  public void add(Sum o, int sign) {
    if (sign >= 0) {
      long s = lo + o.lo;
      hi += o.hi + (Long.compareUnsigned(s, lo) < 0 ? 1 : 0);
      lo = s;
    } else {
      long s = lo - o.lo;
      hi -= o.hi + (Long.compareUnsigned(lo, o.lo) < 0 ? 1 : 0);
      lo = s;
    }
  }

  /** Adds a value of at most 128 bits (a database's numeric sum). */
  public void add(BigInteger v) {
    if (v.bitLength() < 64) {
      add(v.longValue());
      return;
    }
    if (v.bitLength() > 126) throw new ArithmeticException("sum out of range: " + v);
    long low = v.longValue(); // the low 64 bits, unsigned
    long s = lo + low;
    hi += v.shiftRight(64).longValue() + (Long.compareUnsigned(s, lo) < 0 ? 1 : 0);
    lo = s;
  }

  public void clear() {
    hi = 0;
    lo = 0;
  }

  public boolean isZero() {
    return hi == 0 && lo == 0;
  }

  public int signum() {
    if (hi != 0) return hi < 0 ? -1 : 1;
    return lo == 0 ? 0 : 1;
  }

  /** Whether the value fits in a long. */
  public boolean fitsLong() {
    return hi == (lo >> 63);
  }

  /** The value when it fits in a long; throws {@link ArithmeticException} otherwise. */
  public long longValueExact() {
    if (!fitsLong()) throw new ArithmeticException("sum does not fit a long");
    return lo;
  }

  public BigInteger toBigInteger() {
    if (fitsLong()) return BigInteger.valueOf(lo);
    BigInteger low = BigInteger.valueOf(lo);
    if (lo < 0) low = low.add(TWO_64);
    return BigInteger.valueOf(hi).shiftLeft(64).add(low);
  }

  /** The value as a decimal with {@code scale} digits after the point (2 for cents). */
  public BigDecimal toDecimal(int scale) {
    return fitsLong() ? BigDecimal.valueOf(lo, scale) : new BigDecimal(toBigInteger(), scale);
  }

  public double doubleValue() {
    return fitsLong() ? (double) lo : toBigInteger().doubleValue();
  }

  @Override
  public int compareTo(Sum o) {
    int c = Long.compare(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  public Sum copy() {
    Sum s = new Sum();
    s.hi = hi;
    s.lo = lo;
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sum s && s.hi == hi && s.lo == lo;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi) * 31 + Long.hashCode(lo);
  }

  @Override
  public String toString() {
    return toBigInteger().toString();
  }
}
