package io.asupersync.protocols.websocket.internal;

import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.websocket.WebSocketException;
import io.asupersync.protocols.websocket.WebSocketLimits;
import io.asupersync.trace.TraceBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The client's opening handshake on the event loop: sends the upgrade request once the channel is
 * active, reads the response head (at most {@link #MAX_RESPONSE_HEAD_BYTES}, {@link #MAX_HEADERS}
 * fields), checks it, and replaces itself with a {@link WebSocketConnection}, handing it any bytes that
 * followed the head. The outcome completes {@link #result()}.
 */
public final class ClientHandshake extends ChannelInboundHandlerAdapter {

  /** Largest response head (status line and headers) the client reads. */
  public static final int MAX_RESPONSE_HEAD_BYTES = 16 * 1024;
  /** Most header fields in the response. */
  public static final int MAX_HEADERS = 128;

  private final String hostHeader;
  private final String target;
  private final String key;
  private final HttpHeaders extraHeaders;
  private final List<String> subprotocols;
  private final WebSocketLimits limits;
  private final RandomGenerator loopMasks;
  private final @Nullable TraceBuffer trace;
  private final CompletableFuture<WebSocketConnection> result = new CompletableFuture<>();
  private @Nullable ByteBuf head;
  private boolean requestSent;

  public ClientHandshake(
      String hostHeader,
      String target,
      String key,
      HttpHeaders extraHeaders,
      List<String> subprotocols,
      WebSocketLimits limits,
      RandomGenerator loopMasks,
      @Nullable TraceBuffer trace) {
    this.hostHeader = hostHeader;
    this.target = target;
    this.key = key;
    this.extraHeaders = extraHeaders;
    this.subprotocols = List.copyOf(subprotocols);
    this.limits = limits;
    this.loopMasks = loopMasks;
    this.trace = trace;
  }

  /** Completes with the open connection, or exceptionally with a {@link WebSocketException}. */
  public CompletableFuture<WebSocketConnection> result() {
    return result;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      sendRequest(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    sendRequest(ctx);
    ctx.fireChannelActive();
  }

  private void sendRequest(ChannelHandlerContext ctx) {
    if (requestSent) {
      return;
    }
    requestSent = true;
    StringBuilder request = new StringBuilder(256)
        .append("GET ").append(target).append(" HTTP/1.1\r\n")
        .append("Host: ").append(hostHeader).append("\r\n")
        .append("Upgrade: websocket\r\n")
        .append("Connection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
        .append("Sec-WebSocket-Version: 13\r\n");
    if (limits.permessageDeflate()) {
      request.append("Sec-WebSocket-Extensions: ").append(Handshake.DEFLATE).append("\r\n");
    }
    if (!subprotocols.isEmpty()) {
      request.append("Sec-WebSocket-Protocol: ").append(String.join(", ", subprotocols)).append("\r\n");
    }
    for (Map.Entry<String, String> field : extraHeaders) {
      request.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n");
    }
    request.append("\r\n");
    ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), request));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes) || result.isDone()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ByteBuf acc = head;
    if (acc == null) {
      acc = head = ctx.alloc().buffer(Math.min(MAX_RESPONSE_HEAD_BYTES, Math.max(256, bytes.readableBytes())));
    }
    int room = MAX_RESPONSE_HEAD_BYTES - acc.readableBytes();
    acc.writeBytes(bytes, Math.min(room, bytes.readableBytes()));
    int end = headEnd(acc);
    if (end < 0) {
      bytes.release();
      if (acc.readableBytes() >= MAX_RESPONSE_HEAD_BYTES) {
        fail(ctx, "handshake response head over " + MAX_RESPONSE_HEAD_BYTES + " bytes");
      }
      return;
    }
    // Bytes past the head (frames the server sent at once) go back to the connection.
    int extra = acc.writerIndex() - (end + 4);
    bytes.readerIndex(bytes.readerIndex() - extra);
    String text = acc.toString(acc.readerIndex(), end - acc.readerIndex(), StandardCharsets.ISO_8859_1);
    acc.release();
    head = null;
    WebSocketConnection connection;
    try {
      connection = accept(text);
    } catch (WebSocketException e) {
      bytes.release();
      result.completeExceptionally(e);
      ctx.close();
      return;
    }
    ctx.pipeline().addAfter(ctx.name(), "websocket", connection);
    ctx.pipeline().remove(this);
    result.complete(connection);
    if (bytes.isReadable()) {
      ctx.fireChannelRead(bytes);
    } else {
      bytes.release();
    }
  }

  private static int headEnd(ByteBuf acc) {
    for (int i = acc.readerIndex(), last = acc.writerIndex() - 4; i <= last; i++) {
      if (acc.getByte(i) == '\r' && acc.getByte(i + 1) == '\n' && acc.getByte(i + 2) == '\r' && acc.getByte(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }

  private WebSocketConnection accept(String responseHead) throws WebSocketException {
    String[] lines = responseHead.split("\r\n", MAX_HEADERS + 2);
    if (lines.length > MAX_HEADERS + 1) {
      throw new WebSocketException("handshake response has more than " + MAX_HEADERS + " header fields");
    }
    String status = lines[0];
    if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new WebSocketException("handshake response is not HTTP/1.1: " + printable(status));
    }
    if (!status.startsWith("101", 9)) {
      throw new WebSocketException("server refused the upgrade: " + printable(status.substring(9)));
    }
    HttpHeaders.Builder builder = HttpHeaders.builder();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        throw new WebSocketException("malformed header line in the handshake response");
      }
      builder.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
    }
    HttpHeaders headers = builder.build();
    if (!Handshake.hasToken(headers, "upgrade", "websocket") || !Handshake.hasToken(headers, "connection", "upgrade")) {
      throw new WebSocketException("handshake response lacks Upgrade: websocket and Connection: Upgrade");
    }
    if (!Handshake.acceptKey(key).equals(headers.first("sec-websocket-accept"))) {
      throw new WebSocketException("Sec-WebSocket-Accept does not match the key sent");
    }
    Handshake.DeflateAgreement deflate;
    try {
      deflate = Handshake.clientDeflate(headers.all("sec-websocket-extensions"), limits.permessageDeflate());
    } catch (IllegalArgumentException e) {
      throw new WebSocketException("bad Sec-WebSocket-Extensions in the handshake response: " + e.getMessage());
    }
    String subprotocol = headers.first("sec-websocket-protocol");
    if (subprotocol != null && !subprotocols.contains(subprotocol)) {
      throw new WebSocketException("server chose a subprotocol that was not offered: " + printable(subprotocol));
    }
    return new WebSocketConnection(true, limits, deflate, target, headers, subprotocol, loopMasks, trace, reason -> {});
  }

  private static String printable(String text) {
    String cut = text.length() > 120 ? text.substring(0, 120) : text;
    return cut.replaceAll("[^\\x20-\\x7E]", "?");
  }

  private void fail(ChannelHandlerContext ctx, String message) {
    result.completeExceptionally(new WebSocketException(message));
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    result.completeExceptionally(new WebSocketException("connection closed during the opening handshake"));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    release();
    result.completeExceptionally(new WebSocketException("opening handshake failed: " + cause.getMessage(), cause));
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  private void release() {
    ByteBuf acc = head;
    if (acc != null) {
      head = null;
      acc.release();
    }
  }
}
