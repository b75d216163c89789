package io.asupersync.protocols.http.client;

import io.asupersync.Cx;
import io.asupersync.Waker;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.client.HttpClientException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One request/response in flight: the event loop feeds it (headers, body chunks, end, failure) and the
 * calling task takes from it, parking on its waker meanwhile. Body bytes are copied off the event loop
 * at once, so no Netty buffer outlives a callback.
 *
 * <p>Backpressure: past {@link #HIGH_WATER} buffered bytes, reads stop on the channel that carries the
 * body (the HTTP/1.1 connection or the HTTP/2 stream, whose flow-control window then closes too); they
 * resume once the reader drains below {@link #LOW_WATER}.
 */
final class Exchange {
  static final int HIGH_WATER = 256 * 1024;
  static final int LOW_WATER = 64 * 1024;

  /** What the connection does when the caller gives up: close the HTTP/1.1 connection or reset the stream. */
  interface Abort {
    void abort();
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final long maxBodyBytes;
  // All guarded by lock.
  private @Nullable Waker waiter;
  private int status = -1;
  private HttpHeaders headers = HttpHeaders.empty();
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private long buffered;
  private long received;
  private boolean ended;
  private boolean drained;
  private HttpHeaders trailers = HttpHeaders.empty();
  private @Nullable HttpClientException failure;
  private @Nullable Channel flow;
  private boolean paused;
  private @Nullable Abort abort;

  Exchange(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Sets the channel whose reads carry this body, and what aborting means for it; aborts at once if the
   * caller already gave up.
   */
  void bind(Channel channel, Abort onAbort) {
    boolean gaveUp;
    lock.lock();
    try {
      flow = channel;
      abort = onAbort;
      gaveUp = failure != null;
    } finally {
      lock.unlock();
    }
    if (gaveUp) {
      onAbort.abort();
    }
  }

  // ---- event loop side ----

  void headers(int code, HttpHeaders fields) {
    lock.lock();
    try {
      if (failure != null || status >= 0) {
        return;
      }
      status = code;
      headers = fields;
      wakeLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds a body chunk (does not release it).
   *
   * @return false when the body limit was exceeded: the exchange has failed and the caller must abort
   */
  boolean data(ByteBuf content) {
    int n = content.readableBytes();
    lock.lock();
    try {
      if (failure != null || ended) {
        return failure == null;
      }
      received += n;
      if (received > maxBodyBytes) {
        failLocked(new HttpClientException(Reason.BODY_TOO_LARGE, "response body exceeds " + maxBodyBytes + " bytes"));
        return false;
      }
      if (n > 0) {
        byte[] bytes = new byte[n];
        content.getBytes(content.readerIndex(), bytes);
        chunks.add(bytes);
        buffered += n;
        if (buffered > HIGH_WATER && !paused && flow != null) {
          paused = true;
          flow.config().setAutoRead(false);
        }
        wakeLocked();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The declared length is over the limit: fail before a byte of it arrives. */
  boolean admitsLength(long contentLength) {
    if (contentLength <= maxBodyBytes) {
      return true;
    }
    fail(new HttpClientException(Reason.BODY_TOO_LARGE, "response declares " + contentLength + " body bytes, limit " + maxBodyBytes));
    return false;
  }

  void end(HttpHeaders trailerFields) {
    lock.lock();
    try {
      if (failure != null || ended) {
        return;
      }
      if (status < 0) {
        failLocked(new HttpClientException(Reason.MALFORMED_RESPONSE, "response ended before its headers"));
        return;
      }
      ended = true;
      trailers = trailerFields;
      resumeLocked();
      wakeLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Fails the exchange unless it already ended; a later failure does not replace the first. */
  void fail(HttpClientException e) {
    lock.lock();
    try {
      if (!ended && failure == null) {
        failLocked(e);
      }
    } finally {
      lock.unlock();
    }
  }

  private void failLocked(HttpClientException e) {
    failure = e;
    chunks.clear();
    buffered = 0;
    resumeLocked();
    wakeLocked();
  }

  private void resumeLocked() {
    if (paused && flow != null) {
      paused = false;
      flow.config().setAutoRead(true);
    }
  }

  private void wakeLocked() {
    Waker w = waiter;
    if (w != null) {
      w.wake();
    }
  }

  // ---- task side ----

  /** Waits for the status and headers; the Cx deadline and cancellation apply. */
  int awaitHeaders(Cx cx) throws HttpClientException {
    while (true) {
      cx.checkpoint();
      lock.lock();
      try {
        if (failure != null) {
          throw copy(failure);
        }
        if (status >= 0) {
          return status;
        }
        waiter = cx.waker();
      } finally {
        lock.unlock();
      }
      cx.park(null);
    }
  }

  HttpHeaders headers() {
    lock.lock();
    try {
      return headers;
    } finally {
      lock.unlock();
    }
  }

  /** The next body chunk, or null at the end of the body. */
  byte @Nullable [] nextChunk(Cx cx) throws HttpClientException {
    while (true) {
      cx.checkpoint();
      lock.lock();
      try {
        if (failure != null) {
          throw copy(failure);
        }
        byte[] chunk = chunks.poll();
        if (chunk != null) {
          buffered -= chunk.length;
          if (buffered < LOW_WATER) {
            resumeLocked();
          }
          return chunk;
        }
        if (ended) {
          drained = true;
          return null;
        }
        waiter = cx.waker();
      } finally {
        lock.unlock();
      }
      cx.park(null);
    }
  }

  /** Trailers, once the body was read to its end. */
  HttpHeaders trailers() {
    lock.lock();
    try {
      if (!drained) {
        throw new IllegalStateException("trailers are known once the body was read to its end");
      }
      return trailers;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the whole response arrived (the body may still sit in the buffer). */
  boolean isEnded() {
    lock.lock();
    try {
      return ended;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The caller gives up (cancelled, or closed the response before its end): the exchange fails and the
   * connection aborts it. Does nothing once the response ended.
   */
  void cancel(String why) {
    Abort a;
    lock.lock();
    try {
      if (ended || failure != null) {
        chunks.clear();
        return;
      }
      failLocked(new HttpClientException(Reason.CONNECTION_CLOSED, why));
      a = abort;
    } finally {
      lock.unlock();
    }
    if (a != null) {
      a.abort();
    }
  }

  /** A fresh exception per throw, so each caller's stack trace shows where it waited. */
  private static HttpClientException copy(HttpClientException e) {
    return new HttpClientException(e.reason(), e.getMessage(), e);
  }
}
