package io.asupersync.protocols.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Sits before the HTTP/1 decoder and tells the connection when bytes arrive (header and idle timers). */
final class Http1ByteGuard extends ChannelInboundHandlerAdapter {

  private final Http1Connection connection;

  Http1ByteGuard(Http1Connection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    connection.onBytes();
    ctx.fireChannelRead(msg);
  }
}
