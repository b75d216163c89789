package io.asupersync.protocols.kafka.internal;

import io.asupersync.protocols.tls.ClientTls;
import io.netty.buffer.ByteBufAllocator;
import java.security.KeyStore;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SslEngineFactory;
import org.jspecify.annotations.Nullable;

/**
 * Lets kafka-clients open its TLS connections with the material of a {@link ClientTls} instead of its
 * own {@code ssl.keystore.*}/{@code ssl.truststore.*} files. kafka-clients creates this class by name
 * ({@code ssl.engine.factory.class}) and hands it the client's configuration, in which
 * {@link #CLIENT_TLS_CONFIG} carries the {@code ClientTls} instance.
 *
 * <p>Whether the broker's certificate must name the host dialled is the {@code ClientTls}'s
 * {@link ClientTls#hostnameVerification()}, not kafka-clients' {@code ssl.endpoint.identification.algorithm}:
 * one switch, on by default. Client side only; public only because kafka-clients instantiates it
 * reflectively.
 */
public final class ClientTlsEngineFactory implements SslEngineFactory {
  /** The configuration key whose value is the {@link ClientTls} to use. */
  public static final String CLIENT_TLS_CONFIG = "asupersync.kafka.client.tls";

  private @Nullable ClientTls tls;

  public ClientTlsEngineFactory() {}

  @Override
  public void configure(Map<String, ?> configs) {
    if (!(configs.get(CLIENT_TLS_CONFIG) instanceof ClientTls given)) {
      throw new ConfigException(CLIENT_TLS_CONFIG, configs.get(CLIENT_TLS_CONFIG), "must be an io.asupersync ClientTls");
    }
    tls = given;
  }

  @Override
  public SSLEngine createClientSslEngine(String peerHost, int peerPort, String endpointIdentification) {
    ClientTls configured = tls;
    if (configured == null) {
      throw new IllegalStateException("not configured");
    }
    // The context already carries trust, key, protocols, ciphers and the endpoint identification
    // setting; the host given here is what SNI sends and what the certificate is checked against.
    return configured.get().newEngine(ByteBufAllocator.DEFAULT, peerHost, peerPort);
  }

  @Override
  public SSLEngine createServerSslEngine(String peerHost, int peerPort) {
    throw new UnsupportedOperationException("ClientTls makes client connections only");
  }

  /**
   * Never: kafka-clients' reconfiguration reads key-store files, which this factory has none of. New
   * material comes through {@link ClientTls#reload()}, which the next engine picks up ({@code get()}).
   */
  @Override
  public boolean shouldBeRebuilt(Map<String, Object> nextConfigs) {
    return false;
  }

  @Override
  public Set<String> reconfigurableConfigs() {
    return Set.of();
  }

  /** Not exposed: the material lives in the TLS context, not in a key store. */
  @Override
  public @Nullable KeyStore keystore() {
    return null;
  }

  @Override
  public @Nullable KeyStore truststore() {
    return null;
  }

  @Override
  public void close() {
    tls = null;
  }
}
