package io.asupersync.protocols.redis;

import org.jspecify.annotations.Nullable;

/**
 * A Redis operation did not succeed. Checked, so that a task body that lets it escape ends {@code Err},
 * not {@code Panicked}. The subtype says what is known about the command's effect on the server.
 */
public abstract sealed class RedisException extends Exception
    permits RedisServerException, RedisOutcomeUnknownException, RedisConnectionException, RespProtocolException {
  private static final long serialVersionUID = 1L;

  RedisException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
