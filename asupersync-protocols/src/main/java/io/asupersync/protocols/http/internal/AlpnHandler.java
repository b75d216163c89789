package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.tls.TlsInfo;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandler;

/** After the TLS handshake: HTTP/2 when ALPN chose {@code h2}, HTTP/1.1 otherwise. */
final class AlpnHandler extends ApplicationProtocolNegotiationHandler {

  private final ServerEngine engine;
  private final long id;

  AlpnHandler(ServerEngine engine, long id) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.engine = engine;
    this.id = id;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    TlsInfo tls = TlsInfo.of(ctx.pipeline().get(SslHandler.class));
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      Pipelines.http2(ctx.pipeline(), engine, id, tls);
    } else {
      Pipelines.http1(ctx.pipeline(), engine, id, tls);
    }
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    // a failed handshake is the client's problem or an attack; no stack trace per connection
    ctx.close();
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
