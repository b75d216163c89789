package io.asupersync.protocols.nats.internal;

import io.asupersync.protocols.nats.NatsMessage;

/** One operation a NATS server sends, as {@link NatsDecoder} decodes it. Not API. */
public sealed interface ServerOp {

  /** {@code INFO {json}}: the server's description; {@code json} is at most a control line long. */
  record Info(String json) implements ServerOp {}

  /** {@code MSG} or {@code HMSG}: a message for subscription {@code sid}. */
  record Msg(long sid, NatsMessage message) implements ServerOp {}

  /** {@code -ERR 'text'}, quotes removed. */
  record Err(String text) implements ServerOp {}

  /** {@code PING}, {@code PONG} or {@code +OK}. */
  enum Bare implements ServerOp {
    PING,
    PONG,
    OK
  }
}
