package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.asupersync.protocols.redis.RedisLimits;
import io.asupersync.protocols.redis.RespDecoder;
import io.asupersync.protocols.redis.RespProtocolException;
import io.asupersync.protocols.redis.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes the Redis reply decoder ({@link RespDecoder}) with small limits, so the fuzzer reaches every
 * limit with short inputs.
 *
 * <p>The first input byte picks how the rest is delivered: {@code (b % 16) + 1} bytes per read into a
 * cumulation buffer, the way a socket hands them over. Invariants: nothing but {@link
 * RespProtocolException} escapes; the chunked read yields exactly the replies (and the same failure
 * reason) as reading everything at once, so no state is lost between reads; the decoder's own
 * allocation accounting and the thread's measured allocation stay linear in the input, whatever a
 * header announced; and the cumulation buffer never holds more than one line or one bulk payload in
 * progress past the bytes consumed.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs in regression mode over the corpus in {@code
 * src/test/resources/io/asupersync/fuzz/RespDecoderFuzzTestsInputs/decode} (hand-written seeds: {@code
 * valid-} replies and {@code hostile-} ones as a hostile server would send them; {@code fuzzed-} inputs
 * were kept from fuzzing runs).
 */
class RespDecoderFuzzTests {

  static final RedisLimits LIMITS = new RedisLimits(4096, 64, 8, 256, 64 * 1024);

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "5m")
  void decode(byte[] input) {
    int chunk = input.length == 0 ? 1 : (input[0] & 0xff) % 16 + 1;
    byte[] wire = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);

    Result whole = read(wire, wire.length == 0 ? 1 : wire.length);
    long before = THREADS.getCurrentThreadAllocatedBytes();
    Result chunked = read(wire, chunk);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > allocationLimit(wire.length)) {
      // The first pass over a new path also loads (and, when fuzzing, instruments) classes.
      before = THREADS.getCurrentThreadAllocatedBytes();
      read(wire, chunk);
      allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    assertThat(chunked.values).as("replies read %d bytes at a time", chunk).isEqualTo(whole.values);
    assertThat(chunked.failure).as("failure read %d bytes at a time", chunk).isEqualTo(whole.failure);
    assertThat(chunked.accounted).as("decoder accounting").isLessThanOrEqualTo(accountingLimit(wire.length));
    assertThat(allocated).as("bytes allocated reading %d input bytes", wire.length).isLessThanOrEqualTo(allocationLimit(wire.length));
    assertThat(chunked.peakUnread).as("bytes held unconsumed").isLessThanOrEqualTo(LIMITS.maxBulkBytes() + 2L + LIMITS.maxLineBytes() + chunk);
  }

  /** What one read of the wire produced. */
  record Result(List<RespValue> values, RespProtocolException.@Nullable Reason failure, long accounted, long peakUnread) {}

  static Result read(byte[] wire, int chunk) {
    RespDecoder decoder = new RespDecoder(LIMITS);
    ByteBuf cumulation = Unpooled.buffer();
    List<RespValue> values = new ArrayList<>();
    long peakUnread = 0;
    try {
      for (int at = 0; at < wire.length; at += chunk) {
        cumulation.writeBytes(wire, at, Math.min(chunk, wire.length - at));
        RespValue v;
        while ((v = decoder.decode(cumulation)) != null) {
          values.add(v);
        }
        peakUnread = Math.max(peakUnread, cumulation.readableBytes());
        cumulation.discardReadBytes();
      }
      return new Result(values, null, decoder.allocatedBytes(), peakUnread);
    } catch (RespProtocolException e) {
      return new Result(values, e.reason(), decoder.allocatedBytes(), peakUnread);
    } finally {
      cumulation.release();
    }
  }

  /**
   * Payload bytes never exceed the bytes received; each aggregate header (at least four bytes) may
   * account up to {@code 8 * 64} bytes of initial slots.
   */
  static long accountingLimit(int inputLength) {
    return 128L * inputLength + 1024;
  }

  /** A generous linear bound on what the JVM measured: the values, their lists and maps, the buffer. */
  static long allocationLimit(int inputLength) {
    return 256L * inputLength + 1024 * 1024;
  }
}
