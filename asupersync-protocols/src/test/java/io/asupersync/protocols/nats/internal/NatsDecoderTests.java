package io.asupersync.protocols.nats.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.protocols.nats.NatsLimits;
import io.asupersync.protocols.nats.NatsMessage;
import io.asupersync.protocols.nats.NatsProtocolException;
import io.asupersync.protocols.nats.NatsProtocolException.Violation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NatsDecoderTests {

  private final NatsDecoder decoder = new NatsDecoder(NatsLimits.defaults());

  /** Feeds {@code wire} in chunks of {@code chunk} bytes into one cumulating buffer, as Netty would. */
  private List<ServerOp> decode(String wire, int chunk) throws NatsProtocolException {
    byte[] bytes = wire.getBytes(UTF_8);
    ByteBuf cumulation = Unpooled.buffer();
    List<ServerOp> ops = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += chunk) {
      cumulation.writeBytes(bytes, at, Math.min(chunk, bytes.length - at));
      for (ServerOp op; (op = decoder.decode(cumulation)) != null; ) {
        ops.add(op);
      }
      cumulation.discardReadBytes();
    }
    assertThat(cumulation.readableBytes()).as("bytes left over").isZero();
    return ops;
  }

  private static NatsMessage message(ServerOp op) {
    assertThat(op).isInstanceOf(ServerOp.Msg.class);
    return ((ServerOp.Msg) op).message();
  }

  @Test
  void decodesEveryServerOperation() throws Exception {
    List<ServerOp> ops = decode("INFO {\"max_payload\":1024}\r\nPING\r\nPONG\r\n+OK\r\n-ERR 'Stale Connection'\r\n"
        + "MSG a.b 7 5\r\nhello\r\nMSG a.b 7 reply.to 0\r\n\r\n", 4096);
    assertThat(ops).hasSize(7);
    assertThat(ops.get(0)).isEqualTo(new ServerOp.Info("{\"max_payload\":1024}"));
    assertThat(ops.subList(1, 4)).containsExactly(ServerOp.Bare.PING, ServerOp.Bare.PONG, ServerOp.Bare.OK);
    assertThat(ops.get(4)).isEqualTo(new ServerOp.Err("Stale Connection"));
    assertThat(((ServerOp.Msg) ops.get(5)).sid()).isEqualTo(7);
    assertThat(new String(message(ops.get(5)).data(), UTF_8)).isEqualTo("hello");
    assertThat(message(ops.get(6)).replyTo()).isEqualTo("reply.to");
    assertThat(message(ops.get(6)).data()).isEmpty();
  }

  @Test
  void toleratesRepeatedSpacesTabsLowerCaseAndBareLineFeeds() throws Exception {
    List<ServerOp> ops = decode("msg  \t subject   12\t\treply  3 \r\nabc\r\nping\n", 4096);
    NatsMessage m = message(ops.get(0));
    assertThat(m.subject()).isEqualTo("subject");
    assertThat(m.replyTo()).isEqualTo("reply");
    assertThat(new String(m.data(), UTF_8)).isEqualTo("abc");
    assertThat(ops.get(1)).isEqualTo(ServerOp.Bare.PING);
  }

  @Test
  void decodesTheSameWhateverTheChunking() throws Exception {
    String wire = hmsg("s 1 r", "NATS/1.0\r\nA: 1\r\nLong-Name:  two  \r\n\r\n", "hello") + "PING\r\n";
    List<ServerOp> whole = decode(wire, wire.length());
    for (int chunk : new int[] {1, 2, 3, 7, 16}) {
      NatsDecoder fresh = new NatsDecoder(NatsLimits.defaults());
      ByteBuf buf = Unpooled.buffer();
      List<ServerOp> ops = new ArrayList<>();
      byte[] bytes = wire.getBytes(UTF_8);
      for (int at = 0; at < bytes.length; at += chunk) {
        buf.writeBytes(bytes, at, Math.min(chunk, bytes.length - at));
        for (ServerOp op; (op = fresh.decode(buf)) != null; ) {
          ops.add(op);
        }
      }
      assertThat(ops).as("chunks of %d", chunk).hasSameSizeAs(whole);
      assertThat(message(ops.get(0)).headers()).isEqualTo(message(whole.get(0)).headers());
    }
    NatsMessage m = message(whole.get(0));
    assertThat(m.headers().first("a")).isEqualTo("1");
    assertThat(m.headers().first("Long-Name")).isEqualTo("two");
    assertThat(new String(m.data(), UTF_8)).isEqualTo("hello");
  }

  @Test
  void decodesAStatusHeaderLine() throws Exception {
    String headers = "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 2\r\n\r\n";
    NatsMessage m = message(decode("HMSG _INBOX.x 3 " + headers.length() + " " + headers.length() + "\r\n" + headers + "\r\n", 4096).get(0));
    assertThat(m.headers().status()).isEqualTo(408);
    assertThat(m.headers().description()).isEqualTo("Request Timeout");
    assertThat(m.isStatus()).isTrue();
    assertThat(m.headers().first("Nats-Pending-Messages")).isEqualTo("2");
    NatsMessage noResponders = message(decode("HMSG _INBOX.y 3 16 16\r\nNATS/1.0 503\r\n\r\n\r\n", 4096).get(0));
    assertThat(noResponders.headers().status()).isEqualTo(503);
  }

  @Test
  void checksAnnouncedLengthsBeforeWaitingForThem() {
    ByteBuf buf = Unpooled.copiedBuffer("MSG s 1 1048577\r\n", UTF_8);
    assertThatThrownBy(() -> decoder.decode(buf))
        .isInstanceOfSatisfying(NatsProtocolException.class, e -> assertThat(e.violation()).isEqualTo(Violation.PAYLOAD_TOO_LARGE));
  }

  @Test
  void serverMaxPayloadLowersTheLimitButNeverRaisesIt() throws Exception {
    decoder.serverMaxPayload(10);
    assertThat(decoder.maxPayload()).isEqualTo(10);
    decoder.serverMaxPayload(1L << 40);
    assertThat(decoder.maxPayload()).isEqualTo(NatsLimits.defaults().maxPayload());
    decoder.serverMaxPayload(10);
    assertThatThrownBy(() -> decoder.decode(Unpooled.copiedBuffer("MSG s 1 11\r\n", UTF_8)))
        .isInstanceOfSatisfying(NatsProtocolException.class, e -> assertThat(e.violation()).isEqualTo(Violation.PAYLOAD_TOO_LARGE));
  }

  @Test
  void waitsForAControlLineUpToItsLimitOnly() throws Exception {
    ByteBuf buf = Unpooled.buffer();
    buf.writeBytes("MSG ".getBytes(UTF_8));
    buf.writeBytes("x".repeat(4000).getBytes(UTF_8));
    assertThat(decoder.decode(buf)).isNull();
    buf.writeBytes("y".repeat(100).getBytes(UTF_8));
    assertThatThrownBy(() -> decoder.decode(buf))
        .isInstanceOfSatisfying(NatsProtocolException.class, e -> assertThat(e.violation()).isEqualTo(Violation.CONTROL_LINE_TOO_LONG));
  }

  @Test
  void anErrorIsFinal() {
    ByteBuf bad = Unpooled.copiedBuffer("MSG s 1 3\r\nabcd\r\n", UTF_8);
    assertThatThrownBy(() -> decoder.decode(bad)).isInstanceOf(NatsProtocolException.class);
    ByteBuf good = Unpooled.copiedBuffer("PING\r\n", UTF_8);
    assertThatThrownBy(() -> decoder.decode(good))
        .isInstanceOfSatisfying(NatsProtocolException.class, e -> assertThat(e.violation()).isEqualTo(Violation.MISSING_TERMINATOR));
  }

  @Test
  void rejectsMalformedOperations() {
    assertViolation("MSG s 1\r\n", Violation.MALFORMED_CONTROL_LINE);
    assertViolation("MSG s 1 r x 5\r\n", Violation.MALFORMED_CONTROL_LINE);
    assertViolation("MSG s 1 -5\r\n", Violation.BAD_LENGTH);
    assertViolation("MSG s x 5\r\n", Violation.BAD_LENGTH);
    assertViolation("PING now\r\n", Violation.MALFORMED_CONTROL_LINE);
    assertViolation("   \r\n", Violation.MALFORMED_CONTROL_LINE);
    assertViolation("PUB s 1\r\n", Violation.UNKNOWN_OPERATION);
    assertViolation("HMSG s 1 4 4\r\n", Violation.MALFORMED_HEADERS);
    assertViolation(hmsg("s 1", "HTTP/1.1\r\n\r\n", ""), Violation.MALFORMED_HEADERS);
    assertViolation(hmsg("s 1", "NATS/1.0\r\nnocolon\r\n\r\n", ""), Violation.MALFORMED_HEADERS);
    assertViolation(hmsg("s 1", "NATS/1.0 5x\r\n\r\n", ""), Violation.MALFORMED_HEADERS);
    assertViolation(hmsg("s 1", "NATS/1.0\r\nA: b\nC: d\r\n\r\n", ""), Violation.MALFORMED_HEADERS);
    assertViolation(hmsg("s 1", "NATS/1.0\r\nA: b\r\n", "x"), Violation.MALFORMED_HEADERS);
  }

  /** An HMSG with correct lengths for {@code headers} and {@code data}. */
  private static String hmsg(String subjectSidReply, String headers, String data) {
    int h = headers.getBytes(UTF_8).length;
    return "HMSG " + subjectSidReply + " " + h + " " + (h + data.getBytes(UTF_8).length) + "\r\n" + headers + data + "\r\n";
  }

  private static void assertViolation(String wire, Violation expected) {
    NatsDecoder d = new NatsDecoder(NatsLimits.defaults());
    assertThatThrownBy(() -> {
      ByteBuf buf = Unpooled.copiedBuffer(wire, UTF_8);
      while (d.decode(buf) != null) {
        // decode until the error
      }
      throw new AssertionError("no error for " + wire);
    }).as(wire).isInstanceOfSatisfying(NatsProtocolException.class, e -> assertThat(e.violation()).isEqualTo(expected));
  }
}
