package io.asupersync.protocols.redis;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Netty adapter of {@link RespDecoder}: the cumulation buffer is Netty's, the state machine is ours.
 * Reports the largest cumulation buffer and decoder allocation it saw to its client's meters, so
 * tests can assert that memory stayed bounded whatever a server announced.
 */
final class RespFrameDecoder extends ByteToMessageDecoder {

  private final RespDecoder decoder;
  private final LongAccumulator peakBuffered;
  private final LongAccumulator peakAllocated;

  RespFrameDecoder(RedisLimits limits, LongAccumulator peakBuffered, LongAccumulator peakAllocated) {
    this.decoder = new RespDecoder(limits);
    this.peakBuffered = peakBuffered;
    this.peakAllocated = peakAllocated;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    peakBuffered.accumulate(in.capacity());
    try {
      RespValue value = decoder.decode(in);
      if (value != null) {
        out.add(value);
      }
    } finally {
      peakAllocated.accumulate(decoder.allocatedBytes());
    }
  }
}
