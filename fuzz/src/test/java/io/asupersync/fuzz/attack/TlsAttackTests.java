package io.asupersync.fuzz.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.asupersync.protocols.tls.ClientAuth;
import io.asupersync.protocols.tls.ServerTls;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS attacks on a running server's TLS port (client certificates required): old protocol versions and
 * weak cipher suites are offered with hand-written ClientHellos, so the server's refusal is what is
 * tested (a JDK client would refuse to offer them itself); mTLS without a certificate and with one from
 * a foreign CA. Each asserts the refusal on the wire, that a client with a proper certificate is served
 * meanwhile and after, and that the heap stayed within the bound.
 */
class TlsAttackTests {

  private static final int ALERT = 0x15;
  private static final int HANDSHAKE = 0x16;

  private static X509Bundle ca;
  private static X509Bundle alice;
  private static X509Bundle mallory;
  private static Target target;

  @BeforeAll
  static void start() throws Exception {
    Instant now = Instant.now();
    CertificateBuilder base =
        new CertificateBuilder().notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS)).ecp256();
    ca = base.copy().subject("CN=Attack CA").setIsCertificateAuthority(true).buildSelfSigned();
    X509Bundle server =
        base.copy().subject("CN=localhost").addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
    alice = base.copy().subject("CN=alice").addExtendedKeyUsageClientAuth().buildIssuedBy(ca);
    X509Bundle otherCa = base.copy().subject("CN=Other CA").setIsCertificateAuthority(true).buildSelfSigned();
    mallory = base.copy().subject("CN=mallory").addExtendedKeyUsageClientAuth().buildIssuedBy(otherCa);
    ServerTls tls =
        ServerTls.builder()
            .keyManagerFactory(server.toKeyManagerFactory())
            .trustManagerFactory(ca.toTrustManagerFactory())
            .clientAuth(ClientAuth.NEED)
            .build();
    target = new Target(b -> b.cleartextPort(0).tlsPort(0).tlsContext(tls));
  }

  @AfterAll
  static void stop() {
    target.close();
  }

  @AfterEach
  void properClientStillServedAndHeapBounded() throws Exception {
    assertThat(httpsGet(alice)).startsWith("HTTP/1.1 200");
    target.assertServed();
    target.assertHeapBounded();
  }

  @Test
  void tls10IsRefused() throws Exception {
    assertRefusedWithAlert(clientHello(0x0301, 0xc013, 0x002f));
  }

  @Test
  void tls11IsRefused() throws Exception {
    assertRefusedWithAlert(clientHello(0x0302, 0xc013, 0x002f));
  }

  @Test
  void weakCipherSuitesAreRefused() throws Exception {
    // TLS 1.2 offering only RSA key exchange (no forward secrecy), CBC, 3DES and RC4
    assertRefusedWithAlert(clientHello(0x0303, 0x002f, 0x0035, 0x000a, 0x0005));
  }

  @Test
  void mutualTlsWithoutACertificateIsRefused() {
    assertThat(catchThrowable(() -> httpsGet(null))).as("a request without a client certificate").isInstanceOf(IOException.class);
  }

  @Test
  void mutualTlsWithACertificateFromAnotherCaIsRefused() {
    assertThat(catchThrowable(() -> httpsGet(mallory))).as("a request with a foreign certificate").isInstanceOf(IOException.class);
  }

  private static void assertRefusedWithAlert(byte[] hello) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), target.server.tlsPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(hello);
      s.getOutputStream().flush();
      assertThat(httpsGet(alice)).as("a proper client meanwhile").startsWith("HTTP/1.1 200");
      byte[] answer = Target.readBytes(s);
      assertThat(answer).as("the server's answer").isNotEmpty();
      assertThat(answer[0] & 0xff).as("record type: an alert, never a ServerHello").isEqualTo(ALERT);
      assertThat(answer[5] & 0xff).as("alert level fatal").isEqualTo(2);
      assertThat(answer[6] & 0xff).as("alert: protocol_version (70) or handshake_failure (40)").isIn(70, 40);
    }
  }

  /** A minimal ClientHello record with {@code version} and {@code suites}, no extensions. */
  private static byte[] clientHello(int version, int... suites) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(version >>> 8);
    body.write(version);
    body.writeBytes(new byte[32]); // random
    body.write(0); // no session id
    body.write(0);
    body.write(suites.length * 2);
    for (int suite : suites) {
      body.write(suite >>> 8);
      body.write(suite);
    }
    body.write(1); // one compression method: null
    body.write(0);
    byte[] b = body.toByteArray();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    int handshakeLength = b.length + 4;
    record.writeBytes(new byte[] {HANDSHAKE, 0x03, 0x01, (byte) (handshakeLength >>> 8), (byte) handshakeLength});
    record.writeBytes(new byte[] {0x01, 0, (byte) (b.length >>> 8), (byte) b.length});
    record.writeBytes(b);
    return record.toByteArray();
  }

  /** GET / over TLS trusting the CA, presenting {@code identity} when not null; the whole answer. */
  private static String httpsGet(@Nullable X509Bundle identity) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    KeyManagerFactory kmf = identity == null ? null : identity.toKeyManagerFactory();
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), ca.toTrustManagerFactory().getTrustManagers(), null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), target.server.tlsPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      if (answer.isEmpty()) {
        throw new IOException("connection closed without an answer");
      }
      return answer;
    }
  }
}
