package io.asupersync.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.security.AuthKey;
import io.asupersync.security.AuthMode;
import io.asupersync.security.SecurityContext;
import io.asupersync.trace.TraceBuffer;
import io.asupersync.trace.TraceChain;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import io.asupersync.trace.TraceSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

  // ---- authentication tags ----

  private static final AuthKey KEY = AuthKey.forTestsOnly(1);
  private static final AuthKey OTHER_KEY = AuthKey.forTestsOnly(2);

  private static TraceFile.Recorded recorded() {
    LabRun<List<String>> run = recordedRun();
    return new TraceFile.Recorded(run.config().withReplay(null), run.trace(), run.choices());
  }

  private static SecurityContext strict(AuthKey key) {
    return SecurityContext.builder().key(key).logger(QUIET).build();
  }

  private static TraceFileException.Reason reasonOf(byte[] bytes, SecurityContext security) {
    try {
      TraceFile.decode(bytes, security);
    } catch (TraceFileException e) {
      return e.reason();
    }
    throw new AssertionError("accepted");
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void aTaggedFileRoundTripsUnderStrictAuthentication(@TempDir Path dir) throws Exception {
    LabRun<List<String>> run = recordedRun();
    Path file = dir.resolve("run.trace");
    TraceFile.write(file, run, KEY);
    String content = Files.readString(file);
    assertThat(content).containsPattern("\nsha256=[0-9a-f]{64}\ntag=hmac-sha256:" + KEY.keyId() + ":[0-9a-f]{64}\n$");
    TraceFile.Recorded read = TraceFile.read(file, strict(KEY));
    assertThat(read.events()).isEqualTo(run.trace());
    assertThat(read.choices()).isEqualTo(run.choices());
    assertThat(read.config().seed()).isEqualTo(21);
  }

  @Test
  void theUntaggedFormatIsUnchangedAndTheUntaggedApiReadsTaggedFiles() throws Exception {
    TraceFile.Recorded recorded = recorded();
    byte[] untagged = TraceFile.encode(recorded);
    byte[] tagged = TraceFile.encode(recorded, KEY);
    assertThat(Arrays.copyOf(tagged, untagged.length)).isEqualTo(untagged);
    assertThat(TraceFile.decode(tagged).events()).isEqualTo(recorded.events());
    assertThat(TraceFile.decode(untagged).events()).isEqualTo(recorded.events());
    assertThat(TraceFile.decode(untagged, SecurityContext.disabled()).events()).isEqualTo(recorded.events());
  }

  @Test
  void theWrongKeyFailsWithWrongKey() {
    byte[] tagged = TraceFile.encode(recorded(), KEY);
    assertThatThrownBy(() -> TraceFile.decode(tagged, strict(OTHER_KEY)))
        .isInstanceOfSatisfying(TraceFileException.class, e -> {
          assertThat(e.reason()).isEqualTo(TraceFileException.Reason.WRONG_KEY);
          assertThat(e).hasMessageContaining("different key").hasMessageContaining(KEY.keyId()).hasMessageContaining(OTHER_KEY.keyId());
        });
  }

  @Test
  void aStrippedTagFailsWithTagMissingInStrictModeOnly() throws Exception {
    byte[] tagged = TraceFile.encode(recorded(), KEY);
    String t = text(tagged);
    byte[] stripped = t.substring(0, t.lastIndexOf("tag=")).getBytes(StandardCharsets.UTF_8);
    assertThat(reasonOf(stripped, strict(KEY))).isEqualTo(TraceFileException.Reason.TAG_MISSING);
    SecurityContext permissive = SecurityContext.builder().key(KEY).mode(AuthMode.PERMISSIVE).logger(QUIET).build();
    assertThat(TraceFile.decode(stripped, permissive).events()).isEqualTo(recorded().events());
    assertThat(TraceFile.decode(stripped, SecurityContext.disabled()).events()).isEqualTo(recorded().events());
  }

  /** Edits one event, then recomputes the hash chain and the digest, as an attacker can. */
  @Test
  void aModifiedEventFailsWithTagMismatchEvenWithARecomputedChainAndDigest() throws Exception {
    TraceFile.Recorded original = recorded();
    byte[] tagged = TraceFile.encode(original, KEY);
    String tagLine = text(tagged).substring(text(tagged).lastIndexOf("tag="));
    List<TraceEvent> events = new ArrayList<>();
    long previous = TraceChain.GENESIS;
    for (TraceEvent e : original.events()) {
      Map<String, String> attributes = e.sequence() == 3 ? Map.of("forged", "yes") : e.attributes();
      TraceEvent edited = new TraceEvent(e.sequence(), e.time(), e.kind(), e.taskId(), e.regionId(), e.obligationId(), attributes, 0);
      long hash = TraceChain.recompute(previous, edited);
      events.add(new TraceEvent(e.sequence(), e.time(), e.kind(), e.taskId(), e.regionId(), e.obligationId(), attributes, hash));
      previous = hash;
    }
    byte[] forgedUntagged = TraceFile.encode(new TraceFile.Recorded(original.config(), events, original.choices()));
    byte[] forged = (text(forgedUntagged) + tagLine).getBytes(StandardCharsets.UTF_8);
    // Digest and chain are not authentication: the untagged reader accepts the forgery...
    assertThat(TraceFile.decode(forged).events().get(2).attribute("forged")).isEqualTo("yes");
    // ...the keyed tag does not.
    assertThatThrownBy(() -> TraceFile.decode(forged, strict(KEY)))
        .isInstanceOfSatisfying(TraceFileException.class, e -> {
          assertThat(e.reason()).isEqualTo(TraceFileException.Reason.TAG_MISMATCH);
          assertThat(e).hasMessageContaining("modified after tagging");
        });
  }

  @Test
  void aTaggedFileWithoutAConfiguredKeyFailsWithNoKey() {
    byte[] tagged = TraceFile.encode(recorded(), KEY);
    assertThat(reasonOf(tagged, SecurityContext.builder().logger(QUIET).build())).isEqualTo(TraceFileException.Reason.NO_KEY);
  }

  @Test
  void aMalformedTagLineFailsWithTagMalformed() {
    String t = text(TraceFile.encode(recorded(), KEY));
    String body = t.substring(0, t.lastIndexOf("tag="));
    for (String line : List.of("tag=\n", "tag=hmac-sha256:zz\n", "tag=hmac-sha256:" + KEY.keyId() + ":" + "0".repeat(64) + "\n",
        t.substring(t.lastIndexOf("tag=")).toUpperCase(java.util.Locale.ROOT).replace("TAG=", "tag="))) {
      assertThat(reasonOf((body + line).getBytes(StandardCharsets.UTF_8), strict(KEY))).as(line).isEqualTo(TraceFileException.Reason.TAG_MALFORMED);
    }
  }

  @Test
  void authenticationComesBeforeParsing() {
    byte[] garbage = "not a trace file at all\nsha256=00\ntag=hmac-sha256:0123456789abcdef:".concat("ab".repeat(32)).concat("\n")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(reasonOf(garbage, strict(KEY))).isEqualTo(TraceFileException.Reason.WRONG_KEY);
    assertThat(reasonOf("junk".getBytes(StandardCharsets.UTF_8), strict(KEY))).isEqualTo(TraceFileException.Reason.TAG_MISSING);
  }

  @Test
  void everyOneBitChangeAnywhereInATaggedFileIsDetected() throws Exception {
    LabRun<String> small = LabRuntime.run(LabConfig.seed(5), cx -> {
      cx.trace("step", Map.of("k", "v w"));
      return "ok";
    });
    byte[] tagged = TraceFile.encode(new TraceFile.Recorded(small.config().withReplay(null), small.trace(), small.choices()), KEY);
    SecurityContext strict = strict(KEY);
    assertThat(TraceFile.decode(tagged, strict).events()).isEqualTo(small.trace());
    int digestLine = text(tagged).lastIndexOf("sha256=");
    int flips = 0;
    for (int i = 0; i < tagged.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] copy = tagged.clone();
        copy[i] ^= (byte) (1 << bit);
        TraceFileException.Reason reason = reasonOf(copy, strict);
        if (i < digestLine) {
          assertThat(reason).as("byte %d bit %d", i, bit).isEqualTo(TraceFileException.Reason.TAG_MISMATCH);
        }
        flips++;
      }
    }
    assertThat(flips).isEqualTo(8 * tagged.length).isGreaterThan(8 * 500);
  }

  @Test
  void everyOneBitChangeInALargerFileIsDetected() {
    byte[] tagged = TraceFile.encode(recorded(), KEY);
    SecurityContext strict = strict(KEY);
    for (int i = 0; i < tagged.length; i += 7) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] copy = tagged.clone();
        copy[i] ^= (byte) (1 << bit);
        int at = i;
        int b = bit;
        assertThatThrownBy(() -> TraceFile.decode(copy, strict)).as("byte %d bit %d", at, b).isInstanceOf(TraceFileException.class);
      }
    }
  }

  @Test
  void authenticationFailuresBecomeTraceEvents() {
    TraceBuffer buffer = new TraceBuffer(16, () -> Instant.EPOCH, TraceSink.discard());
    SecurityContext security = SecurityContext.builder().key(OTHER_KEY).trace(buffer).logger(QUIET).build();
    assertThat(reasonOf(TraceFile.encode(recorded(), KEY), security)).isEqualTo(TraceFileException.Reason.WRONG_KEY);
    TraceEvent event = buffer.events().get(0);
    assertThat(event.kind()).isEqualTo(TraceKind.AUTH_FAILED);
    assertThat(event.attribute("domain")).isEqualTo("asupersync.lab.trace-file");
    assertThat(event.attribute("failure")).isEqualTo("WRONG_KEY");
    assertThat(event.attribute("action")).isEqualTo("rejected");
    assertThat(buffer.verify().valid()).isTrue();
  }

  /** Keeps expected authentication warnings out of the build log. */
  private static final System.Logger QUIET = new System.Logger() {
    @Override
    public String getName() {
      return "quiet";
    }

    @Override
    public boolean isLoggable(Level level) {
      return false;
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {}

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {}
  };
}
