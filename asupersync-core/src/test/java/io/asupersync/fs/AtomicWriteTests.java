package io.asupersync.fs;

import io.asupersync.testutil.Tasks;
import static io.asupersync.testutil.Tasks.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Budget;
import io.asupersync.LeakResponse;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriteTests {
  private final Runtime rt = Runtime.builder().leakResponse(LeakResponse.LOG).build();

  @TempDir Path dir;

  @AfterEach
  void close() {
    assertThat(rt.shutdown().quiescent()).isTrue();
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static byte[] content(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 7 + seed);
    }
    return b;
  }

  @Test
  void cancelledAtEveryStepLeavesTheOldOrTheNewFileAndNoTemporary() throws Exception {
    Path target = dir.resolve("config.json");
    byte[] old = content(1000, 1);
    byte[] fresh = content(3 * FileIo.CHUNK + 17, 2); // several chunks, so several checkpoints
    Files.write(target, old);
    int cancelled = 0;
    for (int quota = 0; ; quota++) {
      // A poll quota of n cancels at the (n+1)-th checkpoint: every step of the write in turn.
      int q = quota;
      Outcome<Object> o = rt.run(cx -> cx.<Object>scope(RegionPolicy.FAIL_FAST, Budget.unlimited().withPollQuota(q), c -> {
        FileIo.write(c, target, fresh);
        return null;
      }).orThrow());
      assertThat(entries()).as("directory after a write cancelled at step %d", quota).containsExactly("config.json");
      byte[] now = Files.readAllBytes(target);
      if (o instanceof Outcome.Cancelled<Object>) {
        cancelled++;
        assertThat(Arrays.equals(now, old)).as("old content after cancel at step %d", quota).isTrue();
        assertThat(quota).isLessThan(100);
      } else {
        assertThat(o).isEqualTo(Outcome.ok(null));
        assertThat(Arrays.equals(now, fresh)).isTrue();
        break;
      }
    }
    assertThat(cancelled).as("steps at which the write was cancelled").isGreaterThanOrEqualTo(6);
    assertThat(rt.snapshot().leaks()).isEmpty();
  }

  @Test
  void commitReplacesTheTargetOwnerOnly() throws Exception {
    Path target = dir.resolve("out.txt");
    Files.writeString(target, "old");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    AtomicWrite w = call(rt, cx -> {
      AtomicWrite write = FileIo.atomicWrite(cx, target);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(write.temporaryFile()))).isEqualTo("rw-------");
      assertThat(write.temporaryFile().getParent()).isEqualTo(target.getParent());
      write.write(cx, "new".getBytes());
      assertThat(Files.readString(target)).isEqualTo("old");
      write.commit(cx);
      return write;
    });
    assertThat(w.state()).isEqualTo(ObligationState.COMMITTED);
    assertThat(w.abort()).isFalse();
    assertThat(Files.readString(target)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    assertThat(entries()).containsExactly("out.txt");
  }

  @Test
  void abortDeletesTheTemporaryAndKeepsTheTarget() throws Exception {
    Path target = dir.resolve("keep.txt");
    Files.writeString(target, "old");
    AtomicWrite w = call(rt, cx -> {
      AtomicWrite write = FileIo.atomicWrite(cx, target);
      write.write(cx, "half of the new".getBytes());
      assertThat(entries()).hasSize(2);
      assertThat(write.abort()).isTrue();
      return write;
    });
    assertThat(w.state()).isEqualTo(ObligationState.ABORTED);
    assertThat(entries()).containsExactly("keep.txt");
    assertThat(Files.readString(target)).isEqualTo("old");
    assertThatThrownBy(() -> call(rt, cx -> {
      w.commit(cx);
      return null;
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("ABORTED");
  }

  @Test
  void aTaskThatEndsWithoutDecidingLeaksTheObligationAndTheTemporaryIsRemoved() throws Exception {
    Path target = dir.resolve("forgotten.txt");
    Files.writeString(target, "old");
    AtomicWrite w = call(rt, cx -> {
      AtomicWrite write = FileIo.atomicWrite(cx, target);
      write.write(cx, "never committed".getBytes());
      return write; // neither committed nor aborted
    });
    assertThat(w.state()).isEqualTo(ObligationState.LEAKED);
    assertThat(rt.snapshot().leaks()).singleElement().satisfies(l -> {
      assertThat(l.obligation().kind()).isEqualTo(ObligationKind.IO_OP);
      assertThat(l.obligation().description()).contains("forgotten.txt");
    });
    assertThat(entries()).containsExactly("forgotten.txt");
    assertThat(Files.readString(target)).isEqualTo("old");
  }

  @Test
  void failedRenameAbortsAndKeepsTheDirectoryClean() throws Exception {
    Path target = dir.resolve("occupied");
    Files.createDirectories(target.resolve("child"));
    Outcome<Object> o = rt.run(cx -> {
      FileIo.write(cx, target, "x".getBytes());
      return null;
    });
    assertThat(Tasks.error(o)).isInstanceOfSatisfying(FileException.class,
        e -> assertThat(e.reason()).isEqualTo(FileException.Reason.IS_A_DIRECTORY));
    assertThat(entries()).containsExactly("occupied");
  }
}
