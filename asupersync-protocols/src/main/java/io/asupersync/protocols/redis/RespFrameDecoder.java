package io.asupersync.protocols.redis;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Netty adapter of {@link RespDecoder}: the cumulation buffer is Netty's, the state machine is ours.
 * Records the most bytes it ever held waiting, so tests can assert that memory stayed bounded.
 */
final class RespFrameDecoder extends ByteToMessageDecoder {

  final RespDecoder decoder;
  private volatile long peakBufferedBytes;

  RespFrameDecoder(RedisLimits limits) {
    this.decoder = new RespDecoder(limits);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (in.capacity() > peakBufferedBytes) {
      peakBufferedBytes = in.capacity();
    }
    RespValue value = decoder.decode(in);
    if (value != null) {
      out.add(value);
    }
  }

  /** The largest capacity the cumulation buffer reached. */
  long peakBufferedBytes() {
    return peakBufferedBytes;
  }
}
