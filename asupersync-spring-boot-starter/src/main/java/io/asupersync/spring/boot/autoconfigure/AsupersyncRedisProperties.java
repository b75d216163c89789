package io.asupersync.spring.boot.autoconfigure;

import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.intBytes;
import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.notNegative;
import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.tcpPort;
import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.positive;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the Redis client, bound from {@code asupersync.redis}. The client is configured when url or
 * host is set.
 *
 * @param url Connection URL, such as redis://user:secret@example.com:6379/0 (rediss:// for TLS). Takes
 *     precedence over host, port, username, password and database.
 * @param host Redis server host.
 * @param port Redis server port.
 * @param username Login username (Redis 6 ACL); unset, only the password is sent.
 * @param password Login password.
 * @param database Database index selected on each connection.
 * @param connectTimeout Maximum time to establish a connection.
 * @param ssl TLS settings.
 * @param pool Connection pool settings.
 * @param limits Decoder limits on what the server may send.
 */
@ConfigurationProperties("asupersync.redis")
public record AsupersyncRedisProperties(
    @Nullable URI url,
    @Nullable String host,
    @DefaultValue("6379") int port,
    @Nullable String username,
    @Nullable String password,
    @DefaultValue("0") int database,
    @DefaultValue("10s") Duration connectTimeout,
    @DefaultValue Ssl ssl,
    @DefaultValue Pool pool,
    @DefaultValue Limits limits) {

  public AsupersyncRedisProperties {
    if (url != null && !"redis".equals(url.getScheme()) && !"rediss".equals(url.getScheme())) {
      throw new InvalidAsupersyncPropertyException(
          "asupersync.redis.url", url, "scheme must be redis or rediss", "Use redis://host:port or rediss://host:port.");
    }
    tcpPort("asupersync.redis.port", port);
    notNegative("asupersync.redis.database", database);
    positive("asupersync.redis.connect-timeout", connectTimeout);
  }

  /** Whether a server to connect to is configured. */
  public boolean isConfigured() {
    return url != null || host != null;
  }

  /** Whether to connect with TLS: enabled, a bundle named, or a rediss:// url. */
  public boolean usesTls() {
    return ssl.enabled() || ssl.bundle() != null || (url != null && "rediss".equals(url.getScheme()));
  }

  /**
   * TLS settings. The server's certificate must name the host connected to.
   *
   * @param enabled Whether to connect with TLS, trusting the JDK's default CAs unless a bundle is set.
   *     Implied by a bundle and by a rediss:// url.
   * @param bundle Name of the SSL bundle (spring.ssl.bundle.*) whose trust store verifies the server
   *     (and whose key store, if any, is the client certificate); implies TLS.
   */
  public record Ssl(@DefaultValue("false") boolean enabled, @Nullable String bundle) {}

  /**
   * Connection pool settings. A command waits for a free connection within its caller's budget.
   *
   * @param maxActive Maximum number of connections open at once.
   * @param minIdle Number of idle connections kept open.
   */
  public record Pool(@DefaultValue("8") int maxActive, @DefaultValue("0") int minIdle) {

    public Pool {
      positive("asupersync.redis.pool.max-active", maxActive);
      notNegative("asupersync.redis.pool.min-idle", minIdle);
      if (minIdle > maxActive) {
        throw new InvalidAsupersyncPropertyException(
            "asupersync.redis.pool.min-idle",
            minIdle,
            "must not exceed asupersync.redis.pool.max-active (" + maxActive + ")",
            "Lower min-idle or raise max-active.");
      }
    }
  }

  /**
   * Decoder limits (RESP2 and RESP3).
   *
   * @param maxBulkSize Maximum size of one bulk string or verbatim string.
   * @param maxNesting Maximum nesting depth of arrays, maps and sets.
   * @param maxAggregateElements Maximum number of elements of one array, map or set.
   */
  public record Limits(
      @DefaultValue("16MB") DataSize maxBulkSize,
      @DefaultValue("64") int maxNesting,
      @DefaultValue("1000000") int maxAggregateElements) {

    public Limits {
      intBytes("asupersync.redis.limits.max-bulk-size", maxBulkSize);
      positive("asupersync.redis.limits.max-nesting", maxNesting);
      positive("asupersync.redis.limits.max-aggregate-elements", maxAggregateElements);
    }
  }
}
