package io.asupersync.protocols.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeTests {

  @Test
  void extensionHeaderParsesParametersAndQuotedValues() {
    List<Handshake.Extension> parsed = Handshake.parseExtensions(List.of(
        "permessage-deflate; client_max_window_bits=\"10\" ;server_no_context_takeover, x-other",
        "Permessage-Deflate"));
    assertThat(parsed).containsExactly(
        new Handshake.Extension("permessage-deflate", List.of(
            new Handshake.Param("client_max_window_bits", "10"), new Handshake.Param("server_no_context_takeover", null))),
        new Handshake.Extension("x-other", List.of()),
        new Handshake.Extension("permessage-deflate", List.of()));
  }

  @Test
  void malformedExtensionHeaderIsRefused() {
    assertThatThrownBy(() -> Handshake.parseExtensions(List.of("permessage-deflate; ="))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Handshake.parseExtensions(List.of("a; b=\"open"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Handshake.parseExtensions(List.of("a b"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serverTakesTheFirstDeflateOfferItCanHonour() {
    assertThat(Handshake.acceptDeflate(List.of("permessage-deflate; server_max_window_bits=9, permessage-deflate; client_no_context_takeover")))
        .isEqualTo(new Handshake.DeflateAgreement(false, true, false));
    assertThat(Handshake.acceptDeflate(List.of("permessage-deflate; server_max_window_bits=15")))
        .isEqualTo(new Handshake.DeflateAgreement(false, false, true));
    assertThat(Handshake.acceptDeflate(List.of("permessage-deflate; server_no_context_takeover; server_no_context_takeover"))).isNull();
    assertThat(Handshake.acceptDeflate(List.of("permessage-deflate; mystery"))).isNull();
    assertThat(Handshake.acceptDeflate(List.of("permessage-deflate; ="))).isNull();
  }

  @Test
  void clientRefusesParametersItDidNotOffer() {
    assertThat(Handshake.clientDeflate(List.of("permessage-deflate; server_no_context_takeover; server_max_window_bits=12"), true))
        .isEqualTo(new Handshake.DeflateAgreement(true, false, false));
    assertThat(Handshake.clientDeflate(List.of(), true)).isNull();
    assertThatThrownBy(() -> Handshake.clientDeflate(List.of("permessage-deflate; client_max_window_bits=10"), true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Handshake.clientDeflate(List.of("permessage-deflate"), false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptKeyMatchesTheRfcExample() {
    assertThat(Handshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }
}
