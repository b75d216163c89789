package io.asupersync.spring.boot.server;

import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.RejectionReason;
import io.asupersync.spring.boot.metrics.EnumRejectionCounts;
import io.asupersync.spring.boot.metrics.RejectionCounts;
import java.util.Map;
import java.util.Set;

/**
 * The server's rejections (every {@link RejectionReason}) as {@code asupersync.rejections} with tag
 * {@code protocol=http} and the reason's name in lower case ({@code too_many_headers}), like the {@code
 * kind} tag of {@code asupersync.cancellations}; zero while the server is not running. The server counts
 * HTTP/1.1 and HTTP/2 violations, which also cover gRPC and WebSocket connections at the HTTP layer.
 */
public final class ServerRejectionCounts implements RejectionCounts {

  private final RejectionCounts http;

  public ServerRejectionCounts(AsupersyncServerLifecycle lifecycle) {
    this.http = new EnumRejectionCounts<>("http", RejectionReason.class, () -> {
      AsupersyncServer server = lifecycle.server();
      return server == null ? Map.of() : server.rejections();
    });
  }

  @Override
  public String protocol() {
    return http.protocol();
  }

  @Override
  public Set<String> reasons() {
    return http.reasons();
  }

  @Override
  public long count(String reason) {
    return http.count(reason);
  }
}
