package io.asupersync.protocols.http.internal;

import io.asupersync.protocols.http.Http2Limits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Watches HTTP/2 frame boundaries in the raw inbound bytes, before Netty's codec, and caps header blocks:
 * the bytes of one block across HEADERS and CONTINUATION, the number of CONTINUATION frames, and the time
 * until END_HEADERS. Netty's reader buffers a block until it ends, so these caps must act on frame
 * headers as they pass, before any payload is buffered. A violation goes to the codec as a connection
 * error (GOAWAY ENHANCE_YOUR_CALM); input after it is dropped. Copies nothing.
 */
final class ContinuationGuard extends ChannelInboundHandlerAdapter {

  static final String NAME = "h2-continuation-guard";

  private static final int HEADERS = 0x1;
  private static final int PUSH_PROMISE = 0x5;
  private static final int CONTINUATION = 0x9;
  private static final int END_HEADERS = 0x4;
  private static final int PREFACE_LENGTH = 24;

  private final Http2Limits limits;
  private int prefaceLeft;
  private final byte[] header = new byte[9];
  private int headerFill;
  private long payloadLeft;
  private boolean inBlock;
  private int blockFrames;
  private long blockBytes;
  private long blockNumber;
  private boolean failed;
  private @Nullable ScheduledFuture<?> deadline;
  private @Nullable String violation;

  /** @param expectPreface whether the client connection preface comes through this handler first */
  ContinuationGuard(Http2Limits limits, boolean expectPreface) {
    this.limits = limits;
    this.prefaceLeft = expectPreface ? PREFACE_LENGTH : 0;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (failed) {
      buf.release();
      return;
    }
    int cut = scan(ctx, buf);
    if (cut < 0) {
      ctx.fireChannelRead(buf);
      return;
    }
    ByteBuf head = buf.retainedSlice(buf.readerIndex(), cut);
    buf.release();
    if (head.isReadable()) {
      ctx.fireChannelRead(head);
    } else {
      head.release();
    }
    fail(ctx, String.valueOf(violation));
  }

  /** Walks frame headers; returns where to cut before a violating frame, or -1. */
  private int scan(ChannelHandlerContext ctx, ByteBuf buf) {
    int start = buf.readerIndex();
    int end = buf.writerIndex();
    int i = start;
    while (i < end) {
      if (prefaceLeft > 0) {
        int n = Math.min(prefaceLeft, end - i);
        prefaceLeft -= n;
        i += n;
      } else if (payloadLeft > 0) {
        int n = (int) Math.min(payloadLeft, end - i);
        payloadLeft -= n;
        i += n;
      } else {
        header[headerFill++] = buf.getByte(i++);
        if (headerFill == header.length) {
          headerFill = 0;
          int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
          payloadLeft = length;
          violation = check(ctx, header[3] & 0xff, header[4] & 0xff, length);
          if (violation != null) {
            return Math.max(0, i - header.length - start);
          }
        }
      }
    }
    return -1;
  }

  private @Nullable String check(ChannelHandlerContext ctx, int type, int flags, int length) {
    if (type == HEADERS || type == PUSH_PROMISE) {
      if (length > limits.maxHeaderFragmentBytes()) {
        return "header block exceeds " + limits.maxHeaderFragmentBytes() + " bytes";
      }
      if ((flags & END_HEADERS) == 0) {
        inBlock = true;
        blockFrames = 0;
        blockBytes = length;
        long block = ++blockNumber;
        deadline =
            ctx.executor()
                .schedule(() -> blockTimedOut(ctx, block), limits.continuationTimeout().toNanos(), TimeUnit.NANOSECONDS);
      }
    } else if (type == CONTINUATION && inBlock) {
      blockFrames++;
      blockBytes += length;
      if (blockFrames > limits.maxContinuationFrames()) {
        return "header block exceeds " + limits.maxContinuationFrames() + " CONTINUATION frames";
      }
      if (blockBytes > limits.maxHeaderFragmentBytes()) {
        return "header block exceeds " + limits.maxHeaderFragmentBytes() + " bytes";
      }
      if ((flags & END_HEADERS) != 0) {
        inBlock = false;
        cancelDeadline();
      }
    }
    return null;
  }

  private void blockTimedOut(ChannelHandlerContext ctx, long block) {
    if (!failed && inBlock && block == blockNumber) {
      fail(ctx, "header block not finished within " + limits.continuationTimeout());
    }
  }

  private void fail(ChannelHandlerContext ctx, String message) {
    failed = true;
    cancelDeadline();
    ctx.fireExceptionCaught(Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM, "%s", message));
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelDeadline();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelDeadline();
    ctx.fireChannelInactive();
  }
}
