package io.asupersync.protocols.nats;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One NATS message, as published or as delivered ({@code MSG} or {@code HMSG}).
 *
 * @param subject the subject it was published to
 * @param replyTo the subject to answer on, or null
 * @param headers its header section, {@linkplain NatsHeaders#empty() empty} when it had none
 * @param data the payload; not copied, so do not change it after handing it over
 */
public record NatsMessage(String subject, @Nullable String replyTo, NatsHeaders headers, byte[] data) {

  public NatsMessage {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(data, "data");
  }

  public static NatsMessage of(String subject, byte[] data) {
    return new NatsMessage(subject, null, NatsHeaders.empty(), data);
  }

  /** Whether this is a server status message (a header status code and no data), like no responders. */
  public boolean isStatus() {
    return headers.status() != 0 && data.length == 0;
  }

  /** Subject and size only: subjects and payloads may carry identifiers, the subject is the caller's own. */
  @Override
  public String toString() {
    return "NatsMessage[" + subject + ", " + data.length + " bytes" + (headers.isEmpty() ? "" : ", " + headers) + "]";
  }
}
