package io.asupersync.protocols.tls;

import static io.asupersync.protocols.tls.TestPki.write;
import static io.asupersync.protocols.tls.TestPki.writeCa;
import static io.asupersync.protocols.tls.TestPki.writeKeyPair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.protocols.tls.TlsConfigException.Reason;
import io.asupersync.protocols.tls.TlsPeers.EchoServer;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every source of key and trust material, and the typed error each kind of bad material gives. */
class TlsMaterialTests {

  @TempDir static Path dir;
  static TestPki pki;
  static Path chain;
  static Path key;
  static Path caFile;

  @BeforeAll
  static void writeMaterial() throws Exception {
    pki = TestPki.get();
    Path[] server = writeKeyPair(dir, "server", pki.server);
    chain = server[0];
    key = server[1];
    caFile = writeCa(dir, "ca.pem", pki.ca);
  }

  private static void assertReason(ThrowingCallable build, Reason reason, String messagePart) {
    assertThatThrownBy(build)
        .isInstanceOfSatisfying(TlsConfigException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(messagePart);
  }

  private static boolean serves(ServerTls tls) throws Exception {
    try (EchoServer echo = new EchoServer(tls)) {
      return TlsPeers.exchange(ClientTls.builder().trustPem(caFile).build(), "localhost", echo.port(), "ok").echoed("ok");
    }
  }

  @Test
  void missingFilesNameThePath() {
    Path nowhere = dir.resolve("nowhere.pem");
    assertReason(() -> ServerTls.builder().keyPem(nowhere, key).build(), Reason.UNREADABLE, "nowhere.pem: no such file");
    assertReason(() -> ServerTls.builder().keyPem(chain, nowhere).build(), Reason.UNREADABLE, "nowhere.pem");
    assertReason(() -> ClientTls.builder().trustPem(nowhere).build(), Reason.UNREADABLE, "nowhere.pem");
  }

  @Test
  void oversizedFileIsRefusedBeforeItIsRead() throws Exception {
    Path huge = dir.resolve("huge.pem");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(Pem.MAX_FILE_BYTES + 1);
    }
    assertReason(() -> ServerTls.builder().keyPem(huge, key).build(), Reason.UNREADABLE, "more than a TLS file may hold");
  }

  @Test
  void garbageIsMalformed() {
    Path garbage = write(dir, "garbage.pem", "hello\n");
    assertReason(() -> ServerTls.builder().keyPem(garbage, key).build(), Reason.MALFORMED, "garbage.pem");
    assertReason(() -> ServerTls.builder().keyPem(chain, garbage).build(), Reason.MALFORMED, "no PEM private key");
    Path badBase64 = write(dir, "bad64.pem", "-----BEGIN PRIVATE KEY-----\n@@@@\n-----END PRIVATE KEY-----\n");
    assertReason(() -> ServerTls.builder().keyPem(chain, badBase64).build(), Reason.MALFORMED, "base64");
  }

  @Test
  void pkcs1KeyIsRefusedWithTheConversionCommand() {
    Path pkcs1 = write(dir, "rsa.pem", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    assertReason(() -> ServerTls.builder().keyPem(chain, pkcs1).build(), Reason.UNSUPPORTED_FORMAT, "openssl pkcs8 -topk8");
  }

  @Test
  void encryptedPkcs8KeyOpensWithItsPasswordOnly() throws Exception {
    Path encrypted = dir.resolve("encrypted.pem");
    Process openssl = new ProcessBuilder(
            "openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", key.toString(), "-out", encrypted.toString(),
            "-passout", "pass:s3cret")
        .redirectErrorStream(true)
        .start();
    assertThat(openssl.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).isZero();

    assertThat(serves(ServerTls.builder().keyPem(chain, encrypted, "s3cret".toCharArray()).build())).isTrue();
    assertReason(() -> ServerTls.builder().keyPem(chain, encrypted, "wrong".toCharArray()).build(), Reason.BAD_PASSWORD, "wrong password");
    assertReason(() -> ServerTls.builder().keyPem(chain, encrypted).build(), Reason.BAD_PASSWORD, "no password was given");
  }

  @Test
  void keyOfAnotherCertificateIsAMismatch() {
    Path otherKey = write(dir, "other-key.pem", pki.client.getPrivateKeyPEM());
    assertReason(() -> ServerTls.builder().keyPem(chain, otherKey).build(), Reason.KEY_MISMATCH, "does not belong to certificate CN=localhost");
  }

  @Test
  void expiredCertificateIsRefused() throws Exception {
    Instant now = Instant.now();
    X509Bundle expired = new CertificateBuilder().ecp256().subject("CN=localhost")
        .notBefore(now.minus(10, ChronoUnit.DAYS)).notAfter(now.minus(1, ChronoUnit.DAYS)).buildIssuedBy(pki.ca);
    Path[] files = writeKeyPair(dir, "expired", expired);
    assertReason(() -> ServerTls.builder().keyPem(files[0], files[1]).build(), Reason.CERTIFICATE_NOT_VALID, "expired");
  }

  @Test
  void settingsThatDoNotAddUpAreInvalid() {
    assertReason(() -> ServerTls.builder().build(), Reason.INVALID_SETTINGS, "needs key material");
    assertReason(() -> ServerTls.builder().keyPem(chain, key).clientAuth(ClientAuth.WANT).build(), Reason.INVALID_SETTINGS, "trust source");
  }

  @Test
  void pkcs12KeyStoreServesAndAWrongPasswordIsNamed() throws Exception {
    Path store = pki.server.toTempKeyStoreFile("changeit".toCharArray()).toPath();
    try {
      assertThat(serves(ServerTls.builder().keyStore(store, "changeit".toCharArray()).build())).isTrue();
      assertReason(() -> ServerTls.builder().keyStore(store, "nope".toCharArray()).build(), Reason.BAD_PASSWORD, "password");
      assertReason(() -> ServerTls.builder().keyStore(chain, "x".toCharArray()).build(), Reason.MALFORMED, "not a PKCS#12 or JKS");
      assertThat(serves(ServerTls.builder().keyStore(pki.server.toKeyStore("pw".toCharArray()), "pw".toCharArray()).build())).isTrue();
    } finally {
      java.nio.file.Files.deleteIfExists(store);
    }
  }

  @Test
  void keyStoreWithoutPrivateKeyIsMalformed() throws Exception {
    java.security.KeyStore trustOnly = java.security.KeyStore.getInstance("PKCS12");
    trustOnly.load(null, null);
    trustOnly.setCertificateEntry("ca", pki.ca.getCertificate());
    assertReason(() -> ServerTls.builder().keyStore(trustOnly, new char[0]).build(), Reason.MALFORMED, "no private key entry");
  }

  /** The path the Spring starter takes: an SSL bundle's key and trust manager factories. */
  @Test
  void managerFactoriesServeMutualTls() throws Exception {
    ServerTls tls = ServerTls.builder()
        .keyManagerFactory(pki.server.toKeyManagerFactory())
        .trustManagerFactory(pki.ca.toTrustManagerFactory())
        .clientAuth(ClientAuth.NEED)
        .build();
    ClientTls client = ClientTls.builder()
        .keyManagerFactory(pki.client.toKeyManagerFactory())
        .trustManagerFactory(pki.ca.toTrustManagerFactory())
        .build();
    try (EchoServer echo = new EchoServer(tls)) {
      assertThat(TlsPeers.exchange(client, "localhost", echo.port(), "m").echoed("m")).isTrue();
      assertThat(echo.handshakes.poll(5, TimeUnit.SECONDS).peerPrincipal()).contains(pki.client.getCertificate().getSubjectX500Principal());
    }
  }

  @Test
  void suppliedKeyManagerFactoryIsAskedAgainOnReload() throws Exception {
    AtomicReference<KeyManagerFactory> bundle = new AtomicReference<>(pki.server.toKeyManagerFactory());
    ServerTls tls = ServerTls.builder().keyManagerFactory(bundle::get).build();
    bundle.set(pki.serverCert("CN=localhost,OU=bundle-update").toKeyManagerFactory());

    tls.reload();

    assertThat(tls.generation()).isEqualTo(2);
    try (EchoServer echo = new EchoServer(tls)) {
      var exchange = TlsPeers.exchange(ClientTls.builder().trustPem(caFile).build(), "localhost", echo.port(), "s");
      assertThat(exchange.info().peerCertificate().orElseThrow().getSubjectX500Principal().getName()).isEqualTo("CN=localhost,OU=bundle-update");
    }
    assertThat(tls.reloadIfChanged()).as("no files to watch").isFalse();
  }
}
