package io.asupersync.protocols;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApplicationProtocolTests {

  @Test
  void alpnIdsAreTheRegisteredIdentifiers() {
    assertThat(ApplicationProtocol.HTTP_2.alpnId()).isEqualTo("h2");
    assertThat(ApplicationProtocol.HTTP_1_1.alpnId()).isEqualTo("http/1.1");
  }

  @Test
  void fromAlpnIdRoundTripsEveryProtocol() {
    for (ApplicationProtocol protocol : ApplicationProtocol.values()) {
      assertThat(ApplicationProtocol.fromAlpnId(protocol.alpnId())).contains(protocol);
    }
  }

  @Test
  void fromAlpnIdIsCaseSensitiveAndRejectsUnknownIds() {
    assertThat(ApplicationProtocol.fromAlpnId("H2")).isEmpty();
    assertThat(ApplicationProtocol.fromAlpnId("h2c")).isEmpty();
    assertThat(ApplicationProtocol.fromAlpnId("")).isEmpty();
  }

  @Test
  void preferenceOrderPutsHttp2First() {
    assertThat(ApplicationProtocol.values()).startsWith(ApplicationProtocol.HTTP_2);
  }
}
