package io.asupersync.spring.boot.autoconfigure;

import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.intBytes;
import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.positive;

import io.asupersync.protocols.websocket.WebSocketLimits;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * WebSocket settings of the Asupersync server, bound from {@code asupersync.websocket}. A frame or message
 * over a limit closes the connection with 1009 (message too big).
 *
 * @param maxFrameSize Maximum payload size of one frame.
 * @param maxMessageSize Maximum size of one message, all its continuation frames together.
 * @param closeTimeout Maximum time to wait for the peer's close frame after sending ours.
 */
@ConfigurationProperties("asupersync.websocket")
public record AsupersyncWebSocketProperties(
    @DefaultValue("16MB") DataSize maxFrameSize,
    @DefaultValue("64MB") DataSize maxMessageSize,
    @DefaultValue("5s") Duration closeTimeout) {

  public AsupersyncWebSocketProperties {
    int frame = intBytes("asupersync.websocket.max-frame-size", maxFrameSize);
    int message = intBytes("asupersync.websocket.max-message-size", maxMessageSize);
    positive("asupersync.websocket.close-timeout", closeTimeout);
    if (frame < WebSocketLimits.MAX_CONTROL_PAYLOAD) {
      throw new InvalidAsupersyncPropertyException(
          "asupersync.websocket.max-frame-size",
          maxFrameSize,
          "must be at least " + WebSocketLimits.MAX_CONTROL_PAYLOAD + " bytes (the largest control frame)",
          "Use a value such as 64KB or 16MB.");
    }
    if (message > WebSocketLimits.MAX_MESSAGE_LIMIT || message < frame) {
      throw new InvalidAsupersyncPropertyException(
          "asupersync.websocket.max-message-size",
          maxMessageSize,
          "must be at least asupersync.websocket.max-frame-size (" + maxFrameSize + ") and below 2GB",
          "Raise max-message-size or lower max-frame-size.");
    }
  }

  /** The limits of every WebSocket endpoint: these properties over the protocol defaults. */
  public WebSocketLimits toLimits() {
    return WebSocketLimits.defaults()
        .withMaxFrameBytes((int) maxFrameSize.toBytes())
        .withMaxMessageBytes((int) maxMessageSize.toBytes())
        .withCloseTimeout(closeTimeout);
  }
}
