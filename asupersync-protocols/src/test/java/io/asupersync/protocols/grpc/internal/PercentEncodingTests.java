package io.asupersync.protocols.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentEncodingTests {

  @Test
  void printableAsciiPassesThroughExceptPercent() {
    assertThat(PercentEncoding.encode("test status message")).isEqualTo("test status message");
    assertThat(PercentEncoding.encode("100%")).isEqualTo("100%25");
  }

  @Test
  void whitespaceAndUnicodeRoundTrip() {
    String message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
    String encoded = PercentEncoding.encode(message);
    assertThat(encoded).startsWith("%09%0Atest with whitespace%0D%0A").doesNotContain("☺");
    assertThat(encoded.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
    assertThat(PercentEncoding.decode(encoded)).isEqualTo(message);
  }

  @Test
  void brokenEscapesAreKeptAsTheyAre() {
    assertThat(PercentEncoding.decode("50% off %zz %4")).isEqualTo("50% off %zz %4");
    assertThat(PercentEncoding.decode("%")).isEqualTo("%");
    assertThat(PercentEncoding.decode("%e2%98%BA")).isEqualTo("☺");
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() {
    assertThat(PercentEncoding.decode("a%FFb")).isEqualTo("a\uFFFDb");
  }
}
