package io.asupersync.spring.boot.server;

import io.asupersync.protocols.tls.ClientAuth;
import io.asupersync.protocols.tls.ServerTls;
import io.asupersync.protocols.tls.TlsConfigException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * Builds the server's TLS from a Spring SSL bundle ({@code spring.ssl.bundle.pem.*} or {@code .jks.*}):
 * the bundle's key managers serve the certificate, its trust managers (when the bundle has a trust
 * store) verify client certificates. When the bundle changes ({@code reload-on-update}) the TLS context
 * is rebuilt for new connections; connections already open keep theirs, and a bundle that cannot make
 * a context leaves the previous one in use.
 */
public final class SslBundleServerTls {

  private static final System.Logger LOG = System.getLogger(SslBundleServerTls.class.getName());

  private SslBundleServerTls() {}

  /**
   * The TLS of a server port from bundle {@code name}, reloaded when the bundle is updated.
   *
   * @throws TlsConfigException when the bundle's material cannot make a server context, or client
   *     authentication is asked for and the bundle has no trust store
   */
  public static ServerTls of(SslBundles bundles, String name, ClientAuth clientAuth) throws TlsConfigException {
    SslBundle bundle = bundles.getBundle(name);
    ServerTls.Builder builder =
        ServerTls.builder()
            .clientAuth(clientAuth)
            // Suppliers: a reload asks the registry again, so it sees the updated bundle.
            .keyManagerFactory(() -> bundles.getBundle(name).getManagers().getKeyManagerFactory());
    if (bundle.getStores().getTrustStore() != null) {
      builder.trustManagerFactory(() -> bundles.getBundle(name).getManagers().getTrustManagerFactory());
    }
    ServerTls tls = builder.build();
    bundles.addBundleUpdateHandler(name, updated -> reload(tls, name));
    return tls;
  }

  private static void reload(ServerTls tls, String name) {
    try {
      tls.reload();
      LOG.log(System.Logger.Level.INFO, "Reloaded TLS of the Asupersync server from SSL bundle ''{0}''", name);
    } catch (TlsConfigException ex) {
      LOG.log(
          System.Logger.Level.WARNING,
          "SSL bundle ''{0}'' changed but cannot make a TLS context ({1}); keeping the previous one",
          name,
          ex.getMessage());
    }
  }
}
