package io.asupersync.protocols.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server's side of the opening handshake, over raw HTTP/1.1. */
class WebSocketHandshakeTests {

  static Runtime runtime;
  static AsupersyncServer server;

  @BeforeAll
  static void start() {
    runtime = Runtime.builder().shutdownTimeout(Duration.ofSeconds(10)).build();
    server = AsupersyncServer.builder(runtime)
        .cleartextPort(0)
        .websocket("/ws/echo", EchoHandlers.ECHO)
        .get("/plain", (cx, request) -> HttpResponse.ok("plain"))
        .start();
  }

  @AfterAll
  static void stop() {
    server.close();
    runtime.close();
  }

  private static String exchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.cleartextPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static String upgrade(String method, String path, String headers) throws IOException {
    return exchange(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n");
  }

  private static final String GOOD = "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

  @Test
  void validUpgradeGetsSwitchingProtocolsWithTheAcceptKey() throws IOException {
    String response = upgrade("GET", "/ws/echo?room=1", GOOD);
    assertThat(response).startsWith("HTTP/1.1 101 ");
    // The example of RFC 6455 section 1.3.
    assertThat(response).containsIgnoringCase("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assertThat(response).doesNotContainIgnoringCase("sec-websocket-extensions");
  }

  @Test
  void wrongVersionGetsUpgradeRequiredNamingVersion13() throws IOException {
    String response = upgrade("GET", "/ws/echo", GOOD.replace("Version: 13", "Version: 8"));
    assertThat(response).startsWith("HTTP/1.1 426 ").containsIgnoringCase("sec-websocket-version: 13");
  }

  @Test
  void malformedKeyGetsBadRequest() throws IOException {
    assertThat(upgrade("GET", "/ws/echo", GOOD.replace("dGhlIHNhbXBsZSBub25jZQ==", "short"))).startsWith("HTTP/1.1 400 ");
    assertThat(upgrade("GET", "/ws/echo", GOOD.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""))).startsWith("HTTP/1.1 400 ");
  }

  @Test
  void upgradeWithoutConnectionUpgradeGetsBadRequest() throws IOException {
    assertThat(upgrade("GET", "/ws/echo", GOOD.replace("Connection: keep-alive, Upgrade", "Connection: keep-alive"))).startsWith("HTTP/1.1 400 ");
  }

  @Test
  void postGetsMethodNotAllowed() throws IOException {
    assertThat(upgrade("POST", "/ws/echo", GOOD + "Content-Length: 0\r\n")).startsWith("HTTP/1.1 405 ");
  }

  @Test
  void upgradeToAPathThatIsNoEndpointIsRoutedAsAPlainRequest() throws IOException {
    assertThat(upgrade("GET", "/elsewhere", GOOD)).startsWith("HTTP/1.1 404 ");
    assertThat(upgrade("GET", "/plain", GOOD)).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void deflateOfferIsAcceptedEchoingNoContextTakeover() throws IOException {
    String response = upgrade("GET", "/ws/echo", GOOD
        + "Sec-WebSocket-Extensions: x-unknown, permessage-deflate; client_max_window_bits; server_no_context_takeover\r\n");
    assertThat(response).startsWith("HTTP/1.1 101 ")
        .containsIgnoringCase("sec-websocket-extensions: permessage-deflate; server_no_context_takeover\r\n");
  }

  @Test
  void deflateOfferThatCannotBeHonouredIsDeclined() throws IOException {
    String response = upgrade("GET", "/ws/echo", GOOD + "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10\r\n");
    assertThat(response).startsWith("HTTP/1.1 101 ").doesNotContainIgnoringCase("sec-websocket-extensions");
  }
}
