package io.asupersync.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A file operation failed for a reason the caller can act on; {@link #reason()} says which, {@link
 * #path()} names the file, the cause (when there is one) carries the operating system's wording.
 * Cancellation is never a {@code FileException}: a cancelled operation throws {@link
 * io.asupersync.CancelledException}.
 */
public final class FileException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why a file operation failed. */
  public enum Reason {
    /** The file or one of its parent directories does not exist. */
    NOT_FOUND,
    /** The operating system refused access (permissions, an immutable file, a kernel-owned file). */
    PERMISSION_DENIED,
    /** Something already exists where a new file or directory was to be created. */
    ALREADY_EXISTS,
    /** A path component that must be a directory is not one. */
    NOT_A_DIRECTORY,
    /** The operation needs a file, the path names a directory. */
    IS_A_DIRECTORY,
    /** A directory to delete or replace is not empty. */
    DIRECTORY_NOT_EMPTY,
    /** The device or the quota is full. */
    NO_SPACE,
    /** The file system is mounted read-only. */
    READ_ONLY_FILE_SYSTEM,
    /** The file is too large to read into one array. */
    TOO_LARGE,
    /** A path leaves its {@link ConfinedRoot}: a {@code ..} escape, an absolute path outside it, or a symlink out of it. */
    PATH_ESCAPE,
    /** The path string is not a valid path (a NUL character, for one). */
    INVALID_PATH,
    /** Any other I/O failure; the cause has the details. */
    OTHER
  }

  private final Reason reason;
  @SuppressWarnings("serial")
  private final @Nullable Path path;

  public FileException(Reason reason, @Nullable Path path, String message, @Nullable Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.path = path;
  }

  public FileException(Reason reason, @Nullable Path path, String message) {
    this(reason, path, message, null);
  }

  public Reason reason() {
    return reason;
  }

  /** The file the failure concerns, when known. */
  public @Nullable Path path() {
    return path;
  }
}
