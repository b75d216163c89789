package io.asupersync.channel;

import io.asupersync.Waker;

/** A task queued for a slot; {@link #granted} is guarded by the owning channel's lock. */
final class Waiter {
  final Waker waker;
  boolean granted;

  Waiter(Waker waker) {
    this.waker = waker;
  }
}
