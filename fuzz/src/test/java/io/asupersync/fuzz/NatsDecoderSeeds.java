package io.asupersync.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed corpus of {@link NatsDecoderFuzzTests#decoder}: every operation a server sends, the
 * tolerated variations (repeated spaces, tabs, lower case, bare LF, status headers), and each way
 * a hostile server breaks the format or a limit. The first byte is the chunk size selector; the
 * name prefix says the outcome: {@code accept-} seeds decode without error, {@code reject-} seeds
 * end in a protocol error.
 */
final class NatsDecoderSeeds {

  private NatsDecoderSeeds() {}

  static Map<String, byte[]> generate() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    String all = "INFO {\"server_id\":\"s\",\"max_payload\":1024,\"headers\":true}\r\nPING\r\nPONG\r\n+OK\r\n"
        + "-ERR 'Permissions Violation'\r\nMSG a.b 1 5\r\nhello\r\nMSG a.b 1 _INBOX.x 0\r\n\r\n";
    seeds.put("accept-every-operation", seed(0, all));
    seeds.put("accept-every-operation-byte-by-byte", seed(64, all));
    seeds.put("accept-every-operation-chunks-of-7", seed(6, all));
    seeds.put("accept-repeated-spaces-tabs-lower-case", seed(3, "msg  \t s   12\t\tr  3 \r\nabc\r\nping\n"));
    seeds.put("accept-headers", seed(5, hmsg("s 2 r", "NATS/1.0\r\nA: 1\r\nA: 2\r\nB:  spaced  \r\n\r\n", "data")));
    seeds.put("accept-status-408", seed(0, hmsg("_INBOX.a 3", "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 1\r\n\r\n", "")));
    seeds.put("accept-status-503", seed(1, hmsg("_INBOX.a 3", "NATS/1.0 503\r\n\r\n", "")));
    seeds.put("accept-jetstream-delivery", seed(9, "MSG orders.new 4 $JS.ACK.ORDERS.work.1.7.7.1700000000000000000.3 2\r\n{}\r\n"));
    seeds.put("accept-payload-at-limit", seed(0, "MSG s 1 1024\r\n" + "p".repeat(1024) + "\r\n"));
    seeds.put("accept-partial-control-line", seed(0, "MSG s 1 " + "9".repeat(3)));
    seeds.put("reject-payload-over-limit", seed(0, "MSG s 1 1025\r\n"));
    seeds.put("reject-huge-announced-payload", seed(0, "MSG s 1 2000000000\r\n"));
    seeds.put("reject-length-beyond-long", seed(0, "MSG s 1 99999999999999999999\r\n"));
    seeds.put("reject-garbled-length", seed(2, "MSG s 1 1x\r\n"));
    seeds.put("reject-length-shorter-than-data", seed(0, "MSG s 1 5\r\nhello world\r\n"));
    seeds.put("reject-header-length-beyond-total", seed(0, "HMSG s 1 50 20\r\n"));
    seeds.put("reject-headers-over-limit", seed(0, "HMSG s 1 600 700\r\n"));
    seeds.put("reject-headers-not-nats", seed(0, hmsg("s 1", "HTTP/1.1 200\r\n\r\n", "")));
    seeds.put("reject-header-line-without-colon", seed(0, hmsg("s 1", "NATS/1.0\r\nnocolon\r\n\r\n", "")));
    seeds.put("reject-bad-status", seed(0, hmsg("s 1", "NATS/1.0 5x\r\n\r\n", "")));
    seeds.put("reject-control-line-too-long", seed(0, "INFO {\"pad\":\"" + "p".repeat(200) + "\"}\r\n"));
    seeds.put("reject-no-terminator", seed(32, "MSG " + "A".repeat(200)));
    seeds.put("reject-unknown-operation", seed(0, "HELLO there\r\n"));
    seeds.put("reject-ping-with-argument", seed(0, "PING now\r\n"));
    seeds.put("reject-too-many-fields", seed(0, "MSG s 1 r x 5\r\n"));
    return seeds;
  }

  private static String hmsg(String subjectSidReply, String headers, String data) {
    int h = headers.getBytes(StandardCharsets.UTF_8).length;
    return "HMSG " + subjectSidReply + " " + h + " " + (h + data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + headers + data + "\r\n";
  }

  /** {@code chunkSelector} 0 feeds the bytes at once, any other {@code b} in chunks of {@code 1 + b % 64}. */
  private static byte[] seed(int chunkSelector, String wire) {
    byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[bytes.length + 1];
    input[0] = (byte) chunkSelector;
    System.arraycopy(bytes, 0, input, 1, bytes.length);
    return input;
  }
}
