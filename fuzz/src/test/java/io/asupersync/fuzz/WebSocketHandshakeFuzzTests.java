package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.websocket.WebSocketLimits;
import io.asupersync.protocols.websocket.internal.Handshake;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the server side of the WebSocket opening handshake ({@link Handshake#server}): the checks of
 * the upgrade request and the negotiation of permessage-deflate (RFC 7692 parameter parsing) and of
 * the subprotocol.
 *
 * <p>The first input byte picks the method (bit 0: POST instead of GET) and whether the endpoint
 * offers permessage-deflate (bit 1 clear); the rest, read as ISO-8859-1, is header lines {@code
 * name:value} separated by {@code \n} (a line without a colon is skipped). Invariants: nothing
 * escapes; a refusal is 400, 405 or 426; an acceptance comes for a GET with exactly one key that is
 * the base64 of 16 bytes and version 13, answers {@code Sec-WebSocket-Accept} as RFC 6455 computes
 * it (checked independently here), picks a subprotocol the client offered and the endpoint speaks, and
 * agrees on permessage-deflate only when the endpoint offers it and the client asked for it.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays {@code WebSocketHandshakeFuzzTestsInputs/upgradeRequest},
 * whose seeds {@link #seeds()} generates ({@link SeedFiles}).
 */
class WebSocketHandshakeFuzzTests {

  private static final List<String> SUBPROTOCOLS = List.of("chat", "mqtt");
  private static final WebSocketLimits WITH_DEFLATE = WebSocketLimits.defaults().withPermessageDeflate(true);
  private static final WebSocketLimits WITHOUT_DEFLATE = WebSocketLimits.defaults().withPermessageDeflate(false);

  @FuzzTest(maxDuration = "5m")
  void upgradeRequest(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String method = (input[0] & 1) == 0 ? "GET" : "POST";
    boolean deflateOffered = (input[0] & 2) == 0;
    HttpHeaders request = headers(input);
    Handshake.Decision decision = Handshake.server(method, request, deflateOffered ? WITH_DEFLATE : WITHOUT_DEFLATE, SUBPROTOCOLS);
    switch (decision) {
      case Handshake.Reject r -> assertThat(r.status()).as("refusal status").isIn(400, 405, 426);
      case Handshake.Accept a -> {
        assertThat(method).isEqualTo("GET");
        List<String> keys = request.all("sec-websocket-key");
        assertThat(keys).hasSize(1);
        String key = keys.get(0).trim();
        assertThat(Base64.getDecoder().decode(key)).hasSize(16);
        assertThat(request.all("sec-websocket-version")).singleElement().satisfies(v -> assertThat(v.trim()).isEqualTo("13"));
        assertThat(a.responseHeaders().first("sec-websocket-accept")).isEqualTo(accept(key));
        if (a.subprotocol() != null) {
          assertThat(SUBPROTOCOLS).contains(a.subprotocol());
          assertThat(offeredTokens(request.all("sec-websocket-protocol"))).contains(a.subprotocol());
        }
        if (a.deflate() != null) {
          assertThat(deflateOffered).as("deflate agreed though the endpoint does not offer it").isTrue();
          assertThat(String.join(",", request.all("sec-websocket-extensions")).toLowerCase(Locale.ROOT)).contains("permessage-deflate");
        }
      }
      default -> throw new AssertionError(decision);
    }
  }

  /** Header lines of the input after its first byte; names the builder refuses are skipped. */
  static HttpHeaders headers(byte[] input) {
    HttpHeaders.Builder b = HttpHeaders.builder();
    for (String line : new String(input, 1, input.length - 1, StandardCharsets.ISO_8859_1).split("\n", -1)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        try {
          b.add(line.substring(0, colon), line.substring(colon + 1));
        } catch (IllegalArgumentException e) {
          // not a header name: the HTTP codec would have refused the request before the handshake
        }
      }
    }
    return b.build();
  }

  private static Set<String> offeredTokens(List<String> values) {
    Set<String> tokens = new java.util.HashSet<>();
    for (String v : values) {
      for (String t : v.split(",")) {
        tokens.add(t.trim());
      }
    }
    return tokens;
  }

  private static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder().encodeToString(sha1.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void seedCorpusIsCommittedAndBehavesAsNamed() throws IOException {
    SeedFiles.check(WebSocketHandshakeFuzzTests.class, "upgradeRequest", seeds(), input -> {
      Handshake.Decision d = Handshake.server((input[0] & 1) == 0 ? "GET" : "POST", headers(input),
          (input[0] & 2) == 0 ? WITH_DEFLATE : WITHOUT_DEFLATE, SUBPROTOCOLS);
      // accept- seeds that name deflate must agree on it: the parameter parsing is what they exercise
      return d instanceof Handshake.Accept a && (!new String(input, StandardCharsets.ISO_8859_1).contains("deflate-agreed") || a.deflate() != null);
    });
  }

  private static final String BASE = "Upgrade: websocket\nConnection: keep-alive, Upgrade\nSec-WebSocket-Version: 13\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n";

  static Map<String, byte[]> seeds() {
    Map<String, byte[]> s = new LinkedHashMap<>();
    s.put("accept-plain", seed(0, BASE));
    s.put("accept-subprotocol", seed(0, BASE + "Sec-WebSocket-Protocol: v2.json, mqtt\nSec-WebSocket-Protocol: chat\n"));
    s.put("accept-deflate", seed(0, BASE + "X-Seed: deflate-agreed\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\n"));
    s.put("accept-deflate-all-params", seed(0, BASE + "X-Seed: deflate-agreed\nSec-WebSocket-Extensions: x-webkit, permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15; client_max_window_bits=\"10\"\n"));
    s.put("accept-deflate-second-offer", seed(0, BASE + "X-Seed: deflate-agreed\nSec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=9, permessage-deflate\n"));
    s.put("accept-deflate-declined-duplicate-param", seed(0, BASE + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_no_context_takeover\n"));
    s.put("accept-deflate-declined-malformed", seed(0, BASE + "Sec-WebSocket-Extensions: permessage-deflate; =; \"unterminated\n"));
    s.put("accept-deflate-not-offered-by-endpoint", seed(2, BASE + "Sec-WebSocket-Extensions: permessage-deflate\n"));
    s.put("accept-key-with-spaces", seed(0, BASE.replace("Key: ", "Key:   ") + "\n"));
    s.put("reject-post", seed(1, BASE));
    s.put("reject-no-upgrade", seed(0, BASE.replace("Upgrade: websocket\n", "")));
    s.put("reject-no-connection-upgrade", seed(0, BASE.replace("keep-alive, Upgrade", "keep-alive")));
    s.put("reject-version-8", seed(0, BASE.replace("Version: 13", "Version: 8")));
    s.put("reject-two-versions", seed(0, BASE + "Sec-WebSocket-Version: 13\n"));
    s.put("reject-short-key", seed(0, BASE.replace("dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ=")));
    s.put("reject-key-not-base64", seed(0, BASE.replace("dGhlIHNhbXBsZSBub25jZQ==", "!!!!!!!!!!!!!!!!!!!!!!==")));
    s.put("reject-two-keys", seed(0, BASE + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n"));
    s.put("reject-empty", seed(0, ""));
    return s;
  }

  private static byte[] seed(int selector, String lines) {
    List<byte[]> parts = new ArrayList<>();
    parts.add(new byte[] {(byte) selector});
    parts.add(lines.getBytes(StandardCharsets.ISO_8859_1));
    return HttpSeeds.concat(parts.toArray(byte[][]::new));
  }
}
