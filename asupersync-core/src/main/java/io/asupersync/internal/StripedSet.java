package io.asupersync.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A concurrent set of short-lived members (a server's requests, a runtime's root regions), split into
 * stripes by the thread that adds. A member is removed with the handle {@link #add} returned for it,
 * which names its stripe and its slot there: an event loop whose requests end on its own thread then
 * touches no other thread's stripe, and neither adding nor removing hashes or allocates (a concurrent
 * hash set per stripe spent more on its nodes and size counter than the request's other bookkeeping).
 *
 * <p>Members are distinct: a member is added once, and removed at most once with its handle.
 */
public final class StripedSet<E> {

  /** Bits of a handle that name the stripe; the rest name the slot. */
  private static final int STRIPE_BITS = 8;

  static {
    if (Stripes.COUNT > 1 << STRIPE_BITS) {
      throw new ExceptionInInitializerError("more stripes than a handle names");
    }
  }

  private final Stripe[] stripes = new Stripe[Stripes.COUNT];

  public StripedSet() {
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Stripe();
    }
  }

  /**
   * Adds {@code member} to the calling thread's stripe.
   *
   * @return the handle to pass to {@link #remove}
   */
  public int add(E member) {
    Objects.requireNonNull(member, "member");
    int stripe = Stripes.current();
    return stripes[stripe].add(member) << STRIPE_BITS | stripe;
  }

  /**
   * Removes {@code member} with the handle {@link #add} returned for it; nothing happens when the
   * handle does not hold it.
   */
  public void remove(E member, int handle) {
    int stripe = handle & ((1 << STRIPE_BITS) - 1);
    if (stripe < stripes.length) {
      stripes[stripe].remove(member, handle >>> STRIPE_BITS);
    }
  }

  /** The number of members; not a snapshot when members come and go meanwhile. */
  public int size() {
    int n = 0;
    for (Stripe s : stripes) {
      n += s.size();
    }
    return n;
  }

  /** A copy of the members, stripe after stripe. */
  @SuppressWarnings("unchecked")
  public List<E> toList() {
    List<Object> all = new ArrayList<>();
    for (Stripe s : stripes) {
      s.copyInto(all);
    }
    return (List<E>) all;
  }

  /** Padding before a stripe's fields: superclass fields are laid out first, whatever their size. */
  private abstract static class PadBefore {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;
  }

  /** A stripe's state; guarded by the stripe's monitor. */
  private abstract static class Fields extends PadBefore {
    @Nullable Object[] slots = new Object[16];
    int[] nextFree = new int[16];
    int freeHead = -1;
    /** Slots ever used; slots below it not in the free chain hold members. */
    int used;
    int count;
  }

  /**
   * Members in slots, free slots chained through {@code nextFree}; one monitor, taken almost always by
   * the same thread. Padded on both sides so that stripes allocated one after another do not share a
   * cache line.
   */
  private static final class Stripe extends Fields {
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;

    synchronized int add(Object member) {
      int slot = freeHead;
      if (slot >= 0) {
        freeHead = nextFree[slot];
      } else {
        if (used == slots.length) {
          if (used == 1 << (31 - STRIPE_BITS)) {
            throw new IllegalStateException("too many members in one stripe: " + used);
          }
          slots = Arrays.copyOf(slots, used * 2);
          nextFree = Arrays.copyOf(nextFree, used * 2);
        }
        slot = used++;
      }
      slots[slot] = member;
      count++;
      return slot;
    }

    synchronized void remove(Object member, int slot) {
      if (slot < used && member.equals(slots[slot])) {
        slots[slot] = null;
        nextFree[slot] = freeHead;
        freeHead = slot;
        count--;
      }
    }

    synchronized int size() {
      return count;
    }

    synchronized void copyInto(List<Object> into) {
      for (int i = 0; i < used; i++) {
        Object m = slots[i];
        if (m != null) {
          into.add(m);
        }
      }
    }
  }
}
