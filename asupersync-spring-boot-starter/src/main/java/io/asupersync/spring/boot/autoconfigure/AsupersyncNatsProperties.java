package io.asupersync.spring.boot.autoconfigure;

import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.intBytes;
import static io.asupersync.spring.boot.autoconfigure.PropertyChecks.positive;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the NATS client, bound from {@code asupersync.nats}. The client is configured when servers
 * is not empty.
 *
 * @param servers Server URLs, such as nats://localhost:4222 (tls:// for TLS), tried in order.
 * @param user Login user, sent with the password.
 * @param password Login password.
 * @param token Login token, instead of user and password.
 * @param connectionName Name the client reports to the server.
 * @param connectTimeout Maximum time to establish a connection, handshake included.
 * @param failFast Whether startup fails when no server accepts the first connection. When false, the
 *     failure is logged as one warning and the application starts without a NatsClient bean (inject
 *     an ObjectProvider of NatsClient to run without it); meant for demos and optional features.
 * @param ssl TLS settings.
 * @param limits Decoder limits on what the server may send.
 */
@ConfigurationProperties("asupersync.nats")
public record AsupersyncNatsProperties(
    @DefaultValue List<URI> servers,
    @Nullable String user,
    @Nullable String password,
    @Nullable String token,
    @Nullable String connectionName,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("true") boolean failFast,
    @DefaultValue Ssl ssl,
    @DefaultValue Limits limits) {

  public AsupersyncNatsProperties {
    servers = List.copyOf(servers);
    if (token != null && (user != null || password != null)) {
      throw new InvalidAsupersyncPropertyException(
          "asupersync.nats.token",
          token,
          "a token and a user or password are both set, and NATS takes one kind of credential",
          "Remove asupersync.nats.token, or remove asupersync.nats.user and asupersync.nats.password.");
    }
    if ((user == null) != (password == null)) {
      throw new InvalidAsupersyncPropertyException(
          user == null ? "asupersync.nats.user" : "asupersync.nats.password",
          null,
          "NATS user and password must be set together",
          "Set both asupersync.nats.user and asupersync.nats.password, or neither.");
    }
    positive("asupersync.nats.connect-timeout", connectTimeout);
  }

  /** Whether a server to connect to is configured. */
  public boolean isConfigured() {
    return !servers.isEmpty();
  }

  /** Whether to connect with TLS: enabled, a bundle named, or a tls:// server URL. */
  public boolean usesTls() {
    return ssl.enabled() || ssl.bundle() != null || servers.stream().anyMatch(s -> "tls".equals(s.getScheme()));
  }

  /**
   * TLS settings. Connections are upgraded after the server's INFO, as NATS does it; the server's
   * certificate must name the host connected to.
   *
   * @param enabled Whether to connect with TLS, trusting the JDK's default CAs unless a bundle is set.
   *     Implied by a bundle and by a tls:// server URL.
   * @param bundle Name of the SSL bundle (spring.ssl.bundle.*) whose trust store verifies the server
   *     (and whose key store, if any, is the client certificate); implies TLS.
   */
  public record Ssl(@DefaultValue("false") boolean enabled, @Nullable String bundle) {}

  /**
   * Decoder limits.
   *
   * @param maxPayloadSize Maximum size of one message payload (also capped by the server's max_payload).
   * @param maxControlLineSize Maximum length of one protocol control line.
   */
  public record Limits(
      @DefaultValue("1MB") DataSize maxPayloadSize, @DefaultValue("4KB") DataSize maxControlLineSize) {

    public Limits {
      intBytes("asupersync.nats.limits.max-payload-size", maxPayloadSize);
      intBytes("asupersync.nats.limits.max-control-line-size", maxControlLineSize);
    }
  }
}
