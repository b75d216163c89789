package io.asupersync.protocols.kafka;

import io.asupersync.protocols.kafka.internal.ClientTlsEngineFactory;
import io.asupersync.protocols.tls.ClientTls;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;

/** The kafka-clients properties that make a client connect over TLS with a {@link ClientTls}. */
final class KafkaTls {
  private KafkaTls() {}

  /**
   * {@code properties} plus TLS from {@code tls}: SASL, if configured, stays and runs inside TLS.
   * File-based {@code ssl.keystore.*}/{@code ssl.truststore.*} settings are refused, as they would be
   * silently ignored.
   */
  static Map<String, Object> with(Map<String, Object> properties, ClientTls tls) {
    Objects.requireNonNull(tls, "tls");
    for (String name : properties.keySet()) {
      if (name.startsWith("ssl.keystore.") || name.startsWith("ssl.truststore.") || name.equals(SslConfigs.SSL_KEY_PASSWORD_CONFIG)) {
        throw new IllegalArgumentException(name + " does not apply with a ClientTls: its key and trust material are used");
      }
    }
    Map<String, Object> copy = new HashMap<>(properties);
    Object protocol = copy.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
    boolean sasl = protocol != null && protocol.toString().trim().toUpperCase(Locale.ROOT).startsWith("SASL_");
    copy.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, sasl ? "SASL_SSL" : "SSL");
    copy.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, ClientTlsEngineFactory.class);
    copy.put(ClientTlsEngineFactory.CLIENT_TLS_CONFIG, tls);
    return copy;
  }
}
