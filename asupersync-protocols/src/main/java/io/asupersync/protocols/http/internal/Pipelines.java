package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.http.Http1Limits;
import io.asupersync.protocols.tls.TlsInfo;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.AsciiString;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Builds the HTTP/1.1 and HTTP/2 pipelines of a connection (event loop). */
final class Pipelines {

  static final String H1_GUARD = "http1-guard";
  static final String H2C_UPGRADE = "h2c-upgrade";
  /** Aggregation cap of Netty's upgrade handler; we only upgrade requests without a body. */
  private static final int MAX_UPGRADE_BODY = 16 * 1024;

  private Pipelines() {}

  static void http1(ChannelPipeline p, ServerEngine engine, long id, @Nullable TlsInfo tls) {
    Http1Limits limits = engine.config.http1Limits();
    Http1Connection connection = new Http1Connection(engine, id, tls);
    HttpServerCodec codec =
        new HttpServerCodec(
            new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLineBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(64 * 1024)
                .setValidateHeaders(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true)
                .setStrictLineParsing(true));
    p.addLast(H1_GUARD, new Http1ByteGuard(connection));
    p.addLast(Http1UpgradeHandler.CODEC_NAME, codec);
    if (tls == null) {
      p.addLast(H2C_UPGRADE, new H2cUpgradeHandler(codec, connection, engine, id));
    }
    p.addLast(Http1Connection.NAME, connection);
  }

  static void http2(ChannelPipeline p, ServerEngine engine, long id, @Nullable TlsInfo tls) {
    H2Connection h2 = new H2Connection(engine, id, tls);
    // Responses come from request tasks, one stream at a time: flushing each would cost a write syscall
    // per response. Flushes are merged per read batch and, outside reads, per event-loop pass.
    p.addLast("h2-flush", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    p.addLast(ContinuationGuard.NAME, new ContinuationGuard(engine.config.http2Limits(), true));
    p.addLast("h2-codec", h2.codec());
    p.addLast("h2-connection", h2);
  }

  /** The TLS session as handlers see it; the peer chain only when the client presented one. */
  /**
   * Netty's h2c upgrade (RFC 7540 3.2) for requests that passed our HTTP/1.1 checks; anything else is
   * passed on to the connection handler, which answers it.
   */
  private static final class H2cUpgradeHandler extends HttpServerUpgradeHandler {
    private final int maxHeaders;
    private final Http1Connection connection;

    H2cUpgradeHandler(HttpServerCodec codec, Http1Connection connection, ServerEngine engine, long id) {
      super(
          new SourceCodec() {
            @Override
            public void upgradeFrom(ChannelHandlerContext ctx) {
              ChannelPipeline p = ctx.pipeline();
              p.remove(H1_GUARD);
              p.remove(codec);
              p.remove(Http1Connection.NAME);
              p.addBefore(ctx.name(), ContinuationGuard.NAME, new ContinuationGuard(engine.config.http2Limits(), true));
            }
          },
          protocol -> {
            if (!AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)) {
              return null;
            }
            H2Connection h2 = new H2Connection(engine, id, null);
            return new Http2ServerUpgradeCodec("h2-codec", h2.codec(), h2);
          },
          MAX_UPGRADE_BODY);
      this.maxHeaders = engine.config.http1Limits().maxHeaders();
      this.connection = connection;
    }

    @Override
    protected boolean shouldHandleUpgradeRequest(HttpRequest req) {
      if (!req.decoderResult().isSuccess() || req instanceof FullHttpRequest) {
        return false;
      }
      String upgrade = req.headers().get(HttpHeaderNames.UPGRADE, "");
      if (!upgrade.toLowerCase(Locale.ROOT).contains("h2c")) {
        return false;
      }
      // only requests that pass the HTTP/1.1 checks, carry no body and follow no unanswered pipelined
      // request; the rest are served over HTTP/1.1 (a server may ignore Upgrade, RFC 9110 7.8)
      var h = req.headers();
      return connection.idle()
          && h.size() <= maxHeaders
          && h.getAll(HttpHeaderNames.HOST).size() == 1
          && !h.contains(HttpHeaderNames.TRANSFER_ENCODING)
          && h.getInt(HttpHeaderNames.CONTENT_LENGTH, 0) == 0;
    }
  }
}
