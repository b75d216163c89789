package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.asupersync.protocols.grpc.GrpcStatusException;
import io.asupersync.protocols.grpc.StatusCode;
import io.asupersync.protocols.grpc.internal.GrpcTimeout;
import io.asupersync.protocols.grpc.internal.MessageDeframer;
import io.asupersync.protocols.grpc.internal.MessageFramer;
import io.asupersync.protocols.grpc.internal.PercentEncoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes the gRPC decoders: the length-prefixed message deframer, the {@code grpc-timeout} parser and
 * the {@code grpc-message} percent-decoder.
 *
 * <p>{@link #messageFraming}: the first input byte picks the stream's {@code grpc-encoding} (modulo 4:
 * none, {@code identity}, {@code gzip}, {@code snappy}), the second the size of the pieces the rest is
 * fed in (1 to 256 bytes, as DATA frames would cut it). Invariants: nothing but a {@link
 * GrpcStatusException} with {@code RESOURCE_EXHAUSTED}, {@code INTERNAL} or {@code UNIMPLEMENTED}
 * escapes; no message is over {@link #LIMIT}; the bytes allocated stay within a bound linear in the
 * input plus a few limits per message (a deframer sized by announced lengths breaks it); and without an
 * encoding, a stream read to its end re-frames to exactly the input.
 *
 * <p>{@link #timeoutAndStatusMessage}: the input, one char per byte, is a {@code grpc-timeout} value and
 * a {@code grpc-message} value. The parser accepts exactly {@link #TIMEOUT}, and what it accepts
 * re-encodes to a timeout at least as long; the percent-decoder never throws and what it decodes
 * survives an encode/decode round trip.
 *
 * <p>Without {@code JAZZER_FUZZ} both run in regression mode over {@code
 * src/test/resources/io/asupersync/fuzz/GrpcFramingFuzzTestsInputs}, which {@link GrpcFramingSeeds}
 * generates; {@code fuzzed-} inputs beside the seeds were kept from fuzzing runs.
 */
class GrpcFramingFuzzTests {

  /** The message limit under fuzzing: small, so that limit paths are reachable. */
  static final int LIMIT = 64 * 1024;

  static final String[] ENCODINGS = {null, "identity", "gzip", "snappy"};

  static final Pattern TIMEOUT = Pattern.compile("[0-9]{1,8}[HMSmun]");

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "5m")
  void messageFraming(byte[] input) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    Result result = deframe(input);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > allocationLimit(input.length, result.messages.size())) {
      // The first pass over a new path also pays for class loading: measure a warm second pass.
      before = THREADS.getCurrentThreadAllocatedBytes();
      deframe(input);
      allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    }
    assertThat(allocated).as("bytes allocated deframing %d input bytes", input.length)
        .isLessThanOrEqualTo(allocationLimit(input.length, result.messages.size()));
    for (byte[] message : result.messages) {
      assertThat(message.length).isLessThanOrEqualTo(LIMIT);
    }
    if (result.failure != null) {
      assertThat(result.failure.code()).isIn(StatusCode.RESOURCE_EXHAUSTED, StatusCode.INTERNAL, StatusCode.UNIMPLEMENTED);
    } else if (input.length >= 2 && ENCODINGS[(input[0] & 0xff) % 4] == null) {
      assertThat(reframe(result.messages)).isEqualTo(Arrays.copyOfRange(input, 2, input.length));
    }
  }

  @FuzzTest(maxDuration = "2m")
  void timeoutAndStatusMessage(byte[] input) {
    String value = new String(input, StandardCharsets.ISO_8859_1);
    long nanos = GrpcTimeout.parseNanos(value);
    if (TIMEOUT.matcher(value).matches()) {
      assertThat(nanos).as("accepts %s", value).isGreaterThanOrEqualTo(0);
      if (nanos < Long.MAX_VALUE) {
        assertThat(GrpcTimeout.parseNanos(GrpcTimeout.encode(Duration.ofNanos(nanos)))).isGreaterThanOrEqualTo(nanos);
      }
    } else {
      assertThat(nanos).as("refuses %s", value).isEqualTo(GrpcTimeout.MALFORMED);
    }
    String decoded = PercentEncoding.decode(value);
    String encoded = PercentEncoding.encode(decoded);
    assertThat(encoded.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
    assertThat(PercentEncoding.decode(encoded)).isEqualTo(decoded);
  }

  /** What a deframer made of an input: the messages, and the failure that stopped it, if any. */
  record Result(List<byte[]> messages, @Nullable GrpcStatusException failure) {}

  static Result deframe(byte[] input) {
    List<byte[]> messages = new ArrayList<>();
    if (input.length < 2) {
      return new Result(messages, null);
    }
    MessageDeframer deframer = new MessageDeframer(LIMIT, ENCODINGS[(input[0] & 0xff) % 4]);
    int piece = (input[1] & 0xff) + 1;
    // One buffer whose window moves over the input: the harness allocates nothing per piece, so the
    // allocation bound measures the deframer even when it is fed one byte at a time.
    ByteBuf window = Unpooled.wrappedBuffer(input);
    try {
      for (int at = 2; at < input.length; at += piece) {
        window.setIndex(at, Math.min(at + piece, input.length));
        deframer.feed(window, messages::add);
      }
      deframer.endOfStream();
      return new Result(messages, null);
    } catch (GrpcStatusException e) {
      return new Result(messages, e);
    }
  }

  /**
   * A generous bound: the deframer copies each byte a few times as its buffer grows; a gzip message
   * may inflate to the limit, through a buffer that doubles up to it.
   */
  static long allocationLimit(int inputLength, int messages) {
    return 64L * inputLength + (messages + 1L) * (4L * LIMIT + 64 * 1024) + 1024 * 1024;
  }

  private static byte[] reframe(List<byte[]> messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] message : messages) {
      try {
        ByteBuf framed = MessageFramer.frame(ByteBufAllocator.DEFAULT, message, LIMIT, false);
        try {
          byte[] bytes = new byte[framed.readableBytes()];
          framed.readBytes(bytes);
          out.writeBytes(bytes);
        } finally {
          framed.release();
        }
      } catch (GrpcStatusException e) {
        throw new AssertionError(e);
      }
    }
    return out.toByteArray();
  }
}
