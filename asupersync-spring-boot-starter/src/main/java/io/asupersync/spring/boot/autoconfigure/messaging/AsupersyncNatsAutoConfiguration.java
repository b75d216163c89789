package io.asupersync.spring.boot.autoconfigure.messaging;

import io.asupersync.Runtime;
import io.asupersync.protocols.nats.NatsClient;
import io.asupersync.protocols.nats.NatsException;
import io.asupersync.protocols.nats.NatsLimits;
import io.asupersync.protocols.internal.Causes;
import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.AsupersyncNatsProperties;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * A connected {@link NatsClient} from {@code asupersync.nats.*} once {@code servers} is set; closed with
 * the context. The client connects while the bean is created (each server tried once, each attempt
 * bounded by {@code connect-timeout}): an application that configured NATS fails to start, naming the
 * servers, when none answers, rather than failing on its first publish; with {@code fail-fast=false} it
 * logs that as one warning instead and starts without a client (the bean is null: inject {@code
 * ObjectProvider<NatsClient>}). After a first connect the client reconnects on its own.
 * TLS when {@code ssl.enabled}, {@code ssl.bundle} or a {@code tls://} server URL says so, trusting
 * what the bundle trusts (the JDK's CAs without a bundle), hostname verification on. Backs off when the
 * application defines its own {@link NatsClient}.
 */
@AutoConfiguration(after = AsupersyncAutoConfiguration.class)
@ConditionalOnClass(NatsClient.class)
@Conditional(ClientConfiguredCondition.Nats.class)
@ConditionalOnBean(Runtime.class)
public final class AsupersyncNatsAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(AsupersyncNatsAutoConfiguration.class);

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @Nullable NatsClient asupersyncNatsClient(
      Runtime runtime, AsupersyncNatsProperties properties, ObjectProvider<SslBundles> sslBundles) {
    NatsClient.Builder builder = builder(runtime, properties);
    if (properties.usesTls()) {
      builder.tls(MessagingTls.clientTls(sslBundles, properties.ssl().bundle(), "asupersync.nats.ssl.bundle"));
    }
    try {
      return Objects.requireNonNull(runtime.run(builder::connect).orThrow());
    } catch (NatsException ex) {
      String reason = "no NATS server accepted the connection: " + ex.getMessage() + rootCause(ex);
      if (!properties.failFast()) {
        // One line, no stack trace: the cause is the server being away, not this code.
        LOG.warn("Starting without a NatsClient (asupersync.nats.fail-fast=false): asupersync.nats.servers {}: {}. {}",
            properties.servers(), reason, action(ex));
        return null;
      }
      throw new InvalidAsupersyncPropertyException("asupersync.nats.servers", properties.servers(), reason, action(ex));
    } catch (RuntimeException ex) {
      throw ex;
    } catch (Exception ex) {
      throw new IllegalStateException("NATS connect to " + properties.servers() + " failed", ex);
    }
  }

  /**
   * The innermost cause, which says what a bare "connection failed" does not (for instance the TLS alert
   * of a server that wanted a client certificate); empty when there is none.
   */
  private static String rootCause(Throwable ex) {
    Throwable root = Causes.root(ex);
    return root == ex ? "" : " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }

  /** What to do about a failed first connect; the messages of TLS failures are the client's own. */
  private static String action(NatsException ex) {
    String message = String.valueOf(ex.getMessage());
    if (ex.reason() == NatsException.Reason.AUTHORIZATION) {
      return "Check asupersync.nats.user/password or asupersync.nats.token.";
    }
    // The alert of a server that wanted a client certificate and got none (or one it does not trust):
    // certificate_required in TLS 1.3, bad_certificate from nats-server's Go TLS and in TLS 1.2.
    String cause = rootCause(ex).toLowerCase(Locale.ROOT);
    if (cause.contains("certificate_required") || cause.contains("bad_certificate")) {
      return "The server requires a client certificate: give the SSL bundle in asupersync.nats.ssl.bundle a key "
          + "store whose certificate the server trusts.";
    }
    if (message.contains("requires TLS")) {
      return "The server requires TLS: set asupersync.nats.ssl.bundle (or asupersync.nats.ssl.enabled=true).";
    }
    if (message.contains("does not offer")) {
      return "The server does not offer TLS: enable TLS on the server, or connect in plaintext on a trusted network.";
    }
    if (message.contains("TLS handshake failed")) {
      return "Check that the SSL bundle in asupersync.nats.ssl.bundle trusts the server's certificate and that "
          + "the certificate names the host in asupersync.nats.servers.";
    }
    return "Start a NATS server there (nats-server -a 127.0.0.1 -p 4222), or unset asupersync.nats.servers "
        + "to run without NATS.";
  }

  private static NatsClient.Builder builder(Runtime runtime, AsupersyncNatsProperties properties) {
    NatsClient.Builder builder = NatsClient.builder(runtime)
        .connectTimeout(properties.connectTimeout())
        .limits(NatsLimits.defaults()
            .withMaxPayload((int) properties.limits().maxPayloadSize().toBytes())
            .withMaxControlLine((int) properties.limits().maxControlLineSize().toBytes()));
    for (URI server : properties.servers()) {
      if (!("nats".equals(server.getScheme()) || "tls".equals(server.getScheme())) || server.getHost() == null) {
        throw new InvalidAsupersyncPropertyException(
            "asupersync.nats.servers", server, "must be a nats://host:port or tls://host:port URL",
            "Use a value such as nats://127.0.0.1:4222.");
      }
      builder.server(server.getHost(), server.getPort() < 0 ? 4222 : server.getPort());
    }
    String user = properties.user();
    String password = properties.password();
    if (user != null && password != null) {
      builder.userInfo(user, password);
    }
    String token = properties.token();
    if (token != null) {
      builder.token(token);
    }
    String name = properties.connectionName();
    if (name != null) {
      builder.name(name);
    }
    return builder;
  }
}
