package io.asupersync.protocols.redis;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One published message.
 *
 * @param channel the channel it was published to
 * @param pattern the pattern that matched it, for a PSUBSCRIBE delivery; null otherwise
 * @param payload the message bytes
 */
public record PubSubMessage(String channel, @Nullable String pattern, byte[] payload) {

  public PubSubMessage {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(payload, "payload");
  }

  /** The payload as UTF-8 text. */
  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PubSubMessage m && channel.equals(m.channel) && Objects.equals(pattern, m.pattern)
        && java.util.Arrays.equals(payload, m.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(channel, pattern, java.util.Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "PubSubMessage[" + channel + (pattern == null ? "" : " via " + pattern) + ", " + payload.length + " bytes]";
  }
}
