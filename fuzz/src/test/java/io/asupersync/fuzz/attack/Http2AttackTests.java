package io.asupersync.fuzz.attack;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.fuzz.H2Wire;
import io.asupersync.protocols.http.RejectionReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 attacks over h2c (prior knowledge) on a running server: each asserts the server's answer on
 * the wire (GOAWAY or RST_STREAM with the code RFC 9113 and the limits call for), that a normal client
 * on another connection is served while the attacking connection is open and after, and that the heap
 * stayed within the bound.
 */
class Http2AttackTests {

  private static final int ES = H2Wire.END_STREAM, EH = H2Wire.END_HEADERS;
  private static final byte[] GET = H2Wire.request("GET", "t");

  private static Target target;

  @BeforeAll
  static void start() {
    target = new Target();
  }

  @AfterAll
  static void stop() {
    target.close();
  }

  @AfterEach
  void normalClientStillServedAndHeapBounded() {
    target.assertServed();
    target.assertHeapBounded();
  }

  private static H2Session open() throws IOException {
    return new H2Session(target.connect());
  }

  private static long rejected(RejectionReason... reasons) {
    long n = 0;
    for (RejectionReason r : reasons) {
      n += target.server.rejections().get(r);
    }
    return n;
  }

  @Test
  void rapidResetGetsGoAwayEnhanceYourCalm() throws Exception {
    long before = rejected(RejectionReason.RAPID_RESET);
    try (H2Session h2 = open()) {
      H2Wire w = new H2Wire();
      for (int i = 0; i < 100; i++) {
        w.headers(1 + 2 * i, EH, GET).rst(1 + 2 * i, 0x8);
      }
      h2.send(w);
      target.assertServed();
      assertThat(h2.awaitGoAway()).isEqualTo(H2Session.ENHANCE_YOUR_CALM);
    }
    assertThat(rejected(RejectionReason.RAPID_RESET)).isGreaterThan(before);
  }

  @Test
  void madeYouResetGetsGoAwayEnhanceYourCalm() throws Exception {
    try (H2Session h2 = open()) {
      H2Wire w = new H2Wire();
      for (int i = 0; i < 100; i++) {
        // a WINDOW_UPDATE of 0 on an open stream is a stream error: the client makes the server reset
        w.headers(1 + 2 * i, EH, H2Wire.request("POST", "t")).windowUpdate(1 + 2 * i, 0);
      }
      h2.send(w);
      target.assertServed();
      assertThat(h2.awaitGoAway()).isEqualTo(H2Session.ENHANCE_YOUR_CALM);
    }
  }

  @Test
  void continuationFloodOfEmptyFramesGetsGoAway() throws Exception {
    long before = rejected(RejectionReason.CONTINUATION_FLOOD);
    try (H2Session h2 = open()) {
      H2Wire w = new H2Wire().headers(1, ES, GET);
      for (int i = 0; i < 1000; i++) {
        w.frame(H2Wire.CONTINUATION, 0, 1, new byte[0]);
      }
      h2.send(w);
      target.assertServed();
      assertThat(h2.awaitGoAway()).isEqualTo(H2Session.ENHANCE_YOUR_CALM);
    }
    assertThat(rejected(RejectionReason.CONTINUATION_FLOOD)).isGreaterThan(before);
  }

  @Test
  void neverEndingHeaderBlockGetsGoAwayBeforeItIsBuffered() throws Exception {
    try (H2Session h2 = open()) {
      H2Wire w = new H2Wire().headers(1, ES, GET);
      for (int i = 0; i < 8; i++) {
        w.frame(H2Wire.CONTINUATION, 0, 1, filler(4000));
      }
      h2.send(w);
      target.assertServed();
      // Netty's reader refuses a block past 1.25 x maxHeaderListBytes (PROTOCOL_ERROR) before our
      // guard's maxHeaderFragmentBytes (ENHANCE_YOUR_CALM) is reached with these limits; either way the
      // block is never buffered whole
      assertThat(h2.awaitGoAway()).isIn(H2Session.PROTOCOL_ERROR, H2Session.ENHANCE_YOUR_CALM);
    }
  }

  @Test
  void headerBlockThatNeverEndsInTimeGetsGoAway() throws Exception {
    long before = rejected(RejectionReason.CONTINUATION_TIMEOUT);
    try (H2Session h2 = open()) {
      h2.send(new H2Wire().headers(1, ES, GET).frame(H2Wire.CONTINUATION, 0, 1, new byte[0]));
      target.assertServed();
      assertThat(h2.awaitGoAway()).isEqualTo(H2Session.ENHANCE_YOUR_CALM);
    }
    assertThat(rejected(RejectionReason.CONTINUATION_TIMEOUT)).isGreaterThan(before);
  }

  @Test
  void hpackBombIsRefusedWithoutExpandingIt() throws Exception {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(GET);
    H2Wire.indexedLiteral(block, "x-bomb", "z".repeat(3000));
    for (int i = 0; i < 1000; i++) {
      block.write(0x80 | 62); // the 3000-byte entry again: 3 MB from 4 KB
    }
    try (H2Session h2 = open()) {
      h2.send(new H2Wire().headers(1, ES | EH, block.toByteArray()));
      target.assertServed();
      H2Wire.Frame answer = h2.readUntil(f -> f.type() == H2Wire.RST_STREAM || f.type() == H2Wire.GOAWAY || f.type() == H2Wire.HEADERS);
      assertThat(answer).as("the server refuses the stream or the connection").isNotNull();
      if (answer.type() == H2Wire.HEADERS) {
        assertThat(h2.received).as("a 431 answer").isNotEmpty(); // Netty answers an over-long list with 431
      } else {
        int code = H2Wire.int32At(answer.payload(), answer.type() == H2Wire.GOAWAY ? 4 : 0);
        assertThat(code).as("error code").isNotEqualTo(H2Session.NO_ERROR);
      }
    }
  }

  @Test
  void settingsFloodIsClosedAsAFlood() throws Exception {
    long before = rejected(RejectionReason.CONTROL_FRAME_FLOOD, RejectionReason.FLOOD);
    flood(new H2Wire().settings());
    assertThat(rejected(RejectionReason.CONTROL_FRAME_FLOOD, RejectionReason.FLOOD)).isGreaterThan(before);
  }

  @Test
  void pingFloodIsClosedAsAFlood() throws Exception {
    long before = rejected(RejectionReason.CONTROL_FRAME_FLOOD, RejectionReason.FLOOD);
    flood(new H2Wire().ping(42));
    assertThat(rejected(RejectionReason.CONTROL_FRAME_FLOOD, RejectionReason.FLOOD)).isGreaterThan(before);
  }

  /**
   * Writes {@code frame} over and over without reading the acknowledgements, until the server closes
   * the connection; the acks pile up on the server's side until its control-frame limit closes it.
   */
  private static void flood(H2Wire frame) throws Exception {
    byte[] one = frame.bytes();
    byte[] batch = new byte[one.length * 4096];
    for (int i = 0; i < 4096; i++) {
      System.arraycopy(one, 0, batch, i * one.length, one.length);
    }
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(4096);
      s.connect(target.address(), 5000);
      s.setSoTimeout(10_000);
      H2Session h2 = new H2Session(s);
      OutputStream out = s.getOutputStream();
      long written = 0;
      boolean closedByServer = false;
      try {
        while (written < 256L * 1024 * 1024) {
          out.write(batch);
          written += batch.length;
          if (written % (batch.length * 64L) == 0) {
            target.assertServed();
          }
        }
      } catch (IOException e) {
        closedByServer = true;
      }
      assertThat(closedByServer).as("the server closed the flooding connection (after %d bytes)", written).isTrue();
      h2.awaitGoAway(); // whatever of the answer is still readable
    }
  }

  @Test
  void windowUpdateOverflowGetsGoAwayFlowControlError() throws Exception {
    try (H2Session h2 = open()) {
      h2.send(new H2Wire().windowUpdate(0, 0x7fffffff).windowUpdate(0, 0x7fffffff));
      target.assertServed();
      assertThat(h2.awaitGoAway()).isEqualTo(H2Session.FLOW_CONTROL_ERROR);
    }
  }

  @Test
  void exhaustedStreamIdsGetGoAwayAfterTheLastStream() throws Exception {
    try (H2Session h2 = open()) {
      h2.send(new H2Wire().headers(0x7fffffff, ES | EH, GET));
      target.assertServed();
      H2Wire.Frame goAway = h2.readUntil(f -> f.type() == H2Wire.GOAWAY);
      assertThat(goAway).as("GOAWAY once stream ids are used up").isNotNull();
      assertThat(H2Wire.int32At(goAway.payload(), 0)).as("last stream id").isEqualTo(0x7fffffff);
    }
  }

  @Test
  void missingPseudoHeaderGetsStreamResetAndTheConnectionServesOn() throws Exception {
    try (H2Session h2 = open()) {
      byte[] noPath = {(byte) 0x82, (byte) 0x86, 0x01, 0x01, 't'};
      h2.send(new H2Wire().headers(1, ES | EH, noPath));
      target.assertServed();
      assertThat(h2.awaitReset(1)).isEqualTo(H2Session.PROTOCOL_ERROR);
      h2.send(new H2Wire().headers(3, ES | EH, GET));
      assertThat(h2.awaitStatus(3)).isEqualTo(200);
    }
  }

  @Test
  void duplicatedPseudoHeaderGetsStreamResetAndTheConnectionServesOn() throws Exception {
    try (H2Session h2 = open()) {
      byte[] twoMethods = new byte[GET.length + 1];
      twoMethods[0] = (byte) 0x83; // :method POST, then the whole GET block with its own :method
      System.arraycopy(GET, 0, twoMethods, 1, GET.length);
      h2.send(new H2Wire().headers(1, ES | EH, twoMethods));
      target.assertServed();
      assertThat(h2.awaitReset(1)).isEqualTo(H2Session.PROTOCOL_ERROR);
      h2.send(new H2Wire().headers(3, ES | EH, GET));
      assertThat(h2.awaitStatus(3)).isEqualTo(200);
    }
  }

  private static byte[] filler(int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) 0x82);
    return b;
  }
}
