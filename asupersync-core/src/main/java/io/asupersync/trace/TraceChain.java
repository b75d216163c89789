package io.asupersync.trace;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The rolling hash that links each trace event to its predecessor: {@code hash(n) = H(hash(n-1),
 * fields(n))}, with attributes hashed in key order. It detects accidental or careless edits of a
 * recorded trace; it is not a keyed authenticator (someone who can rewrite the whole file can
 * recompute it).
 */
public final class TraceChain {

  /** The hash that precedes the first event of a runtime's trace. */
  public static final long GENESIS = 0x6a09e667f3bcc908L;

  private TraceChain() {}

  /** The chain hash of an event with the given fields following {@code previous}. */
  public static long link(
      long previous,
      long sequence,
      long epochNanos,
      TraceKind kind,
      long taskId,
      long regionId,
      long obligationId,
      Map<String, String> attributes) {
    long h = mix(previous ^ 0x5851f42d4c957f2dL);
    h = mix(h ^ sequence);
    h = mix(h ^ epochNanos);
    h = mix(h ^ kind.ordinal());
    h = mix(h ^ taskId);
    h = mix(h ^ regionId);
    h = mix(h ^ obligationId);
    h = mix(h ^ attributes.size());
    Map<String, String> ordered = attributes.size() > 1 ? new TreeMap<>(attributes) : attributes;
    for (Map.Entry<String, String> e : ordered.entrySet()) {
      h = mixString(h, e.getKey());
      h = mixString(h, e.getValue());
    }
    return h;
  }

  /** Recomputes an event's hash from its fields and the previous hash. */
  public static long recompute(long previous, TraceEvent e) {
    return link(
        previous,
        e.sequence(),
        epochNanos(e.time()),
        e.kind(),
        e.taskId(),
        e.regionId(),
        e.obligationId(),
        e.attributes());
  }

  /**
   * Checks a run of consecutive events: sequences without gaps and every hash equal to its
   * recomputation from the predecessor. The first event's predecessor hash is {@code
   * previousHash}; pass {@code null} to trust the first event's own hash (a window of a buffer whose
   * older events were overwritten).
   */
  public static Verification verify(List<TraceEvent> events, @Nullable Long previousHash) {
    if (events.isEmpty()) {
      return Verification.VALID;
    }
    int start = 0;
    long prev;
    if (previousHash == null) {
      prev = events.get(0).hash();
      start = 1;
    } else {
      prev = previousHash;
    }
    for (int i = start; i < events.size(); i++) {
      TraceEvent e = events.get(i);
      if (i > 0 && e.sequence() != events.get(i - 1).sequence() + 1) {
        return new Verification(false, e.sequence(), "sequence gap before event " + e.sequence());
      }
      if (recompute(prev, e) != e.hash()) {
        return new Verification(false, e.sequence(), "hash mismatch at event " + e.sequence());
      }
      prev = e.hash();
    }
    return Verification.VALID;
  }

  /**
   * Result of {@link #verify}.
   *
   * @param valid whether the chain held
   * @param firstBadSequence sequence of the first event that failed, 0 when valid
   * @param detail what failed
   */
  public record Verification(boolean valid, long firstBadSequence, String detail) {
    static final Verification VALID = new Verification(true, 0, "ok");
  }

  static long epochNanos(java.time.Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static long mixString(long h, String s) {
    h = mix(h ^ s.length());
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return mix(h);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
