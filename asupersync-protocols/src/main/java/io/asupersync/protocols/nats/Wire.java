package io.asupersync.protocols.nats;

import io.asupersync.protocols.nats.NatsProtocolException.Violation;
import io.asupersync.protocols.nats.internal.Json;
import io.asupersync.protocols.nats.internal.NatsDecoder;
import io.asupersync.protocols.nats.internal.ServerOp;
import io.asupersync.protocols.tls.ClientTls;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One TCP connection of the engine: its decoder, its handshake (INFO, then the TLS upgrade when the
 * client has TLS, then CONNECT and PING, then PONG) and the dispatch of what the server sends. Runs on
 * the event loop. A connection that fails for any reason is closed and reported to the engine exactly
 * once, with the reason.
 */
final class Wire extends ChannelInboundHandlerAdapter {

  private enum Phase {
    AWAIT_INFO,
    AWAIT_PONG,
    CONNECTED
  }

  private final Engine engine;
  final long generation;
  private final NatsDecoder decoder;
  private @Nullable Channel channel;
  private Phase phase = Phase.AWAIT_INFO;
  private @Nullable NatsException failure;
  private boolean reported;
  private @Nullable String lastServerError;
  private final @Nullable ClientTls tls;
  private final String host;
  private final int port;

  Wire(Engine engine, long generation, NatsLimits limits, @Nullable ClientTls tls, String host, int port) {
    this.engine = engine;
    this.generation = generation;
    this.decoder = new NatsDecoder(limits);
    this.tls = tls;
    this.host = host;
    this.port = port;
  }

  void attach(Channel ch) {
    this.channel = ch;
    // Netty completes the close future before it fails the connect future: report one task later, so
    // the connect failure (set by the connect listener) is the cause reported, not "closed".
    ch.closeFuture().addListener(f -> {
      if (ch.eventLoop().isShuttingDown()) {
        reportLost();
      } else {
        ch.eventLoop().execute(this::reportLost);
      }
    });
  }

  Channel channel() {
    return java.util.Objects.requireNonNull(channel);
  }

  boolean isConnected() {
    return phase == Phase.CONNECTED && failure == null;
  }

  int maxPayload() {
    return decoder.maxPayload();
  }

  /** Closes this connection for {@code cause} (the first cause given wins). */
  void fail(NatsException cause) {
    if (failure == null) {
      failure = cause;
    }
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
    if (ch == null || !ch.isRegistered()) {
      reportLost();
    }
  }

  private void reportLost() {
    if (reported) {
      return;
    }
    reported = true;
    NatsException cause = failure;
    if (cause == null) {
      cause = phase == Phase.CONNECTED
          ? new NatsException(NatsException.Reason.OUTCOME_UNKNOWN,
              "server closed the connection" + (lastServerError == null ? "" : " after -ERR (" + NatsTelemetry.errorCategory(lastServerError) + ")"))
          : new NatsException(NatsException.Reason.CONNECT_FAILED, "server closed the connection during the handshake");
    }
    engine.lost(this, cause);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (failure != null) {
      return; // closing: nothing more is processed on this connection
    }
    if (msg instanceof NatsProtocolException e) {
      protocolError(e);
      return;
    }
    ServerOp op = (ServerOp) msg;
    switch (op) {
      case ServerOp.Msg m -> {
        if (phase != Phase.CONNECTED) {
          protocolError(new NatsProtocolException(Violation.UNEXPECTED_OPERATION, "message before the handshake finished"));
        } else {
          engine.deliver(m.sid(), m.message());
        }
      }
      case ServerOp.Bare bare -> {
        switch (bare) {
          case PING -> ctx.writeAndFlush(Encoder.pong(ctx.alloc()));
          case PONG -> {
            if (phase == Phase.AWAIT_PONG) {
              phase = Phase.CONNECTED;
              engine.connected(this);
            } else if (phase == Phase.CONNECTED) {
              engine.pong();
            } else {
              protocolError(new NatsProtocolException(Violation.UNEXPECTED_OPERATION, "PONG before INFO"));
            }
          }
          case OK -> {}
        }
      }
      case ServerOp.Info info -> onInfo(ctx, info.json());
      case ServerOp.Err err -> onErr(err.text());
    }
  }

  private void onInfo(ChannelHandlerContext ctx, String json) {
    Map<String, Object> info;
    try {
      info = Json.parseObject(json);
    } catch (IllegalArgumentException e) {
      protocolError(new NatsProtocolException(Violation.MALFORMED_INFO, "INFO is not a JSON object"));
      return;
    }
    decoder.serverMaxPayload(Json.number(info, "max_payload", -1));
    if (phase != Phase.AWAIT_INFO) {
      engine.infoUpdated(this);
      return;
    }
    boolean serverTls = Json.bool(info, "tls_required", false) || Json.bool(info, "tls_available", false);
    if (tls == null && Json.bool(info, "tls_required", false)) {
      fail(new NatsException(NatsException.Reason.CONNECT_FAILED, "server requires TLS; configure the client with TLS"));
      return;
    }
    if (tls != null && !serverTls) {
      // Never send the credentials in the clear to a server that cannot take TLS.
      fail(new NatsException(NatsException.Reason.CONNECT_FAILED, "client requires TLS, which the server does not offer"));
      return;
    }
    phase = Phase.AWAIT_PONG;
    if (tls != null) {
      // The server waits for the client's hello after INFO; CONNECT (and the credentials) follow only
      // once the handshake succeeded: SslHandler holds writes until then, and fails them if it fails.
      SslHandler ssl = tls.newHandler(ctx.alloc(), host, port);
      ctx.pipeline().addFirst("tls", ssl);
    }
    ctx.writeAndFlush(Encoder.connect(ctx.alloc(), engine.connectJson()));
  }

  private void onErr(String text) {
    engine.telemetry.serverError(generation, text);
    if (phase == Phase.CONNECTED) {
      // Most errors after the handshake are followed by the server closing the connection
      // (stale connection, maximum payload); permission errors are not. Either way the socket decides.
      lastServerError = text;
      return;
    }
    boolean auth = NatsTelemetry.errorCategory(text).equals("authorization");
    fail(new NatsException(
        auth ? NatsException.Reason.AUTHORIZATION : NatsException.Reason.CONNECT_FAILED,
        auth ? "server refused the credentials" : "server refused the connection (" + NatsTelemetry.errorCategory(text) + ")"));
  }

  void protocolError(NatsProtocolException e) {
    engine.telemetry.protocolError(generation, e);
    fail(new NatsException(NatsException.Reason.OUTCOME_UNKNOWN, "connection closed: the server broke the protocol", e));
  }

  /** A failed TLS handshake closes the channel next: keep its cause rather than "server closed". */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      fail(new NatsException(NatsException.Reason.CONNECT_FAILED, "TLS handshake failed", done.cause()));
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(new NatsException(
        phase == Phase.CONNECTED ? NatsException.Reason.OUTCOME_UNKNOWN : NatsException.Reason.CONNECT_FAILED,
        "connection failed", cause));
  }

  /**
   * Feeds the cumulation to the decoder. A protocol error discards the buffered bytes and closes the
   * connection; the decoder itself never looks past its limits, so the cumulation stays within
   * {@link NatsDecoder#maxBufferedBytes()} plus one socket read.
   */
  static final class Decoder extends ByteToMessageDecoder {
    private final Wire wire;

    Decoder(Wire wire) {
      this.wire = wire;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      wire.engine.telemetry.recordBuffered(in.readableBytes());
      try {
        for (ServerOp op; (op = wire.decoder.decode(in)) != null; ) {
          out.add(op);
        }
      } catch (NatsProtocolException e) {
        // Passed down in order, so the operations decoded before the bad bytes are still handled.
        in.skipBytes(in.readableBytes());
        out.add(e);
      }
    }
  }
}
