package io.asupersync.fs;

import io.asupersync.Cx;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An all-or-nothing replacement of one file, held as an {@link ObligationKind#IO_OP} obligation of
 * the task that began it ({@link FileIo#atomicWrite}). Bytes go to a temporary file in the target's
 * directory (owner-only, hidden name ending in {@code .tmp}); {@link #commit} flushes and fsyncs it,
 * renames it atomically onto the target (replacing it) and fsyncs the directory where the platform
 * allows; {@link #abort} deletes it. Readers of the target therefore see the old file or the complete
 * new one, never a partial one, whatever step a cancellation or crash interrupts. The committed file
 * is owner-only whatever the replaced one's permissions were, and a symlink at the target is replaced,
 * not written through.
 *
 * <p>A task that ends without committing or aborting leaks the obligation: the runtime's {@link
 * io.asupersync.LeakResponse} applies (the lab reports it) and the temporary file is deleted.
 *
 * <pre>{@code
 * AtomicWrite w = FileIo.atomicWrite(cx, path);
 * try {
 *   w.write(cx, header);
 *   w.write(cx, body);
 *   w.commit(cx);
 * } finally {
 *   w.abort(); // no-op once committed
 * }
 * }</pre>
 *
 * <p>Belongs to the task that began it; not for use from other threads.
 */
public final class AtomicWrite {
  private final Path target;
  private final TempFile temp;
  private final Obligation obligation;

  private AtomicWrite(Path target, TempFile temp, Obligation obligation) {
    this.target = target;
    this.temp = temp;
    this.obligation = obligation;
  }

  static AtomicWrite begin(Cx cx, Path target, TempFile temp) {
    Obligation o;
    try {
      o = cx.reserve(ObligationKind.IO_OP, "atomic write of " + target, temp::discard);
    } catch (RuntimeException | Error e) {
      temp.discard();
      throw e;
    }
    return new AtomicWrite(target, temp, o);
  }

  /** The file this write replaces on commit. */
  public Path target() {
    return target;
  }

  /** The temporary file the bytes go to until commit. */
  public Path temporaryFile() {
    return temp.path();
  }

  /** Reserved until committed or aborted; leaked if its task ended first. */
  public ObligationState state() {
    return obligation.state();
  }

  /**
   * Appends {@code src}'s remaining bytes to the temporary file, in chunks with a checkpoint before
   * each. On return or exception, {@code src}'s position has advanced by exactly the bytes written. A
   * cancelled write leaves this handle reserved: abort it (or let the leak path remove the temporary).
   *
   * @throws IllegalStateException if already committed or aborted
   */
  public void write(Cx cx, ByteBuffer src) throws FileException {
    while (true) {
      requireReserved();
      cx.checkpoint();
      if (!src.hasRemaining()) {
        return;
      }
      int pos = src.position();
      ByteBuffer chunk = src.slice(pos, Math.min(src.remaining(), FileIo.CHUNK));
      int n = temp.write(chunk);
      src.position(pos + n);
    }
  }

  /** {@link #write(Cx, ByteBuffer)} for a whole array. */
  public void write(Cx cx, byte[] bytes) throws FileException {
    write(cx, ByteBuffer.wrap(bytes));
  }

  /**
   * Makes the new content durable and visible: fsync, then an atomic rename onto the target (then a
   * directory fsync where supported). Cancellation is observed only before the rename; once the
   * rename starts, commit finishes. Always decides the handle: on return it is committed; on any
   * exception (cancellation included) it is aborted, the temporary deleted and the target untouched.
   *
   * @throws FileException if fsync or the rename fails (the target is then untouched)
   * @throws IllegalStateException if already committed or aborted
   */
  public void commit(Cx cx) throws FileException {
    requireReserved();
    boolean published = false;
    try {
      cx.checkpoint();
      temp.force();
      cx.checkpoint(); // the last point at which cancellation can stop the commit
      temp.publish(target);
      published = true;
      obligation.commit();
    } finally {
      if (!published) {
        abort();
      }
    }
  }

  /**
   * Gives the write up: closes and deletes the temporary file; the target is untouched.
   *
   * @return true if this call aborted it; false if it was already committed, aborted or leaked
   */
  public boolean abort() {
    if (obligation.state() != ObligationState.RESERVED) {
      return false;
    }
    try {
      obligation.abort();
      return true;
    } catch (IllegalStateException e) {
      return false; // settled concurrently
    }
  }

  private void requireReserved() {
    ObligationState s = obligation.state();
    if (s != ObligationState.RESERVED) {
      throw new IllegalStateException("atomic write of " + target + " is already " + s);
    }
  }

  @Override
  public String toString() {
    return "AtomicWrite[" + target + ", " + obligation.state() + "]";
  }
}
