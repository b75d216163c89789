package io.asupersync.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The runtime's bounded ring of recent trace events. Recording is lock-free: an event is built on the
 * current tail of the chain (sequence and hash follow the tail's) and published by one compare-and-set
 * of the tail, so the recorded order is the chain order; a recorder that lost the race rebuilds on the
 * new tail. Timestamps never go backwards along the chain. The oldest events are overwritten once the
 * ring is full, and {@link #dropped()} counts them.
 */
public final class TraceBuffer {

  private static final VarHandle TAIL;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(TraceEvent[].class);

  static {
    try {
      TAIL = MethodHandles.lookup().findVarHandle(TraceBuffer.class, "tail", TraceEvent.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final TraceEvent[] ring;
  private final Supplier<Instant> clock;
  private final TraceSink sink;
  /** The newest event; before the first, a sentinel with sequence 0 and the genesis hash. */
  @SuppressWarnings("unused") // accessed through TAIL
  private volatile TraceEvent tail =
      new TraceEvent(0, Instant.MIN, TraceKind.RUNTIME_STARTED, 0, 0, 0, Map.of(), TraceChain.GENESIS);

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
    Map<String, String> attrs = Map.copyOf(attributes);
    long content = TraceChain.content(kind, taskId, regionId, obligationId, attrs);
    // One clock reading per event, taken before the race for the tail: a recorder that lost it keeps
    // its reading (raised to the new tail's time if that is later) instead of reading the clock again.
    Instant now = clock.get();
    TraceEvent prev;
    TraceEvent event;
    do {
      prev = (TraceEvent) TAIL.getAcquire(this);
      long seq = prev.sequence() + 1;
      Instant time = now.isBefore(prev.time()) ? prev.time() : now;
      long hash = TraceChain.link(prev.hash(), seq, TraceChain.epochNanos(time), content);
      event = new TraceEvent(seq, time, kind, taskId, regionId, obligationId, attrs, hash);
    } while (!TAIL.compareAndSet(this, prev, event));
    publish(event);
    try {
      sink.accept(event);
    } catch (RuntimeException ignored) {
      // A faulty exporter must not break the runtime; the event stays in the ring.
    }
    return event;
  }

  /** Puts {@code event} in its slot unless a later lap's event got there first. */
  private void publish(TraceEvent event) {
    int i = slot(event.sequence());
    TraceEvent current;
    do {
      current = (TraceEvent) SLOT.getVolatile(ring, i);
      // The occupant is a lap old and long out of the CPU cache: read it only when a later lap may have
      // begun. If the chain had not reached the next lap's sequence for this slot after {@code current}
      // was read, {@code current} is older than {@code event}.
      boolean laterLapPossible =
          ((TraceEvent) TAIL.getAcquire(this)).sequence() - event.sequence() >= ring.length;
      if (laterLapPossible && current != null && current.sequence() > event.sequence()) {
        return;
      }
    } while (!SLOT.compareAndSet(ring, i, current, event));
  }

  private int slot(long sequence) {
    return (int) ((sequence - 1) % ring.length);
  }

  public int capacity() {
    return ring.length;
  }

  /** How many events were overwritten because the ring was full. */
  public long dropped() {
    return Math.max(0, ((TraceEvent) TAIL.getAcquire(this)).sequence() - ring.length);
  }

  /** The retained events, oldest first. */
  public List<TraceEvent> events() {
    return events(e -> true, Integer.MAX_VALUE);
  }

  /** The newest {@code limit} retained events that match, oldest first. */
  public List<TraceEvent> events(Predicate<TraceEvent> filter, int limit) {
    List<TraceEvent> all = new ArrayList<>();
    long last = ((TraceEvent) TAIL.getAcquire(this)).sequence();
    for (long s = Math.max(1, last - ring.length + 1); s <= last; s++) {
      TraceEvent e = await(s);
      if (e.sequence() == s) {
        all.add(e);
      } else {
        // a newer lap overwrote the slot while we read: keep only the contiguous run after it
        all.clear();
      }
    }
    List<TraceEvent> matching = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && matching.size() < limit; i--) {
      if (filter.test(all.get(i))) {
        matching.add(all.get(i));
      }
    }
    return matching.reversed();
  }

  /**
   * The event in sequence {@code s}'s slot once it is there: its recorder won the chain but may not have
   * stored it yet (a few instructions later), so wait for that; a later lap's event is returned as is.
   */
  private TraceEvent await(long s) {
    int i = slot(s);
    for (int spins = 0; ; spins++) {
      TraceEvent e = (TraceEvent) SLOT.getVolatile(ring, i);
      if (e != null && e.sequence() >= s) {
        return e;
      }
      if (spins < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  /** Checks the hash chain of the retained events. */
  public TraceChain.Verification verify() {
    List<TraceEvent> events = events();
    Long previous = events.isEmpty() || events.get(0).sequence() != 1 ? null : TraceChain.GENESIS;
    return TraceChain.verify(events, previous);
  }
}
