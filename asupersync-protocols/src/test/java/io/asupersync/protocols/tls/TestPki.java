package io.asupersync.protocols.tls;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Test certificates: a CA with a server and a client certificate, and a second CA with its own client. */
final class TestPki {
  final X509Bundle ca;
  final X509Bundle server;
  final X509Bundle client;
  final X509Bundle otherCa;
  final X509Bundle otherClient;

  private static TestPki shared;

  private TestPki() throws Exception {
    Instant now = Instant.now();
    CertificateBuilder base =
        new CertificateBuilder().ecp256().notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS));
    ca = base.copy().subject("CN=Test CA").setIsCertificateAuthority(true).buildSelfSigned();
    server = serverCert("CN=localhost");
    client = base.copy().subject("CN=good-client,O=Asupersync").addExtendedKeyUsageClientAuth().buildIssuedBy(ca);
    otherCa = base.copy().subject("CN=Other CA").setIsCertificateAuthority(true).buildSelfSigned();
    otherClient = base.copy().subject("CN=stranger").addExtendedKeyUsageClientAuth().buildIssuedBy(otherCa);
  }

  /** One set per test run: generating keys is the slow part of these tests. */
  static synchronized TestPki get() throws Exception {
    if (shared == null) {
      shared = new TestPki();
    }
    return shared;
  }

  /** A server certificate for localhost and 127.0.0.1, issued by {@link #ca}. */
  X509Bundle serverCert(String subject) throws Exception {
    Instant now = Instant.now();
    return new CertificateBuilder()
        .ecp256()
        .notBefore(now.minus(1, ChronoUnit.DAYS))
        .notAfter(now.plus(1, ChronoUnit.DAYS))
        .subject(subject)
        .addSanDnsName("localhost")
        .addSanIpAddress("127.0.0.1")
        .addExtendedKeyUsageServerAuth()
        .buildIssuedBy(ca);
  }

  static Path write(Path dir, String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Chain (leaf and intermediates, no root) and key PEM files of {@code bundle} in {@code dir}. */
  static Path[] writeKeyPair(Path dir, String prefix, X509Bundle bundle) {
    return new Path[] {
      write(dir, prefix + "-chain.pem", bundle.getCertificatePathPEM()),
      write(dir, prefix + "-key.pem", bundle.getPrivateKeyPEM())
    };
  }

  static Path writeCa(Path dir, String name, X509Bundle bundle) {
    return write(dir, name, bundle.getRootCertificatePEM());
  }
}
