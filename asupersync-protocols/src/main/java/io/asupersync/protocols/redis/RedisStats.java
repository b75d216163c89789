package io.asupersync.protocols.redis;

import java.util.Map;

/**
 * Counters of a {@link RedisClient}: calls per command name and result since the client started,
 * and the pool as it is now. A pipeline counts as {@code PIPELINE}, a transaction as {@code MULTI},
 * the connection handshake as {@code CONNECT}.
 *
 * @param calls per command name, how many calls ended with each result (absent results are zero)
 * @param pool the request/reply pool
 * @param pushes RESP3 push frames received on request/reply connections
 * @param messages pub/sub messages received by subscribers
 */
public record RedisStats(Map<String, Map<CallResult, Long>> calls, PoolStats pool, long pushes, long messages) {

  public RedisStats {
    calls = Map.copyOf(calls);
  }

  /** Calls of {@code command} that ended with {@code result}. */
  public long count(String command, CallResult result) {
    return calls.getOrDefault(command, Map.of()).getOrDefault(result, 0L);
  }

  /** Calls that ended with {@code result}, whatever the command. */
  public long total(CallResult result) {
    return calls.values().stream().mapToLong(m -> m.getOrDefault(result, 0L)).sum();
  }

  /**
   * The pool.
   *
   * @param open connections open or being opened
   * @param idle connections waiting to be leased
   * @param leased connections leased to a caller now
   * @param waiting callers waiting for a connection
   * @param created connections opened since the client started
   * @param discarded connections closed since the client started (broken, expired, idle, unhealthy)
   */
  public record PoolStats(int open, int idle, int leased, int waiting, long created, long discarded) {}
}
