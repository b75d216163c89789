package io.asupersync.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFileTests {

  private static LabRun<List<String>> recordedRun() {
    return LabRuntime.run(LabConfig.seed(21).withFaults(FaultPreset.LIGHT), LabRuntimeTests.INTERLEAVING);
  }

  @Test
  void roundTripKeepsEventsChoicesAndConfig(@TempDir Path dir) throws Exception {
    LabRun<List<String>> run = recordedRun();
    Path file = dir.resolve("run.trace");
    TraceFile.write(file, run);
    TraceFile.Recorded read = TraceFile.read(file);
    assertThat(read.events()).isEqualTo(run.trace());
    assertThat(read.choices()).isEqualTo(run.choices());
    assertThat(read.config().seed()).isEqualTo(21);
    assertThat(read.config().faults()).isEqualTo(FaultPreset.LIGHT);
  }

  @Test
  void replayFromTheFileReproducesTheRunExactly(@TempDir Path dir) throws Exception {
    LabRun<List<String>> run = recordedRun();
    Path file = dir.resolve("run.trace");
    TraceFile.write(file, run);
    LabRun<List<String>> replay = LabRuntime.run(TraceFile.read(file).replayConfig(), LabRuntimeTests.INTERLEAVING);
    assertThat(replay.violations()).isEmpty();
    assertThat(replay.trace()).isEqualTo(run.trace());
    assertThat(replay.outcome()).isEqualTo(run.outcome());
  }

  @Test
  void aModifiedByteIsRejected() throws Exception {
    byte[] bytes = TraceFile.encode(new TraceFile.Recorded(LabConfig.seed(1), recordedRun().trace(), List.of(1L, 2L)));
    for (int i = 0; i < bytes.length - 80; i += 97) {
      byte[] copy = bytes.clone();
      copy[i] ^= 0x01;
      assertThatThrownBy(() -> TraceFile.decode(copy)).isInstanceOf(TraceFileException.class);
    }
  }

  @Test
  void aRecomputedDigestStillFailsTheHashChain() throws Exception {
    String text = new String(TraceFile.encode(new TraceFile.Recorded(LabConfig.seed(1), recordedRun().trace(), List.of())), StandardCharsets.UTF_8);
    String body = text.substring(0, text.lastIndexOf("sha256="));
    String edited = body.replaceFirst("TASK_SPAWNED", "TASK_COMPLETED");
    byte[] editedBody = edited.getBytes(StandardCharsets.UTF_8);
    String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(editedBody));
    byte[] forged = (edited + "sha256=" + digest + "\n").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TraceFile.decode(forged))
        .isInstanceOfSatisfying(TraceFileException.class, e -> assertThat(e.reason()).isEqualTo(TraceFileException.Reason.CHAIN_BROKEN));
  }

  @Test
  void truncatedOrGarbageFilesAreRejectedWithATypedError(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> TraceFile.decode(new byte[0])).isInstanceOf(TraceFileException.class);
    assertThatThrownBy(() -> TraceFile.decode("hello\nworld\n".getBytes(StandardCharsets.UTF_8))).isInstanceOf(TraceFileException.class);
    byte[] good = TraceFile.encode(new TraceFile.Recorded(LabConfig.seed(1), recordedRun().trace(), List.of()));
    assertThatThrownBy(() -> TraceFile.decode(java.util.Arrays.copyOf(good, good.length / 2))).isInstanceOf(TraceFileException.class);
    Path huge = dir.resolve("announces-too-much.trace");
    String announce = "asupersync-trace v1\nseed=1\nstrategy=RANDOM\npct-depth=3\npct-steps=1000\nfaults=NONE\nmax-steps=10\nevents=2000000000\n";
    byte[] body = announce.getBytes(StandardCharsets.UTF_8);
    String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
    Files.write(huge, (announce + "sha256=" + digest + "\n").getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> TraceFile.read(huge))
        .isInstanceOfSatisfying(TraceFileException.class, e -> assertThat(e).hasMessageContaining("outside"));
  }
}
