package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.asupersync.protocols.nats.NatsLimits;
import io.asupersync.protocols.nats.NatsMessage;
import io.asupersync.protocols.nats.NatsProtocolException;
import io.asupersync.protocols.nats.internal.NatsDecoder;
import io.asupersync.protocols.nats.internal.ServerOp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the NATS server-operation decoder ({@link NatsDecoder}) the way a connection drives it: the
 * bytes arrive in chunks into one cumulating buffer, and the decoder is called until it needs more.
 *
 * <p>The first input byte picks the chunk size ({@code 1 + b % 64}; 0 feeds everything at once); the
 * rest is what the server sends. Small limits ({@link #LIMITS}) put the limit checks within the
 * fuzzer's reach. Invariants: nothing but {@link NatsProtocolException} escapes; after the decoder
 * asks for more bytes it holds no more than {@link NatsDecoder#maxBufferedBytes()}; a run allocates
 * at most {@link #allocationLimit} bytes (no allocation sized by an announced length); and the
 * result, operations or the error, is the same whatever the chunking.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs in regression mode over the corpus in {@code
 * src/test/resources/io/asupersync/fuzz/NatsDecoderFuzzTestsInputs/decoder}, which {@link
 * NatsDecoderSeeds} regenerates.
 */
class NatsDecoderFuzzTests {

  static final NatsLimits LIMITS = new NatsLimits(128, 1024, 512, 16, 1 << 20);

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "5m")
  void decoder(byte[] input) {
    int chunk = input.length == 0 || input[0] == 0 ? Integer.MAX_VALUE : 1 + (input[0] & 0xff) % 64;
    byte[] wire = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    long before = THREADS.getCurrentThreadAllocatedBytes();
    List<String> chunked = decode(wire, chunk);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > allocationLimit(wire.length)) {
      // The first pass over a new path also loads (and, when fuzzing, instruments) classes.
      before = THREADS.getCurrentThreadAllocatedBytes();
      decode(wire, chunk);
      allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    }
    assertThat(allocated).as("bytes allocated decoding %d bytes", wire.length).isLessThanOrEqualTo(allocationLimit(wire.length));
    assertThat(chunked).as("result with chunks of %d", chunk).isEqualTo(decode(wire, Integer.MAX_VALUE));
  }

  /**
   * Decodes {@code wire} delivered in chunks of {@code chunk} bytes; the operations rendered as text,
   * ending with {@code error:<violation>} if the decoder refused the bytes.
   */
  static List<String> decode(byte[] wire, int chunk) {
    NatsDecoder decoder = new NatsDecoder(LIMITS);
    ByteBuf cumulation = Unpooled.buffer();
    List<String> ops = new ArrayList<>();
    try {
      for (int at = 0; at < wire.length; at += chunk) {
        cumulation.writeBytes(wire, at, Math.min(chunk, wire.length - at));
        for (ServerOp op; (op = decoder.decode(cumulation)) != null; ) {
          ops.add(render(op));
        }
        assertThat(cumulation.readableBytes()).as("bytes held while waiting for more").isLessThanOrEqualTo(decoder.maxBufferedBytes());
        cumulation.discardReadBytes();
      }
    } catch (NatsProtocolException e) {
      ops.add("error:" + e.violation());
    } finally {
      cumulation.release();
    }
    return ops;
  }

  /** Whether {@code wire} (whole) decodes without an error. */
  static boolean accepted(byte[] wire) {
    List<String> ops = decode(wire, Integer.MAX_VALUE);
    return ops.isEmpty() || !ops.get(ops.size() - 1).startsWith("error:");
  }

  private static String render(ServerOp op) {
    if (op instanceof ServerOp.Msg m) {
      NatsMessage msg = m.message();
      return "msg " + m.sid() + " " + msg.subject() + " " + msg.replyTo() + " " + msg.headers().status() + " "
          + msg.headers().description() + " " + msg.headers().fields() + " " + Arrays.toString(msg.data());
    }
    return op.toString();
  }

  /** Linear in the input plus a fixed cost; anything sized by an announced length would break it. */
  static long allocationLimit(int inputLength) {
    return 64L * inputLength + 1024 * 1024;
  }
}
