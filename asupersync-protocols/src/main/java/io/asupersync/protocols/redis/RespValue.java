package io.asupersync.protocols.redis;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One reply from a Redis server, in RESP2 or RESP3. Aggregates are immutable. An {@link ErrorReply} is
 * a value here; the convenience methods of {@link RedisClient} turn it into {@link
 * RedisServerException}.
 */
public sealed interface RespValue {

  /** The value as text where that is meaningful (simple, bulk and verbatim strings, numbers); else null. */
  default @Nullable String asString() {
    return switch (this) {
      case SimpleString s -> s.value();
      case BulkString b -> b.utf8();
      case VerbatimString v -> v.text();
      case IntegerReply i -> Long.toString(i.value());
      case DoubleReply d -> Double.toString(d.value());
      case BigNumberReply n -> n.value().toString();
      default -> null;
    };
  }

  /** The elements of an array, set or push reply; an empty list for anything else. */
  default List<RespValue> elements() {
    return switch (this) {
      case ArrayReply a -> a.items();
      case SetReply s -> s.items();
      case PushReply p -> p.items();
      default -> List.of();
    };
  }

  /** {@code +OK}-style status line. */
  record SimpleString(String value) implements RespValue {
    public SimpleString {
      Objects.requireNonNull(value, "value");
    }
  }

  /** {@code -ERR ...} or a RESP3 blob error; {@link #code()} is its first word (ERR, WRONGTYPE, NOAUTH). */
  record ErrorReply(String message) implements RespValue {
    public ErrorReply {
      Objects.requireNonNull(message, "message");
    }

    public String code() {
      int space = message.indexOf(' ');
      return space < 0 ? message : message.substring(0, space);
    }
  }

  /** {@code :42}. */
  record IntegerReply(long value) implements RespValue {}

  /** Binary-safe string; compared by content. */
  record BulkString(byte[] bytes) implements RespValue {
    public BulkString {
      Objects.requireNonNull(bytes, "bytes");
    }

    public static BulkString of(String text) {
      return new BulkString(text.getBytes(StandardCharsets.UTF_8));
    }

    public String utf8() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof BulkString b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "BulkString[" + bytes.length + " bytes]";
    }
  }

  /** RESP3 verbatim string: a three-letter format ({@code txt}, {@code mkd}) and the text. */
  record VerbatimString(String format, String text) implements RespValue {
    public VerbatimString {
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(text, "text");
    }
  }

  /** RESP2 null bulk string or null array, or RESP3 {@code _}. */
  record NullReply() implements RespValue {
    public static final NullReply INSTANCE = new NullReply();
  }

  /** RESP3 {@code #t} / {@code #f}. */
  record BooleanReply(boolean value) implements RespValue {}

  /** RESP3 {@code ,1.5} (also {@code inf}, {@code -inf}, {@code nan}). */
  record DoubleReply(double value) implements RespValue {}

  /** RESP3 {@code (12345678901234567890}. */
  record BigNumberReply(BigInteger value) implements RespValue {
    public BigNumberReply {
      Objects.requireNonNull(value, "value");
    }
  }

  /** {@code *N}. */
  record ArrayReply(List<RespValue> items) implements RespValue {
    public ArrayReply {
      items = Frozen.list(items);
    }
  }

  /** RESP3 {@code ~N}. */
  record SetReply(List<RespValue> items) implements RespValue {
    public SetReply {
      items = Frozen.list(items);
    }
  }

  /** RESP3 {@code %N}, keys in the order the server sent them (a repeated key keeps its last value). */
  record MapReply(Map<RespValue, RespValue> entries) implements RespValue {
    public MapReply {
      entries = Frozen.map(entries);
    }
  }

  /** RESP3 {@code >N}: out-of-band data (pub/sub messages, client-side caching invalidations). */
  record PushReply(List<RespValue> items) implements RespValue {
    public PushReply {
      items = Frozen.list(items);
    }

    /** The push kind, its first element ({@code message}, {@code invalidate}, ...), or "" if absent. */
    public String kind() {
      String kind = items.isEmpty() ? null : items.get(0).asString();
      return kind == null ? "" : kind;
    }
  }
}
