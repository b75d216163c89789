package io.asupersync.protocols.redis;

import org.jspecify.annotations.Nullable;

/**
 * No command was sent: the client could not connect, the connection handshake (HELLO, AUTH, SELECT)
 * was refused, or the connection closed before the command was flushed. Safe to retry.
 */
public final class RedisConnectionException extends RedisException {
  private static final long serialVersionUID = 1L;

  RedisConnectionException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
