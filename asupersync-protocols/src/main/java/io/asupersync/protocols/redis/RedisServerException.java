package io.asupersync.protocols.redis;

/**
 * The server answered with an error reply ({@code -WRONGTYPE ...}): the command ran (or was refused)
 * and the connection stays in sync.
 */
public final class RedisServerException extends RedisException {
  private static final long serialVersionUID = 1L;

  private final String code;

  RedisServerException(String command, RespValue.ErrorReply reply) {
    super(command + ": " + reply.message(), null);
    this.code = reply.code();
  }

  /** The error's first word: {@code ERR}, {@code WRONGTYPE}, {@code WRONGPASS}, {@code NOGROUP}, ... */
  public String code() {
    return code;
  }
}
