package io.asupersync.fs;

import io.asupersync.Cx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * File operations that take a {@link Cx}. Each one starts with a checkpoint and works in chunks of
 * {@value #CHUNK} bytes with a checkpoint before each, so cancellation and the budget deadline stop it
 * between chunks (a single chunk of disk I/O is not interruptible, and is never interrupted). Files
 * and directories created here are owner-only ({@code rw-------}, {@code rwx------}) on file systems
 * with POSIX permissions. Under the lab scheduler every operation works on the run's in-memory file
 * system instead of the disk.
 *
 * <p>For paths that come from configuration or input, resolve them with a {@link ConfinedRoot} first.
 */
public final class FileIo {
  /** Bytes moved between two checkpoints. */
  public static final int CHUNK = 64 * 1024;

  static final Set<PosixFilePermission> OWNER_FILE =
      Collections.unmodifiableSet(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
  static final Set<PosixFilePermission> OWNER_DIR =
      Collections.unmodifiableSet(
          EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
  private static final FileAttribute<?>[] NO_ATTRIBUTES = new FileAttribute<?>[0];

  private FileIo() {}

  static FileAttribute<?>[] ownerOnly(Path path, boolean directory) {
    if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return NO_ATTRIBUTES;
    }
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(directory ? OWNER_DIR : OWNER_FILE)};
  }

  static Path parentOf(Path path) throws FileException {
    Path abs = path.toAbsolutePath();
    Path parent = abs.getParent();
    if (parent == null) {
      throw new FileException(FileException.Reason.IS_A_DIRECTORY, abs, "the root directory is not a file");
    }
    return parent;
  }

  /**
   * Reads a whole file.
   *
   * @throws FileException {@code NOT_FOUND}, {@code PERMISSION_DENIED}, {@code IS_A_DIRECTORY},
   *     {@code TOO_LARGE}, or another reason
   * @throws io.asupersync.CancelledException if cancelled (nothing is returned; the file is untouched)
   */
  public static byte[] readAllBytes(Cx cx, Path path) throws FileException {
    cx.checkpoint();
    if (cx.isLab()) {
      return MemoryFileSystem.of(cx).readAllBytes(cx, path);
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE - 16) {
        throw new FileException(FileException.Reason.TOO_LARGE, path, size + " bytes do not fit in an array");
      }
      byte[] buf = new byte[(int) Math.max(size, 16)];
      int length = 0;
      while (true) {
        if (length == buf.length) {
          if (buf.length >= Integer.MAX_VALUE - 16) {
            throw new FileException(FileException.Reason.TOO_LARGE, path, "file grew past the array limit");
          }
          buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, Integer.MAX_VALUE - 16));
        }
        int n = ch.read(ByteBuffer.wrap(buf, length, Math.min(CHUNK, buf.length - length)));
        if (n < 0) {
          return length == buf.length ? buf : Arrays.copyOf(buf, length);
        }
        length += n;
        cx.checkpoint();
      }
    } catch (IOException e) {
      throw FileErrors.map(e, path, "read");
    }
  }

  /** {@link #readAllBytes} decoded as UTF-8. */
  public static String readString(Cx cx, Path path) throws FileException {
    return new String(readAllBytes(cx, path), StandardCharsets.UTF_8);
  }

  /**
   * Reads up to one chunk of {@code path} at {@code position} into {@code dst}, for files too large
   * to read whole.
   *
   * @return the number of bytes read, -1 at or past the end of the file
   */
  public static int read(Cx cx, Path path, long position, ByteBuffer dst) throws FileException {
    cx.checkpoint();
    if (position < 0) {
      throw new IllegalArgumentException("negative position " + position);
    }
    if (cx.isLab()) {
      return MemoryFileSystem.of(cx).read(path, position, dst);
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      int pos = dst.position();
      int n = ch.read(dst.slice(pos, Math.min(dst.remaining(), CHUNK)), position);
      if (n > 0) {
        dst.position(pos + n);
      }
      return n;
    } catch (IOException e) {
      throw FileErrors.map(e, path, "read");
    }
  }

  /**
   * Replaces {@code path} with {@code content} atomically (see {@link AtomicWrite}): after return the
   * file holds exactly {@code content}, owner-only; after any exception, cancellation included, it is
   * as it was and no temporary file remains.
   */
  public static void write(Cx cx, Path path, byte[] content) throws FileException {
    AtomicWrite w = atomicWrite(cx, path);
    try {
      w.write(cx, content);
      w.commit(cx);
    } finally {
      w.abort();
    }
  }

  /** {@link #write(Cx, Path, byte[])} with {@code content} encoded as UTF-8. */
  public static void writeString(Cx cx, Path path, String content) throws FileException {
    write(cx, path, content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Appends {@code src}'s remaining bytes to {@code path}, creating it owner-only if missing. Not
   * atomic: on return or exception (a cancellation included) {@code src}'s position has advanced by
   * exactly the bytes appended.
   */
  public static void append(Cx cx, Path path, ByteBuffer src) throws FileException {
    cx.checkpoint();
    if (cx.isLab()) {
      MemoryFileSystem fs = MemoryFileSystem.of(cx);
      do {
        fs.appendChunk(path, src);
        cx.checkpoint();
      } while (src.hasRemaining());
      return;
    }
    try (FileChannel ch =
        FileChannel.open(
            path,
            EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
            ownerOnly(path, false))) {
      while (src.hasRemaining()) {
        int pos = src.position();
        int n = ch.write(src.slice(pos, Math.min(src.remaining(), CHUNK)));
        src.position(pos + n);
        cx.checkpoint();
      }
    } catch (IOException e) {
      throw FileErrors.map(e, path, "append to");
    }
  }

  /**
   * Begins an atomic replacement of {@code path}: creates the temporary file (owner-only, in the same
   * directory) and reserves the {@link io.asupersync.ObligationKind#IO_OP} obligation that the
   * returned handle stands for. The calling task must commit or abort it.
   *
   * @throws FileException {@code NOT_FOUND} (no parent directory), {@code PERMISSION_DENIED}, {@code
   *     IS_A_DIRECTORY}, or another reason
   */
  public static AtomicWrite atomicWrite(Cx cx, Path path) throws FileException {
    cx.checkpoint();
    Path target = path.toAbsolutePath().normalize();
    TempFile temp;
    if (cx.isLab()) {
      temp = MemoryFileSystem.of(cx).createTemp(target);
    } else {
      if (Files.isDirectory(target)) {
        throw new FileException(FileException.Reason.IS_A_DIRECTORY, target, target + " is a directory");
      }
      temp = DiskTempFile.create(target);
    }
    return AtomicWrite.begin(cx, target, temp);
  }

  /** Deletes {@code path} if it exists (a directory only if empty); returns whether it existed. */
  public static boolean deleteIfExists(Cx cx, Path path) throws FileException {
    cx.checkpoint();
    if (cx.isLab()) {
      return MemoryFileSystem.of(cx).delete(path);
    }
    try {
      return Files.deleteIfExists(path);
    } catch (IOException e) {
      throw FileErrors.map(e, path, "delete");
    }
  }

  /** Whether something exists at {@code path} (following symlinks). */
  public static boolean exists(Cx cx, Path path) {
    cx.checkpoint();
    if (cx.isLab()) {
      return MemoryFileSystem.of(cx).exists(path);
    }
    return Files.exists(path);
  }

  /** The entries of {@code directory}, sorted by name. */
  public static List<Path> list(Cx cx, Path directory) throws FileException {
    cx.checkpoint();
    if (cx.isLab()) {
      return MemoryFileSystem.of(cx).list(directory);
    }
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path p : entries) {
        out.add(p);
      }
    } catch (IOException e) {
      throw FileErrors.map(e, directory, "list");
    }
    out.sort(null);
    return out;
  }

  /** Creates {@code directory} and missing parents; those it creates are owner-only ({@code rwx------}). */
  public static void createDirectories(Cx cx, Path directory) throws FileException {
    cx.checkpoint();
    if (cx.isLab()) {
      MemoryFileSystem.of(cx).createDirectories(directory);
      return;
    }
    try {
      Files.createDirectories(directory, ownerOnly(directory, true));
    } catch (IOException e) {
      throw FileErrors.map(e, directory, "create directory");
    }
  }

  /** The POSIX permissions of {@code path}. */
  public static Set<PosixFilePermission> permissions(Cx cx, Path path) throws FileException {
    cx.checkpoint();
    if (cx.isLab()) {
      return MemoryFileSystem.of(cx).permissions(path);
    }
    try {
      return Files.getPosixFilePermissions(path);
    } catch (UnsupportedOperationException e) {
      throw new FileException(FileException.Reason.OTHER, path, "no POSIX permissions on this file system", e);
    } catch (IOException e) {
      throw FileErrors.map(e, path, "read permissions of");
    }
  }
}
