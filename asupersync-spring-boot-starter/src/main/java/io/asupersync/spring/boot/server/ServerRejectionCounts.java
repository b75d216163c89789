package io.asupersync.spring.boot.server;

import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.RejectionReason;
import io.asupersync.spring.boot.metrics.RejectionCounts;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The server's rejections (every {@link RejectionReason}) as {@code asupersync.rejections} with tag
 * {@code protocol=http}; zero while the server is not running.
 */
public final class ServerRejectionCounts implements RejectionCounts {

  private static final Set<String> REASONS =
      Arrays.stream(RejectionReason.values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());

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
    return REASONS;
  }

  @Override
  public long count(String reason) {
    AsupersyncServer server = lifecycle.server();
    if (server == null || !REASONS.contains(reason)) {
      return 0;
    }
    return server.rejections().getOrDefault(RejectionReason.valueOf(reason), 0L);
  }
}
