package io.asupersync.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent set of short-lived members (a server's requests), split into stripes by the thread that
 * adds: one shared {@code ConcurrentHashMap} key set updated twice per request from every event loop made
 * its size counter a hot spot under load. A member is removed from the stripe it was added to, which the
 * caller keeps; an event loop whose requests end on its own thread then touches no other thread's
 * stripe.
 */
public final class StripedSet<E> {

  private final List<Set<E>> stripes;
  private final int mask;

  public StripedSet() {
    int n = Integer.highestOneBit(Math.max(1, java.lang.Runtime.getRuntime().availableProcessors() * 2 - 1)) << 1;
    List<Set<E>> sets = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sets.add(ConcurrentHashMap.newKeySet());
    }
    this.stripes = List.copyOf(sets);
    this.mask = n - 1;
  }

  /**
   * Adds {@code member} to the calling thread's stripe.
   *
   * @return the stripe to pass to {@link #remove}
   */
  public int add(E member) {
    // thread ids are sequential: threads started together (a loop group) land on different stripes
    int stripe = (int) Thread.currentThread().threadId() & mask;
    stripes.get(stripe).add(member);
    return stripe;
  }

  /** Removes {@code member} from the stripe {@link #add} returned for it. */
  public void remove(E member, int stripe) {
    stripes.get(stripe).remove(member);
  }

  /** The number of members; not a snapshot when members come and go meanwhile. */
  public int size() {
    int n = 0;
    for (Set<E> s : stripes) {
      n += s.size();
    }
    return n;
  }

  /** A copy of the members, stripe after stripe. */
  public List<E> toList() {
    List<E> all = new ArrayList<>();
    for (Set<E> s : stripes) {
      all.addAll(s);
    }
    return all;
  }
}
