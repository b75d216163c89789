package io.asupersync.fuzz;

import io.asupersync.ObligationKind;
import io.asupersync.TaskHandle;
import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.LabConfig;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.LabRuntime;
import io.asupersync.lab.Strategy;
import io.asupersync.lab.TraceFile;
import io.asupersync.security.AuthKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed corpus of {@link TraceFileFuzzTests#taggedReader}: small recorded lab runs, tagged and
 * untagged, valid and damaged in the ways that matter (stripped tag, foreign key, edited event,
 * malformed tag, an announced count far beyond the content). The file name prefix says how the
 * reader must treat it: {@code accept-} seeds are read, {@code reject-} seeds are refused.
 */
final class TraceFileSeeds {

  private TraceFileSeeds() {}

  static Map<String, byte[]> generate() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    byte[] small = tagged(smallRun(), TraceFileFuzzTests.KEY);
    byte[] pct = tagged(pctRun(), TraceFileFuzzTests.KEY);
    String smallText = new String(small, StandardCharsets.UTF_8);
    String untagged = smallText.substring(0, smallText.lastIndexOf("tag="));
    String tagLine = smallText.substring(smallText.lastIndexOf("tag="));

    seeds.put("accept-strict-tagged", withMode(TraceFileFuzzTests.STRICT, small));
    seeds.put("accept-strict-tagged-pct-faults", withMode(TraceFileFuzzTests.STRICT, pct));
    seeds.put("accept-permissive-tagged", withMode(TraceFileFuzzTests.PERMISSIVE, small));
    seeds.put("accept-permissive-stripped-tag", withMode(TraceFileFuzzTests.PERMISSIVE, untagged));
    seeds.put("accept-untagged-reader-tagged", withMode(TraceFileFuzzTests.UNTAGGED, small));
    seeds.put("accept-untagged-reader-untagged", withMode(TraceFileFuzzTests.UNTAGGED, untagged));
    seeds.put("reject-strict-stripped-tag", withMode(TraceFileFuzzTests.STRICT, untagged));
    seeds.put("reject-strict-foreign-key", withMode(TraceFileFuzzTests.STRICT, tagged(smallRun(), AuthKey.forTestsOnly(1))));
    seeds.put("reject-strict-edited-event", withMode(TraceFileFuzzTests.STRICT, smallText.replaceFirst("TASK_SPAWNED", "TASK_COMPLETED")));
    seeds.put("reject-strict-malformed-tag", withMode(TraceFileFuzzTests.STRICT, untagged + tagLine.toUpperCase(java.util.Locale.ROOT)));
    seeds.put("reject-strict-zero-tag", withMode(TraceFileFuzzTests.STRICT,
        untagged + "tag=hmac-sha256:" + TraceFileFuzzTests.KEY.keyId() + ":" + "0".repeat(64) + "\n"));
    String huge = untagged.replaceFirst("events=\\d+", "events=2000000000");
    seeds.put("reject-permissive-announces-too-many-events", withMode(TraceFileFuzzTests.PERMISSIVE, huge + tagLine));
    seeds.put("reject-permissive-truncated", withMode(TraceFileFuzzTests.PERMISSIVE, smallText.substring(0, smallText.length() / 2)));
    String body = untagged.substring(0, untagged.lastIndexOf("sha256="));
    String pctText = new String(pct, StandardCharsets.UTF_8);
    seeds.put("accept-signed-body", withMode(TraceFileFuzzTests.SIGNED, body));
    seeds.put("accept-signed-pct-body", withMode(TraceFileFuzzTests.SIGNED, pctText.substring(0, pctText.lastIndexOf("sha256="))));
    seeds.put("reject-signed-broken-chain", withMode(TraceFileFuzzTests.SIGNED, body.replaceFirst("TASK_SPAWNED", "TASK_COMPLETED")));
    seeds.put("reject-signed-too-many-events", withMode(TraceFileFuzzTests.SIGNED, body.replaceFirst("events=\\d+", "events=2000000000")));
    seeds.put("reject-signed-too-many-attributes", withMode(TraceFileFuzzTests.SIGNED, body.replaceFirst(" 1 seed 11\n", " 65 seed 11\n")));
    seeds.put("reject-signed-bad-escape", withMode(TraceFileFuzzTests.SIGNED, body.replace("%C3%A9", "%C3%G9")));
    seeds.put("reject-signed-time-out-of-range", withMode(TraceFileFuzzTests.SIGNED, body.replaceFirst(" 946684800 0 ", " 9223372036854775807 0 ")));
    seeds.put("reject-signed-choices-overflow", withMode(TraceFileFuzzTests.SIGNED, body.replaceFirst("choices=\\d+", "choices=3")));
    seeds.put("reject-untagged-reader-garbage", withMode(TraceFileFuzzTests.UNTAGGED, "asupersync-trace v1\nseed=x\nsha256=00\n"));
    return seeds;
  }

  private static byte[] tagged(LabRun<?> run, AuthKey key) {
    return TraceFile.encode(new TraceFile.Recorded(run.config().withReplay(null), run.trace(), run.choices()), key);
  }

  /** Two workers with attributes that need escaping, an obligation, a sleep. */
  private static LabRun<List<String>> smallRun() {
    return LabRuntime.run(LabConfig.seed(11), cx -> {
      List<String> log = new ArrayList<>();
      List<TaskHandle<Void>> workers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        String name = "w" + w;
        workers.add(cx.spawn(name, c -> {
          c.trace("step", Map.of("who", name, "note", "a b%c=d&é", "empty", ""));
          c.checkpoint();
          c.reserve(ObligationKind.ACK, "ack " + name).commit();
          synchronized (log) {
            log.add(name);
          }
          return null;
        }));
      }
      for (TaskHandle<Void> h : workers) {
        h.join(cx);
      }
      return log;
    });
  }

  private static LabRun<String> pctRun() {
    return LabRuntime.run(LabConfig.seed(12).withStrategy(Strategy.PCT).withPct(2, 50).withFaults(FaultPreset.LIGHT), cx -> {
      TaskHandle<String> a = cx.spawn("a", c -> {
        c.checkpoint();
        return "a";
      });
      return a.join(cx).isOk() ? "a" : "not ok";
    });
  }

  private static byte[] withMode(int mode, byte[] file) {
    byte[] input = new byte[file.length + 1];
    input[0] = (byte) mode;
    System.arraycopy(file, 0, input, 1, file.length);
    return input;
  }

  private static byte[] withMode(int mode, String file) {
    return withMode(mode, file.getBytes(StandardCharsets.UTF_8));
  }
}
