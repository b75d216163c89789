package io.asupersync.protocols.nats.internal;

import io.asupersync.protocols.nats.NatsHeaders;
import io.asupersync.protocols.nats.NatsLimits;
import io.asupersync.protocols.nats.NatsMessage;
import io.asupersync.protocols.nats.NatsProtocolException;
import io.asupersync.protocols.nats.NatsProtocolException.Violation;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Decodes what a NATS server sends, one operation per call, from a cumulating buffer that the caller
 * appends to (Netty's cumulation, or any {@link ByteBuf}). An explicit two-state machine:
 *
 * <ol>
 *   <li>{@code CONTROL_LINE}: search for the line end, but never beyond {@link
 *       NatsLimits#maxControlLine()} + 2 bytes (and never over bytes already searched), then parse
 *       the line. {@code MSG}/{@code HMSG} lengths are checked against the payload and header
 *       limits here, before anything is allocated or waited for, and the line is consumed.
 *   <li>{@code PAYLOAD}: wait until the announced bytes and their CRLF are buffered (at most the
 *       limit in force + 2), check the CRLF, then copy the payload out once.
 * </ol>
 *
 * Fields may be separated by any run of spaces and tabs, operation names are case-insensitive, and a
 * line may end in CRLF or a bare LF. Any error is final: the decoder keeps throwing the first
 * {@link NatsProtocolException} and never resynchronises (the connection must be closed). Not
 * thread-safe; one per connection. Not API.
 */
public final class NatsDecoder {

  private enum State {
    CONTROL_LINE,
    PAYLOAD,
    FAILED
  }

  private static final byte[] HEADER_VERSION = "NATS/1.0".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_FIELDS = 6;

  private final NatsLimits limits;
  private final byte[] line;
  private final int[] fieldStart = new int[MAX_FIELDS];
  private final int[] fieldEnd = new int[MAX_FIELDS];
  private int maxPayload;
  private State state = State.CONTROL_LINE;
  private @Nullable NatsProtocolException failure;
  /** Bytes of the current control line already searched for its end (so no byte is scanned twice). */
  private int scanned;

  // The message whose payload is awaited (state PAYLOAD).
  private String subject = "";
  private long sid;
  private @Nullable String replyTo;
  private int headerBytes;
  private int totalBytes;

  public NatsDecoder(NatsLimits limits) {
    this.limits = limits;
    this.line = new byte[limits.maxControlLine()];
    this.maxPayload = limits.maxPayload();
  }

  /**
   * Lowers the payload limit to what the server announced in INFO ({@code max_payload}); it never
   * rises above {@link NatsLimits#maxPayload()}. Non-positive announcements are ignored.
   */
  public void serverMaxPayload(long announced) {
    if (announced > 0) {
      maxPayload = (int) Math.min(limits.maxPayload(), announced);
    }
  }

  /** The payload limit in force: the smaller of the configured one and the server's. */
  public int maxPayload() {
    return maxPayload;
  }

  /** Bytes the decoder may need buffered at most before it can make progress: the bound on cumulation. */
  public int maxBufferedBytes() {
    return Math.max(limits.maxControlLine(), maxPayload) + 2;
  }

  /**
   * Decodes the next operation from {@code in}, consuming its bytes.
   *
   * @return the operation, or null if {@code in} does not hold a complete one yet (bytes of a
   *     control line may remain unconsumed; call again when more arrived)
   * @throws NatsProtocolException if the bytes break the protocol or a limit; every later call
   *     throws it again
   */
  public @Nullable ServerOp decode(ByteBuf in) throws NatsProtocolException {
    return switch (state) {
      case CONTROL_LINE -> controlLine(in);
      case PAYLOAD -> payload(in);
      case FAILED -> throw java.util.Objects.requireNonNull(failure);
    };
  }

  private @Nullable ServerOp controlLine(ByteBuf in) throws NatsProtocolException {
    int start = in.readerIndex();
    int readable = in.readableBytes();
    int window = Math.min(readable, limits.maxControlLine() + 2);
    int lf = scanned < window ? in.indexOf(start + scanned, start + window, (byte) '\n') : -1;
    if (lf < 0) {
      scanned = window;
      if (readable >= limits.maxControlLine() + 2) {
        throw fail(Violation.CONTROL_LINE_TOO_LONG, "no line end within " + limits.maxControlLine() + " bytes");
      }
      return null;
    }
    scanned = 0;
    int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
    int length = end - start;
    if (length > limits.maxControlLine()) {
      throw fail(Violation.CONTROL_LINE_TOO_LONG, "control line of " + length + " bytes");
    }
    in.getBytes(start, line, 0, length);
    in.readerIndex(lf + 1);
    return parseLine(length, in);
  }

  private @Nullable ServerOp parseLine(int length, ByteBuf in) throws NatsProtocolException {
    int fields = split(length);
    if (fields == 0) {
      throw fail(Violation.MALFORMED_CONTROL_LINE, "empty control line");
    }
    int opLength = fieldEnd[0] - fieldStart[0];
    int op = fieldStart[0];
    if (opLength == 3 && is(op, "MSG")) {
      if (fields != 4 && fields != 5) {
        throw fail(Violation.MALFORMED_CONTROL_LINE, "MSG with " + (fields - 1) + " arguments");
      }
      return startMessage(fields, false, in);
    }
    if (opLength == 4 && is(op, "HMSG")) {
      if (fields != 5 && fields != 6) {
        throw fail(Violation.MALFORMED_CONTROL_LINE, "HMSG with " + (fields - 1) + " arguments");
      }
      return startMessage(fields, true, in);
    }
    if (opLength == 4 && is(op, "PING")) {
      return bare(fields, ServerOp.Bare.PING);
    }
    if (opLength == 4 && is(op, "PONG")) {
      return bare(fields, ServerOp.Bare.PONG);
    }
    if (opLength == 3 && is(op, "+OK")) {
      return bare(fields, ServerOp.Bare.OK);
    }
    if (opLength == 4 && is(op, "INFO")) {
      if (fields < 2) {
        throw fail(Violation.MALFORMED_INFO, "INFO without a document");
      }
      return new ServerOp.Info(text(fieldStart[1], length));
    }
    if (opLength == 4 && is(op, "-ERR")) {
      String text = fields < 2 ? "" : text(fieldStart[1], length).strip();
      if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
        text = text.substring(1, text.length() - 1);
      }
      return new ServerOp.Err(text);
    }
    throw fail(Violation.UNKNOWN_OPERATION, "operation of " + opLength + " bytes");
  }

  private ServerOp bare(int fields, ServerOp.Bare op) throws NatsProtocolException {
    if (fields != 1) {
      throw fail(Violation.MALFORMED_CONTROL_LINE, op + " with arguments");
    }
    return op;
  }

  private @Nullable ServerOp startMessage(int fields, boolean withHeaders, ByteBuf in) throws NatsProtocolException {
    int last = fields - 1;
    int total = (int) number(last, Integer.MAX_VALUE);
    int header = 0;
    if (withHeaders) {
      header = (int) number(last - 1, Integer.MAX_VALUE);
      if (header > total) {
        throw fail(Violation.BAD_LENGTH, "header length " + header + " exceeds total " + total);
      }
      if (header > limits.maxHeaderBytes()) {
        throw fail(Violation.HEADERS_TOO_LARGE, "header section of " + header + " bytes, limit " + limits.maxHeaderBytes());
      }
      if (header < HEADER_VERSION.length + 4) {
        throw fail(Violation.MALFORMED_HEADERS, "header section of " + header + " bytes");
      }
    }
    if (total > maxPayload) {
      throw fail(Violation.PAYLOAD_TOO_LARGE, "message of " + total + " bytes, limit " + maxPayload);
    }
    int replyField = withHeaders ? (fields == 6 ? 3 : -1) : (fields == 5 ? 3 : -1);
    subject = text(fieldStart[1], fieldEnd[1]);
    sid = number(2, Long.MAX_VALUE);
    replyTo = replyField < 0 ? null : text(fieldStart[replyField], fieldEnd[replyField]);
    headerBytes = header;
    totalBytes = total;
    state = State.PAYLOAD;
    return payload(in);
  }

  private @Nullable ServerOp payload(ByteBuf in) throws NatsProtocolException {
    if (in.readableBytes() < totalBytes + 2) {
      return null;
    }
    int start = in.readerIndex();
    if (in.getByte(start + totalBytes) != '\r' || in.getByte(start + totalBytes + 1) != '\n') {
      throw fail(Violation.MISSING_TERMINATOR, "no CRLF after " + totalBytes + " payload bytes");
    }
    NatsHeaders headers = headerBytes == 0 ? NatsHeaders.empty() : headers(in, start, headerBytes);
    byte[] data = new byte[totalBytes - headerBytes];
    in.getBytes(start + headerBytes, data);
    in.readerIndex(start + totalBytes + 2);
    state = State.CONTROL_LINE;
    NatsMessage message = new NatsMessage(subject, replyTo, headers, data);
    replyTo = null;
    return new ServerOp.Msg(sid, message);
  }

  /** Splits the line in {@link #line} at runs of spaces and tabs; at most {@value #MAX_FIELDS} fields are recorded. */
  private int split(int length) {
    int count = 0;
    int i = 0;
    while (i < length) {
      while (i < length && isBlank(line[i])) {
        i++;
      }
      if (i == length) {
        break;
      }
      int s = i;
      while (i < length && !isBlank(line[i])) {
        i++;
      }
      if (count < MAX_FIELDS) {
        fieldStart[count] = s;
        fieldEnd[count] = i;
      }
      count++;
    }
    return count;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }

  private boolean is(int at, String op) {
    for (int i = 0; i < op.length(); i++) {
      int c = line[at + i];
      if (c >= 'a' && c <= 'z') {
        c -= 'a' - 'A';
      }
      if (c != op.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** A decimal field of at most 19 digits, no sign, no more than {@code max}. */
  private long number(int field, long max) throws NatsProtocolException {
    int s = fieldStart[field];
    int e = fieldEnd[field];
    if (e - s > 19) {
      throw fail(Violation.BAD_LENGTH, "number of " + (e - s) + " digits");
    }
    long value = 0;
    for (int i = s; i < e; i++) {
      int d = line[i] - '0';
      if (d < 0 || d > 9) {
        throw fail(Violation.BAD_LENGTH, "not a decimal number");
      }
      if (value > (max - d) / 10) {
        throw fail(Violation.BAD_LENGTH, "number out of range");
      }
      value = value * 10 + d;
    }
    return value;
  }

  private String text(int from, int to) {
    return new String(line, from, to - from, StandardCharsets.UTF_8);
  }

  private NatsHeaders headers(ByteBuf in, int start, int length) throws NatsProtocolException {
    byte[] h = new byte[length];
    in.getBytes(start, h);
    for (int i = 0; i < HEADER_VERSION.length; i++) {
      if (h[i] != HEADER_VERSION[i]) {
        throw fail(Violation.MALFORMED_HEADERS, "header section does not start with NATS/1.0");
      }
    }
    if (h[length - 4] != '\r' || h[length - 3] != '\n' || h[length - 2] != '\r' || h[length - 1] != '\n') {
      throw fail(Violation.MALFORMED_HEADERS, "header section does not end with an empty line");
    }
    NatsHeaders.Builder builder = NatsHeaders.builder();
    int eol = lineEnd(h, HEADER_VERSION.length, length);
    parseStatus(h, HEADER_VERSION.length, eol, builder);
    int pos = eol + 2;
    while (pos < length - 2) {
      eol = lineEnd(h, pos, length);
      int colon = -1;
      for (int i = pos; i < eol; i++) {
        if (h[i] == ':') {
          colon = i;
          break;
        }
      }
      if (colon <= pos) {
        throw fail(Violation.MALFORMED_HEADERS, "header line without a name");
      }
      int valueStart = colon + 1;
      while (valueStart < eol && isBlank(h[valueStart])) {
        valueStart++;
      }
      int valueEnd = eol;
      while (valueEnd > valueStart && isBlank(h[valueEnd - 1])) {
        valueEnd--;
      }
      try {
        builder.add(
            new String(h, pos, colon - pos, StandardCharsets.UTF_8),
            new String(h, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw fail(Violation.MALFORMED_HEADERS, "header name or value not allowed");
      }
      pos = eol + 2;
    }
    return builder.build();
  }

  /** Index of the CR of the CRLF ending the header line at {@code from}; the section's last CRLF bounds the search. */
  private int lineEnd(byte[] h, int from, int length) throws NatsProtocolException {
    for (int i = from; i + 1 < length; i++) {
      if (h[i] == '\r') {
        if (h[i + 1] != '\n') {
          throw fail(Violation.MALFORMED_HEADERS, "CR without LF in header section");
        }
        return i;
      }
      if (h[i] == '\n') {
        throw fail(Violation.MALFORMED_HEADERS, "LF without CR in header section");
      }
    }
    throw fail(Violation.MALFORMED_HEADERS, "unterminated header line");
  }

  /** The rest of the {@code NATS/1.0} line: nothing, or a three-digit status and an optional description. */
  private void parseStatus(byte[] h, int from, int eol, NatsHeaders.Builder builder) throws NatsProtocolException {
    int i = from;
    while (i < eol && isBlank(h[i])) {
      i++;
    }
    if (i == eol) {
      return;
    }
    if (i == from || eol - i < 3) {
      throw fail(Violation.MALFORMED_HEADERS, "malformed status line");
    }
    int code = 0;
    for (int k = 0; k < 3; k++) {
      int d = h[i + k] - '0';
      if (d < 0 || d > 9) {
        throw fail(Violation.MALFORMED_HEADERS, "status is not three digits");
      }
      code = code * 10 + d;
    }
    i += 3;
    if (i < eol && !isBlank(h[i])) {
      throw fail(Violation.MALFORMED_HEADERS, "status is not three digits");
    }
    String text = new String(h, i, eol - i, StandardCharsets.UTF_8).strip();
    builder.status(code, text);
  }

  private NatsProtocolException fail(Violation violation, String message) {
    NatsProtocolException e = new NatsProtocolException(violation, message);
    failure = e;
    state = State.FAILED;
    return e;
  }
}
