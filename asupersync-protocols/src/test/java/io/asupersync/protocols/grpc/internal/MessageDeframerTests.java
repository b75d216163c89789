package io.asupersync.protocols.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.protocols.grpc.GrpcStatusException;
import io.asupersync.protocols.grpc.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class MessageDeframerTests {

  private static final int LIMIT = 1024;

  private final List<byte[]> messages = new ArrayList<>();

  @Test
  void messagesSplitAnywhereAreReassembled() throws Exception {
    byte[] stream = concat(frame("hello".getBytes(StandardCharsets.US_ASCII), false), frame(new byte[0], false), frame(new byte[700], false));
    for (int cut = 0; cut <= stream.length; cut++) {
      messages.clear();
      MessageDeframer deframer = new MessageDeframer(LIMIT, null);
      deframer.feed(Unpooled.wrappedBuffer(stream, 0, cut), messages::add);
      deframer.feed(Unpooled.wrappedBuffer(stream, cut, stream.length - cut), messages::add);
      deframer.endOfStream();
      assertThat(messages).as("cut at %d", cut).hasSize(3);
      assertThat(new String(messages.get(0), StandardCharsets.US_ASCII)).isEqualTo("hello");
      assertThat(messages.get(1)).isEmpty();
      assertThat(messages.get(2)).hasSize(700);
    }
  }

  @Test
  void byteByByteFeedingWorks() throws Exception {
    byte[] stream = frame(new byte[300], false);
    MessageDeframer deframer = new MessageDeframer(LIMIT, null);
    for (byte b : stream) {
      deframer.feed(Unpooled.wrappedBuffer(new byte[] {b}), messages::add);
    }
    assertThat(messages).singleElement().satisfies(m -> assertThat(m).hasSize(300));
    assertThat(deframer.isIdle()).isTrue();
  }

  @Test
  void announcedLengthOverTheLimitIsResourceExhaustedBeforeAnyBody() {
    MessageDeframer deframer = new MessageDeframer(LIMIT, null);
    ByteBuf header = Unpooled.buffer().writeByte(0).writeInt(LIMIT + 1);
    assertStatus(() -> deframer.feed(header, messages::add), StatusCode.RESOURCE_EXHAUSTED);
    // Failure is final.
    assertStatus(() -> deframer.feed(Unpooled.wrappedBuffer(frame(new byte[1], false)), messages::add), StatusCode.RESOURCE_EXHAUSTED);
  }

  @Test
  void hugeAnnouncedLengthIsRefusedWithoutAllocatingIt() {
    MessageDeframer deframer = new MessageDeframer(Integer.MAX_VALUE, null);
    ByteBuf header = Unpooled.buffer().writeByte(0).writeInt(0x7fff_fff0).writeBytes(new byte[10]);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    try {
      deframer.feed(header, messages::add);
    } catch (GrpcStatusException e) {
      throw new AssertionError(e);
    }
    assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(1024 * 1024);
    assertThat(messages).isEmpty();
  }

  @Test
  void exactlyTheLimitIsAccepted() throws Exception {
    MessageDeframer deframer = new MessageDeframer(LIMIT, null);
    deframer.feed(Unpooled.wrappedBuffer(frame(new byte[LIMIT], false)), messages::add);
    assertThat(messages).singleElement().satisfies(m -> assertThat(m).hasSize(LIMIT));
  }

  @Test
  void compressedFlagOtherThanZeroOrOneIsInternal() {
    MessageDeframer deframer = new MessageDeframer(LIMIT, "gzip");
    assertStatus(() -> deframer.feed(Unpooled.buffer().writeByte(2).writeInt(0), messages::add), StatusCode.INTERNAL);
  }

  @Test
  void compressedMessageWithoutEncodingIsInternal() {
    byte[] gz = frame("x".getBytes(StandardCharsets.US_ASCII), true);
    assertStatus(() -> new MessageDeframer(LIMIT, null).feed(Unpooled.wrappedBuffer(gz), messages::add), StatusCode.INTERNAL);
    assertStatus(() -> new MessageDeframer(LIMIT, "identity").feed(Unpooled.wrappedBuffer(gz), messages::add), StatusCode.INTERNAL);
  }

  @Test
  void compressedMessageInAnUnknownEncodingIsUnimplemented() {
    byte[] gz = frame("x".getBytes(StandardCharsets.US_ASCII), true);
    assertStatus(() -> new MessageDeframer(LIMIT, "snappy").feed(Unpooled.wrappedBuffer(gz), messages::add), StatusCode.UNIMPLEMENTED);
  }

  @Test
  void uncompressedMessagesPassWhateverTheDeclaredEncoding() throws Exception {
    new MessageDeframer(LIMIT, "snappy").feed(Unpooled.wrappedBuffer(frame(new byte[3], false)), messages::add);
    assertThat(messages).hasSize(1);
  }

  @Test
  void gzipMessagesInflate() throws Exception {
    byte[] text = "ping ".repeat(100).getBytes(StandardCharsets.US_ASCII);
    new MessageDeframer(LIMIT, "gzip").feed(Unpooled.wrappedBuffer(frame(text, true)), messages::add);
    assertThat(messages).singleElement().isEqualTo(text);
  }

  @Test
  void gzipBombStopsAtTheLimit() throws Exception {
    byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
    assertThat(bomb.length).isLessThan(LIMIT * 256);
    MessageDeframer deframer = new MessageDeframer(bomb.length + 10, "gzip");
    ByteBuf framed = Unpooled.buffer().writeByte(1).writeInt(bomb.length).writeBytes(bomb);
    assertStatus(() -> deframer.feed(framed, messages::add), StatusCode.RESOURCE_EXHAUSTED);
  }

  @Test
  void corruptGzipIsInternal() {
    ByteBuf framed = Unpooled.buffer().writeByte(1).writeInt(4).writeBytes(new byte[] {1, 2, 3, 4});
    assertStatus(() -> new MessageDeframer(LIMIT, "gzip").feed(framed, messages::add), StatusCode.INTERNAL);
  }

  @Test
  void endOfStreamInsideAMessageIsInternal() throws Exception {
    MessageDeframer deframer = new MessageDeframer(LIMIT, null);
    byte[] framed = frame(new byte[10], false);
    deframer.feed(Unpooled.wrappedBuffer(framed, 0, 7), messages::add);
    assertThat(deframer.isIdle()).isFalse();
    assertStatus(deframer::endOfStream, StatusCode.INTERNAL);
  }

  @Test
  void endOfStreamInsideAHeaderIsInternal() throws Exception {
    MessageDeframer deframer = new MessageDeframer(LIMIT, null);
    deframer.feed(Unpooled.wrappedBuffer(new byte[] {0, 0}), messages::add);
    assertStatus(deframer::endOfStream, StatusCode.INTERNAL);
  }

  @Test
  void framerRefusesOversizeMessagesAndRoundTripsGzip() throws Exception {
    assertStatus(() -> MessageFramer.frame(ByteBufAllocator.DEFAULT, new byte[LIMIT + 1], LIMIT, false), StatusCode.RESOURCE_EXHAUSTED);
    byte[] text = "abc".repeat(50).getBytes(StandardCharsets.US_ASCII);
    ByteBuf framed = MessageFramer.frame(ByteBufAllocator.DEFAULT, text, LIMIT, true);
    try {
      assertThat(framed.getByte(0)).isEqualTo((byte) 1);
      assertThat(framed.getInt(1)).isEqualTo(framed.readableBytes() - 5);
      new MessageDeframer(LIMIT, "gzip").feed(framed, messages::add);
    } finally {
      framed.release();
    }
    assertThat(messages).singleElement().isEqualTo(text);
  }

  private static void assertStatus(ThrowingCallable call, StatusCode code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(GrpcStatusException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  static byte[] frame(byte[] message, boolean gzip) {
    try {
      ByteBuf buf = MessageFramer.frame(ByteBufAllocator.DEFAULT, message, Integer.MAX_VALUE, gzip);
      try {
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
      } finally {
        buf.release();
      }
    } catch (GrpcStatusException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    byte[] all = new byte[0];
    for (byte[] p : parts) {
      int at = all.length;
      all = Arrays.copyOf(all, at + p.length);
      System.arraycopy(p, 0, all, at, p.length);
    }
    return all;
  }
}
