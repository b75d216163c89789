package io.asupersync.net;

import io.asupersync.Cx;
import java.nio.ByteBuffer;

/**
 * A connected, reliable byte stream ({@link TcpStream}, {@link UnixStream}) whose waits are
 * cancel-aware.
 *
 * <p><b>Waiting.</b> A read, write or accept that cannot proceed parks the calling task; it wakes when
 * the socket is ready, when the stream is closed locally (then it fails with {@link
 * NetException.Reason#CLOSED}), when cancellation is requested, or when the context's budget deadline
 * passes. Each call starts with a checkpoint, so a cancelled or expired task throws {@link
 * io.asupersync.CancelledException} (kind {@code DEADLINE} for an expired budget) instead of doing I/O.
 * For a per-operation timeout, run the call in a scope with a tighter budget. Thread interrupts play no
 * part.
 *
 * <p><b>Partial progress is exact.</b> Buffers move like NIO buffers: after any return or exception a
 * read's {@code dst} position has advanced by exactly the bytes received and a write's {@code src}
 * position by exactly the bytes handed to the operating system (or the lab network). A cancelled read
 * consumes nothing it does not put in {@code dst}: cancellation is only observed before a read
 * attempt, never between receiving bytes and returning them.
 *
 * <p><b>State after cancellation.</b> The stream stays open and usable: unread data stays queued for
 * the next read, and after a cancelled write the peer receives exactly the first {@code
 * src.position() - start} bytes of it. Whether the protocol on top can continue after a partial
 * message is the caller's decision; if it cannot, {@link #close()} the stream (its finalizer or a
 * try-with-resources block will).
 *
 * <p>One reader and one writer may use a stream at the same time (from different tasks); two
 * concurrent readers or two concurrent writers interleave unpredictably.
 */
public sealed interface ByteStream extends AutoCloseable permits TcpStream, UnixStream {

  /**
   * Reads at least one byte into {@code dst}, waiting until some arrive.
   *
   * @return the number of bytes read, -1 at end of stream, 0 only when {@code dst} has no room
   * @throws NetException {@code CONNECTION_RESET}, {@code CLOSED}, or another reason
   * @throws io.asupersync.CancelledException if cancelled (nothing was consumed)
   */
  int read(Cx cx, ByteBuffer dst) throws NetException;

  /**
   * Reads until {@code dst} is full.
   *
   * @throws NetException {@code UNEXPECTED_EOF} if the stream ends first (the bytes received stay in
   *     {@code dst}), or any failure of {@link #read}
   * @throws io.asupersync.CancelledException if cancelled; the bytes received so far are in {@code dst}
   */
  default void readFully(Cx cx, ByteBuffer dst) throws NetException {
    while (dst.hasRemaining()) {
      if (read(cx, dst) < 0) {
        throw new NetException(NetException.Reason.UNEXPECTED_EOF, dst.remaining() + " bytes short of a full buffer");
      }
    }
  }

  /**
   * Writes all of {@code src}, waiting while the peer's window and the send buffer are full.
   *
   * @throws NetException {@code BROKEN_PIPE}, {@code CONNECTION_RESET}, {@code CLOSED}, or another
   *     reason; {@code src}'s position tells how much was written before the failure
   * @throws io.asupersync.CancelledException if cancelled; {@code src}'s position tells exactly how
   *     much was written
   */
  void write(Cx cx, ByteBuffer src) throws NetException;

  /** Half-closes the stream: the peer reads end of stream, this side can still read. */
  void shutdownOutput() throws NetException;

  /** Whether the stream was not closed locally (the peer may still have closed its side). */
  boolean isOpen();

  /**
   * Closes the stream and wakes any task waiting on it (which then fails with {@code CLOSED}). Data
   * already written is still delivered; unread received data is discarded. Idempotent.
   */
  @Override
  void close();
}
