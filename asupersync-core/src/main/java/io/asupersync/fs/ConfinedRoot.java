package io.asupersync.fs;

import io.asupersync.Cx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A directory that paths from configuration or input (trace export directories, artifact folders,
 * uploaded names) must stay inside. {@link #resolve} turns such a path into one under the root, or
 * refuses it with {@link FileException.Reason#PATH_ESCAPE}: a {@code ..} that climbs out, an absolute
 * path elsewhere, or a symbolic link (at any existing component) whose target lies outside the root or
 * does not exist. Paths that stay inside are fine, {@code a/../b} and absolute paths under the root
 * (spelled with its real path, {@link #root()}) included. A {@code ..} applies to the name before links
 * are followed, exactly as the returned path is then used. The result has every existing symlink resolved, so using it does not follow links again.
 *
 * <pre>{@code
 * ConfinedRoot exports = ConfinedRoot.open(cx, Path.of("/var/lib/app/traces"));
 * Path file = exports.resolve(cx, requestedName); // PATH_ESCAPE for "../../etc/passwd"
 * FileIo.write(cx, file, bytes);                   // created rw-------
 * }</pre>
 *
 * <p>What it does not cover: a local attacker who can write inside the root and swaps a checked
 * directory for a symlink between {@code resolve} and the use of its result (the JDK offers no
 * {@code openat}); hard links (indistinguishable from ordinary files). Keep the root itself owner-only,
 * which {@link #createDirectories} does for what it creates. Under the lab scheduler the root lives in
 * the in-memory file system, which has no symlinks, so the check is lexical there.
 */
public final class ConfinedRoot {
  private final Path root;

  private ConfinedRoot(Path root) {
    this.root = root;
  }

  /**
   * Confines paths to {@code root}, an existing directory (its real path, symlinks resolved, becomes
   * the root).
   *
   * @throws FileException {@code NOT_FOUND} or {@code NOT_A_DIRECTORY}
   */
  public static ConfinedRoot open(Cx cx, Path root) throws FileException {
    cx.checkpoint();
    if (cx.isLab()) {
      Path abs = MemoryFileSystem.absolute(root);
      MemoryFileSystem fs = MemoryFileSystem.of(cx);
      if (!fs.exists(abs)) {
        throw new FileException(FileException.Reason.NOT_FOUND, abs, "no directory " + abs);
      }
      if (!fs.isDirectory(abs)) {
        throw new FileException(FileException.Reason.NOT_A_DIRECTORY, abs, abs + " is not a directory");
      }
      return new ConfinedRoot(abs);
    }
    try {
      Path real = root.toRealPath();
      if (!Files.isDirectory(real)) {
        throw new FileException(FileException.Reason.NOT_A_DIRECTORY, real, real + " is not a directory");
      }
      return new ConfinedRoot(real);
    } catch (IOException e) {
      throw FileErrors.map(e, root, "open root");
    }
  }

  /** The root directory (a real path). */
  public Path root() {
    return root;
  }

  /**
   * Resolves {@code path} (relative to the root, or absolute) to a path inside the root.
   *
   * @throws FileException {@code PATH_ESCAPE} if it leaves the root, {@code INVALID_PATH} if it is not
   *     a path at all
   */
  public Path resolve(Cx cx, String path) throws FileException {
    Path p;
    try {
      p = root.getFileSystem().getPath(path);
    } catch (InvalidPathException e) {
      throw new FileException(FileException.Reason.INVALID_PATH, null, "not a path: " + e.getMessage(), e);
    }
    return resolve(cx, p);
  }

  /** {@link #resolve(Cx, String)} for a {@link Path} of the root's file system. */
  public Path resolve(Cx cx, Path path) throws FileException {
    cx.checkpoint();
    Path candidate = (path.isAbsolute() ? path : root.resolve(path)).normalize();
    if (!candidate.startsWith(root)) {
      throw escape(path, path.isAbsolute() ? "absolute path outside " + root : "climbs out of " + root);
    }
    if (cx.isLab() || candidate.equals(root)) {
      return candidate;
    }
    Path current = root;
    Path rest = root.relativize(candidate);
    int names = rest.getNameCount();
    for (int i = 0; i < names; i++) {
      Path next = current.resolve(rest.getName(i));
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(next, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return i + 1 < names ? next.resolve(rest.subpath(i + 1, names)) : next;
      } catch (IOException e) {
        throw FileErrors.map(e, next, "inspect");
      }
      if (attrs.isSymbolicLink()) {
        Path real;
        try {
          real = next.toRealPath();
        } catch (NoSuchFileException e) {
          throw escape(path, "symlink " + next + " points to nothing; refused");
        } catch (IOException e) {
          throw FileErrors.map(e, next, "resolve symlink");
        }
        if (!real.startsWith(root)) {
          throw escape(path, "symlink " + next + " leads out of " + root + " to " + real);
        }
        current = real;
      } else {
        current = next;
      }
    }
    return current;
  }

  /**
   * Resolves {@code path} and creates it as a directory with missing parents (owner-only); returns
   * the resolved directory.
   */
  public Path createDirectories(Cx cx, String path) throws FileException {
    Path dir = resolve(cx, path);
    FileIo.createDirectories(cx, dir);
    return resolve(cx, path); // re-checked: what now exists must still be inside
  }

  private static FileException escape(Path path, String why) {
    return new FileException(FileException.Reason.PATH_ESCAPE, path, "'" + path + "': " + why);
  }

  @Override
  public String toString() {
    return "ConfinedRoot[" + root + "]";
  }
}
