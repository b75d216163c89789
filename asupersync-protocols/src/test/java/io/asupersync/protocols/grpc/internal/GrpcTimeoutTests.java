package io.asupersync.protocols.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrpcTimeoutTests {

  @Test
  void everyUnitIsRead() {
    assertThat(GrpcTimeout.parseNanos("2H")).isEqualTo(Duration.ofHours(2).toNanos());
    assertThat(GrpcTimeout.parseNanos("3M")).isEqualTo(Duration.ofMinutes(3).toNanos());
    assertThat(GrpcTimeout.parseNanos("1S")).isEqualTo(1_000_000_000L);
    assertThat(GrpcTimeout.parseNanos("250m")).isEqualTo(250_000_000L);
    assertThat(GrpcTimeout.parseNanos("7u")).isEqualTo(7_000L);
    assertThat(GrpcTimeout.parseNanos("99999999n")).isEqualTo(99_999_999L);
    assertThat(GrpcTimeout.parseNanos("00000001S")).isEqualTo(1_000_000_000L);
  }

  @Test
  void zeroIsAnExpiredDeadlineNotAnError() {
    assertThat(GrpcTimeout.parseNanos("0n")).isZero();
  }

  @Test
  void hoursBeyondALongSaturate() {
    assertThat(GrpcTimeout.parseNanos("99999999H")).isEqualTo(Long.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "S", "1", "100", "123456789S", "-1S", "+1S", " 1S", "1S ", "1s", "1h", "1x", "1.5S", "1 S", "١S", "1SS"})
  void anythingElseIsMalformed(String value) {
    assertThat(GrpcTimeout.parseNanos(value)).isEqualTo(GrpcTimeout.MALFORMED);
  }

  @Test
  void encodingPicksTheFinestUnitThatFitsAndRoundsUp() {
    assertThat(GrpcTimeout.encode(Duration.ofMillis(1))).isEqualTo("1000000n");
    assertThat(GrpcTimeout.encode(Duration.ofNanos(99_999_999))).isEqualTo("99999999n");
    assertThat(GrpcTimeout.encode(Duration.ofNanos(100_000_001))).isEqualTo("100001u");
    assertThat(GrpcTimeout.encode(Duration.ofSeconds(200))).isEqualTo("200000m");
    assertThat(GrpcTimeout.encode(Duration.ofSeconds(200_000).plusNanos(1))).isEqualTo("200001S");
    assertThat(GrpcTimeout.encode(Duration.ofDays(36_500))).endsWith("M");
    assertThat(GrpcTimeout.encode(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo("99999999H");
    assertThat(GrpcTimeout.encode(Duration.ZERO)).isEqualTo("0n");
    assertThat(GrpcTimeout.encode(Duration.ofMillis(-5))).isEqualTo("0n");
  }

  @Test
  void encodedValuesParseBackToAtLeastTheTimeout() {
    for (Duration d : new Duration[] {Duration.ofNanos(1), Duration.ofMillis(1234), Duration.ofMinutes(90), Duration.ofDays(40)}) {
      String encoded = GrpcTimeout.encode(d);
      assertThat(encoded.length()).isLessThanOrEqualTo(9);
      assertThat(GrpcTimeout.parseNanos(encoded)).isGreaterThanOrEqualTo(d.toNanos());
    }
  }
}
