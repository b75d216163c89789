package io.asupersync.trace;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The rolling hash that links each trace event to its predecessor: {@code hash(n) = H(hash(n-1),
 * sequence(n), time(n), content(n))}, where the content covers kind, ids and every attribute pair. It detects accidental or careless edits of a
 * recorded trace; it is not a keyed authenticator (someone who can rewrite the whole file can
 * recompute it).
 */
public final class TraceChain {

  /** The hash that precedes the first event of a runtime's trace. */
  public static final long GENESIS = 0x6a09e667f3bcc908L;

  private TraceChain() {}

  /**
   * The hash of an event's content: kind, ids and attributes. It does not depend on the chain, so a
   * recorder computes it before taking its lock; {@link #link} then chains it.
   */
  public static long content(
      TraceKind kind, long taskId, long regionId, long obligationId, Map<String, String> attributes) {
    long h = mix(kind.ordinal() ^ 0x5851f42d4c957f2dL);
    h = mix(h ^ taskId);
    h = mix(h ^ regionId);
    h = mix(h ^ obligationId);
    h = mix(h ^ attributes.size());
    // Attributes are unordered: hash each key/value pair, then combine the pairs commutatively.
    long pairs = 0;
    if (!attributes.isEmpty()) {
      // forEach rather than entrySet: a one-pair Map.of visits its pair without building entries
      PairSum sum = new PairSum();
      attributes.forEach(sum);
      pairs = sum.value;
    }
    return mix(h ^ pairs);
  }

  private static final class PairSum implements BiConsumer<String, String> {
    long value;

    @Override
    public void accept(String key, String val) {
      value += mixString(keyHash(key), val);
    }
  }

  private static final long KEY_SEED = 0x9e3779b97f4a7c15L;
  /**
   * Memo of {@code mixString(KEY_SEED, key)}: attribute keys are a few literals, hashed on every event.
   * Direct-mapped by the key's own hash; entries are immutable, so racy reads and overwrites are benign
   * (a miss only recomputes).
   */
  private static final KeyHash[] KEY_HASHES = new KeyHash[256];

  private record KeyHash(String key, long hash) {}

  private static long keyHash(String key) {
    int slot = key.hashCode() & (KEY_HASHES.length - 1);
    KeyHash cached = KEY_HASHES[slot];
    if (cached != null && (cached.key == key || cached.key.equals(key))) {
      return cached.hash;
    }
    long hash = mixString(KEY_SEED, key);
    KEY_HASHES[slot] = new KeyHash(key, hash);
    return hash;
  }

  /** The chain hash of an event with content hash {@code content} following {@code previous}. */
  public static long link(long previous, long sequence, long epochNanos, long content) {
    long h = mix(previous ^ 0x6a09e667f3bcc908L);
    h = mix(h ^ sequence);
    h = mix(h ^ epochNanos);
    return mix(h ^ content);
  }

  /** Recomputes an event's hash from its fields and the previous hash. */
  public static long recompute(long previous, TraceEvent e) {
    return link(
        previous,
        e.sequence(),
        epochNanos(e.time()),
        content(e.kind(), e.taskId(), e.regionId(), e.obligationId(), e.attributes()));
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
