package io.asupersync.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Budget;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.LabConfig;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.LabRuntime;
import io.asupersync.lab.Oracle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The same file code under the lab scheduler runs on the in-memory file system, deterministically. */
class LabFileSystemTests {
  private static final Path DIR = Path.of("/lab/state");
  private static final Path TARGET = DIR.resolve("config.json");
  private static final byte[] OLD = AtomicWriteTests.content(1000, 1);
  private static final byte[] NEW = AtomicWriteTests.content(3 * FileIo.CHUNK + 17, 2);

  /**
   * Three writers race to replace one file while a reader keeps reading it: every read sees one whole
   * version, the directory never keeps a temporary, and the last committed writer wins.
   */
  static final TaskBody<List<String>> RACE = cx -> {
    FileIo.createDirectories(cx, DIR);
    FileIo.write(cx, TARGET, OLD);
    List<TaskHandle<Void>> writers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] mine = AtomicWriteTests.content(2 * FileIo.CHUNK + i, 10 + i);
      writers.add(cx.spawn("writer-" + i, c -> {
        FileIo.write(c, TARGET, mine);
        return null;
      }));
    }
    TaskHandle<Integer> reader = cx.spawn("reader", c -> {
      int whole = 0;
      for (int i = 0; i < 5; i++) {
        byte[] seen = FileIo.readAllBytes(c, TARGET);
        if (Arrays.equals(seen, OLD) || seen.length >= 2 * FileIo.CHUNK) {
          whole++;
        }
      }
      return whole;
    });
    for (TaskHandle<Void> w : writers) {
      w.join(cx).orThrow();
    }
    List<String> out = new ArrayList<>();
    out.add("whole reads " + reader.join(cx).orThrow());
    out.add("entries " + FileIo.list(cx, DIR).stream().map(p -> p.getFileName().toString()).toList());
    out.add("permissions " + PosixFilePermissions.toString(FileIo.permissions(cx, TARGET)));
    return out;
  };

  @Test
  void sameSeedGivesTheSameRunAndFingerprint() {
    LabRun<List<String>> a = LabRuntime.run(11, RACE);
    LabRun<List<String>> b = LabRuntime.run(11, RACE);
    assertThat(a.passed()).as(a.report()).isTrue();
    assertThat(a.outcome()).isEqualTo(b.outcome());
    assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
    assertThat(a.trace()).isEqualTo(b.trace());
  }

  @Test
  void everySeedSeesWholeVersionsAndNoTemporary() {
    Set<Long> fingerprints = new HashSet<>();
    for (long seed = 0; seed < 40; seed++) {
      LabRun<List<String>> run = LabRuntime.run(seed, RACE);
      assertThat(run.passed()).as(run.report()).isTrue();
      assertThat(run.outcome()).isEqualTo(Outcome.ok(List.of(
          "whole reads 5", "entries [config.json]", "permissions rw-------")));
      fingerprints.add(run.fingerprint());
    }
    assertThat(fingerprints).hasSizeGreaterThan(5);
  }

  @Test
  void cancelledAtEveryStepInTheLabLeavesTheOldOrTheNewFile() {
    LabRun<List<String>> run = LabRuntime.run(5, cx -> {
      FileIo.createDirectories(cx, DIR);
      FileIo.write(cx, TARGET, OLD);
      List<String> seen = new ArrayList<>();
      for (int quota = 0; quota < 100; quota++) {
        int q = quota;
        Outcome<Object> o = cx.<Object>scope(RegionPolicy.FAIL_FAST, Budget.unlimited().withPollQuota(q), c -> {
          FileIo.write(c, TARGET, NEW);
          return null;
        });
        byte[] now = FileIo.readAllBytes(cx, TARGET);
        String version = Arrays.equals(now, OLD) ? "old" : Arrays.equals(now, NEW) ? "new" : "PARTIAL";
        String entries = FileIo.list(cx, DIR).stream().map(p -> p.getFileName().toString()).toList().toString();
        seen.add((o.isOk() ? "ok " : "cancelled ") + version + " " + entries);
        if (o.isOk()) {
          break;
        }
      }
      return seen;
    });
    assertThat(run.passed()).as(run.report()).isTrue();
    List<String> seen = ((Outcome.Ok<List<String>>) run.outcome()).value();
    assertThat(seen).last().isEqualTo("ok new [config.json]");
    assertThat(seen.subList(0, seen.size() - 1)).hasSizeGreaterThan(5).allMatch("cancelled old [config.json]"::equals);
  }

  @Test
  void randomCancellationFaultsNeverLeaveAPartialFileOrATemporary() {
    List<String> versions = new ArrayList<>();
    for (long seed = 0; seed < 30; seed++) {
      LabRun<String> run = LabRuntime.run(LabConfig.seed(seed).withFaults(FaultPreset.HEAVY), cx -> {
        cx.runMasked(() -> {
          try {
            FileIo.createDirectories(cx, DIR);
            FileIo.write(cx, TARGET, OLD);
          } catch (FileException e) {
            throw new IllegalStateException(e);
          }
        });
        TaskHandle<Void> writer = cx.spawn("writer", c -> {
          FileIo.write(c, TARGET, NEW);
          return null;
        });
        writer.join(cx);
        return cx.masked(() -> {
          try {
            byte[] now = FileIo.readAllBytes(cx, TARGET);
            String version = Arrays.equals(now, OLD) ? "old" : Arrays.equals(now, NEW) ? "new" : "PARTIAL";
            return version + " " + FileIo.list(cx, DIR).size();
          } catch (FileException e) {
            throw new IllegalStateException(e);
          }
        });
      });
      assertThat(run.violated(Oracle.OBLIGATION_LEAK)).as(run.report()).isFalse();
      if (run.outcome() instanceof Outcome.Ok<String> ok) {
        versions.add(ok.value());
      }
    }
    assertThat(versions).as("faults cancelled some writes and spared others").contains("old 1", "new 1")
        .allMatch(v -> v.equals("old 1") || v.equals("new 1"));
  }

  @Test
  void aLabTaskThatEndsWithoutDecidingIsReportedAndItsTemporaryRemoved() {
    LabRun<List<String>> run = LabRuntime.run(2, cx -> {
      FileIo.createDirectories(cx, DIR);
      Outcome<Void> o = cx.<Outcome<Void>>scope(RegionPolicy.COLLECT_ALL, Budget.unlimited(), s -> s.<Void>spawn("forgetful", c -> {
        AtomicWrite w = FileIo.atomicWrite(c, TARGET);
        w.write(c, ByteBuffer.wrap("never committed".getBytes(StandardCharsets.UTF_8)));
        return null;
      }).join(s)).orThrow();
      return List.of(o.getClass().getSimpleName(), FileIo.list(cx, DIR).toString());
    });
    assertThat(run.violated(Oracle.OBLIGATION_LEAK)).as(run.report()).isTrue();
    assertThat(run.outcome()).isEqualTo(Outcome.ok(List.of("Panicked", "[]")));
  }

  @Test
  void confinementHoldsInTheLab() {
    LabRun<List<String>> run = LabRuntime.run(4, cx -> {
      FileIo.createDirectories(cx, DIR);
      ConfinedRoot root = ConfinedRoot.open(cx, DIR);
      List<String> out = new ArrayList<>();
      for (String p : List.of("a/b.txt", "../escape", "/etc/passwd", "a/../../x", DIR.resolve("in.txt").toString())) {
        try {
          out.add(root.resolve(cx, p).toString());
        } catch (FileException e) {
          out.add(e.reason().name());
        }
      }
      return out;
    });
    assertThat(run.passed()).as(run.report()).isTrue();
    assertThat(run.outcome()).isEqualTo(Outcome.ok(List.of(
        "/lab/state/a/b.txt", "PATH_ESCAPE", "PATH_ESCAPE", "PATH_ESCAPE", "/lab/state/in.txt")));
  }
}
