package io.asupersync.trace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The runtime's bounded ring of recent trace events. Recording assigns the sequence number and the
 * chain hash under one lock, so the recorded order is the chain order; the oldest events are
 * overwritten once the ring is full, and {@link #dropped()} counts them.
 */
public final class TraceBuffer {

  private final TraceEvent[] ring;
  private final Supplier<Instant> clock;
  private final TraceSink sink;
  private final ReentrantLock lock = new ReentrantLock();
  private long nextSequence = 1;
  private long lastHash = TraceChain.GENESIS;

  public TraceBuffer(int capacity, Supplier<Instant> clock, TraceSink sink) {
    if (capacity < 1) {
      throw new IllegalArgumentException("trace capacity must be at least 1, was " + capacity);
    }
    this.ring = new TraceEvent[capacity];
    this.clock = clock;
    this.sink = sink;
  }

  /** Records one event and hands it to the sink. */
  public TraceEvent record(
      TraceKind kind, long taskId, long regionId, long obligationId, Map<String, String> attributes) {
    long content = TraceChain.content(kind, taskId, regionId, obligationId, attributes);
    TraceEvent event;
    lock.lock();
    try {
      long seq = nextSequence++;
      Instant time = clock.get();
      long hash = TraceChain.link(lastHash, seq, TraceChain.epochNanos(time), content);
      event = new TraceEvent(seq, time, kind, taskId, regionId, obligationId, attributes, hash);
      lastHash = hash;
      ring[(int) ((seq - 1) % ring.length)] = event;
    } finally {
      lock.unlock();
    }
    try {
      sink.accept(event);
    } catch (RuntimeException ignored) {
      // A faulty exporter must not break the runtime; the event stays in the ring.
    }
    return event;
  }

  public int capacity() {
    return ring.length;
  }

  /** How many events were overwritten because the ring was full. */
  public long dropped() {
    lock.lock();
    try {
      return Math.max(0, nextSequence - 1 - ring.length);
    } finally {
      lock.unlock();
    }
  }

  /** The retained events, oldest first. */
  public List<TraceEvent> events() {
    return events(e -> true, Integer.MAX_VALUE);
  }

  /** The newest {@code limit} retained events that match, oldest first. */
  public List<TraceEvent> events(Predicate<TraceEvent> filter, int limit) {
    List<TraceEvent> all = new ArrayList<>();
    lock.lock();
    try {
      long last = nextSequence - 1;
      long first = Math.max(1, last - ring.length + 1);
      for (long s = first; s <= last; s++) {
        all.add(ring[(int) ((s - 1) % ring.length)]);
      }
    } finally {
      lock.unlock();
    }
    List<TraceEvent> matching = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && matching.size() < limit; i--) {
      if (filter.test(all.get(i))) {
        matching.add(all.get(i));
      }
    }
    return matching.reversed();
  }

  /** Checks the hash chain of the retained events. */
  public TraceChain.Verification verify() {
    List<TraceEvent> events = events();
    Long previous = events.isEmpty() || events.get(0).sequence() != 1 ? null : TraceChain.GENESIS;
    return TraceChain.verify(events, previous);
  }
}
