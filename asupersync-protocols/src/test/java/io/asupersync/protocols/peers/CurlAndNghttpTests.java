package io.asupersync.protocols.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.protocols.tls.ClientAuth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Debian's curl (libcurl with nghttp2) and nghttp2's {@code nghttp} against our server, in every mode they speak. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CurlAndNghttpTests {
  private PeerServer server;

  @BeforeAll
  void startServer() throws Exception {
    server = new PeerServer(ClientAuth.NONE);
  }

  @AfterAll
  void stopServer() {
    server.close();
  }

  /** Body and {@code %{http_version}} of a curl exchange that must succeed. */
  record CurlAnswer(String body, String httpVersion) {}

  private CurlAnswer curl(String... args) throws Exception {
    PeerTools.assumeOnPath("curl");
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-w", "\n%{http_version}"));
    command.addAll(List.of(args));
    PeerTools.Run run = PeerTools.run(command);
    assertThat(run.exitCode()).as("%s", run).isZero();
    int split = run.output().lastIndexOf('\n');
    return new CurlAnswer(run.output().substring(0, split), run.output().substring(split + 1));
  }

  private String cleartext() {
    return "http://127.0.0.1:" + server.cleartextPort() + "/";
  }

  /** Verifies the server's chain against the test CA, by name (localhost) as a browser would. */
  private String[] tls(String version) {
    int port = server.tlsPort();
    return new String[] {
      version, "--cacert", server.pki.caFile.toString(), "--resolve", "localhost:" + port + ":127.0.0.1", "https://localhost:" + port + "/"
    };
  }

  @Test
  void curlHttp11() throws Exception {
    assertThat(curl("--http1.1", cleartext())).isEqualTo(new CurlAnswer(PeerServer.BODY, "1.1"));
  }

  @Test
  void curlH2cWithPriorKnowledge() throws Exception {
    assertThat(curl("--http2-prior-knowledge", cleartext())).isEqualTo(new CurlAnswer(PeerServer.BODY, "2"));
  }

  @Test
  void curlH2cThroughHttp11Upgrade() throws Exception {
    // --http2 on an http:// URL sends "Upgrade: h2c" with the first request
    assertThat(curl("--http2", cleartext())).isEqualTo(new CurlAnswer(PeerServer.BODY, "2"));
  }

  @Test
  void curlPostsABodyOverH2c() throws Exception {
    assertThat(curl("--http2-prior-knowledge", "--data-binary", "hello", cleartext()))
        .isEqualTo(new CurlAnswer("received 5 bytes", "2"));
  }

  @Test
  void curlH2OverTlsNegotiatedWithAlpn() throws Exception {
    assertThat(curl(tls("--http2"))).isEqualTo(new CurlAnswer(PeerServer.BODY, "2"));
  }

  @Test
  void curlHttp11OverTlsWhenItOffersOnlyHttp11() throws Exception {
    assertThat(curl(tls("--http1.1"))).isEqualTo(new CurlAnswer(PeerServer.BODY, "1.1"));
  }

  private PeerTools.Run nghttp(String... args) throws Exception {
    PeerTools.assumeOnPath("nghttp");
    List<String> command = new ArrayList<>(List.of("nghttp", "-v", "--timeout=20"));
    command.addAll(List.of(args));
    PeerTools.Run run = PeerTools.run(command);
    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.output()).as("%s", run).contains(":status: 200").contains(PeerServer.BODY);
    return run;
  }

  @Test
  void nghttpH2cWithPriorKnowledge() throws Exception {
    PeerTools.Run run = nghttp(cleartext());
    assertThat(run.output()).as("%s", run).doesNotContain("HTTP Upgrade").contains("recv SETTINGS frame");
  }

  @Test
  void nghttpH2cThroughHttp11Upgrade() throws Exception {
    PeerTools.Run run = nghttp("-u", cleartext());
    assertThat(run.output()).as("%s", run).contains("HTTP Upgrade success");
  }

  @Test
  void nghttpH2OverTls() throws Exception {
    // nghttp does not verify certificates; the curl tests do
    PeerTools.Run run = nghttp("https://localhost:" + server.tlsPort() + "/");
    assertThat(run.output()).as("%s", run).contains("The negotiated protocol: h2");
  }
}
