package io.warroom.demo;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Demo time: starts at a chosen instant and runs {@code speed} times faster than real time. */
public final class DemoClock extends Clock {
  private final long startMillis;
  private final long realStartNanos;
  private final double speed;

  public DemoClock(Instant start, double speed) {
    this.startMillis = start.toEpochMilli();
    this.realStartNanos = System.nanoTime();
    this.speed = speed;
  }

  public double speed() {
    return speed;
  }

  @Override
  public long millis() {
    return startMillis + (long) ((System.nanoTime() - realStartNanos) / 1e6 * speed);
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this; // only instants are read
  }
}
