package io.asupersync.protocols.peers;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Certificates for the peer tools, written as PEM files they can read: a CA, an RSA server certificate
 * for localhost and 127.0.0.1 (RSA, so that RSA key exchange and ECDHE-RSA CBC suites are ones the server
 * could pick if its policy allowed them), a client of that CA and a client of another CA.
 */
final class PeerPki {
  final X509Bundle client;
  final Path dir;
  final Path caFile;
  final Path serverChain;
  final Path serverKey;
  final Path clientChain;
  final Path clientKey;
  final Path strangerChain;
  final Path strangerKey;

  private static PeerPki shared;

  private PeerPki() throws Exception {
    Instant now = Instant.now();
    CertificateBuilder base =
        new CertificateBuilder().notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS));
    X509Bundle ca = base.copy().ecp256().subject("CN=Peers Test CA").setIsCertificateAuthority(true).buildSelfSigned();
    X509Bundle server =
        base.copy()
            .rsa2048()
            .subject("CN=localhost")
            .addSanDnsName("localhost")
            .addSanIpAddress("127.0.0.1")
            .addExtendedKeyUsageServerAuth()
            .buildIssuedBy(ca);
    client = base.copy().ecp256().subject("CN=good-client,O=Asupersync").addExtendedKeyUsageClientAuth().buildIssuedBy(ca);
    X509Bundle otherCa = base.copy().ecp256().subject("CN=Other CA").setIsCertificateAuthority(true).buildSelfSigned();
    X509Bundle stranger = base.copy().ecp256().subject("CN=stranger").addExtendedKeyUsageClientAuth().buildIssuedBy(otherCa);

    dir = Files.createTempDirectory("peers-pki");
    caFile = write("ca.pem", ca.getRootCertificatePEM());
    serverChain = write("server-chain.pem", server.getCertificatePathPEM());
    serverKey = write("server-key.pem", server.getPrivateKeyPEM());
    clientChain = write("client-chain.pem", client.getCertificatePathPEM());
    clientKey = write("client-key.pem", client.getPrivateKeyPEM());
    strangerChain = write("stranger-chain.pem", stranger.getCertificatePathPEM());
    strangerKey = write("stranger-key.pem", stranger.getPrivateKeyPEM());
  }

  /** One set per test JVM: key generation (RSA above all) is the slow part. */
  static synchronized PeerPki get() throws Exception {
    if (shared == null) {
      shared = new PeerPki();
    }
    return shared;
  }

  /** The name a handler sees for {@link #client}. */
  String clientPrincipal() {
    return client.getCertificate().getSubjectX500Principal().getName();
  }

  private Path write(String name, String pem) {
    try {
      Path file = Files.writeString(dir.resolve(name), pem);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
