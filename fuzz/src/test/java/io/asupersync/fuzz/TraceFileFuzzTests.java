package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.asupersync.lab.TraceFile;
import io.asupersync.lab.TraceFileException;
import io.asupersync.security.AuthDomain;
import io.asupersync.security.AuthKey;
import io.asupersync.security.AuthMode;
import io.asupersync.security.AuthTag;
import io.asupersync.security.SecurityContext;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.ResourceBundle;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes the tagged trace-file reader ({@link TraceFile#decode(byte[], SecurityContext)}).
 *
 * <p>The first input byte picks how the rest is read (modulo 4): {@code 0} STRICT with {@link #KEY}
 * (the tag gate: a mutant of a tagged seed must be refused), {@code 1} PERMISSIVE (authentication
 * failures are let through to the digest check), {@code 2} the untagged reader, {@code 3} SIGNED: the
 * rest is taken as the body of a file, which the harness completes with a correct digest and a
 * correct tag before a STRICT read, so the parser behind both gates sees arbitrary content.
 * Invariants: nothing but {@link TraceFileException} escapes; a read allocates at most {@link
 * #allocationLimit} bytes (measured with the thread's allocation counter, on a warm second pass when
 * the first one also loaded classes); and STRICT accepts only what {@link #KEY} tagged, so re-encoding what it
 * accepted reproduces the input.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs in regression mode over the corpus in {@code
 * src/test/resources/io/asupersync/fuzz/TraceFileFuzzTestsInputs/taggedReader}, which {@link
 * TraceFileSeeds} regenerates.
 */
class TraceFileFuzzTests {

  /** The key the seeds are tagged with. Test-only: the fuzzer must not be able to forge it. */
  static final AuthKey KEY = AuthKey.forTestsOnly(0x5eedL);

  static final int STRICT = 0;
  static final int PERMISSIVE = 1;
  static final int UNTAGGED = 2;
  static final int SIGNED = 3;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "5m")
  void taggedReader(byte[] input) {
    int mode = input.length == 0 ? STRICT : (input[0] & 0xff) % 4;
    byte[] file = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    long before = THREADS.getCurrentThreadAllocatedBytes();
    TraceFile.@Nullable Recorded read = read(mode, file);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > allocationLimit(file.length)) {
      // The first pass over a new code path also pays for class loading (and, when fuzzing, for
      // instrumenting the classes): measure the reader itself on a second, warm pass.
      before = THREADS.getCurrentThreadAllocatedBytes();
      read(mode, file);
      allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    }
    assertThat(allocated).as("bytes allocated reading %d input bytes", file.length).isLessThanOrEqualTo(allocationLimit(file.length));
    if (mode == STRICT && read != null) {
      byte[] reencoded = TraceFile.encode(read, KEY);
      assertThat(withFinalNewline(file)).as("STRICT accepted content that KEY did not tag").isEqualTo(reencoded);
    }
  }

  /** Reads {@code file}; null when it was refused with a {@link TraceFileException}. */
  static TraceFile.@Nullable Recorded read(int mode, byte[] file) {
    try {
      return switch (mode) {
        case STRICT -> TraceFile.decode(file, SecurityContext.builder().key(KEY).logger(QUIET).build());
        case SIGNED -> TraceFile.decode(sign(file), SecurityContext.builder().key(KEY).logger(QUIET).build());
        case PERMISSIVE -> TraceFile.decode(file, SecurityContext.builder().key(KEY).mode(AuthMode.PERMISSIVE).logger(QUIET).build());
        default -> TraceFile.decode(file);
      };
    } catch (TraceFileException expected) {
      return null;
    }
  }

  /**
   * Completes {@code body} (the lines before the digest) into a file with a correct digest line and a
   * correct tag line. The section split mirrors {@code TraceFile}'s; if they ever diverge, the
   * {@code accept-signed-} seeds stop being accepted and {@link TraceFileSeedCorpusTests} says so.
   */
  static byte[] sign(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 200);
    out.writeBytes(body);
    if (body.length > 0 && body[body.length - 1] != '\n') {
      out.write('\n');
    }
    byte[] complete = out.toByteArray();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(complete);
      out.writeBytes(("sha256=" + HexFormat.of().formatHex(digest) + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    AuthTag tag = AuthTag.compute(KEY, AuthDomain.TRACE_FILE, sections(complete));
    out.writeBytes(("tag=" + tag.encode() + "\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** Header through the first {@code events=} line, then the events, then from {@code choices=} on. */
  private static List<ByteBuffer> sections(byte[] body) {
    int headerEnd = body.length;
    int choicesStart = body.length;
    boolean inEvents = false;
    for (int line = 0; line < body.length; ) {
      int next = line;
      while (next < body.length && body[next] != '\n') {
        next++;
      }
      next = Math.min(body.length, next + 1);
      if (!inEvents && startsWith(body, line, "events=")) {
        headerEnd = next;
        inEvents = true;
      } else if (inEvents && startsWith(body, line, "choices=")) {
        choicesStart = line;
        break;
      }
      line = next;
    }
    return List.of(
        ByteBuffer.wrap(body, 0, headerEnd),
        ByteBuffer.wrap(body, headerEnd, choicesStart - headerEnd),
        ByteBuffer.wrap(body, choicesStart, body.length - choicesStart));
  }

  private static boolean startsWith(byte[] bytes, int at, String prefix) {
    if (bytes.length - at < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (bytes[at + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A generous linear bound: the reader keeps the file's text, its lines and the parsed events, a
   * few times the input, plus a fixed cost for the MAC and digest. A reader that sized anything by
   * an announced count rather than by the bytes present would break it.
   */
  static long allocationLimit(int inputLength) {
    return 64L * inputLength + 4L * 1024 * 1024;
  }

  private static byte[] withFinalNewline(byte[] file) {
    if (file.length > 0 && file[file.length - 1] == '\n') {
      return file;
    }
    byte[] copy = Arrays.copyOf(file, file.length + 1);
    copy[file.length] = '\n';
    return copy;
  }

  /** Authentication failures are expected by the thousand here: not logged. */
  private static final System.Logger QUIET = new System.Logger() {
    @Override
    public String getName() {
      return "fuzz-quiet";
    }

    @Override
    public boolean isLoggable(Level level) {
      return false;
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String msg, @Nullable Throwable thrown) {}

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String format, @Nullable Object... params) {}
  };
}
