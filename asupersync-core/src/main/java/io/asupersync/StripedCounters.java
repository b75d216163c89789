package io.asupersync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import io.asupersync.internal.Stripes;

/**
 * The runtime's totals, one row of cells per {@link Stripes stripe}. A region takes the stripe of the
 * thread that opened its root (a Netty event loop, for a server's requests) and every count about its
 * tasks, scopes and obligations goes to that stripe: a request's updates stay on the cache lines of the core
 * that started it. A {@code LongAdder} does not spread them: it picks a cell by the updating thread's
 * random probe, which is zero in every new virtual thread, so all tasks shared one cell across cores.
 *
 * <p>A stripe's cell is exact whenever read; a sum reads the stripes one after another, so it is exact
 * when the runtime is quiescent. A count that goes up and down ({@link #ACTIVE}) stays positive in its
 * stripe for as long as a tree has live work, because a task or scope is counted up before whoever
 * started it is counted down, and both in the tree's stripe.
 */
final class StripedCounters {
  static final int ACTIVE = 0;
  static final int SPAWNED = 1;
  static final int COMPLETED = 2;
  static final int CANCELLED = 3;
  static final int FAILED = 4;
  static final int PANICKED = 5;
  static final int REGIONS_OPEN = 6;
  static final int OBLIGATIONS_RESERVED = 7;
  /** Plus a {@link CancelKind} ordinal. */
  static final int CANCELLED_BY_KIND = 8;

  /** Longs per stripe: 256 bytes, so no two stripes share a cache line or an adjacent-line pair. */
  private static final int STRIDE = 32;

  private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);

  static {
    if (CANCELLED_BY_KIND + CancelKind.values().length > STRIDE) {
      throw new ExceptionInInitializerError("more counters than a stripe holds");
    }
  }

  /** Stripe i starts at (i + 1) * STRIDE: a stride of padding before the first and after the last. */
  private final long[] cells = new long[(Stripes.COUNT + 2) * STRIDE];

  void add(int stripe, int counter, long delta) {
    CELLS.getAndAdd(cells, (stripe + 1) * STRIDE + counter, delta);
  }

  long sum(int counter) {
    long total = 0;
    for (int i = 0; i < Stripes.COUNT; i++) {
      total += (long) CELLS.getVolatile(cells, (i + 1) * STRIDE + counter);
    }
    return total;
  }
}
