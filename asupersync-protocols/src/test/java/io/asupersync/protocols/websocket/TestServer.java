package io.asupersync.protocols.websocket;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.websocket.internal.Handshake;
import io.asupersync.protocols.websocket.internal.WebSocketConnection;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/** A minimal HTTP/1.1 server that only upgrades to WebSocket, until the real server's hook exists. */
final class TestServer implements AutoCloseable {

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel listener;
  /** The root task of every accepted connection, in order of arrival. */
  final List<TaskHandle<Outcome<Void>>> connections = new CopyOnWriteArrayList<>();

  TestServer(Runtime runtime, Map<String, WebSocketHandler> routes, WebSocketLimits limits) {
    listener = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast("http", new HttpServerCodec());
            ch.pipeline().addLast("aggregator", new HttpObjectAggregator(8192));
            ch.pipeline().addLast("upgrade", new Upgrade(runtime, routes, limits, connections));
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0))
        .syncUninterruptibly()
        .channel();
  }

  int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Upgrade extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final Runtime runtime;
    private final Map<String, WebSocketHandler> routes;
    private final WebSocketLimits limits;
    private final List<TaskHandle<Outcome<Void>>> connections;

    Upgrade(Runtime runtime, Map<String, WebSocketHandler> routes, WebSocketLimits limits, List<TaskHandle<Outcome<Void>>> connections) {
      this.runtime = runtime;
      this.routes = routes;
      this.limits = limits;
      this.connections = connections;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      WebSocketHandler handler = routes.get(request.uri());
      HttpHeaders.Builder headers = HttpHeaders.builder();
      request.headers().forEach(e -> headers.add(e.getKey(), e.getValue()));
      Handshake.Decision decision = handler == null
          ? new Handshake.Reject(404, "not found", HttpHeaders.empty())
          : Handshake.server(request.method().name(), headers.build(), limits, List.of());
      if (decision instanceof Handshake.Reject reject) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reject.status()),
            Unpooled.copiedBuffer(reject.reason(), StandardCharsets.UTF_8));
        response.headers().set("content-length", response.content().readableBytes());
        ctx.writeAndFlush(response).addListener(f -> ctx.close());
        return;
      }
      Handshake.Accept accept = (Handshake.Accept) decision;
      StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
      accept.responseHeaders().forEach(e -> head.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n"));
      head.append("\r\n");
      WebSocketConnection connection = new WebSocketConnection(
          false, limits, accept.deflate(), request.uri(), headers.build(), accept.subprotocol(), new SplittableRandom(), runtime.trace());
      HttpServerCodec codec = ctx.pipeline().get(HttpServerCodec.class);
      ctx.pipeline().remove("aggregator");
      codec.removeOutboundHandler();
      ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), head));
      ctx.pipeline().addLast("websocket", connection);
      ctx.pipeline().remove(this);
      codec.removeInboundHandler();
      ctx.pipeline().remove("http");
      connections.add(runtime.spawn("websocket " + request.uri(), cx -> {
        connection.serve(cx, handler).orThrow();
        return null;
      }));
    }
  }
}
