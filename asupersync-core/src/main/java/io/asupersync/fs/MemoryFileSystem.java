package io.asupersync.fs;

import io.asupersync.Cx;
import io.asupersync.internal.RuntimeAccess;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The lab's file system: one per lab run, empty but for the root directory, directories and regular
 * files only (no symlinks), POSIX permissions recorded but not enforced (the lab runs as the owner).
 * Paths are the default file system's, made absolute and normalized. Temporary files are named from a
 * counter, so a run is a function of its seed. Callers checkpoint before each operation; no monitor is
 * held across a checkpoint.
 */
final class MemoryFileSystem {

  private abstract static class Node {
    final Set<PosixFilePermission> permissions;

    Node(Set<PosixFilePermission> permissions) {
      this.permissions = permissions;
    }
  }

  private static final class Dir extends Node {
    final TreeMap<String, Node> children = new TreeMap<>();

    Dir(Set<PosixFilePermission> permissions) {
      super(permissions);
    }
  }

  private static final class FileNode extends Node {
    byte[] data = new byte[0];
    int length;

    FileNode(Set<PosixFilePermission> permissions) {
      super(permissions);
    }

    void append(ByteBuffer src, int max) {
      int n = Math.min(max, src.remaining());
      if (length + n > data.length) {
        data = Arrays.copyOf(data, Math.max(length + n, data.length * 2));
      }
      src.get(data, length, n);
      length += n;
    }
  }

  private final Dir root = new Dir(FileIo.OWNER_DIR);
  private long temps;

  static MemoryFileSystem of(Cx cx) {
    return RuntimeAccess.attachment(cx, MemoryFileSystem.class, MemoryFileSystem::new);
  }

  static Path absolute(Path path) {
    return path.toAbsolutePath().normalize();
  }

  private @Nullable Node lookup(Path abs) {
    Node n = root;
    for (Path name : abs) {
      if (!(n instanceof Dir d)) {
        return null;
      }
      n = d.children.get(name.toString());
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  private Dir parentDir(Path abs) throws FileException {
    Path parent = abs.getParent();
    Node n = parent == null ? root : lookup(parent);
    if (n == null) {
      throw new FileException(FileException.Reason.NOT_FOUND, abs, "no directory " + parent);
    }
    if (!(n instanceof Dir d)) {
      throw new FileException(FileException.Reason.NOT_A_DIRECTORY, abs, parent + " is not a directory");
    }
    return d;
  }

  private static String name(Path abs) throws FileException {
    Path name = abs.getFileName();
    if (name == null) {
      throw new FileException(FileException.Reason.IS_A_DIRECTORY, abs, "the root directory");
    }
    return name.toString();
  }

  private FileNode file(Path abs) throws FileException {
    Node n = lookup(abs);
    if (n == null) {
      throw new FileException(FileException.Reason.NOT_FOUND, abs, "no file " + abs);
    }
    if (!(n instanceof FileNode f)) {
      throw new FileException(FileException.Reason.IS_A_DIRECTORY, abs, abs + " is a directory");
    }
    return f;
  }

  // ---- operations

  byte[] readAllBytes(Cx cx, Path path) throws FileException {
    Path abs = absolute(path);
    byte[] copy;
    synchronized (this) {
      FileNode f = file(abs);
      copy = Arrays.copyOf(f.data, f.length);
    }
    for (int done = FileIo.CHUNK; done < copy.length; done += FileIo.CHUNK) {
      cx.checkpoint(); // one scheduling point per chunk, as on disk
    }
    return copy;
  }

  synchronized int read(Path path, long position, ByteBuffer dst) throws FileException {
    FileNode f = file(absolute(path));
    if (position >= f.length) {
      return -1;
    }
    int n = (int) Math.min(Math.min(dst.remaining(), FileIo.CHUNK), f.length - position);
    dst.put(f.data, (int) position, n);
    return n;
  }

  /** Appends one chunk of {@code src} to {@code path}, creating it owner-only. */
  synchronized void appendChunk(Path path, ByteBuffer src) throws FileException {
    Path abs = absolute(path);
    Node n = lookup(abs);
    if (n == null) {
      Dir parent = parentDir(abs);
      FileNode f = new FileNode(FileIo.OWNER_FILE);
      parent.children.put(name(abs), f);
      n = f;
    }
    if (!(n instanceof FileNode f)) {
      throw new FileException(FileException.Reason.IS_A_DIRECTORY, abs, abs + " is a directory");
    }
    f.append(src, FileIo.CHUNK);
  }

  synchronized boolean exists(Path path) {
    return lookup(absolute(path)) != null;
  }

  synchronized boolean isDirectory(Path path) {
    return lookup(absolute(path)) instanceof Dir;
  }

  synchronized List<Path> list(Path dir) throws FileException {
    Path abs = absolute(dir);
    Node n = lookup(abs);
    if (n == null) {
      throw new FileException(FileException.Reason.NOT_FOUND, abs, "no directory " + abs);
    }
    if (!(n instanceof Dir d)) {
      throw new FileException(FileException.Reason.NOT_A_DIRECTORY, abs, abs + " is not a directory");
    }
    List<Path> out = new ArrayList<>();
    for (String child : d.children.keySet()) {
      out.add(abs.resolve(child));
    }
    return out;
  }

  synchronized void createDirectories(Path dir) throws FileException {
    Path abs = absolute(dir);
    Dir d = root;
    for (Path name : abs) {
      Node n = d.children.get(name.toString());
      if (n == null) {
        Dir created = new Dir(FileIo.OWNER_DIR);
        d.children.put(name.toString(), created);
        n = created;
      }
      if (!(n instanceof Dir next)) {
        throw new FileException(FileException.Reason.ALREADY_EXISTS, abs, "a file is in the way of directory " + abs);
      }
      d = next;
    }
  }

  synchronized boolean delete(Path path) throws FileException {
    Path abs = absolute(path);
    Node n = lookup(abs);
    if (n == null) {
      return false;
    }
    if (n instanceof Dir d && !d.children.isEmpty()) {
      throw new FileException(FileException.Reason.DIRECTORY_NOT_EMPTY, abs, abs + " is not empty");
    }
    parentDir(abs).children.remove(name(abs));
    return true;
  }

  synchronized Set<PosixFilePermission> permissions(Path path) throws FileException {
    Path abs = absolute(path);
    Node n = lookup(abs);
    if (n == null) {
      throw new FileException(FileException.Reason.NOT_FOUND, abs, "no file " + abs);
    }
    return EnumSet.copyOf(n.permissions);
  }

  // ---- atomic writes

  TempFile createTemp(Path target) throws FileException {
    Path abs = absolute(target);
    synchronized (this) {
      Dir parent = parentDir(abs);
      if (parent.children.get(name(abs)) instanceof Dir) {
        throw new FileException(FileException.Reason.IS_A_DIRECTORY, abs, abs + " is a directory");
      }
      temps++;
      Path tmp = abs.resolveSibling("." + name(abs) + "." + temps + ".tmp");
      parent.children.put(name(tmp), new FileNode(FileIo.OWNER_FILE));
      return new MemoryTempFile(tmp);
    }
  }

  private final class MemoryTempFile implements TempFile {
    private final Path path;

    MemoryTempFile(Path path) {
      this.path = path;
    }

    @Override
    public Path path() {
      return path;
    }

    @Override
    public int write(ByteBuffer src) throws FileException {
      synchronized (MemoryFileSystem.this) {
        int before = src.remaining();
        file(path).append(src, FileIo.CHUNK);
        return before - src.remaining();
      }
    }

    @Override
    public void force() throws FileException {
      synchronized (MemoryFileSystem.this) {
        file(path);
      }
    }

    @Override
    public void publish(Path target) throws FileException {
      Path abs = absolute(target);
      synchronized (MemoryFileSystem.this) {
        FileNode f = file(path);
        Dir parent = parentDir(abs);
        if (parent.children.get(name(abs)) instanceof Dir) {
          throw new FileException(FileException.Reason.IS_A_DIRECTORY, abs, abs + " is a directory");
        }
        parentDir(path).children.remove(name(path));
        parent.children.put(name(abs), f);
      }
    }

    @Override
    public void discard() {
      synchronized (MemoryFileSystem.this) {
        Node n = lookup(path);
        Path parent = path.getParent();
        if (n != null && parent != null && lookup(parent) instanceof Dir d) {
          d.children.remove(String.valueOf(path.getFileName()));
        }
      }
    }
  }

  @Override
  public synchronized String toString() {
    return "MemoryFileSystem" + describe(root);
  }

  private static Map<String, Object> describe(Dir d) {
    Map<String, Object> out = new TreeMap<>();
    d.children.forEach((k, v) -> out.put(k, v instanceof Dir sub ? describe(sub) : ((FileNode) v).length));
    return out;
  }
}
