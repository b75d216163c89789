package io.asupersync.protocols.http.client;

import io.asupersync.protocols.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A plain Netty server for the client tests: HTTP/1.1 or h2c on cleartext, ALPN h2/http1.1 over TLS.
 * Routes: {@code /hello}, {@code /bytes?n=N} (declared length), {@code /chunked?n=N} (chunks of 1 KiB and
 * a trailer), {@code /headers?n=N} (N extra fields), {@code /bigheader?n=N} (one field of N bytes),
 * {@code /longstatus?n=N} (a reason phrase of N bytes), {@code /hold} (never answers).
 */
final class TestHttpServer implements AutoCloseable {
  private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger closedConnections = new AtomicInteger();
  /** Paths of requests as they arrive. */
  final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
  /** HTTP/2 RST_STREAM error codes received from the client. */
  final BlockingQueue<Long> resets = new LinkedBlockingQueue<>();
  /** Secret-looking header value every response carries, so tests can check it never reaches a trace. */
  static final String SECRET = "s3cret-token-value";

  private final Channel channel;
  private final String scheme;

  private TestHttpServer(@Nullable ServerTls tls, boolean h2c) throws InterruptedException {
    scheme = tls == null ? "http" : "https";
    channel = new ServerBootstrap()
        .group(GROUP)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.incrementAndGet();
            ch.closeFuture().addListener(f -> closedConnections.incrementAndGet());
            if (tls != null) {
              ch.pipeline().addLast(tls.get().newHandler(ch.alloc()), new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                @Override
                protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                  if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    h2(ctx.pipeline());
                  } else {
                    h1(ctx.pipeline());
                  }
                }
              });
            } else if (h2c) {
              h2(ch.pipeline());
            } else {
              h1(ch.pipeline());
            }
          }
        })
        .bind("127.0.0.1", 0)
        .sync()
        .channel();
  }

  static TestHttpServer http1() throws InterruptedException {
    return new TestHttpServer(null, false);
  }

  static TestHttpServer h2c() throws InterruptedException {
    return new TestHttpServer(null, true);
  }

  static TestHttpServer tls(ServerTls tls) throws InterruptedException {
    return new TestHttpServer(tls, false);
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  URI uri(String pathAndQuery) {
    return uri("127.0.0.1", pathAndQuery);
  }

  URI uri(String host, String pathAndQuery) {
    return URI.create(scheme + "://" + host + ":" + port() + pathAndQuery);
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  /** What a route answers. */
  record Reply(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body, boolean chunked, boolean hold) {}

  private Reply route(String pathAndQuery) {
    requests.add(pathAndQuery);
    URI uri = URI.create(pathAndQuery);
    String path = uri.getPath();
    int n = 0;
    if (uri.getQuery() != null && uri.getQuery().startsWith("n=")) {
      n = Integer.parseInt(uri.getQuery().substring(2));
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry("x-secret", SECRET));
    return switch (path) {
      case "/hello" -> new Reply(200, "OK", headers, "hello".getBytes(StandardCharsets.UTF_8), false, false);
      case "/bytes" -> new Reply(200, "OK", headers, filled(n), false, false);
      case "/chunked" -> new Reply(200, "OK", headers, filled(n), true, false);
      case "/headers" -> {
        for (int i = 0; i < n; i++) {
          headers.add(Map.entry("x-h" + i, "v"));
        }
        yield new Reply(200, "OK", headers, new byte[0], false, false);
      }
      case "/bigheader" -> {
        headers.add(Map.entry("x-big", "b".repeat(n)));
        yield new Reply(200, "OK", headers, new byte[0], false, false);
      }
      case "/longstatus" -> new Reply(200, "r".repeat(n), headers, new byte[0], false, false);
      case "/hold" -> new Reply(0, "", headers, new byte[0], false, true);
      default -> new Reply(404, "Not Found", headers, new byte[0], false, false);
    };
  }

  private static byte[] filled(int n) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, (byte) 'a');
    return bytes;
  }

  private void h1(ChannelPipeline pipeline) {
    pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        FullHttpRequest request = (FullHttpRequest) msg;
        Reply reply = route(request.uri());
        request.release();
        if (reply.hold()) {
          return;
        }
        HttpResponseStatus status = new HttpResponseStatus(reply.status(), reply.reason());
        if (reply.chunked()) {
          HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
          reply.headers().forEach(h -> head.headers().add(h.getKey(), h.getValue()));
          head.headers().set("transfer-encoding", "chunked");
          ctx.write(head);
          for (int off = 0; off < reply.body().length; off += 1024) {
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(reply.body(), off, Math.min(1024, reply.body().length - off))));
          }
          LastHttpContent last = new DefaultLastHttpContent();
          last.trailingHeaders().add("x-checksum", Integer.toString(reply.body().length));
          ctx.writeAndFlush(last);
          return;
        }
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(reply.body()));
        reply.headers().forEach(h -> response.headers().add(h.getKey(), h.getValue()));
        response.headers().setInt("content-length", reply.body().length);
        ctx.writeAndFlush(response);
      }
    });
  }

  private void h2(ChannelPipeline pipeline) {
    pipeline.addLast(
        Http2FrameCodecBuilder.forServer()
            .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(100).maxHeaderListSize(1 << 20))
            // send what the route says even past the client's SETTINGS_MAX_HEADER_LIST_SIZE, to test the client's check
            .encoderIgnoreMaxHeaderListSize(true)
            .build(),
        new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel stream) {
            stream.pipeline().addLast(new H2Stream());
          }
        }));
  }

  private final class H2Stream extends ChannelInboundHandlerAdapter {
    private @Nullable Http2Headers request;

    /** The multiplexer delivers RST_STREAM as a user event: it is not flow-controlled. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof Http2ResetFrame reset) {
        resets.add(reset.errorCode());
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        boolean end = false;
        if (msg instanceof Http2HeadersFrame headers) {
          request = headers.headers();
          end = headers.isEndStream();
        } else if (msg instanceof Http2DataFrame data) {
          end = data.isEndStream();
        }
        if (end && request != null) {
          respond(ctx, route(request.path().toString()));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void respond(ChannelHandlerContext ctx, Reply reply) {
      if (reply.hold()) {
        return;
      }
      Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(reply.status()));
      reply.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
      if (!reply.chunked()) {
        headers.setInt("content-length", reply.body().length);
      }
      byte[] body = reply.body();
      ctx.write(new DefaultHttp2HeadersFrame(headers, body.length == 0 && !reply.chunked()));
      for (int off = 0; off < body.length; off += 16384) {
        int len = Math.min(16384, body.length - off);
        ByteBuf chunk = Unpooled.wrappedBuffer(body, off, len);
        ctx.write(new DefaultHttp2DataFrame(chunk, !reply.chunked() && off + len == body.length));
      }
      if (reply.chunked()) {
        ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("x-checksum", Integer.toString(body.length)), true));
      }
      ctx.flush();
    }
  }
}
