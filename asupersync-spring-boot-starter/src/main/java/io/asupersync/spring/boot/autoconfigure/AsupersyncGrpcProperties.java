package io.asupersync.spring.boot.autoconfigure;

import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.intBytes;
import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.positive;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * gRPC settings of the Asupersync server, bound from {@code asupersync.grpc}. A message over a limit ends
 * the call with RESOURCE_EXHAUSTED.
 *
 * @param maxInboundMessageSize Maximum size of one received message.
 * @param maxOutboundMessageSize Maximum size of one sent message.
 * @param maxMetadataSize Maximum size of the metadata (headers) of one call.
 * @param maxTimeout Upper bound on the grpc-timeout a client asks for. Unset,
 *     asupersync.server.max-client-timeout applies.
 */
@ConfigurationProperties("asupersync.grpc")
public record AsupersyncGrpcProperties(
    @DefaultValue("4MB") DataSize maxInboundMessageSize,
    @DefaultValue("4MB") DataSize maxOutboundMessageSize,
    @DefaultValue("8KB") DataSize maxMetadataSize,
    @Nullable Duration maxTimeout) {

  public AsupersyncGrpcProperties {
    intBytes("asupersync.grpc.max-inbound-message-size", maxInboundMessageSize);
    intBytes("asupersync.grpc.max-outbound-message-size", maxOutboundMessageSize);
    intBytes("asupersync.grpc.max-metadata-size", maxMetadataSize);
    positive("asupersync.grpc.max-timeout", maxTimeout);
  }
}
