package io.asupersync.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;

/** A temporary file next to its target, created owner-only with {@code O_EXCL}. */
final class DiskTempFile implements TempFile {
  private final Path path;
  private final Path directory;
  private final FileChannel channel;

  private DiskTempFile(Path path, Path directory, FileChannel channel) {
    this.path = path;
    this.directory = directory;
    this.channel = channel;
  }

  static DiskTempFile create(Path target) throws FileException {
    Path directory = FileIo.parentOf(target);
    String name = String.valueOf(target.getFileName());
    if (name.length() > 100) {
      name = name.substring(0, 100);
    }
    for (int attempt = 0; ; attempt++) {
      Path tmp = directory.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
      try {
        FileChannel ch =
            FileChannel.open(
                tmp,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                FileIo.ownerOnly(tmp, false));
        return new DiskTempFile(tmp, directory, ch);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt == 8) {
          throw FileErrors.map(e, tmp, "create temporary file");
        }
      } catch (IOException e) {
        throw FileErrors.map(e, tmp, "create temporary file for");
      }
    }
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public int write(ByteBuffer src) throws FileException {
    try {
      return channel.write(src);
    } catch (IOException e) {
      throw FileErrors.map(e, path, "write");
    }
  }

  @Override
  public void force() throws FileException {
    try {
      channel.force(true);
    } catch (IOException e) {
      throw FileErrors.map(e, path, "fsync");
    }
  }

  @Override
  public void publish(Path target) throws FileException {
    try {
      channel.close();
      Files.move(path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new FileException(FileException.Reason.OTHER, target, "file system cannot rename atomically", e);
    } catch (IOException e) {
      throw FileErrors.map(e, target, "rename temporary file onto");
    }
    syncDirectory(directory);
  }

  /** Makes a rename in {@code directory} durable where the platform supports it (Linux does). */
  static void syncDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Not supported here (Windows cannot open a directory this way): the rename is done, only its
      // durability across a power loss is up to the file system.
    }
  }

  @Override
  public void discard() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing is best effort
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // best effort: a file we cannot delete is reported by nobody; the directory listing shows it
    }
  }
}
