package io.asupersync.protocols.websocket.internal;

import io.asupersync.RegionClosedException;
import io.asupersync.Runtime;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.internal.Http1UpgradeHandler;
import io.asupersync.protocols.websocket.CloseStatus;
import io.asupersync.protocols.websocket.WebSocketHandler;
import io.asupersync.protocols.websocket.WebSocketLimits;
import io.asupersync.protocols.websocket.WebSocketRejectionReason;
import io.asupersync.trace.TraceKind;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's WebSocket endpoints, plugged into the HTTP/1.1 upgrade hook: a request whose path is an
 * endpoint and that asks for {@code Upgrade: websocket} is checked (RFC 6455 section 4.2.1), answered
 * 101 (or 400/405/426), and its connection handed to a {@link WebSocketConnection} whose handler runs
 * as a root task of the server's runtime: one region per connection.
 *
 * <p>Endpoints are added while the server is built and read-only once it runs.
 */
public final class WebSocketUpgrade implements Http1UpgradeHandler {

  /** The token of {@code Upgrade: websocket}. */
  public static final String TOKEN = "websocket";

  private record Endpoint(WebSocketLimits limits, WebSocketHandler handler, List<String> subprotocols) {}

  private final Runtime runtime;
  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  private final EnumMap<WebSocketRejectionReason, LongAdder> rejections = new EnumMap<>(WebSocketRejectionReason.class);

  public WebSocketUpgrade(Runtime runtime) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    for (WebSocketRejectionReason r : WebSocketRejectionReason.values()) {
      rejections.put(r, new LongAdder());
    }
  }

  /** Refused upgrades and failed connections of every endpoint so far, by reason; every reason is present. */
  public Map<WebSocketRejectionReason, Long> rejections() {
    return snapshot(rejections);
  }

  /** Every reason with zero: the counts of a server without WebSocket endpoints. */
  public static Map<WebSocketRejectionReason, Long> none() {
    return snapshot(new EnumMap<>(WebSocketRejectionReason.class));
  }

  private static Map<WebSocketRejectionReason, Long> snapshot(EnumMap<WebSocketRejectionReason, LongAdder> counts) {
    EnumMap<WebSocketRejectionReason, Long> copy = new EnumMap<>(WebSocketRejectionReason.class);
    for (WebSocketRejectionReason r : WebSocketRejectionReason.values()) {
      LongAdder n = counts.get(r);
      copy.put(r, n == null ? 0L : n.sum());
    }
    return Collections.unmodifiableMap(copy);
  }

  private void count(WebSocketRejectionReason reason) {
    Objects.requireNonNull(rejections.get(reason)).increment();
  }

  /**
   * Serves {@code path} (exact match, query ignored) with {@code handler}.
   *
   * @throws IllegalArgumentException if the path does not start with '/' or is already an endpoint
   */
  public void add(String path, WebSocketLimits limits, List<String> subprotocols, WebSocketHandler handler) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("a WebSocket path starts with '/': " + path);
    }
    Endpoint previous = endpoints.putIfAbsent(path, new Endpoint(
        Objects.requireNonNull(limits, "limits"), Objects.requireNonNull(handler, "handler"), List.copyOf(subprotocols)));
    if (previous != null) {
      throw new IllegalArgumentException("WebSocket endpoint registered twice: " + path);
    }
  }

  @Override
  public boolean accepts(FullHttpRequest request) {
    return endpoints.containsKey(path(request.uri()));
  }

  private static String path(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  @Override
  public void upgrade(Channel channel, FullHttpRequest request) {
    String path = path(request.uri());
    Endpoint endpoint = Objects.requireNonNull(endpoints.get(path), "accepts() checked the path");
    HttpHeaders.Builder builder = HttpHeaders.builder();
    request.headers().forEach(field -> builder.add(field.getKey(), field.getValue()));
    HttpHeaders headers = builder.build();
    Handshake.Decision decision;
    if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      decision = new Handshake.Reject(400, "WebSocket upgrade needs HTTP/1.1", HttpHeaders.empty());
    } else {
      decision = Handshake.server(request.method().name(), headers, endpoint.limits(), endpoint.subprotocols());
    }
    switch (decision) {
      case Handshake.Reject reject -> refuse(channel, reject, path);
      case Handshake.Accept accept -> accept(channel, request.uri(), path, headers, accept, endpoint);
    }
  }

  private void refuse(Channel channel, Handshake.Reject reject, String path) {
    count(WebSocketRejectionReason.HANDSHAKE_REFUSED);
    runtime.trace().record(TraceKind.PROTOCOL_ERROR, 0, 0, 0, Map.of(
        "protocol", "websocket", "reason", "handshake refused", "route", path, "status", Integer.toString(reject.status())));
    DefaultFullHttpResponse response = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reject.status()),
        Unpooled.copiedBuffer(reject.reason(), StandardCharsets.UTF_8));
    reject.headers().forEach(field -> response.headers().add(field.getKey(), field.getValue()));
    response.headers().set("content-type", "text/plain; charset=utf-8");
    response.headers().set("content-length", response.content().readableBytes());
    response.headers().set("connection", "close");
    channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private void accept(Channel channel, String target, String path, HttpHeaders headers, Handshake.Accept accept, Endpoint endpoint) {
    ChannelPipeline p = channel.pipeline();
    HttpServerCodec codec = (HttpServerCodec) p.get(CODEC_NAME);
    WebSocketConnection connection = new WebSocketConnection(
        false, endpoint.limits(), accept.deflate(), target, headers, accept.subprotocol(), new SplittableRandom(), runtime.trace(),
        this::count);
    // The 101 goes out as raw bytes and the codec leaves the pipeline before any frame can be read or
    // written: bytes that followed the request (frames a client sent early) go to the connection.
    codec.removeOutboundHandler();
    StringBuilder head = new StringBuilder(256).append("HTTP/1.1 101 Switching Protocols\r\n");
    accept.responseHeaders().forEach(field -> head.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n"));
    channel.writeAndFlush(ByteBufUtil.writeAscii(channel.alloc(), head.append("\r\n")));
    p.addLast("websocket", connection);
    codec.removeInboundHandler();
    p.remove(codec);
    runtime.trace().record(TraceKind.ACCESS, 0, 0, 0, Map.of(
        "protocol", p.get(SslHandler.class) != null ? "websocket-tls" : "websocket",
        "method", "GET", "route", path, "status", "101"));
    try {
      runtime.spawn("websocket " + path, cx -> connection.serve(cx, endpoint.handler()).orThrow());
    } catch (RegionClosedException shuttingDown) {
      connection.closeIfOpen(new CloseStatus(CloseStatus.GOING_AWAY, "server shutting down"));
    }
  }
}
