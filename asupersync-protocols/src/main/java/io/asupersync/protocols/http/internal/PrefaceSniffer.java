package io.asupersync.protocols.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * First handler of a cleartext connection: HTTP/2 prior knowledge when the bytes start with the client
 * connection preface, HTTP/1.1 at the first byte that differs. A client that sends nothing decisive
 * within the header read timeout is closed.
 */
final class PrefaceSniffer extends ByteToMessageDecoder {

  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

  private final ServerEngine engine;
  private final long id;
  private @Nullable ScheduledFuture<?> timeout;

  PrefaceSniffer(ServerEngine engine, long id) {
    this.engine = engine;
    this.id = id;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timeout =
        ctx.executor()
            .schedule(
                () -> {
                  ctx.close();
                },
                engine.config.http1Limits().headerReadTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
    for (int i = 0; i < n; i++) {
      if (in.getByte(in.readerIndex() + i) != PREFACE.getByte(i)) {
        Pipelines.http1(ctx.pipeline(), engine, id, null);
        ctx.pipeline().remove(this);
        return;
      }
    }
    if (n == PREFACE.readableBytes()) {
      Pipelines.http2(ctx.pipeline(), engine, id, null);
      ctx.pipeline().remove(this);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ServerEngine.SHUTDOWN_EVENT) {
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }
}
