package io.asupersync.spring.boot.autoconfigure.messaging;

import io.asupersync.protocols.tls.ClientTls;
import io.asupersync.protocols.tls.TlsConfigException;
import io.asupersync.spring.boot.autoconfigure.InvalidAsupersyncPropertyException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The client TLS of a messaging client: from an SSL bundle (its trust store decides which servers are
 * trusted, its key store, if any, is the client certificate for mTLS), else the JDK's default CAs.
 * Hostname verification is always on: the server's certificate must name the host in the settings. When
 * the bundle is updated ({@code reload-on-update}), the context is rebuilt for the client's next
 * connections (a rotated client certificate, a new CA); open connections keep theirs, and a bundle that
 * cannot make a context leaves the previous one in use.
 */
final class MessagingTls {
  private static final Logger LOG = LoggerFactory.getLogger(MessagingTls.class);

  private MessagingTls() {}

  static ClientTls clientTls(ObjectProvider<SslBundles> sslBundles, @Nullable String bundleName, String property) {
    try {
      if (bundleName == null) {
        return ClientTls.systemDefault();
      }
      SslBundles bundles = sslBundles.getIfAvailable();
      if (bundles == null) {
        throw new InvalidAsupersyncPropertyException(property, bundleName, "no SSL bundles are configured",
            defineIt(bundleName));
      }
      SslBundle bundle;
      try {
        bundle = bundles.getBundle(bundleName);
      } catch (NoSuchSslBundleException ex) {
        throw new InvalidAsupersyncPropertyException(
            property, bundleName, "no SSL bundle named '" + bundleName + "' is defined", defineIt(bundleName));
      }
      // Suppliers: a reload asks the registry again, so it sees the updated bundle.
      ClientTls.Builder builder = ClientTls.builder();
      if (bundle.getStores().getTrustStore() != null) {
        builder.trustManagerFactory(() -> bundles.getBundle(bundleName).getManagers().getTrustManagerFactory());
      }
      if (bundle.getStores().getKeyStore() != null) {
        builder.keyManagerFactory(() -> bundles.getBundle(bundleName).getManagers().getKeyManagerFactory());
      }
      ClientTls tls = builder.build();
      bundles.addBundleUpdateHandler(bundleName, updated -> reload(tls, bundleName, property));
      return tls;
    } catch (TlsConfigException ex) {
      throw new InvalidAsupersyncPropertyException(property, bundleName,
          "cannot make a client TLS context: " + ex.getMessage(),
          bundleName == null
              ? "Set " + property + " to an SSL bundle."
              : "Fix the key material of the bundle under spring.ssl.bundle.*.");
    }
  }

  private static void reload(ClientTls tls, String bundleName, String property) {
    try {
      tls.reload();
      LOG.info("Reloaded the client TLS of {} from SSL bundle '{}'", property, bundleName);
    } catch (TlsConfigException ex) {
      LOG.warn("SSL bundle '{}' ({}) changed but cannot make a TLS context ({}); keeping the previous one",
          bundleName, property, ex.getMessage());
    }
  }

  private static String defineIt(String bundleName) {
    return "Define it under spring.ssl.bundle.pem." + bundleName + " or spring.ssl.bundle.jks." + bundleName + ".";
  }
}
