package io.asupersync.protocols.http.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Extension point for protocol modules (WebSocket): takes over an HTTP/1.1 connection whose request
 * carries {@code Upgrade: <token>} (registered with {@code AsupersyncServer.Builder#http1Upgrade}).
 *
 * <p>Contract: for a request without a body, whose {@code Upgrade} field names the registered token
 * (case-insensitive) and that passed the server's HTTP/1.1 checks (limits, Host policy), the server
 * first asks {@link #accepts}. If it declines, the request is routed as an ordinary request. If it
 * accepts, the server (on the connection's event loop) removes its own HTTP/1.1 handlers (keep-alive,
 * timeouts, dispatch), leaving Netty's {@code HttpServerCodec} in the pipeline under the name {@value
 * #CODEC_NAME} so that a handshaker can write the 101 answer and replace it, then calls {@link #upgrade}.
 * From then on the handler owns the connection: answering, closing, tracing and request-as-region
 * semantics are its job. The request is released by the server after {@link #upgrade} returns: retain
 * it to keep it.
 */
public interface Http1UpgradeHandler {

  /** Name of Netty's {@code HttpServerCodec} in the pipeline when {@link #upgrade} is called. */
  String CODEC_NAME = "http1-codec";

  /** Whether to take this request over (for example: whether its path is a WebSocket endpoint). */
  boolean accepts(FullHttpRequest request);

  /** Takes over {@code channel}; runs on its event loop. */
  void upgrade(Channel channel, FullHttpRequest request);
}
