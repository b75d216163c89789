package io.asupersync.spring.boot.autoconfigure;

import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.intBytes;
import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.positive;

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
    intBytes("asupersync.websocket.max-frame-size", maxFrameSize);
    intBytes("asupersync.websocket.max-message-size", maxMessageSize);
    positive("asupersync.websocket.close-timeout", closeTimeout);
  }
}
