package io.asupersync.fs;

import static io.asupersync.testutil.Tasks.call;
import static io.asupersync.testutil.Tasks.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asupersync.Budget;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIoTests {
  private final Runtime rt = Runtime.builder().build();

  @TempDir Path dir;

  @AfterEach
  void close() {
    assertThat(rt.shutdown().quiescent()).isTrue();
  }

  private static void assertReason(Outcome<?> o, FileException.Reason reason) {
    assertThat(error(o)).isInstanceOfSatisfying(FileException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void writtenFilesAndCreatedDirectoriesAreOwnerOnly() throws Exception {
    Path nested = dir.resolve("a/b");
    Path file = nested.resolve("data.bin");
    Path log = nested.resolve("log.txt");
    byte[] content = new byte[200_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) i;
    }
    byte[] read = call(rt, cx -> {
      FileIo.createDirectories(cx, nested);
      FileIo.write(cx, file, content);
      FileIo.append(cx, log, ByteBuffer.wrap("line\n".getBytes()));
      return FileIo.readAllBytes(cx, file);
    });
    assertThat(read).isEqualTo(content);
    assertThat(perms(dir.resolve("a"))).isEqualTo("rwx------");
    assertThat(perms(nested)).isEqualTo("rwx------");
    assertThat(perms(file)).isEqualTo("rw-------");
    assertThat(perms(log)).isEqualTo("rw-------");
    List<Path> listed = call(rt, cx -> FileIo.list(cx, nested));
    assertThat(listed).containsExactly(file, log);
  }

  @Test
  void positionalReadsWalkALargeFile() throws Exception {
    Path file = dir.resolve("big");
    byte[] content = new byte[3 * FileIo.CHUNK + 5];
    content[content.length - 1] = 42;
    Files.write(file, content);
    long total = call(rt, cx -> {
      long pos = 0;
      ByteBuffer buf = ByteBuffer.allocate(FileIo.CHUNK);
      for (int n; (n = FileIo.read(cx, file, pos, buf)) >= 0; buf.clear()) {
        pos += n;
      }
      return pos;
    });
    assertThat(total).isEqualTo(content.length);
  }

  @Test
  void missingFileIsNotFound() {
    assertReason(rt.run(cx -> FileIo.readAllBytes(cx, dir.resolve("missing"))), FileException.Reason.NOT_FOUND);
    assertReason(rt.run(cx -> FileIo.atomicWrite(cx, dir.resolve("no/such/dir/file"))), FileException.Reason.NOT_FOUND);
  }

  @Test
  void readingADirectoryIsIsADirectory() {
    assertReason(rt.run(cx -> FileIo.readAllBytes(cx, dir)), FileException.Reason.IS_A_DIRECTORY);
  }

  @Test
  void unreadableFileIsPermissionDenied() throws Exception {
    Path locked = dir.resolve("locked");
    Files.writeString(locked, "secret");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    boolean root = Files.isReadable(locked); // only a process that bypasses permissions can read it
    if (root) {
      // Root reads any mode-000 file. A kernel attribute that has no read operation refuses even root.
      locked = Path.of("/sys/bus/cpu/uevent");
      assumeTrue(Files.exists(locked),
          "running as root (permission bits do not bind root) and no write-only sysfs attribute to read here");
    }
    Path target = locked;
    assertReason(rt.run(cx -> FileIo.readAllBytes(cx, target)), FileException.Reason.PERMISSION_DENIED);
  }

  @Test
  void cancelledAppendReportsExactlyTheBytesAppended() throws Exception {
    Path log = dir.resolve("log");
    ByteBuffer src = ByteBuffer.allocate(10 * FileIo.CHUNK);
    Outcome<Object> o = rt.run(cx -> cx.<Object>scope(RegionPolicy.FAIL_FAST, Budget.unlimited().withPollQuota(3), c -> {
      FileIo.append(c, log, src);
      return null;
    }).orThrow());
    assertThat(o).isInstanceOf(Outcome.Cancelled.class);
    assertThat(src.position()).isPositive().isLessThan(src.capacity());
    assertThat(Files.size(log)).isEqualTo(src.position());
  }
}
