package io.asupersync.protocols.redis;

import io.asupersync.Cx;
import java.util.List;

/**
 * One pooled connection leased for the body of {@link RedisClient#dedicated}: commands run on it in
 * order, so WATCH, MULTI, EXEC and DISCARD work across calls, as does per-connection state such as
 * CLIENT TRACKING. Valid only inside that body. When the body ends, a transaction left open is
 * discarded and watched keys are unwatched before the connection goes back to the pool.
 */
public final class RedisConnection {

  private final RedisClient client;
  private final Connection connection;
  private boolean transactionState;
  private boolean closed;

  RedisConnection(RedisClient client, Connection connection) {
    this.client = client;
    this.connection = connection;
  }

  /** Runs one command; an error reply throws {@link RedisServerException}. */
  public RespValue command(Cx cx, String name, Object... args) throws RedisException {
    return command(cx, RedisCommand.of(name, args));
  }

  public RespValue command(Cx cx, RedisCommand command) throws RedisException {
    check(List.of(command));
    return RedisClient.orThrow(command.name(), client.run(cx, connection, client.call(cx, command.name(), List.of(command), false)).get(0));
  }

  /** Writes {@code commands} with one flush and returns their replies in order (error replies as values). */
  public List<RespValue> pipeline(Cx cx, List<RedisCommand> commands) throws RedisException {
    check(commands);
    return List.copyOf(client.run(cx, connection, client.call(cx, "PIPELINE", commands, false)));
  }

  private void check(List<RedisCommand> commands) {
    if (closed) {
      throw new IllegalStateException("the dedicated connection was used after its body ended");
    }
    for (RedisCommand c : commands) {
      RedisCommands.checkDedicated(c);
      transactionState |= RedisCommands.isTransactionState(c.name());
    }
  }

  /** Ends the lease; leaves no transaction or watch behind. */
  void close() {
    closed = true;
    if (transactionState && !connection.isBroken()) {
      // DISCARD outside MULTI is a harmless error; both replies are read and dropped like any other.
      connection.submit(new Call("RESET_TRANSACTION", List.of(RedisCommand.of("DISCARD"), RedisCommand.of("UNWATCH")), 0, 0));
    }
    client.pool().release(connection);
  }
}
