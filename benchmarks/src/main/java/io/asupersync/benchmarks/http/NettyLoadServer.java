package io.asupersync.benchmarks.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The plain Netty peer, written the way Netty's own examples serve a fixed answer: HttpServerCodec for
 * HTTP/1.1; for h2c (detected by its preface on the same port) the HTTP/2 frame codec with one handler on
 * the connection that answers each request stream's HEADERS/DATA end. Responses are written as they are
 * produced and flushed once per read batch. No routing, no per-request task: the floor our server is
 * measured against.
 *
 * <p>With {@code handoff}, the same server hands every request to a new virtual thread, which produces
 * the answer and writes it back through the event loop (one task per response, as our server does): the
 * cost of that thread hop alone, without regions, budgets or tracing. Not a peer; it tells how much of
 * the gap to plain Netty is the hop and how much is ours.
 */
final class NettyLoadServer {
  private static final ByteBuf BODY = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(HttpLoadServer.BODY)).asReadOnly();

  private NettyLoadServer() {}

  static Channel start(int ioThreads, boolean handoff) throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(ioThreads, io);
    return new ServerBootstrap()
        .group(group)
        .channel(channel)
        .childHandler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                HttpServerCodec http1 = new HttpServerCodec();
                ch.pipeline()
                    .addLast(
                        new CleartextHttp2ServerUpgradeHandler(
                            http1,
                            new HttpServerUpgradeHandler(http1, protocol -> null),
                            new ChannelInitializer<Channel>() {
                              @Override
                              protected void initChannel(Channel h2) {
                                // the client sent the HTTP/2 preface: swap the HTTP/1.1 handler for HTTP/2
                                h2.pipeline().remove(Http1Hello.class);
                                h2.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Http2Hello(handoff));
                              }
                            }))
                    .addLast(handoff ? Http1Hello.HANDOFF : Http1Hello.DIRECT);
              }
            })
        .bind("127.0.0.1", 0)
        .sync()
        .channel();
  }

  @Sharable
  private static final class Http1Hello extends ChannelInboundHandlerAdapter {
    static final Http1Hello DIRECT = new Http1Hello(false);
    static final Http1Hello HANDOFF = new Http1Hello(true);
    private final boolean handoff;

    private Http1Hello(boolean handoff) {
      this.handoff = handoff;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        FullHttpResponse response =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, BODY.duplicate());
        response
            .headers()
            .set(HttpHeaderNames.CONTENT_TYPE, HttpLoadServer.CONTENT_TYPE)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, HttpLoadServer.BODY.length);
        if (handoff) {
          Thread.ofVirtual()
              .start(
                  () -> {
                    if (keepAlive) {
                      ctx.writeAndFlush(response);
                    } else {
                      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                    }
                  });
        } else if (keepAlive) {
          ctx.write(response);
        } else {
          response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
          ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
      }
      if (msg instanceof HttpContent) {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static final class Http2Hello extends ChannelInboundHandlerAdapter {
    private final boolean handoff;

    Http2Hello(boolean handoff) {
      this.handoff = handoff;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2HeadersFrame headers) {
        if (headers.isEndStream()) {
          respond(ctx, headers.stream());
        }
      } else if (msg instanceof Http2DataFrame data) {
        boolean end = data.isEndStream();
        Http2FrameStream stream = data.stream();
        data.release();
        if (end) {
          respond(ctx, stream);
        }
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    private void respond(ChannelHandlerContext ctx, Http2FrameStream stream) {
      if (handoff) {
        Thread.ofVirtual()
            .start(
                () ->
                    ctx.executor()
                        .execute(
                            () -> {
                              writeAnswer(ctx, stream);
                              ctx.flush();
                            }));
      } else {
        writeAnswer(ctx, stream);
      }
    }

    private static void writeAnswer(ChannelHandlerContext ctx, Http2FrameStream stream) {
      Http2Headers headers =
          new DefaultHttp2Headers()
              .status("200")
              .set(HttpHeaderNames.CONTENT_TYPE, HttpLoadServer.CONTENT_TYPE)
              .setInt(HttpHeaderNames.CONTENT_LENGTH, HttpLoadServer.BODY.length);
      ctx.write(new DefaultHttp2HeadersFrame(headers).stream(stream));
      ctx.write(new DefaultHttp2DataFrame(BODY.duplicate(), true).stream(stream));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
