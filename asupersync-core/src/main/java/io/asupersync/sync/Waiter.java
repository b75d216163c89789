package io.asupersync.sync;

/** A thread queued for permits; {@link #granted} is guarded by the owning primitive's lock. */
final class Waiter {
  final Thread thread = Thread.currentThread();
  final int need;
  boolean granted;

  Waiter(int need) {
    this.need = need;
  }
}
