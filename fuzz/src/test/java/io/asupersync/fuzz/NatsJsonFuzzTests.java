package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.asupersync.protocols.nats.internal.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the NATS client's JSON reader ({@link Json}), which reads what the server sends: the {@code
 * INFO} document and JetStream API replies.
 *
 * <p>The input, decoded as UTF-8 (as the client decodes a payload), is one document. Invariants:
 * nothing but {@link IllegalArgumentException} escapes (no stack overflow: nesting is capped at {@link
 * Json#MAX_DEPTH}); a value is a map, list, string, long, double, boolean or {@link Json#NULL}, nested
 * at most {@code MAX_DEPTH} deep; {@link Json#parseObject} accepts exactly the documents that are
 * objects; and parsing allocates at most {@link #allocationLimit} bytes.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays {@code NatsJsonFuzzTestsInputs/document}, whose seeds
 * {@link #seeds()} generates ({@link SeedFiles}).
 */
class NatsJsonFuzzTests {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "5m")
  void document(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    long before = THREADS.getCurrentThreadAllocatedBytes();
    Object value = parse(text);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > allocationLimit(input.length)) {
      before = THREADS.getCurrentThreadAllocatedBytes(); // the first pass loads classes
      parse(text);
      allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    }
    assertThat(allocated).as("bytes allocated parsing %d bytes", input.length).isLessThanOrEqualTo(allocationLimit(input.length));
    if (value == null) {
      assertThatThrownBy(() -> Json.parseObject(text)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    assertThat(depth(value)).as("nesting").isLessThanOrEqualTo(Json.MAX_DEPTH);
    if (value instanceof Map<?, ?>) {
      assertThat(Json.parseObject(text)).isEqualTo(value);
    } else {
      assertThatThrownBy(() -> Json.parseObject(text)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** The document, or null when the reader refused it with an IllegalArgumentException. */
  static @Nullable Object parse(String text) {
    try {
      return Json.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Levels of maps and lists; checks every value's type on the way. */
  private static int depth(Object value) {
    if (value instanceof Map<?, ?> map) {
      int d = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        assertThat(e.getKey()).isInstanceOf(String.class);
        d = Math.max(d, depth(e.getValue()));
      }
      return d + 1;
    }
    if (value instanceof List<?> list) {
      int d = 0;
      for (Object v : list) {
        d = Math.max(d, depth(v));
      }
      return d + 1;
    }
    assertThat(value == Json.NULL || value instanceof String || value instanceof Long || value instanceof Double
        || value instanceof Boolean).as("value type %s", value.getClass()).isTrue();
    return 0;
  }

  /** Linear in the document (a map or list per 2 or 3 bytes at worst), plus a fixed cost. */
  static long allocationLimit(int length) {
    return 128L * length + 256 * 1024;
  }

  @Test
  void seedCorpusIsCommittedAndBehavesAsNamed() throws IOException {
    SeedFiles.check(NatsJsonFuzzTests.class, "document", seeds(), input -> parse(new String(input, StandardCharsets.UTF_8)) != null);
  }

  static Map<String, byte[]> seeds() {
    Map<String, byte[]> s = new LinkedHashMap<>();
    s.put("accept-info", utf8("{\"server_id\":\"NDJ\",\"version\":\"2.10.0\",\"proto\":1,\"headers\":true,\"max_payload\":1048576,"
        + "\"jetstream\":true,\"connect_urls\":[\"10.0.0.1:4222\",\"10.0.0.2:4222\"],\"tls_required\":false,\"nonce\":null}"));
    s.put("accept-jetstream-error", utf8("{\"type\":\"io.nats.jetstream.api.v1.stream_create_response\",\"error\":{\"code\":400,\"err_code\":10058,\"description\":\"stream name already in use\"}}"));
    s.put("accept-pub-ack", utf8("  {\"stream\":\"ORDERS\",\"seq\":18446744073709551615,\"duplicate\":false}\r\n"));
    s.put("accept-numbers", utf8("[0,-0,1.5,-2e10,3E+2,4e-2,123456789012345678,1234567890123456789,0.1e1]"));
    s.put("accept-escapes", utf8("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\ud800\", \"é 😀\"]"));
    s.put("accept-nested-32", utf8("[".repeat(31) + "{\"a\":1}" + "]".repeat(31)));
    s.put("accept-scalar", utf8("true"));
    s.put("accept-empty-containers", utf8("{\"a\":{},\"b\":[],\"c\":\"\"}"));
    s.put("accept-duplicate-keys", utf8("{\"a\":1,\"a\":2}"));
    s.put("reject-nested-33", utf8("[".repeat(33) + "]".repeat(33)));
    s.put("reject-nested-10000", utf8("[".repeat(10_000)));
    s.put("reject-empty", new byte[0]);
    s.put("reject-trailing", utf8("{} {}"));
    s.put("reject-unterminated-string", utf8("{\"a\":\"b"));
    s.put("reject-control-character", utf8("[\"a\u0001\"]"));
    s.put("reject-bad-escape", utf8("[\"\\x41\"]"));
    s.put("reject-truncated-unicode-escape", utf8("[\"\\u12\"]"));
    s.put("accept-leading-zero-read-leniently", utf8("[01]")); // RFC 8259 forbids it; harmless for what the client reads
    s.put("reject-bare-minus", utf8("[-]"));
    s.put("reject-fraction-without-digits", utf8("[1.]"));
    s.put("reject-exponent-without-digits", utf8("[1e+]"));
    s.put("reject-trailing-comma", utf8("{\"a\":1,}"));
    s.put("reject-missing-colon", utf8("{\"a\" 1}"));
    s.put("reject-literal-prefix", utf8("[tru]"));
    s.put("reject-single-quotes", utf8("{'a':1}"));
    s.put("reject-nan", utf8("[NaN]"));
    return s;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
