package io.asupersync.protocols.http.internal;

import io.asupersync.Cx;
import io.asupersync.Waker;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.HttpStatusException;
import io.asupersync.protocols.http.RequestBody;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * A request body between the event loop (producer) and the handler's task (consumer). The producer
 * stops reading once {@link #HIGH_WATER} bytes wait unread; the consumer asks for more through {@code
 * resume} once they fell to half of it. Chunks are copied off the event loop's buffers, so no reference
 * count crosses threads.
 */
final class BodyQueue implements RequestBody {

  static final int HIGH_WATER = 64 * 1024;

  private final long maxBytes;
  private final OptionalLong contentLength;
  private final Runnable resume;
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  // Guarded by this.
  private long queued;
  private long total;
  private boolean ended;
  private boolean paused;
  private @Nullable HttpStatusException failure;
  private HttpHeaders trailers = HttpHeaders.empty();
  private @Nullable Waker waiter;

  /**
   * @param resume run (from the consumer's thread) when the producer should read again; it must hop to
   *     the event loop itself
   */
  BodyQueue(long maxBytes, OptionalLong contentLength, Runnable resume) {
    this.maxBytes = maxBytes;
    this.contentLength = contentLength;
    this.resume = resume;
  }

  static BodyQueue empty() {
    BodyQueue q = new BodyQueue(0, OptionalLong.of(0), () -> {});
    q.end(HttpHeaders.empty());
    return q;
  }

  /**
   * Adds a chunk (event loop). Does not take ownership of {@code content}.
   *
   * @return false when the producer should stop reading: too much is queued, or the body went over its
   *     limit (then the queue failed with 413)
   */
  /** Whether {@code n} more bytes would break the body limit (so the caller can decide before waking the reader). */
  synchronized boolean wouldExceed(int n) {
    return total + n > maxBytes;
  }

  synchronized boolean offer(ByteBuf content) {
    int n = content.readableBytes();
    if (ended || failure != null) {
      return failure == null;
    }
    if (n == 0) {
      return true;
    }
    if (total + n > maxBytes) {
      fail(new HttpStatusException(413, "request body exceeds " + maxBytes + " bytes"));
      return false;
    }
    byte[] chunk = new byte[n];
    content.getBytes(content.readerIndex(), chunk);
    chunks.add(chunk);
    queued += n;
    total += n;
    wake();
    if (queued >= HIGH_WATER) {
      paused = true;
      return false;
    }
    return true;
  }

  /** The body ended (event loop). */
  synchronized void end(HttpHeaders trailerFields) {
    if (!ended && failure == null) {
      ended = true;
      trailers = trailerFields;
      wake();
    }
  }

  /** The body cannot complete: a limit was hit or the stream broke (event loop). */
  synchronized void fail(HttpStatusException cause) {
    if (!ended && failure == null) {
      failure = cause;
      wake();
    }
  }

  synchronized boolean isFailed() {
    return failure != null;
  }

  synchronized boolean isEnded() {
    return ended;
  }

  synchronized long received() {
    return total;
  }

  private void wake() {
    Waker w = waiter;
    if (w != null) {
      waiter = null;
      w.wake();
    }
  }

  @Override
  public byte @Nullable [] read(Cx cx) throws HttpStatusException {
    while (true) {
      cx.checkpoint();
      boolean resumeNow = false;
      byte[] chunk;
      synchronized (this) {
        chunk = chunks.poll();
        if (chunk != null) {
          queued -= chunk.length;
          if (paused && queued <= HIGH_WATER / 2) {
            paused = false;
            resumeNow = true;
          }
        } else if (failure != null) {
          throw new HttpStatusException(failure.status(), failure.getMessage());
        } else if (ended) {
          return null;
        } else {
          waiter = cx.waker();
        }
      }
      if (chunk != null) {
        if (resumeNow) {
          resume.run();
        }
        return chunk;
      }
      cx.park(null);
    }
  }

  @Override
  public byte[] bytes(Cx cx) throws HttpStatusException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(contentLength.orElse(256), 1 << 20));
    byte[] chunk;
    while ((chunk = read(cx)) != null) {
      out.write(chunk, 0, chunk.length);
    }
    return out.toByteArray();
  }

  @Override
  public OptionalLong contentLength() {
    return contentLength;
  }

  @Override
  public synchronized HttpHeaders trailers() {
    return trailers;
  }
}
