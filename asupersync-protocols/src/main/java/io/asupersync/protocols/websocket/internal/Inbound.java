package io.asupersync.protocols.websocket.internal;

import io.asupersync.protocols.websocket.CloseStatus;
import io.asupersync.protocols.websocket.WebSocketMessage;

/** What {@link FrameReader} produces: a complete data message, or a control frame. */
public sealed interface Inbound {

  record Data(WebSocketMessage message) implements Inbound {}

  record Ping(byte[] payload) implements Inbound {}

  record Pong(byte[] payload) implements Inbound {}

  /** A close frame; {@link CloseStatus#NO_STATUS} when it carried no code. */
  record Close(CloseStatus status) implements Inbound {}
}
