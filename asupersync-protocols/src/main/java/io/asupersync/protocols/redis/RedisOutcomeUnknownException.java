package io.asupersync.protocols.redis;

import org.jspecify.annotations.Nullable;

/**
 * The command was flushed to the server but its reply was never settled: the connection broke, the
 * reply violated the protocol or a limit (the cause is then a {@link RespProtocolException}), or the
 * client was closed. The command may or may not have taken effect; the connection was discarded.
 */
public final class RedisOutcomeUnknownException extends RedisException {
  private static final long serialVersionUID = 1L;

  RedisOutcomeUnknownException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
