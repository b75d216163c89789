package io.asupersync.spring.boot.server;

import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.RejectionReason;
import io.asupersync.spring.boot.metrics.RejectionCounts;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The server's rejections (every {@link RejectionReason}) as {@code asupersync.rejections} with tag
 * {@code protocol=http} and the reason's name in lower case ({@code too_many_headers}), like the {@code
 * kind} tag of {@code asupersync.cancellations}; zero while the server is not running. The server counts
 * HTTP/1.1 and HTTP/2 violations, which also cover gRPC and WebSocket connections at the HTTP layer.
 */
public final class ServerRejectionCounts implements RejectionCounts {

  private static final Map<String, RejectionReason> REASONS =
      Arrays.stream(RejectionReason.values())
          .collect(Collectors.toUnmodifiableMap(r -> r.name().toLowerCase(Locale.ROOT), r -> r));

  private final AsupersyncServerLifecycle lifecycle;

  public ServerRejectionCounts(AsupersyncServerLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public String protocol() {
    return "http";
  }

  @Override
  public Set<String> reasons() {
    return REASONS.keySet();
  }

  @Override
  public long count(String reason) {
    AsupersyncServer server = lifecycle.server();
    RejectionReason known = REASONS.get(reason);
    if (server == null || known == null) {
      return 0;
    }
    return server.rejections().getOrDefault(known, 0L);
  }
}
