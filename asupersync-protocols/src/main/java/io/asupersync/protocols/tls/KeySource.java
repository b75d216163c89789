package io.asupersync.protocols.tls;

import io.asupersync.protocols.tls.TlsConfigException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;

/** Where a certificate chain and its private key come from; {@link #load} runs again on every reload. */
sealed interface KeySource {

  KeyManagerFactory load() throws TlsConfigException;

  /** Files read by {@link #load}, watched for changes; empty for in-memory sources. */
  List<Path> files();

  record PemFiles(Path chain, Path key, char @Nullable [] password) implements KeySource {
    @Override
    public KeyManagerFactory load() throws TlsConfigException {
      List<X509Certificate> certs = Pem.certificates(chain);
      PrivateKey privateKey = Pem.privateKey(key, password);
      X509Certificate[] array = certs.toArray(X509Certificate[]::new);
      checkPair(key + " with " + chain, privateKey, array);
      // An in-memory store only hands the pair to a KeyManagerFactory; its password guards nothing.
      char[] storePassword = new char[0];
      try {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", privateKey, storePassword, array);
        return factory(store, storePassword, chain.toString());
      } catch (GeneralSecurityException | IOException e) {
        throw new TlsConfigException(Reason.CONTEXT_FAILED, chain + ": cannot hold the key pair (" + e + ")", e);
      }
    }

    @Override
    public List<Path> files() {
      return List.of(chain, key);
    }
  }

  record StoreFile(Path file, char[] storePassword, char[] keyPassword) implements KeySource {
    @Override
    public KeyManagerFactory load() throws TlsConfigException {
      KeyStore store = Stores.load(file, storePassword);
      checkStore(file.toString(), store, keyPassword);
      return factory(store, keyPassword, file.toString());
    }

    @Override
    public List<Path> files() {
      return List.of(file);
    }
  }

  record Store(KeyStore store, char[] keyPassword) implements KeySource {
    @Override
    public KeyManagerFactory load() throws TlsConfigException {
      checkStore("key store", store, keyPassword);
      return factory(store, keyPassword, "key store");
    }

    @Override
    public List<Path> files() {
      return List.of();
    }
  }

  record Factory(Supplier<KeyManagerFactory> supplier) implements KeySource {
    @Override
    public KeyManagerFactory load() throws TlsConfigException {
      try {
        return Objects.requireNonNull(supplier.get(), "key manager factory supplier returned null");
      } catch (RuntimeException e) {
        throw new TlsConfigException(Reason.CONTEXT_FAILED, "key manager factory supplier failed (" + e + ")", e);
      }
    }

    @Override
    public List<Path> files() {
      return List.of();
    }
  }

  private static KeyManagerFactory factory(KeyStore store, char[] keyPassword, String what) throws TlsConfigException {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, keyPassword);
      return kmf;
    } catch (UnrecoverableKeyException e) {
      throw new TlsConfigException(Reason.BAD_PASSWORD, what + ": wrong key password", e);
    } catch (GeneralSecurityException e) {
      throw new TlsConfigException(Reason.CONTEXT_FAILED, what + ": " + e.getMessage(), e);
    }
  }

  /** Every key entry must open with the password and carry a valid chain that matches its key. */
  private static void checkStore(String what, KeyStore store, char[] keyPassword) throws TlsConfigException {
    int keys = 0;
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (!store.isKeyEntry(alias)) {
          continue;
        }
        Key key = store.getKey(alias, keyPassword);
        Certificate[] chain = store.getCertificateChain(alias);
        if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
          continue;
        }
        X509Certificate[] x509 = Arrays.stream(chain).map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
        checkPair(what + " entry '" + alias + "'", privateKey, x509);
        keys++;
      }
    } catch (UnrecoverableKeyException e) {
      throw new TlsConfigException(Reason.BAD_PASSWORD, what + ": wrong key password", e);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new TlsConfigException(Reason.MALFORMED, what + ": cannot read its entries (" + e + ")", e);
    }
    if (keys == 0) {
      throw new TlsConfigException(Reason.MALFORMED, what + ": no private key entry with a certificate chain");
    }
  }

  /** A leaf that expired, or a key that is not the leaf's, would only surface as a handshake failure. */
  static void checkPair(String what, PrivateKey key, X509Certificate[] chain) throws TlsConfigException {
    X509Certificate leaf = chain[0];
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new TlsConfigException(
          Reason.CERTIFICATE_NOT_VALID, what + ": certificate " + leaf.getSubjectX500Principal() + " expired " + leaf.getNotAfter().toInstant(), e);
    } catch (CertificateNotYetValidException e) {
      throw new TlsConfigException(
          Reason.CERTIFICATE_NOT_VALID, what + ": certificate " + leaf.getSubjectX500Principal() + " not valid before " + leaf.getNotBefore().toInstant(), e);
    }
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
          default -> null;
        };
    if (algorithm == null) {
      return;
    }
    try {
      byte[] probe = "asupersync key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new TlsConfigException(Reason.KEY_MISMATCH, what + ": the private key does not belong to certificate " + leaf.getSubjectX500Principal());
      }
    } catch (GeneralSecurityException e) {
      throw new TlsConfigException(Reason.KEY_MISMATCH, what + ": the private key does not belong to certificate " + leaf.getSubjectX500Principal() + " (" + e.getMessage() + ")", e);
    }
  }
}
