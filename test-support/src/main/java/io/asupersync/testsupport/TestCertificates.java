package io.asupersync.testsupport;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * A fresh test CA, a server certificate and a client certificate (for mTLS) it issued, written as PEM files (the key unencrypted
 * PKCS#8) into a temporary directory, for servers and clients that take files: redis-server's
 * {@code --tls-*-file}, nats-server's {@code tls {}} block, a Spring {@code spring.ssl.bundle.pem.*}.
 * ECDSA P-256, valid from yesterday to tomorrow.
 */
public final class TestCertificates {
  private final Path dir;
  private final Path ca;
  private final Path serverChain;
  private final Path serverKey;
  private final Path clientChain;
  private final Path clientKey;

  private TestCertificates(Path dir, Path ca, Path serverChain, Path serverKey, Path clientChain, Path clientKey) {
    this.dir = dir;
    this.ca = ca;
    this.serverChain = serverChain;
    this.serverKey = serverKey;
    this.clientChain = clientChain;
    this.clientKey = clientKey;
  }

  /** A server certificate for {@code localhost} and {@code 127.0.0.1}. */
  public static TestCertificates forLocalhost() {
    return issue("localhost", true);
  }

  /**
   * A server certificate that names only the host {@code dnsName} (no IP address): a client that dials
   * 127.0.0.1 or localhost with hostname verification must refuse it.
   */
  public static TestCertificates forHost(String dnsName) {
    return issue(dnsName, false);
  }

  /**
   * A server certificate that names only the address {@code 127.0.0.1} (no DNS name): a client that dials
   * {@code localhost} with hostname verification must refuse it.
   */
  public static TestCertificates forLoopbackIp() {
    return issue(null, true);
  }

  private static TestCertificates issue(@Nullable String dnsName, boolean loopbackIp) {
    try {
      Instant now = Instant.now();
      CertificateBuilder base = new CertificateBuilder()
          .ecp256()
          .notBefore(now.minus(1, ChronoUnit.DAYS))
          .notAfter(now.plus(1, ChronoUnit.DAYS));
      X509Bundle ca = base.copy().subject("CN=Asupersync Test CA").setIsCertificateAuthority(true).buildSelfSigned();
      CertificateBuilder leaf = base.copy().subject("CN=" + (dnsName != null ? dnsName : "127.0.0.1")).addExtendedKeyUsageServerAuth();
      if (dnsName != null) {
        leaf.addSanDnsName(dnsName);
      }
      if (loopbackIp) {
        leaf.addSanIpAddress("127.0.0.1");
      }
      X509Bundle server = leaf.buildIssuedBy(ca);
      X509Bundle client = base.copy().subject("CN=asupersync-test-client").addExtendedKeyUsageClientAuth().buildIssuedBy(ca);
      Path dir = Files.createTempDirectory("asupersync-certs");
      dir.toFile().deleteOnExit();
      return new TestCertificates(
          dir,
          write(dir, "ca.pem", ca.getRootCertificatePEM()),
          write(dir, "server-chain.pem", server.getCertificatePathPEM()),
          write(dir, "server-key.pem", server.getPrivateKeyPEM()),
          write(dir, "client-chain.pem", client.getCertificatePathPEM()),
          write(dir, "client-key.pem", client.getPrivateKeyPEM()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue test certificates", e);
    }
  }

  private static Path write(Path dir, String name, String pem) throws IOException {
    Path file = Files.writeString(dir.resolve(name), pem);
    file.toFile().deleteOnExit();
    return file;
  }

  /** The CA certificate (PEM) that clients should trust. */
  public Path caPem() {
    return ca;
  }

  /** A key store holding only the CA certificate: trust material for APIs that take a store, not a file. */
  public KeyStore caTrustStore() {
    try (InputStream in = Files.newInputStream(ca)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the test CA " + ca, e);
    }
  }

  /** The server certificate chain (PEM, leaf first). */
  public Path serverChainPem() {
    return serverChain;
  }

  /** The server's private key (PEM, unencrypted PKCS#8). */
  public Path serverKeyPem() {
    return serverKey;
  }

  /** A client certificate chain (PEM, leaf first) for mTLS, subject {@code CN=asupersync-test-client}. */
  public Path clientChainPem() {
    return clientChain;
  }

  /** The client's private key (PEM, unencrypted PKCS#8). */
  public Path clientKeyPem() {
    return clientKey;
  }

  /** The directory holding the files. */
  public Path dir() {
    return dir;
  }
}
