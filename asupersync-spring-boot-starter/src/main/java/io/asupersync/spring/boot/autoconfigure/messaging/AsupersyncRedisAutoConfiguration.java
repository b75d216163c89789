package io.asupersync.spring.boot.autoconfigure.messaging;

import io.asupersync.Runtime;
import io.asupersync.protocols.redis.RedisClient;
import io.asupersync.protocols.redis.RedisLimits;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.AsupersyncRedisProperties;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * A {@link RedisClient} from {@code asupersync.redis.*} once {@code url} or {@code host} is set; closed
 * with the context. TLS when {@code ssl.enabled}, {@code ssl.bundle} or a {@code rediss://} url says so,
 * trusting what the bundle trusts (the JDK's CAs without a bundle), hostname verification on.
 * Connections are opened on demand (the pool's {@code min-idle} in the background), so an unreachable
 * server does not stop startup: calls fail with {@code RedisConnectionException}. Backs off when the
 * application defines its own {@link RedisClient}.
 */
@AutoConfiguration(after = AsupersyncAutoConfiguration.class)
@ConditionalOnClass(RedisClient.class)
@Conditional(ClientConfiguredCondition.Redis.class)
@ConditionalOnBean(Runtime.class)
public final class AsupersyncRedisAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  RedisClient asupersyncRedisClient(
      Runtime runtime, AsupersyncRedisProperties properties, ObjectProvider<SslBundles> sslBundles) {
    AsupersyncRedisProperties.Limits limits = properties.limits();
    RedisClient.Builder builder = RedisClient.builder(runtime)
        .connectTimeout(properties.connectTimeout())
        .pool(properties.pool().minIdle(), properties.pool().maxActive())
        .limits(RedisLimits.defaults()
            .withMaxBulkBytes((int) limits.maxBulkSize().toBytes())
            .withMaxAggregateElements(limits.maxAggregateElements())
            .withMaxNestingDepth(limits.maxNesting()));
    URI url = properties.url();
    if (url != null) {
      fromUrl(builder, url);
    } else {
      builder.host(hostOf(properties)).port(properties.port()).database(properties.database());
      credentials(builder, properties.username(), properties.password());
    }
    if (properties.usesTls()) {
      builder.tls(MessagingTls.clientTls(sslBundles, properties.ssl().bundle(), "asupersync.redis.ssl.bundle"));
    }
    return builder.build();
  }

  private static String hostOf(AsupersyncRedisProperties properties) {
    String host = properties.host();
    if (host == null) {
      // The condition needs url or host; kept for NullAway.
      throw new IllegalStateException("asupersync.redis.host is not set");
    }
    return host;
  }

  /** {@code redis://[[user]:password@]host[:port][/database]}; a user-info without ':' is a password. */
  private static void fromUrl(RedisClient.Builder builder, URI url) {
    if (url.getHost() == null) {
      throw new InvalidAsupersyncPropertyException(
          "asupersync.redis.url", url, "has no host", "Use redis://host:port or redis://user:secret@host:port/0.");
    }
    builder.host(url.getHost()).port(url.getPort() < 0 ? 6379 : url.getPort());
    String path = url.getPath();
    if (path != null && path.length() > 1) {
      try {
        builder.database(Integer.parseInt(path.substring(1)));
      } catch (IllegalArgumentException ex) {
        throw new InvalidAsupersyncPropertyException(
            "asupersync.redis.url", url, "the path must be a database index", "Use redis://host:port/0.");
      }
    }
    String userInfo = url.getUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        builder.password(userInfo);
      } else {
        String user = userInfo.substring(0, colon);
        credentials(builder, user.isEmpty() ? null : user, userInfo.substring(colon + 1));
      }
    }
  }

  private static void credentials(RedisClient.Builder builder, @Nullable String user,
      @Nullable String password) {
    if (password != null) {
      if (user != null) {
        builder.credentials(user, password);
      } else {
        builder.password(password);
      }
    }
  }
}
