package io.asupersync.protocols.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A TLS echo server, a Netty TLS client and an {@code openssl s_client} runner for the TLS tests. */
final class TlsPeers {
  private TlsPeers() {}

  static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  /** Echoes every byte back over TLS; records each handshake's result. */
  static final class EchoServer implements AutoCloseable {
    final BlockingQueue<TlsInfo> handshakes = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    private final Channel channel;

    EchoServer(Supplier<SslContext> tls) throws InterruptedException {
      channel =
          new ServerBootstrap()
              .group(GROUP)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline().addLast(tls.get().newHandler(ch.alloc()), new Echo());
                    }
                  })
              .bind("127.0.0.1", 0)
              .sync()
              .channel();
    }

    int port() {
      return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private final class Echo extends ChannelInboundHandlerAdapter {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
          if (done.isSuccess()) {
            handshakes.add(TlsInfo.of(ctx.pipeline().get(SslHandler.class)));
          } else {
            failures.add(done.cause());
          }
        }
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.writeAndFlush(msg);
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failures.add(cause);
        ctx.close();
      }
    }

    @Override
    public void close() {
      channel.close().syncUninterruptibly();
    }
  }

  /**
   * What a client saw: the handshake result, then the echo of its message or why none came. Over TLS 1.3
   * a refused client certificate shows up as a read failure after a successful handshake.
   */
  record Exchange(@Nullable TlsInfo info, @Nullable Throwable handshakeFailure, @Nullable String reply, @Nullable Throwable readFailure) {
    boolean echoed(String message) {
      return message.equals(reply);
    }
  }

  static Exchange exchange(ClientTls tls, String host, int port, String message) throws Exception {
    CompletableFuture<Exchange> result = new CompletableFuture<>();
    new Bootstrap()
        .group(GROUP)
        .channel(NioSocketChannel.class)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port), new EchoClient(message, result));
              }
            })
        .connect("127.0.0.1", port)
        .sync();
    return result.get(10, TimeUnit.SECONDS);
  }

  private static final class EchoClient extends ChannelInboundHandlerAdapter {
    private final String message;
    private final CompletableFuture<Exchange> result;
    private final StringBuilder received = new StringBuilder();
    private @Nullable TlsInfo info;

    EchoClient(String message, CompletableFuture<Exchange> result) {
      this.message = message;
      this.result = result;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent done) {
        if (done.isSuccess()) {
          info = TlsInfo.of(ctx.pipeline().get(SslHandler.class));
          ctx.writeAndFlush(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
        } else {
          result.complete(new Exchange(null, done.cause(), null, null));
          ctx.close();
        }
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      received.append(buf.toString(StandardCharsets.UTF_8));
      buf.release();
      if (received.length() >= message.length()) {
        result.complete(new Exchange(info, null, received.toString(), null));
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.complete(new Exchange(info, null, null, cause));
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.complete(new Exchange(info, null, null, new IOException("closed before the echo")));
    }
  }

  /** Output and exit code of {@code openssl s_client} against 127.0.0.1. */
  record SClient(int exitCode, String output) {
    boolean connected() {
      return exitCode == 0 && output.contains("CONNECTION ESTABLISHED");
    }
  }

  static SClient sClient(int port, Path caFile, String... options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        "openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
        "-CAfile", caFile.toString(), "-verify_return_error", "-brief"));
    command.addAll(List.of(options));
    Path output = Files.createTempFile("s_client", ".out");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      process.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
      process.getOutputStream().close();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("openssl s_client did not finish: " + Files.readString(output));
      }
      return new SClient(process.exitValue(), Files.readString(output));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
