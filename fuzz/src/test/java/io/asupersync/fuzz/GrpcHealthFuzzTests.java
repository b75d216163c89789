package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.asupersync.protocols.grpc.GrpcHealth;
import io.asupersync.protocols.grpc.GrpcHealth.ServingStatus;
import io.asupersync.protocols.grpc.MessageCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the hand-written protobuf decoding of the gRPC health service ({@link GrpcHealth#CHECK}'s
 * codecs: {@code HealthCheckRequest { string service = 1; }} and {@code HealthCheckResponse {
 * ServingStatus status = 1; }}, unknown fields skipped).
 *
 * <p>The first input byte picks the codec (even: request, odd: response); the rest is the message.
 * Invariants: nothing but {@link IOException} escapes; what decodes re-encodes to a message that
 * decodes to the same value; decoding allocates at most {@link #allocationLimit} bytes (nothing sized
 * by an announced length).
 *
 * <p>Without {@code JAZZER_FUZZ} this replays {@code GrpcHealthFuzzTestsInputs/messages}, whose seeds
 * {@link #seeds()} generates ({@link SeedFiles}).
 */
class GrpcHealthFuzzTests {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "5m")
  void messages(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    boolean request = (input[0] & 1) == 0;
    byte[] message = Arrays.copyOfRange(input, 1, input.length);
    long before = THREADS.getCurrentThreadAllocatedBytes();
    Object decoded = decode(request, message);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > allocationLimit(message.length)) {
      before = THREADS.getCurrentThreadAllocatedBytes(); // the first pass loads classes
      decode(request, message);
      allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    }
    assertThat(allocated).as("bytes allocated decoding %d bytes", message.length).isLessThanOrEqualTo(allocationLimit(message.length));
    if (decoded instanceof String service) {
      MessageCodec<String> codec = GrpcHealth.CHECK.requestCodec();
      assertThat(codec.decode(codec.encode(service))).as("request round trip").isEqualTo(service);
    } else if (decoded instanceof ServingStatus status) {
      MessageCodec<ServingStatus> codec = GrpcHealth.CHECK.responseCodec();
      assertThat(codec.decode(codec.encode(status))).as("response round trip").isEqualTo(status);
    }
  }

  /** The decoded service name or status; null when the codec refused the message with an IOException. */
  static @Nullable Object decode(boolean request, byte[] message) {
    try {
      return request ? GrpcHealth.CHECK.requestCodec().decode(message) : GrpcHealth.CHECK.responseCodec().decode(message);
    } catch (IOException e) {
      return null;
    }
  }

  /** Linear in the message (the service name is at most as long), plus a fixed cost. */
  static long allocationLimit(int length) {
    return 8L * length + 64 * 1024;
  }

  @Test
  void seedCorpusIsCommittedAndBehavesAsNamed() throws IOException {
    SeedFiles.check(GrpcHealthFuzzTests.class, "messages", seeds(),
        input -> input.length > 0 && decode((input[0] & 1) == 0, Arrays.copyOfRange(input, 1, input.length)) != null);
  }

  /** First byte 0: a request, 1: a response. */
  static Map<String, byte[]> seeds() {
    Map<String, byte[]> s = new LinkedHashMap<>();
    s.put("accept-request-service", request(field(1, 2), len("grpc.health.v1.Health")));
    s.put("accept-request-empty", request());
    s.put("accept-request-unknown-fields", request(field(2, 0), varint(300), field(3, 1), new byte[8], field(4, 2), len("x"),
        field(5, 5), new byte[4], field(1, 2), len("svc")));
    s.put("accept-request-last-service-wins", request(field(1, 2), len("first"), field(1, 2), len("second")));
    s.put("accept-request-utf8-and-malformed-utf8", request(field(1, 2), varint(6), "é".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff, (byte) 0xc3, 'a', 'b'}));
    s.put("accept-response-serving", response(field(1, 0), varint(1)));
    s.put("accept-response-empty-is-unknown", response());
    s.put("accept-response-unknown-number", response(field(1, 0), varint(99)));
    s.put("accept-response-ten-byte-varint", response(field(1, 0), varint(-1L)));
    s.put("accept-response-status-as-wrong-wire-type-skipped", response(field(1, 2), len("ab"), field(1, 0), varint(2)));
    s.put("reject-truncated-varint", response(field(1, 0), new byte[] {(byte) 0x80}));
    s.put("reject-varint-longer-than-10-bytes", response(field(1, 0), new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1}));
    s.put("reject-length-beyond-message", request(field(1, 2), varint(5), new byte[] {'a'}));
    s.put("reject-negative-length", request(field(1, 2), varint(-1L)));
    s.put("reject-length-over-2g", request(field(1, 2), varint(1L << 32), new byte[] {'a'}));
    s.put("reject-group-wire-type", request(field(2, 3)));
    s.put("reject-wire-type-7", response(field(2, 7), new byte[4]));
    s.put("reject-field-number-0", request(field(0, 0), varint(1)));
    s.put("reject-fixed64-cut-short", response(field(2, 1), new byte[5]));
    return s;
  }

  private static byte[] request(byte[]... parts) {
    return HttpSeeds.concat(new byte[] {0}, HttpSeeds.concat(parts));
  }

  private static byte[] response(byte[]... parts) {
    return HttpSeeds.concat(new byte[] {1}, HttpSeeds.concat(parts));
  }

  private static byte[] field(int number, int wireType) {
    return varint(((long) number << 3) | wireType);
  }

  private static byte[] len(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return HttpSeeds.concat(varint(utf8.length), utf8);
  }

  private static byte[] varint(long v) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while ((v & ~0x7fL) != 0) {
      b.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    b.write((int) v);
    return b.toByteArray();
  }
}
