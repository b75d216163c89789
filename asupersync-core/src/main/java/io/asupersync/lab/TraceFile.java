package io.asupersync.lab;

import io.asupersync.security.AuthDomain;
import io.asupersync.security.AuthKey;
import io.asupersync.security.AuthTag;
import io.asupersync.security.AuthenticationException;
import io.asupersync.security.SecurityContext;
import io.asupersync.trace.TraceChain;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads a recorded lab run: a header (format, seed, strategy, faults), every trace event,
 * the scheduling choices, and a SHA-256 digest over all of it. Reading checks the digest and the
 * events' hash chain, so a modified, truncated or reordered file is rejected with a {@link
 * TraceFileException}. The digest detects accidents and careless edits, not an attacker who rewrites
 * the digest too (or the hash chain: it is public).
 *
 * <p><b>Authentication.</b> Written with an {@link AuthKey}, the file ends with one more line, {@code
 * tag=hmac-sha256:<key id>:<mac>}: an HMAC-SHA256 tag in the domain {@link AuthDomain#TRACE_FILE}
 * over three length-prefixed fields, the header (up to the {@code events=} line), the event lines,
 * and the choices (from the {@code choices=} line). Read with a {@link SecurityContext}, the tag is
 * checked first, before anything is parsed; in {@link io.asupersync.security.AuthMode#STRICT} mode a
 * stripped tag, a tag made with another key, a malformed tag or modified content is a {@link
 * TraceFileException} whose reason names the failure ({@code TAG_MISSING}, {@code WRONG_KEY}, {@code
 * TAG_MALFORMED}, {@code TAG_MISMATCH}, {@code NO_KEY}); in {@code PERMISSIVE} mode it is logged and
 * the file is read; in {@code DISABLED} mode the tag is ignored. The methods without a context read
 * tagged and untagged files alike and authenticate nothing.
 *
 * <p>The reader is bounded: files over {@link #MAX_BYTES}, lines over {@link #MAX_LINE} characters,
 * more than {@link #MAX_EVENTS} events or attributes per event over {@link #MAX_ATTRIBUTES} are
 * refused before anything is allocated for them.
 */
public final class TraceFile {

  public static final int MAX_BYTES = 256 * 1024 * 1024;
  public static final int MAX_LINE = 1024 * 1024;
  public static final int MAX_EVENTS = 10_000_000;
  public static final int MAX_ATTRIBUTES = 64;
  private static final String MAGIC = "asupersync-trace v1";
  private static final String TAG_PREFIX = "tag=";
  private static final int CHOICES_PER_LINE = 1024;

  private TraceFile() {}

  /**
   * A recorded run.
   *
   * @param config the configuration of the run (without a replay log)
   * @param events its trace events
   * @param choices its scheduling choices
   */
  public record Recorded(LabConfig config, List<TraceEvent> events, List<Long> choices) {
    public Recorded {
      events = List.copyOf(events);
      choices = List.copyOf(choices);
    }

    /** A configuration that replays the recorded choices. */
    public LabConfig replayConfig() {
      return config.withReplay(choices);
    }
  }

  public static void write(Path file, LabRun<?> run) throws IOException {
    Files.write(file, encode(new Recorded(run.config().withReplay(null), run.trace(), run.choices())));
  }

  /** Writes {@code run} with an authentication tag made with {@code key}. */
  public static void write(Path file, LabRun<?> run, AuthKey key) throws IOException {
    Files.write(file, encode(new Recorded(run.config().withReplay(null), run.trace(), run.choices()), key));
  }

  /** Reads a file without authenticating it (a tag line, if present, is ignored). */
  public static Recorded read(Path file) throws IOException {
    return decodeChecked(readBounded(file), null);
  }

  /**
   * Reads a file, authenticating it under {@code security} first.
   *
   * @throws TraceFileException with a {@code TAG_*}, {@code WRONG_KEY} or {@code NO_KEY} reason when
   *     authentication fails in STRICT mode, or any other reason when the file is corrupt
   * @throws IllegalStateException if the context's key is closed
   */
  public static Recorded read(Path file, SecurityContext security) throws IOException {
    return decodeChecked(readBounded(file), security);
  }

  private static byte[] readBounded(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new TraceFileException(TraceFileException.Reason.TOO_LARGE, "trace file has " + size + " bytes, limit " + MAX_BYTES);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(MAX_BYTES + 1);
    }
  }

  /** The file's bytes for a recorded run, with an authentication tag made with {@code key}. */
  public static byte[] encode(Recorded recorded, AuthKey key) {
    byte[] untagged = encode(recorded);
    int digestLine = lastLineStart(untagged);
    AuthTag tag = AuthTag.compute(key, AuthDomain.TRACE_FILE, sections(untagged, digestLine));
    ByteArrayOutputStream out = new ByteArrayOutputStream(untagged.length + TAG_PREFIX.length() + 100);
    out.writeBytes(untagged);
    out.writeBytes((TAG_PREFIX + tag.encode() + "\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** The file's bytes for a recorded run, without an authentication tag. */
  public static byte[] encode(Recorded recorded) {
    StringBuilder sb = new StringBuilder();
    LabConfig c = recorded.config();
    sb.append(MAGIC).append('\n');
    sb.append("seed=").append(c.seed()).append('\n');
    sb.append("strategy=").append(c.strategy().name()).append('\n');
    sb.append("pct-depth=").append(c.pctDepth()).append('\n');
    sb.append("pct-steps=").append(c.pctExpectedSteps()).append('\n');
    sb.append("faults=").append(c.faults().name()).append('\n');
    sb.append("max-steps=").append(c.maxSteps()).append('\n');
    sb.append("events=").append(recorded.events().size()).append('\n');
    for (TraceEvent e : recorded.events()) {
      sb.append("E ").append(e.sequence()).append(' ')
          .append(e.time().getEpochSecond()).append(' ').append(e.time().getNano()).append(' ')
          .append(e.kind().name()).append(' ')
          .append(e.taskId()).append(' ').append(e.regionId()).append(' ').append(e.obligationId()).append(' ')
          .append(e.hash()).append(' ').append(e.attributes().size());
      for (Map.Entry<String, String> a : new java.util.TreeMap<>(e.attributes()).entrySet()) {
        sb.append(' ').append(escape(a.getKey())).append(' ').append(escape(a.getValue()));
      }
      sb.append('\n');
    }
    List<Long> choices = recorded.choices();
    sb.append("choices=").append(choices.size()).append('\n');
    for (int i = 0; i < choices.size(); i += CHOICES_PER_LINE) {
      sb.append("C ");
      for (int j = i; j < Math.min(choices.size(), i + CHOICES_PER_LINE); j++) {
        if (j > i) {
          sb.append(',');
        }
        sb.append(choices.get(j));
      }
      sb.append('\n');
    }
    byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 80);
    out.writeBytes(body);
    out.writeBytes(("sha256=" + HexFormat.of().formatHex(sha256(body)) + "\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Parses and checks a trace file's bytes without authenticating them (a tag line is ignored). */
  public static Recorded decode(byte[] bytes) throws TraceFileException {
    return decodeChecked(bytes, null);
  }

  /**
   * Authenticates a trace file's bytes under {@code security}, then parses and checks them.
   *
   * @throws TraceFileException with a {@code TAG_*}, {@code WRONG_KEY} or {@code NO_KEY} reason when
   *     authentication fails in STRICT mode, or any other reason when the file is corrupt
   * @throws IllegalStateException if the context's key is closed
   */
  public static Recorded decode(byte[] bytes, SecurityContext security) throws TraceFileException {
    return decodeChecked(bytes, security);
  }

  private static Recorded decodeChecked(byte[] bytes, @Nullable SecurityContext security) throws TraceFileException {
    if (bytes.length > MAX_BYTES) {
      throw new TraceFileException(TraceFileException.Reason.TOO_LARGE, "trace file exceeds " + MAX_BYTES + " bytes");
    }
    int end = bytes.length;
    String tagText = null;
    int lastLine = lastLineStart(bytes);
    if (startsWith(bytes, lastLine, TAG_PREFIX)) {
      int tagEnd = end > lastLine && bytes[end - 1] == '\n' ? end - 1 : end;
      tagText = new String(bytes, lastLine + TAG_PREFIX.length(), tagEnd - lastLine - TAG_PREFIX.length(), StandardCharsets.UTF_8);
      end = lastLine;
    }
    int digestLine = lastLineStart(bytes, end);
    if (security != null) {
      try {
        security.verify(AuthDomain.TRACE_FILE, tagText, sections(bytes, digestLine));
      } catch (AuthenticationException e) {
        throw new TraceFileException(reasonFor(e), "trace file is not authentic: " + e.getMessage(), e);
      }
    }
    int digestEnd = end > digestLine && bytes[end - 1] == '\n' ? end - 1 : end;
    String last = new String(bytes, digestLine, digestEnd - digestLine, StandardCharsets.UTF_8);
    if (!last.startsWith("sha256=")) {
      throw malformed("missing sha256 digest line");
    }
    String hex = last.substring("sha256=".length());
    byte[] expected;
    try {
      expected = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw malformed("digest is not hexadecimal");
    }
    if (!HexFormat.of().formatHex(expected).equals(hex)) {
      throw malformed("digest is not lower-case hexadecimal");
    }
    byte[] actual = sha256(java.util.Arrays.copyOf(bytes, digestLine));
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new TraceFileException(TraceFileException.Reason.DIGEST_MISMATCH, "sha256 digest does not match the contents");
    }
    Lines lines = new Lines(new String(bytes, 0, digestLine, StandardCharsets.UTF_8));
    if (!MAGIC.equals(lines.next())) {
      throw malformed("not an asupersync trace file (bad first line)");
    }
    long seed = parseLong(lines.header("seed"));
    Strategy strategy = parseEnum(Strategy.class, lines.header("strategy"));
    int pctDepth = (int) parseBounded(lines.header("pct-depth"), 1, 1_000);
    long pctSteps = parseBounded(lines.header("pct-steps"), 1, Long.MAX_VALUE);
    FaultPreset faults = parseEnum(FaultPreset.class, lines.header("faults"));
    long maxSteps = parseBounded(lines.header("max-steps"), 1, Long.MAX_VALUE);
    int eventCount = (int) parseBounded(lines.header("events"), 0, MAX_EVENTS);
    List<TraceEvent> events = new ArrayList<>(Math.min(eventCount, 4096));
    for (int i = 0; i < eventCount; i++) {
      events.add(parseEvent(lines.next()));
    }
    int choiceCount = (int) parseBounded(lines.header("choices"), 0, MAX_EVENTS * 4L);
    List<Long> choices = new ArrayList<>(Math.min(choiceCount, 4096));
    while (choices.size() < choiceCount) {
      String line = lines.next();
      if (!line.startsWith("C ")) {
        throw malformed("expected a choices line");
      }
      for (String id : line.substring(2).split(",", CHOICES_PER_LINE + 1)) {
        if (choices.size() == choiceCount) {
          throw malformed("more choices than announced");
        }
        choices.add(parseLong(id));
      }
    }
    if (lines.hasNext()) {
      throw malformed("unexpected content after the choices");
    }
    if (!events.isEmpty()) {
      Long previous = events.get(0).sequence() == 1 ? TraceChain.GENESIS : null;
      TraceChain.Verification v = TraceChain.verify(events, previous);
      if (!v.valid()) {
        throw new TraceFileException(TraceFileException.Reason.CHAIN_BROKEN, v.detail());
      }
    }
    LabConfig config =
        LabConfig.seed(seed).withStrategy(strategy).withFaults(faults).withMaxSteps(maxSteps);
    if (strategy == Strategy.PCT) {
      config = config.withPct(pctDepth, pctSteps);
    }
    return new Recorded(config, events, choices);
  }

  private static TraceEvent parseEvent(String line) throws TraceFileException {
    String[] f = line.split(" ", 11 + 2 * MAX_ATTRIBUTES + 1);
    if (f.length < 10 || !"E".equals(f[0])) {
      throw malformed("malformed event line");
    }
    int attributeCount = (int) parseBounded(f[9], 0, MAX_ATTRIBUTES);
    if (f.length != 10 + 2 * attributeCount) {
      throw malformed("event line has " + (f.length - 10) + " attribute fields, announced " + attributeCount);
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < attributeCount; i++) {
      attributes.put(unescape(f[10 + 2 * i]), unescape(f[11 + 2 * i]));
    }
    Instant time;
    try {
      time = Instant.ofEpochSecond(parseLong(f[2]), parseBounded(f[3], 0, 999_999_999));
    } catch (java.time.DateTimeException e) {
      throw malformed("event time out of range");
    }
    return new TraceEvent(
        parseBounded(f[1], 1, Long.MAX_VALUE),
        time,
        parseEnum(TraceKind.class, f[4]),
        parseLong(f[5]),
        parseLong(f[6]),
        parseLong(f[7]),
        attributes,
        parseLong(f[8]));
  }

  private static String escape(String s) {
    return s.isEmpty() ? "%" : URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String unescape(String s) throws TraceFileException {
    if ("%".equals(s)) {
      return "";
    }
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw malformed("bad escape in attribute");
    }
  }

  private static long parseLong(String s) throws TraceFileException {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw malformed("not a number: " + abbreviate(s));
    }
  }

  private static long parseBounded(String s, long min, long max) throws TraceFileException {
    long v = parseLong(s);
    if (v < min || v > max) {
      throw malformed("value " + v + " outside [" + min + ", " + max + "]");
    }
    return v;
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String s) throws TraceFileException {
    try {
      return Enum.valueOf(type, s);
    } catch (IllegalArgumentException e) {
      throw malformed("unknown " + type.getSimpleName() + ": " + abbreviate(s));
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  private static TraceFileException malformed(String message) {
    return new TraceFileException(TraceFileException.Reason.MALFORMED, message);
  }

  /**
   * Splits the body (everything before the digest line) into the three tagged fields: the header up
   * to and including the first {@code events=} line, the event lines, and the choices from the first
   * {@code choices=} line on. Total over any bytes: the fields always concatenate to the body, so a
   * change anywhere in the body changes the tagged input.
   */
  private static List<ByteBuffer> sections(byte[] bytes, int bodyEnd) {
    int headerEnd = bodyEnd;
    int choicesStart = bodyEnd;
    boolean inEvents = false;
    for (int line = 0; line < bodyEnd; ) {
      int nl = indexOf(bytes, (byte) '\n', line, bodyEnd);
      int next = nl < 0 ? bodyEnd : nl + 1;
      if (!inEvents && startsWith(bytes, line, "events=", bodyEnd)) {
        headerEnd = next;
        inEvents = true;
      } else if (inEvents && startsWith(bytes, line, "choices=", bodyEnd)) {
        choicesStart = line;
        break;
      }
      line = next;
    }
    return List.of(
        ByteBuffer.wrap(bytes, 0, headerEnd),
        ByteBuffer.wrap(bytes, headerEnd, choicesStart - headerEnd),
        ByteBuffer.wrap(bytes, choicesStart, bodyEnd - choicesStart));
  }

  private static TraceFileException.Reason reasonFor(AuthenticationException e) {
    return switch (e.failure()) {
      case NO_KEY -> TraceFileException.Reason.NO_KEY;
      case TAG_MISSING -> TraceFileException.Reason.TAG_MISSING;
      case TAG_MALFORMED -> TraceFileException.Reason.TAG_MALFORMED;
      case WRONG_KEY -> TraceFileException.Reason.WRONG_KEY;
      case TAG_MISMATCH -> TraceFileException.Reason.TAG_MISMATCH;
    };
  }

  private static int indexOf(byte[] bytes, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] bytes, int at, String prefix) {
    return startsWith(bytes, at, prefix, bytes.length);
  }

  private static boolean startsWith(byte[] bytes, int at, String prefix, int limit) {
    if (limit - at < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (bytes[at + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int lastLineStart(byte[] bytes) {
    return lastLineStart(bytes, bytes.length);
  }

  /** Start of the last line of {@code bytes[0, end)}, ignoring one trailing newline. */
  private static int lastLineStart(byte[] bytes, int end) {
    if (end > 0 && bytes[end - 1] == '\n') {
      end--;
    }
    int i = end - 1;
    while (i >= 0 && bytes[i] != '\n') {
      i--;
    }
    return i + 1;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required on every Java platform", e);
    }
  }

  /** Line cursor with a bounded line length. */
  private static final class Lines {
    private final String text;
    private int pos;

    Lines(String text) {
      this.text = text;
    }

    boolean hasNext() {
      return pos < text.length();
    }

    String next() throws TraceFileException {
      if (!hasNext()) {
        throw malformed("truncated: expected more lines");
      }
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? text.length() : nl;
      if (end - pos > MAX_LINE) {
        throw new TraceFileException(TraceFileException.Reason.TOO_LARGE, "line longer than " + MAX_LINE + " characters");
      }
      String line = text.substring(pos, end);
      pos = nl < 0 ? text.length() : nl + 1;
      return line;
    }

    String header(String name) throws TraceFileException {
      String line = next();
      String prefix = name + "=";
      if (!line.startsWith(prefix)) {
        throw malformed("expected header " + name);
      }
      return line.substring(prefix.length());
    }
  }
}
