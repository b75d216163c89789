package io.asupersync.protocols.tls;

import io.asupersync.protocols.tls.TlsConfigException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/** Where the certificates that verify a peer come from; {@link #load} runs again on every reload. */
sealed interface TrustSource {

  TrustManagerFactory load() throws TlsConfigException;

  /** Files read by {@link #load}, watched for changes; empty for in-memory sources. */
  List<Path> files();

  record PemFiles(List<Path> caFiles) implements TrustSource {
    @Override
    public TrustManagerFactory load() throws TlsConfigException {
      try {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int n = 0;
        for (Path file : caFiles) {
          for (X509Certificate cert : Pem.certificates(file)) {
            store.setCertificateEntry("ca-" + n++, cert);
          }
        }
        return factory(store, caFiles.toString());
      } catch (GeneralSecurityException | IOException e) {
        throw new TlsConfigException(Reason.CONTEXT_FAILED, caFiles + ": cannot hold the CA certificates (" + e + ")", e);
      }
    }

    @Override
    public List<Path> files() {
      return caFiles;
    }
  }

  record StoreFile(Path file, char @Nullable [] password) implements TrustSource {
    @Override
    public TrustManagerFactory load() throws TlsConfigException {
      return factory(Stores.load(file, password), file.toString());
    }

    @Override
    public List<Path> files() {
      return List.of(file);
    }
  }

  record Store(KeyStore store) implements TrustSource {
    @Override
    public TrustManagerFactory load() throws TlsConfigException {
      return factory(store, "trust store");
    }

    @Override
    public List<Path> files() {
      return List.of();
    }
  }

  record Factory(Supplier<TrustManagerFactory> supplier) implements TrustSource {
    @Override
    public TrustManagerFactory load() throws TlsConfigException {
      try {
        return Objects.requireNonNull(supplier.get(), "trust manager factory supplier returned null");
      } catch (RuntimeException e) {
        throw new TlsConfigException(Reason.CONTEXT_FAILED, "trust manager factory supplier failed (" + e + ")", e);
      }
    }

    @Override
    public List<Path> files() {
      return List.of();
    }
  }

  private static TrustManagerFactory factory(KeyStore store, String what) throws TlsConfigException {
    try {
      if (store.size() == 0) {
        throw new TlsConfigException(Reason.MALFORMED, what + ": no trusted certificate");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf;
    } catch (GeneralSecurityException e) {
      throw new TlsConfigException(Reason.CONTEXT_FAILED, what + ": " + e.getMessage(), e);
    }
  }
}
