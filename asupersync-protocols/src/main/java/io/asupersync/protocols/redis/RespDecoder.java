package io.asupersync.protocols.redis;

import io.asupersync.protocols.redis.RespProtocolException.Reason;
import io.netty.buffer.ByteBuf;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Incremental RESP2/RESP3 reply decoder: an explicit state machine fed from a cumulating buffer.
 *
 * <p>{@link #decode} consumes what it can from the buffer and returns one complete top-level reply, or
 * null when it needs more bytes; the partial state (open aggregates, a pending bulk string) stays in
 * the decoder, and bytes already turned into values are consumed, so the caller's buffer holds at most
 * one line or one bulk payload in progress. Every announced length, count and nesting level is checked
 * against {@link RedisLimits} before anything is allocated for it or waited for; a line search stops at
 * its limit. Attribute frames ({@code |}) are read and dropped. Not thread-safe; one per connection.
 *
 * <p>After a {@link RespProtocolException} the decoder is failed for good: the byte stream has no
 * resynchronisation point, so every later call throws the same exception.
 */
public final class RespDecoder {

  /** Longest length or count line accepted: sign, 19 digits and generous slack. */
  static final int MAX_NUMBER_LINE = 32;

  private static final int READ_LINE = 0;
  private static final int READ_BULK = 1;
  private static final int INITIAL_CAPACITY_CAP = 64;
  private static final RespValue[] EMPTY = new RespValue[0];

  private final RedisLimits limits;
  private final @Nullable Aggregate[] stack;
  private int depth;
  private int state = READ_LINE;
  private byte bulkType;
  private int bulkLength;
  /** Bytes after the reader index already searched for LF without finding one. */
  private int scanned;
  private long replyBytes;
  private long allocatedBytes;
  private @Nullable RespProtocolException failure;

  public RespDecoder(RedisLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.stack = new Aggregate[limits.maxNestingDepth()];
  }

  /**
   * Decodes the next complete reply from {@code in}, consuming its bytes; null when {@code in} ends
   * before one is complete (call again with more bytes appended).
   *
   * @throws RespProtocolException when the bytes break the grammar or a limit; the decoder stays failed
   */
  public @Nullable RespValue decode(ByteBuf in) throws RespProtocolException {
    if (failure != null) {
      throw failure;
    }
    try {
      return decodeNext(in);
    } catch (RespProtocolException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * Bytes this decoder allocated for values so far (payloads, strings and element slots, estimated at
   * 8 bytes a slot): a reply's memory grows with the bytes that actually arrived, never with what a
   * header announced.
   */
  public long allocatedBytes() {
    return allocatedBytes;
  }

  /** Whether a reply is partly decoded (bytes of it consumed, value not yet returned). */
  public boolean inProgress() {
    return depth > 0 || state == READ_BULK;
  }

  private @Nullable RespValue decodeNext(ByteBuf in) throws RespProtocolException {
    while (true) {
      RespValue value;
      if (state == READ_BULK) {
        int need = bulkLength + 2;
        if (in.readableBytes() < need) {
          return null;
        }
        byte[] payload = new byte[bulkLength];
        allocatedBytes += bulkLength;
        in.readBytes(payload);
        if (in.readByte() != '\r' || in.readByte() != '\n') {
          throw error(Reason.MISSING_CRLF, "bulk payload of " + bulkLength + " bytes not followed by CRLF");
        }
        state = READ_LINE;
        replyBytes += need; // checked against the limit when the length was announced
        value = bulkValue(payload);
      } else {
        if (!in.isReadable()) {
          return null;
        }
        int start = in.readerIndex();
        byte type = in.getByte(start);
        int maxLine = lineLimit(type);
        int lf = findLf(in, start, maxLine);
        if (lf < 0) {
          return null;
        }
        int end = lf - 1; // index of CR
        if (end < start + 1 || in.getByte(end) != '\r') {
          throw error(Reason.MISSING_CRLF, "line not terminated by CRLF");
        }
        consume(lf + 1 - start);
        in.readerIndex(lf + 1);
        scanned = 0;
        value = header(type, in, start + 1, end);
        if (value == null) {
          continue;
        }
      }
      RespValue done = complete(value);
      if (done != null) {
        replyBytes = 0;
        return done;
      }
    }
  }

  private int lineLimit(byte type) throws RespProtocolException {
    return switch (type) {
      case '+', '-', ',', '(' -> limits.maxLineBytes() + 1;
      case '$', '*', '%', '~', '>', '|', ':', '=', '!', '_', '#' -> MAX_NUMBER_LINE;
      case '?', ';', '.' -> throw error(Reason.UNSUPPORTED_TYPE, "streamed RESP3 type '" + (char) type + "'");
      default -> throw error(Reason.UNKNOWN_TYPE, "unknown RESP type byte 0x" + Integer.toHexString(type & 0xff));
    };
  }

  /** Index of the LF ending the line that starts at {@code start}, or -1 to wait for more bytes. */
  private int findLf(ByteBuf in, int start, int maxLine) throws RespProtocolException {
    // A line is the type byte, up to maxLine - 1 content bytes, then CRLF.
    int windowEnd = (int) Math.min((long) start + maxLine + 2, in.writerIndex());
    int from = start + scanned;
    int lf = from < windowEnd ? in.indexOf(from, windowEnd, (byte) '\n') : -1;
    if (lf >= 0) {
      return lf;
    }
    if (windowEnd - start >= maxLine + 2) {
      throw error(Reason.LINE_TOO_LONG, "no CRLF within " + (maxLine - 1) + " bytes of a '" + (char) in.getByte(start) + "' line");
    }
    scanned = windowEnd - start;
    return -1;
  }

  /**
   * Interprets one line (its content is {@code [from, to)}); returns the value it completes, or null
   * when it opened an aggregate or announced a bulk payload.
   */
  private @Nullable RespValue header(byte type, ByteBuf in, int from, int to) throws RespProtocolException {
    switch (type) {
      case '+':
        return new RespValue.SimpleString(text(in, from, to));
      case '-':
        return new RespValue.ErrorReply(text(in, from, to));
      case ':':
        return new RespValue.IntegerReply(parseLong(in, from, to, Reason.MALFORMED_VALUE));
      case '_':
        if (to != from) {
          throw error(Reason.MALFORMED_VALUE, "null with content");
        }
        return RespValue.NullReply.INSTANCE;
      case '#':
        if (to - from == 1 && in.getByte(from) == 't') {
          return new RespValue.BooleanReply(true);
        }
        if (to - from == 1 && in.getByte(from) == 'f') {
          return new RespValue.BooleanReply(false);
        }
        throw error(Reason.MALFORMED_VALUE, "boolean is neither t nor f");
      case ',':
        return new RespValue.DoubleReply(parseDouble(text(in, from, to)));
      case '(':
        return new RespValue.BigNumberReply(parseBigNumber(text(in, from, to)));
      case '$', '=', '!':
        return bulkHeader(type, parseLong(in, from, to, Reason.MALFORMED_LENGTH));
      default: // '*', '%', '~', '>', '|': lineLimit refused every other byte
        return aggregateHeader(type, parseLong(in, from, to, Reason.MALFORMED_LENGTH));
    }
  }

  private @Nullable RespValue bulkHeader(byte type, long length) throws RespProtocolException {
    if (length == -1 && type == '$') {
      return RespValue.NullReply.INSTANCE;
    }
    if (length < 0) {
      throw error(Reason.MALFORMED_LENGTH, "negative length " + length);
    }
    if (length > limits.maxBulkBytes()) {
      throw error(Reason.BULK_TOO_LARGE, "bulk of " + length + " bytes over the limit of " + limits.maxBulkBytes());
    }
    checkReplyBytes(length + 2);
    bulkType = type;
    bulkLength = (int) length;
    state = READ_BULK;
    return null;
  }

  private @Nullable RespValue aggregateHeader(byte type, long count) throws RespProtocolException {
    if (count == -1 && type == '*') {
      return RespValue.NullReply.INSTANCE;
    }
    if (count < 0) {
      throw error(Reason.MALFORMED_LENGTH, "negative count " + count);
    }
    if (count > limits.maxAggregateElements()) {
      throw error(Reason.TOO_MANY_ELEMENTS, "aggregate of " + count + " elements over the limit of " + limits.maxAggregateElements());
    }
    long elements = type == '%' || type == '|' ? 2 * count : count;
    // Every element takes at least three bytes ("_\r\n"): refuse now what cannot fit in one reply.
    checkReplyBytes(3 * elements);
    if (elements == 0) {
      return type == '|' ? null : build(type, EMPTY, 0);
    }
    if (depth == stack.length) {
      throw error(Reason.NESTING_TOO_DEEP, "aggregates nested deeper than " + stack.length);
    }
    int capacity = (int) Math.min(elements, INITIAL_CAPACITY_CAP);
    allocatedBytes += 8L * capacity;
    stack[depth++] = new Aggregate(type, elements, new RespValue[capacity]);
    return null;
  }

  /**
   * Adds {@code value} to the innermost open aggregate and closes every aggregate it completes;
   * returns the finished top-level reply, or null while one is still open.
   */
  private @Nullable RespValue complete(RespValue value) {
    RespValue v = value;
    while (depth > 0) {
      Aggregate top = Objects.requireNonNull(stack[depth - 1]);
      if (top.size == top.items.length) {
        // Grow with what arrived (never past what was announced): the announced count sizes nothing.
        int grown = (int) Math.min((long) top.size + top.remaining, (long) top.size * 2);
        allocatedBytes += 8L * (grown - top.size);
        top.items = java.util.Arrays.copyOf(top.items, grown);
      }
      top.items[top.size++] = v;
      if (--top.remaining > 0) {
        return null;
      }
      stack[--depth] = null;
      if (top.type == '|') {
        return null; // attributes annotate the next value and are dropped
      }
      v = build(top.type, top.items, top.size);
    }
    return v;
  }

  private static RespValue build(byte type, RespValue[] items, int size) {
    return switch (type) {
      case '~' -> new RespValue.SetReply(Frozen.own(items, size));
      case '>' -> new RespValue.PushReply(Frozen.own(items, size));
      case '%' -> {
        LinkedHashMap<RespValue, RespValue> map = new LinkedHashMap<>((int) Math.ceil(size / 2 / 0.75));
        for (int i = 0; i < size; i += 2) {
          map.put(items[i], items[i + 1]);
        }
        yield new RespValue.MapReply(Frozen.own(map));
      }
      default -> new RespValue.ArrayReply(Frozen.own(items, size));
    };
  }

  private RespValue bulkValue(byte[] payload) throws RespProtocolException {
    return switch (bulkType) {
      case '!' -> new RespValue.ErrorReply(new String(payload, StandardCharsets.UTF_8));
      case '=' -> {
        if (payload.length < 4 || payload[3] != ':') {
          throw error(Reason.MALFORMED_VALUE, "verbatim string without a format prefix");
        }
        yield new RespValue.VerbatimString(
            new String(payload, 0, 3, StandardCharsets.US_ASCII),
            new String(payload, 4, payload.length - 4, StandardCharsets.UTF_8));
      }
      default -> new RespValue.BulkString(payload);
    };
  }

  private String text(ByteBuf in, int from, int to) {
    allocatedBytes += to - from;
    return in.toString(from, to - from, StandardCharsets.UTF_8);
  }

  /** A strict decimal long: optional '-', 1 to 19 digits, no '+', no spaces, no overflow. */
  private long parseLong(ByteBuf in, int from, int to, Reason reason) throws RespProtocolException {
    int i = from;
    boolean negative = i < to && in.getByte(i) == '-';
    if (negative) {
      i++;
    }
    if (i == to || to - i > 19) {
      throw error(reason, "not a decimal integer of 1 to 19 digits");
    }
    long value = 0;
    for (; i < to; i++) {
      byte b = in.getByte(i);
      if (b < '0' || b > '9') {
        throw error(reason, "not a decimal integer");
      }
      int digit = b - '0';
      if (value > (Long.MAX_VALUE - digit) / 10) {
        throw error(reason, "integer out of range");
      }
      value = value * 10 + digit;
    }
    return negative ? -value : value;
  }

  private double parseDouble(String s) throws RespProtocolException {
    switch (s) {
      case "inf":
        return Double.POSITIVE_INFINITY;
      case "-inf":
        return Double.NEGATIVE_INFINITY;
      case "nan":
        return Double.NaN;
      default:
        break;
    }
    // Double.parseDouble also takes "Infinity", hex and trailing type suffixes; RESP allows none of them.
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') {
        throw error(Reason.MALFORMED_VALUE, "not a RESP double");
      }
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw error(Reason.MALFORMED_VALUE, "not a RESP double");
    }
  }

  private BigInteger parseBigNumber(String s) throws RespProtocolException {
    int digits = s.startsWith("-") ? 1 : 0;
    if (s.length() == digits) {
      throw error(Reason.MALFORMED_VALUE, "empty big number");
    }
    for (int i = digits; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw error(Reason.MALFORMED_VALUE, "not a big number");
      }
    }
    return new BigInteger(s);
  }

  private void consume(int bytes) throws RespProtocolException {
    replyBytes += bytes;
    checkReplyBytes(0);
  }

  /** Refuses a reply that would grow past the limit with {@code more} bytes still to come. */
  private void checkReplyBytes(long more) throws RespProtocolException {
    if (replyBytes + more > limits.maxReplyBytes()) {
      throw error(Reason.REPLY_TOO_LARGE, "reply over the limit of " + limits.maxReplyBytes() + " bytes");
    }
  }

  private static RespProtocolException error(Reason reason, String message) {
    return new RespProtocolException(reason, message);
  }

  /** An aggregate still receiving elements. */
  private static final class Aggregate {
    final byte type;
    long remaining;
    RespValue[] items;
    int size;

    Aggregate(byte type, long remaining, RespValue[] items) {
      this.type = type;
      this.remaining = remaining;
      this.items = items;
    }
  }
}
