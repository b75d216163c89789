package io.asupersync.channel;

/** A thread queued for a slot; {@link #granted} is guarded by the owning channel's lock. */
final class Waiter {
  final Thread thread = Thread.currentThread();
  boolean granted;
}
