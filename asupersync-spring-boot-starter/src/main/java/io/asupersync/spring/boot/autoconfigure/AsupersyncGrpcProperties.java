package io.asupersync.spring.boot.autoconfigure;

import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.intBytes;
import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.positive;

import io.asupersync.protocols.grpc.GrpcLimits;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * gRPC settings of the Asupersync server, bound from {@code asupersync.grpc}. A message over a limit ends
 * the call with RESOURCE_EXHAUSTED; metadata over the limit is refused before the handler runs.
 *
 * @param maxInboundMessageSize Maximum size of one received message, after decompression.
 * @param maxOutboundMessageSize Maximum size of one sent message.
 * @param maxMetadataSize Maximum size of the metadata (headers) of one call, counted as HTTP/2 counts a
 *     header list.
 * @param maxTimeout Upper bound on the deadline of every call, also of calls that send no grpc-timeout.
 *     Unset, asupersync.server.max-client-timeout applies; both unset, a client's grpc-timeout is
 *     honoured as sent.
 * @param health Standard health service (grpc.health.v1.Health).
 */
@ConfigurationProperties("asupersync.grpc")
public record AsupersyncGrpcProperties(
    @DefaultValue("4MB") DataSize maxInboundMessageSize,
    @DefaultValue("4MB") DataSize maxOutboundMessageSize,
    @DefaultValue("8KB") DataSize maxMetadataSize,
    @Nullable Duration maxTimeout,
    @DefaultValue Health health) {

  public AsupersyncGrpcProperties {
    intBytes("asupersync.grpc.max-inbound-message-size", maxInboundMessageSize);
    intBytes("asupersync.grpc.max-outbound-message-size", maxOutboundMessageSize);
    intBytes("asupersync.grpc.max-metadata-size", maxMetadataSize);
    positive("asupersync.grpc.max-timeout", maxTimeout);
  }

  /**
   * The limits of the gRPC server: these properties, with {@code serverMaxClientTimeout} as the timeout
   * cap when {@code max-timeout} is unset.
   */
  public GrpcLimits toLimits(@Nullable Duration serverMaxClientTimeout) {
    return new GrpcLimits(
        (int) maxInboundMessageSize.toBytes(),
        (int) maxOutboundMessageSize.toBytes(),
        (int) maxMetadataSize.toBytes(),
        maxTimeout != null ? maxTimeout : serverMaxClientTimeout);
  }

  /**
   * Health service settings.
   *
   * @param enabled Whether to serve grpc.health.v1.Health beside the application's GrpcService beans.
   *     Set it explicitly to serve the health service in an application that has none.
   */
  public record Health(@DefaultValue("true") boolean enabled) {}
}
