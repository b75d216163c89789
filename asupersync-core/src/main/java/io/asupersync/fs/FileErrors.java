package io.asupersync.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/** Turns what the JDK throws into a {@link FileException} with a reason. */
final class FileErrors {

  private FileErrors() {}

  static FileException map(IOException e, Path path, String what) {
    if (e instanceof FileException fe) {
      return fe;
    }
    return new FileException(reasonOf(e), path, what + " " + path + ": " + e, e);
  }

  static FileException.Reason reasonOf(IOException e) {
    if (e instanceof NoSuchFileException) {
      return FileException.Reason.NOT_FOUND;
    }
    if (e instanceof AccessDeniedException) {
      return FileException.Reason.PERMISSION_DENIED;
    }
    if (e instanceof FileAlreadyExistsException) {
      return FileException.Reason.ALREADY_EXISTS;
    }
    if (e instanceof NotDirectoryException) {
      return FileException.Reason.NOT_A_DIRECTORY;
    }
    if (e instanceof DirectoryNotEmptyException) {
      return FileException.Reason.DIRECTORY_NOT_EMPTY;
    }
    // FileSystemException and plain IOException carry only the OS wording (EPERM, EISDIR, ENOSPC...).
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("is a directory")) {
      return FileException.Reason.IS_A_DIRECTORY;
    }
    if (m.contains("not a directory")) {
      return FileException.Reason.NOT_A_DIRECTORY;
    }
    if (m.contains("permission denied") || m.contains("operation not permitted")) {
      return FileException.Reason.PERMISSION_DENIED;
    }
    if (m.contains("no space left") || m.contains("quota exceeded")) {
      return FileException.Reason.NO_SPACE;
    }
    if (m.contains("read-only file system")) {
      return FileException.Reason.READ_ONLY_FILE_SYSTEM;
    }
    if (m.contains("no such file")) {
      return FileException.Reason.NOT_FOUND;
    }
    if (m.contains("directory not empty")) {
      return FileException.Reason.DIRECTORY_NOT_EMPTY;
    }
    return FileException.Reason.OTHER;
  }
}
