package io.asupersync.protocols.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.protocols.redis.RespProtocolException.Reason;
import io.asupersync.protocols.redis.RespValue.ArrayReply;
import io.asupersync.protocols.redis.RespValue.BulkString;
import io.asupersync.protocols.redis.RespValue.IntegerReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RespDecoderTests {

  private static final RedisLimits SMALL = new RedisLimits(1024, 100, 8, 256, 64 * 1024);

  private static ByteBuf buf(String s) {
    return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8));
  }

  private static List<RespValue> decodeAll(RespDecoder d, String s) throws RespProtocolException {
    ByteBuf in = buf(s);
    List<RespValue> out = new ArrayList<>();
    RespValue v;
    while ((v = d.decode(in)) != null) {
      out.add(v);
    }
    assertThat(in.readableBytes()).as("bytes left after the last complete reply").isZero();
    return out;
  }

  /** Feeds the bytes one at a time into a cumulation buffer, like a socket that delivers a byte per read. */
  private static List<RespValue> decodeByteByByte(RespDecoder d, String s) throws RespProtocolException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    ByteBuf cumulation = Unpooled.buffer();
    List<RespValue> out = new ArrayList<>();
    for (byte b : bytes) {
      cumulation.writeByte(b);
      RespValue v;
      while ((v = d.decode(cumulation)) != null) {
        out.add(v);
      }
      cumulation.discardReadBytes();
    }
    return out;
  }

  private static final String EVERY_TYPE = "+OK\r\n-ERR bad thing\r\n:-42\r\n$5\r\nhello\r\n$-1\r\n*-1\r\n$0\r\n\r\n"
      + "*2\r\n$1\r\na\r\n*1\r\n:1\r\n"
      + "%2\r\n+k1\r\n:1\r\n+k2\r\n#t\r\n"
      + "~2\r\n,1.5\r\n,-inf\r\n"
      + "_\r\n#f\r\n(12345678901234567890123\r\n"
      + "=15\r\ntxt:Some string\r\n!9\r\nSYNTAX no\r\n"
      + ">3\r\n+message\r\n+ch\r\n$2\r\nhi\r\n"
      + "|1\r\n+ttl\r\n:10\r\n:7\r\n"
      + "*0\r\n";

  @Test
  void decodesEveryRespTwoAndThreeType() throws Exception {
    List<RespValue> values = decodeAll(new RespDecoder(RedisLimits.defaults()), EVERY_TYPE);
    assertThat(values).containsExactly(
        new RespValue.SimpleString("OK"),
        new RespValue.ErrorReply("ERR bad thing"),
        new IntegerReply(-42),
        BulkString.of("hello"),
        RespValue.NullReply.INSTANCE,
        RespValue.NullReply.INSTANCE,
        BulkString.of(""),
        new ArrayReply(List.of(BulkString.of("a"), new ArrayReply(List.of(new IntegerReply(1))))),
        new RespValue.MapReply(Map.of(new RespValue.SimpleString("k1"), new IntegerReply(1),
            new RespValue.SimpleString("k2"), new RespValue.BooleanReply(true))),
        new RespValue.SetReply(List.of(new RespValue.DoubleReply(1.5), new RespValue.DoubleReply(Double.NEGATIVE_INFINITY))),
        RespValue.NullReply.INSTANCE,
        new RespValue.BooleanReply(false),
        new RespValue.BigNumberReply(new BigInteger("12345678901234567890123")),
        new RespValue.VerbatimString("txt", "Some string"),
        new RespValue.ErrorReply("SYNTAX no"),
        new RespValue.PushReply(List.of(new RespValue.SimpleString("message"), new RespValue.SimpleString("ch"), BulkString.of("hi"))),
        new IntegerReply(7), // the attribute before it is dropped
        new ArrayReply(List.of()));
    assertThat(((RespValue.ErrorReply) values.get(1)).code()).isEqualTo("ERR");
  }

  @Test
  void oneByteAtATimeGivesTheSameRepliesAsOneBuffer() throws Exception {
    assertThat(decodeByteByByte(new RespDecoder(RedisLimits.defaults()), EVERY_TYPE))
        .isEqualTo(decodeAll(new RespDecoder(RedisLimits.defaults()), EVERY_TYPE));
  }

  @Test
  void consumesCompletedElementsSoTheBufferHoldsOnlyTheOneInProgress() throws Exception {
    RespDecoder d = new RespDecoder(RedisLimits.defaults());
    ByteBuf in = buf("*3\r\n$3\r\nabc\r\n:1\r\n$10\r\n01234");
    assertThat(d.decode(in)).isNull();
    assertThat(d.inProgress()).isTrue();
    // Only the started bulk payload is left unread; the header and the two finished elements are gone.
    assertThat(in.toString(StandardCharsets.UTF_8)).isEqualTo("01234");
  }

  @Test
  void hugeAnnouncedBulkIsRefusedBeforeAnythingIsAllocatedOrAwaited() {
    RespDecoder d = new RespDecoder(RedisLimits.defaults());
    assertThatThrownBy(() -> d.decode(buf("$2147483647\r\n")))
        .isInstanceOfSatisfying(RespProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BULK_TOO_LARGE));
    assertThat(d.allocatedBytes()).isZero();
  }

  @Test
  void hugeAnnouncedArrayIsRefusedBeforeAllocating() {
    RespDecoder d = new RespDecoder(RedisLimits.defaults());
    assertThatThrownBy(() -> d.decode(buf("*1000001\r\n")))
        .isInstanceOfSatisfying(RespProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_ELEMENTS));
    assertThat(d.allocatedBytes()).isZero();
  }

  @Test
  void allowedCountStillAllocatesOnlyForElementsThatArrived() throws Exception {
    RespDecoder d = new RespDecoder(RedisLimits.defaults());
    assertThat(d.decode(buf("*1000000\r\n:1\r\n"))).isNull();
    assertThat(d.allocatedBytes()).isLessThan(1024);
  }

  @Test
  void nestingDeeperThanTheLimitIsRefused() throws Exception {
    RespDecoder d = new RespDecoder(SMALL);
    assertThatThrownBy(() -> d.decode(buf("*1\r\n".repeat(9))))
        .isInstanceOfSatisfying(RespProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NESTING_TOO_DEEP));
    assertThat(decodeAll(new RespDecoder(SMALL), "*1\r\n".repeat(8) + ":1\r\n")).hasSize(1);
  }

  @Test
  void lineWithoutTerminatorFailsAtTheLimitInsteadOfWaitingForever() throws Exception {
    RespDecoder d = new RespDecoder(SMALL);
    ByteBuf in = Unpooled.buffer();
    in.writeByte('+');
    in.writeBytes("x".repeat(256).getBytes(StandardCharsets.US_ASCII));
    assertThat(d.decode(in)).as("256 content bytes may still end in CRLF").isNull();
    in.writeByte('x');
    in.writeByte('x');
    assertThatThrownBy(() -> d.decode(in))
        .isInstanceOfSatisfying(RespProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LINE_TOO_LONG));
  }

  @Test
  void lengthLineWithoutTerminatorFailsAfterThirtyTwoBytes() {
    RespDecoder d = new RespDecoder(RedisLimits.defaults());
    assertThatThrownBy(() -> d.decode(buf("$" + "1".repeat(40))))
        .isInstanceOfSatisfying(RespProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LINE_TOO_LONG));
  }

  @Test
  void garbledLengthsAreRefused() {
    for (String bad : List.of("$12a\r\n", "$\r\n", "$+5\r\n", "$-2\r\n", "*-5\r\n", "$ 5\r\n", "*99999999999999999999\r\n",
        "%-1\r\n", "=-1\r\n", ":12x\r\n")) {
      assertThatThrownBy(() -> new RespDecoder(RedisLimits.defaults()).decode(buf(bad)))
          .as(bad)
          .isInstanceOfSatisfying(RespProtocolException.class,
              e -> assertThat(e.reason()).isIn(Reason.MALFORMED_LENGTH, Reason.MALFORMED_VALUE));
    }
  }

  @Test
  void malformedValuesAreRefused() {
    for (String bad : List.of("#x\r\n", ",Infinity\r\n", ",1.5f\r\n", "_x\r\n", "(12a\r\n", "=2\r\nab\r\n", "$3\r\nabcde\r\n", "+OK\n")) {
      assertThatThrownBy(() -> new RespDecoder(RedisLimits.defaults()).decode(buf(bad)))
          .as(bad)
          .isInstanceOfSatisfying(RespProtocolException.class,
              e -> assertThat(e.reason()).isIn(Reason.MALFORMED_VALUE, Reason.MISSING_CRLF));
    }
  }

  @Test
  void unknownAndStreamedTypesAreRefused() {
    assertThatThrownBy(() -> new RespDecoder(RedisLimits.defaults()).decode(buf("HTTP/1.1 200 OK\r\n")))
        .isInstanceOfSatisfying(RespProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE));
    assertThatThrownBy(() -> new RespDecoder(RedisLimits.defaults()).decode(buf("$?\r\n;4\r\nabcd\r\n;0\r\n")))
        .isInstanceOfSatisfying(RespProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_LENGTH));
    assertThatThrownBy(() -> new RespDecoder(RedisLimits.defaults()).decode(buf("?\r\n")))
        .isInstanceOfSatisfying(RespProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_TYPE));
  }

  @Test
  void replyLargerThanTheReplyLimitIsRefusedEvenWhenEachElementFits() {
    RespDecoder d = new RespDecoder(SMALL.withMaxReplyBytes(4096).withMaxAggregateElements(100));
    String element = "$1000\r\n" + "x".repeat(1000) + "\r\n";
    assertThatThrownBy(() -> d.decode(buf("*10\r\n" + element.repeat(10))))
        .isInstanceOfSatisfying(RespProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REPLY_TOO_LARGE));
    assertThat(d.allocatedBytes()).isLessThanOrEqualTo(4096);
  }

  @Test
  void aFailedDecoderStaysFailed() {
    RespDecoder d = new RespDecoder(RedisLimits.defaults());
    assertThatThrownBy(() -> d.decode(buf("$x\r\n"))).isInstanceOf(RespProtocolException.class);
    assertThatThrownBy(() -> d.decode(buf("+OK\r\n")))
        .isInstanceOfSatisfying(RespProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_LENGTH));
  }

  @Test
  void limitsRejectNonPositiveValues() {
    assertThatThrownBy(() -> RedisLimits.defaults().withMaxNestingDepth(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(RedisLimits.defaults()).isEqualTo(new RedisLimits(16 << 20, 1_000_000, 64, 64 << 10, 64L << 20));
  }
}
