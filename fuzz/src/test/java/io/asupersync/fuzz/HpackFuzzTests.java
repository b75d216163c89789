package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.asupersync.protocols.http.Http2Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes HPACK header block decoding with Netty's {@link DefaultHttp2HeadersDecoder} configured the way
 * our server configures its codec from {@link Http2Limits} (header validation on, {@code
 * maxHeaderListBytes}, dynamic table of {@code maxHpackTableBytes}), over a sequence of blocks that share
 * one dynamic table, as the blocks of one connection do.
 *
 * <p>Input: blocks, each a 2-byte big-endian length and that many bytes (the last one cut short by the
 * input's end). Invariants: only {@link Http2Exception} escapes, and after a connection error the
 * decoder is not used again (its table state is undefined, as the connection would be closed); a
 * decoded list stays within {@code maxHeaderListBytes} (RFC 7541 sizes, 32 bytes of overhead per
 * field); the block's buffer keeps its reference count (the decoder must not release or retain it);
 * and decoding allocates at most {@link #allocationLimit} bytes, so a small block referring to large
 * table entries (a dynamic-table amplification, "HPACK bomb") cannot allocate in proportion to what it
 * expands to.
 */
class HpackFuzzTests {

  static final Http2Limits LIMITS = ServerPipelineHarness.H2;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @AfterAll
  static void noLeaks() {
    NettyReports.collectAndAssertNoLeaks("the HPACK corpus");
  }

  @FuzzTest(maxDuration = "5m")
  void headerBlocks(byte[] input) throws Http2Exception {
    long limit = allocationLimit(input.length, blocks(input));
    long before = THREADS.getCurrentThreadAllocatedBytes();
    decode(input);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > limit) {
      before = THREADS.getCurrentThreadAllocatedBytes(); // the first pass loads classes
      decode(input);
      allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    }
    assertThat(allocated).as("bytes allocated decoding %d bytes", input.length).isLessThanOrEqualTo(limit);
    NettyReports.assertNone("HPACK blocks");
  }

  /** Decodes every block; returns how many decoded, or -(n + 1) when block n ended the connection. */
  static int decode(byte[] input) throws Http2Exception {
    DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(true, LIMITS.maxHeaderListBytes());
    decoder.configuration().maxHeaderTableSize(LIMITS.maxHpackTableBytes());
    int decoded = 0;
    int block = 0;
    for (int at = 0; at + 2 <= input.length; block++) {
      int n = ((input[at] & 0xff) << 8) | (input[at + 1] & 0xff);
      int end = Math.min(input.length, at + 2 + n);
      ByteBuf buf = Unpooled.wrappedBuffer(Arrays.copyOfRange(input, at + 2, end));
      at = end;
      try {
        Http2Headers headers = decoder.decodeHeaders(1 + 2 * block, buf);
        long size = 0;
        for (Map.Entry<CharSequence, CharSequence> e : headers) {
          size += e.getKey().length() + e.getValue().length() + 32L;
        }
        assertThat(size).as("decoded header list size").isLessThanOrEqualTo(LIMITS.maxHeaderListBytes());
        decoded++;
      } catch (Http2Exception e) {
        if (!(e instanceof Http2Exception.StreamException)) {
          return -(block + 1);
        }
      } finally {
        assertThat(buf.refCnt()).as("block buffer reference count").isEqualTo(1);
        buf.release();
      }
    }
    return decoded;
  }

  /** The number of blocks in {@code input} (the last may be cut short). */
  static int blocks(byte[] input) {
    int blocks = 0;
    for (int at = 0; at + 2 <= input.length; blocks++) {
      at += 2 + (((input[at] & 0xff) << 8) | (input[at + 1] & 0xff));
    }
    return blocks;
  }

  /**
   * Linear in the input, plus the decoder and its table, plus a fixed cost per block (the header list
   * object and the block's buffer: an input of empty blocks costs some hundred bytes per 2 input bytes);
   * never in proportion to what a block expands to.
   */
  static long allocationLimit(int inputLength, int blocks) {
    return 32L * inputLength + 1024L * blocks + 512 * 1024;
  }
}
