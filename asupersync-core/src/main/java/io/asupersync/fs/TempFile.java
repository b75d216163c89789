package io.asupersync.fs;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** The temporary file behind an {@link AtomicWrite}: on disk, or in the lab's in-memory file system. */
interface TempFile {

  Path path();

  /** Writes some of {@code src} (at least one byte if any remain), advancing its position. */
  int write(ByteBuffer src) throws FileException;

  /** Makes the written bytes durable (fsync). */
  void force() throws FileException;

  /** Closes and atomically moves onto {@code target}, replacing it; then makes the rename durable. */
  void publish(Path target) throws FileException;

  /** Closes and deletes; best effort, idempotent, never throws. */
  void discard();
}
