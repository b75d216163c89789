package io.asupersync.net;

import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** Socket-file handling for {@link UnixListener}: stale files, owner-only creation, cleanup. */
final class UnixSockets {
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

  private UnixSockets() {}

  static boolean isSocket(Path path) throws IOException {
    try {
      int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return (mode & S_IFMT) == S_IFSOCK;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
    }
  }

  /**
   * Makes room at {@code path}: nothing there is fine; a socket file nobody accepts on is stale and
   * removed; anything else (a live socket, a regular file, a directory, a symlink) is left alone and
   * refused with {@code ADDRESS_IN_USE}. Probing a live socket opens (and closes) one connection to it.
   */
  static void clearStale(Path path) throws NetException {
    try {
      BasicFileAttributes before;
      try {
        before = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return;
      }
      if (!isSocket(path)) {
        throw new NetException(NetException.Reason.ADDRESS_IN_USE, path + " exists and is not a socket; left alone");
      }
      if (isListening(path)) {
        throw new NetException(NetException.Reason.ADDRESS_IN_USE, "a listener is accepting at " + path);
      }
      deleteIfSame(path, before.fileKey());
    } catch (IOException e) {
      throw NetErrors.map(e, "check socket path " + path);
    }
  }

  private static boolean isListening(Path path) throws IOException {
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.configureBlocking(false);
      probe.connect(UnixDomainSocketAddress.of(path)); // true, or false with a full backlog: alive either way
      return true;
    } catch (IOException e) {
      NetException.Reason r = NetErrors.reasonOf(e);
      if (r == NetException.Reason.CONNECTION_REFUSED || r == NetException.Reason.NOT_FOUND) {
        return false;
      }
      throw e; // e.g. permission denied: we cannot tell, so we do not touch it
    }
  }

  /**
   * Binds {@code channel} at {@code path} so that the socket file is owner-only ({@code rw-------})
   * from the first moment anyone can reach it by that name: it is bound inside a fresh owner-only
   * directory next to {@code path}, restricted, then hard-linked to {@code path} (which fails rather
   * than replace anything that appeared there meanwhile). Returns the file key of the socket file.
   */
  static @Nullable Object bindOwnerOnly(ServerSocketChannel channel, Path path, int backlog) throws IOException {
    Path parent = Objects.requireNonNull(path.getParent(), "socket path has no parent");
    if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      channel.bind(UnixDomainSocketAddress.of(path), backlog);
      return fileKey(path);
    }
    Path dir = privateDirectory(parent);
    Path staging = dir.resolve("s");
    try {
      try {
        channel.bind(UnixDomainSocketAddress.of(staging), backlog);
      } catch (SocketException e) {
        if (!String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("too long")) {
          throw e;
        }
        // The staging name does not fit the sun_path limit but the final one may: bind directly and
        // restrict at once (the parent directory's permissions guard the short window).
        channel.bind(UnixDomainSocketAddress.of(path), backlog);
        Files.setPosixFilePermissions(path, OWNER_RW);
        return fileKey(path);
      }
      Files.setPosixFilePermissions(staging, OWNER_RW);
      try {
        Files.createLink(path, staging);
      } catch (FileAlreadyExistsException e) {
        throw new NetException(NetException.Reason.ADDRESS_IN_USE, path + " appeared while binding; left alone", e);
      }
      return fileKey(path);
    } finally {
      Files.deleteIfExists(staging);
      Files.deleteIfExists(dir);
    }
  }

  private static Path privateDirectory(Path parent) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path dir = parent.resolve(".as-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
      try {
        return Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_RWX));
      } catch (FileAlreadyExistsException e) {
        if (attempt == 8) {
          throw e;
        }
      }
    }
  }

  private static @Nullable Object fileKey(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
  }

  /** Deletes {@code path} if it is still the socket file with {@code key}; best effort. */
  static void deleteIfSame(Path path, @Nullable Object key) {
    try {
      BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (Objects.equals(key, now.fileKey()) && isSocket(path)) {
        Files.delete(path);
      }
    } catch (IOException e) {
      // gone already, or replaced by something we must not touch
    }
  }
}
