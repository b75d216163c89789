package io.asupersync.protocols.http.internal;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.TaskHandle;
import io.asupersync.Waker;
import io.asupersync.protocols.http.HttpHeaders;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.protocols.http.HttpStatusException;
import io.asupersync.protocols.http.ResponseSink;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One request and its response, shared by the event loop (request bytes, client-gone signals,
 * writability) and the request's task (handler, response writes). The protocol subclasses put frames on
 * the wire; this class holds the request-as-region rules: what cancels the task, and which answer an
 * outcome gets.
 */
abstract class Exchange {

  private static final System.Logger LOG = System.getLogger("io.asupersync.protocols.http.server");

  final ServerEngine engine;
  final RequestImpl request;
  final long connectionId;
  final long startNanos = System.nanoTime();
  private final AtomicBoolean completed = new AtomicBoolean();
  private volatile @Nullable TaskHandle<?> task;
  /** The client reset or disconnected; no answer is possible. */
  volatile boolean clientGone;
  /** The response head went out; the status can no longer change. */
  volatile boolean headSent;
  /** The last response frame was handed to the channel. */
  volatile boolean responseEnded;
  volatile int sentStatus;
  /** The request's task and region (set when its region opened), 0 while none: traced with ACCESS. */
  volatile long taskId;
  volatile long regionId;
  private final Object writeLock = new Object();
  private @Nullable Waker writeWaiter;

  Exchange(ServerEngine engine, RequestImpl request, long connectionId) {
    this.engine = engine;
    this.request = request;
    this.connectionId = connectionId;
  }

  /** The connection's channel. */
  abstract Channel channel();

  abstract String protocolName();

  /** Sends a complete response (head, byte body, trailers); completes the exchange when written. */
  abstract void sendFull(int status, HttpHeaders headers, byte[] body, HttpHeaders trailers, boolean headOnly);

  /** Sends the head of a streaming response. */
  abstract void sendHead(int status, HttpHeaders headers);

  /** Sends one body chunk of a streaming response. */
  abstract void sendChunk(byte[] bytes);

  /** Ends a streaming response, with trailers when not empty; completes the exchange when written. */
  abstract void sendEnd(HttpHeaders trailers);

  /**
   * Breaks off a response whose head is out: HTTP/2 RST_STREAM (CANCEL when the region was cancelled,
   * INTERNAL_ERROR when it failed), HTTP/1.1 close.
   */
  abstract void abort(boolean cancelled);

  /** An unchecked failure of the handler: HTTP/1.1 closes the connection after the answer. */
  void markBroken() {}

  void task(TaskHandle<?> handle) {
    this.task = handle;
  }

  /**
   * The client went away (event loop): cancel the request region with the reason. Ignored once the
   * response ended: nothing is left to cancel for.
   */
  final void clientGone(String message) {
    if (clientGone || responseEnded) {
      return;
    }
    clientGone = true;
    TaskHandle<?> t = task;
    if (t != null) {
      t.cancel(new CancelReason(CancelKind.RESOURCE_UNAVAILABLE, 0, 0, Instant.now(), message, null));
    }
    wakeWriter();
  }

  /** Cancels the request because the server stops. */
  final void cancelForShutdown() {
    TaskHandle<?> t = task;
    if (t != null) {
      t.cancel(CancelReason.of(CancelKind.SHUTDOWN, "server shutting down"));
    }
  }

  /** The channel became writable again (event loop). */
  final void wakeWriter() {
    Waker w;
    synchronized (writeLock) {
      w = writeWaiter;
      writeWaiter = null;
    }
    if (w != null) {
      w.wake();
    }
  }

  /**
   * Whether a streaming write may go now (any thread): the channel takes more, or it is gone and the write
   * fails fast. HTTP/2 answers from its stream's flow control.
   */
  boolean writable() {
    Channel ch = channel();
    return ch.isWritable() || !ch.isActive();
  }

  /** Blocks the task while the channel cannot take more; a cancellation point. */
  final void awaitWritable(Cx cx) {
    while (true) {
      cx.checkpoint();
      if (writable()) {
        return;
      }
      synchronized (writeLock) {
        writeWaiter = cx.waker();
      }
      if (writable()) {
        continue;
      }
      cx.park(null);
    }
  }

  /** Writes {@code response} from the request region (task thread). */
  final void respond(Cx cx, HttpResponse response) throws Exception {
    // a handler that returns after its client left (it may not have waited on anything) sends nothing
    cx.checkpoint();
    boolean headOnly = request.method().equals("HEAD");
    var writer = response.writer();
    if (writer == null || headOnly) {
      headSent = true;
      sentStatus = response.status();
      responseEnded = true;
      sendFull(response.status(), response.headers(), response.body(), response.trailers(), headOnly);
      return;
    }
    awaitWritable(cx);
    headSent = true;
    sentStatus = response.status();
    sendHead(response.status(), response.headers());
    Sink sink = new Sink(response.trailers());
    writer.writeTo(cx, sink);
    cx.checkpoint();
    responseEnded = true;
    sendEnd(sink.trailers);
  }

  private final class Sink implements ResponseSink {
    HttpHeaders trailers;

    Sink(HttpHeaders trailers) {
      this.trailers = trailers;
    }

    @Override
    public void write(Cx cx, byte[] bytes) {
      if (responseEnded) {
        throw new IllegalStateException("response already ended");
      }
      awaitWritable(cx);
      if (bytes.length > 0) {
        sendChunk(bytes);
      }
    }

    @Override
    public void trailers(HttpHeaders fields) {
      this.trailers = fields;
    }
  }

  /**
   * Answers from the outcome of the request region, once it closed (task thread): the response was
   * already written on Ok; otherwise the mapped status, or nothing when the client is gone.
   */
  final void finish(Outcome<?> outcome) {
    if (clientGone) {
      complete(499);
      return;
    }
    if (headSent) {
      if (!responseEnded) {
        abort(outcome instanceof Outcome.Cancelled<?>);
        complete(sentStatus);
      }
      if (outcome instanceof Outcome.Panicked<?> p) {
        LOG.log(System.Logger.Level.WARNING, "request " + request + " panicked after its response", p.cause());
      }
      return;
    }
    switch (outcome) {
      case Outcome.Ok<?> ok -> sendError(500, "handler returned no response");
      case Outcome.Err<?> err -> {
        if (err.error() instanceof HttpStatusException status) {
          sendError(status.status(), String.valueOf(status.getMessage()));
        } else {
          LOG.log(System.Logger.Level.DEBUG, "request " + request + " failed", err.error());
          sendError(500, "internal server error");
        }
      }
      case Outcome.Cancelled<?> c -> sendError(503, cancelText(c.reason().kind()));
      case Outcome.Panicked<?> p -> {
        LOG.log(System.Logger.Level.WARNING, "request " + request + " panicked", p.cause());
        markBroken();
        sendError(500, "internal server error");
      }
    }
  }

  private static String cancelText(CancelKind kind) {
    return switch (kind) {
      case DEADLINE, TIMEOUT -> "request timed out";
      case SHUTDOWN -> "server shutting down";
      default -> "request cancelled";
    };
  }

  /** Answers with a plain-text status (task thread or event loop). */
  final void sendError(int status, String message) {
    headSent = true;
    sentStatus = status;
    responseEnded = true;
    sendFull(
        status,
        HttpHeaders.of("content-type", "text/plain; charset=utf-8"),
        message.getBytes(StandardCharsets.UTF_8),
        HttpHeaders.empty(),
        request.method().equals("HEAD"));
  }

  /** The exchange is over (any thread, once): access event (499 when the client left first), bookkeeping. */
  final void complete(int status) {
    if (completed.compareAndSet(false, true)) {
      engine.access(this, clientGone ? 499 : status);
      onComplete();
    }
  }

  /** Protocol bookkeeping once the exchange is over (any thread). */
  void onComplete() {}

  /** Whether {@link #complete} ran. */
  final boolean isComplete() {
    return completed.get();
  }
}
