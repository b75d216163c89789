package io.asupersync.protocols.grpc.internal;

import java.time.Duration;

/**
 * The {@code grpc-timeout} header: 1 to 8 ASCII digits followed by one unit letter, {@code H} hours,
 * {@code M} minutes, {@code S} seconds, {@code m} milliseconds, {@code u} microseconds, {@code n}
 * nanoseconds (gRPC over HTTP/2, "Timeout"). Nothing else is accepted: no sign, no whitespace, no
 * ninth digit, no other unit.
 */
public final class GrpcTimeout {

  /** Returned by {@link #parseNanos} for a value that is not a well-formed timeout. */
  public static final long MALFORMED = -1;

  private static final long MAX_VALUE = 99_999_999L;

  private GrpcTimeout() {}

  /**
   * The timeout in nanoseconds, saturated at {@link Long#MAX_VALUE} (99,999,999 hours does not fit),
   * or {@link #MALFORMED}. Zero is accepted: older clients send {@code 0n} for an already expired
   * deadline, which then fails at once with {@code DEADLINE_EXCEEDED}.
   */
  public static long parseNanos(CharSequence value) {
    int length = value.length();
    if (length < 2 || length > 9) {
      return MALFORMED;
    }
    long amount = 0;
    for (int i = 0; i < length - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return MALFORMED;
      }
      amount = amount * 10 + (c - '0');
    }
    long nanosPerUnit =
        switch (value.charAt(length - 1)) {
          case 'H' -> 3_600_000_000_000L;
          case 'M' -> 60_000_000_000L;
          case 'S' -> 1_000_000_000L;
          case 'm' -> 1_000_000L;
          case 'u' -> 1_000L;
          case 'n' -> 1L;
          default -> 0L;
        };
    if (nanosPerUnit == 0) {
      return MALFORMED;
    }
    return amount > Long.MAX_VALUE / nanosPerUnit ? Long.MAX_VALUE : amount * nanosPerUnit;
  }

  /**
   * The header value for {@code timeout}: the finest unit whose count fits in 8 digits, rounded up so
   * the peer never sees a shorter deadline than ours. Zero and negative durations encode as {@code
   * 0n}.
   */
  public static String encode(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      return "0n";
    }
    long seconds = timeout.getSeconds();
    if (seconds < 90_000) { // about a day: nanoseconds and the finer units cannot overflow a long
      long nanos = timeout.toNanos();
      if (nanos <= MAX_VALUE) {
        return nanos + "n";
      }
      long micros = ceilDiv(nanos, 1_000L);
      if (micros <= MAX_VALUE) {
        return micros + "u";
      }
      long millis = ceilDiv(nanos, 1_000_000L);
      if (millis <= MAX_VALUE) {
        return millis + "m";
      }
    }
    long wholeSeconds = timeout.getNano() > 0 ? seconds + 1 : seconds;
    if (wholeSeconds <= MAX_VALUE) {
      return wholeSeconds + "S";
    }
    long minutes = ceilDiv(wholeSeconds, 60);
    if (minutes <= MAX_VALUE) {
      return minutes + "M";
    }
    return Math.min(ceilDiv(wholeSeconds, 3600), MAX_VALUE) + "H";
  }

  private static long ceilDiv(long value, long divisor) {
    return -Math.floorDiv(-value, divisor);
  }
}
