package io.asupersync.protocols.grpc;

import org.jspecify.annotations.Nullable;

/**
 * The gRPC status codes, with the numbers that travel in the {@code grpc-status} trailer.
 *
 * <p>{@link #fromValue} maps a number this enum does not know to {@link #UNKNOWN}, as the gRPC
 * specification asks of a receiver.
 */
public enum StatusCode {
  OK(0),
  CANCELLED(1),
  UNKNOWN(2),
  INVALID_ARGUMENT(3),
  DEADLINE_EXCEEDED(4),
  NOT_FOUND(5),
  ALREADY_EXISTS(6),
  PERMISSION_DENIED(7),
  RESOURCE_EXHAUSTED(8),
  FAILED_PRECONDITION(9),
  ABORTED(10),
  OUT_OF_RANGE(11),
  UNIMPLEMENTED(12),
  INTERNAL(13),
  UNAVAILABLE(14),
  DATA_LOSS(15),
  UNAUTHENTICATED(16);

  private static final StatusCode[] BY_VALUE = values();

  private final int value;
  private final String text;

  StatusCode(int value) {
    this.value = value;
    this.text = Integer.toString(value);
  }

  /** The number on the wire. */
  public int value() {
    return value;
  }

  /** The number as the decimal ASCII text of a {@code grpc-status} field. */
  public String text() {
    return text;
  }

  /** The code for {@code value}; {@link #UNKNOWN} for a number outside 0..16. */
  public static StatusCode fromValue(int value) {
    return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : UNKNOWN;
  }

  /**
   * The code named by a {@code grpc-status} field: decimal digits without leading zeros; a number
   * outside 0..16 is {@link #UNKNOWN}. Anything else (absent, empty, signed, padded, more than nine
   * digits) is {@code null}, so that the caller synthesizes a status for a broken peer.
   */
  public static @Nullable StatusCode fromText(@Nullable CharSequence text) {
    if (text == null || text.isEmpty() || text.length() > 9) {
      return null;
    }
    int value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9' || (i == 0 && c == '0' && text.length() > 1)) {
        return null;
      }
      value = value * 10 + (c - '0');
    }
    return fromValue(value);
  }
}
