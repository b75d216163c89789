package io.asupersync.sync;

import io.asupersync.Waker;

/** A task queued for permits; {@link #granted} is guarded by the owning primitive's lock. */
final class Waiter {
  final Waker waker;
  final int need;
  boolean granted;

  Waiter(int need, Waker waker) {
    this.need = need;
    this.waker = waker;
  }
}
