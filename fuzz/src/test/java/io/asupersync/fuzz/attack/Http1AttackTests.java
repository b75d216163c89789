package io.asupersync.fuzz.attack;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.protocols.http.RejectionReason;
import java.net.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 attacks on a running server: each sends the attack on its own connection while it is open
 * checks that a normal client is served, then asserts the answer on the wire, the rejection counter,
 * that the normal client is still served, and that the heap did not grow beyond the bound.
 */
class Http1AttackTests {

  private static Target target;

  @BeforeAll
  static void start() {
    target = new Target();
  }

  @AfterAll
  static void stop() {
    target.close();
  }

  /** Sends {@code attack}, checks a normal client meanwhile, returns the attacker's whole answer. */
  private static String attack(String attack) throws Exception {
    try (Socket s = target.connect()) {
      Target.write(s, attack);
      target.assertServed();
      String answer = Target.readAll(s);
      target.assertServed();
      target.assertHeapBounded();
      return answer;
    }
  }

  private static long rejected(RejectionReason reason) {
    return target.server.rejections().get(reason);
  }

  @Test
  void contentLengthWithTransferEncodingIsRejectedSoNothingIsSmuggled() throws Exception {
    long before = rejected(RejectionReason.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
    String answer = attack("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 400 ").contains("connection: close");
    assertThat(answer.split("HTTP/1.1 ", -1)).as("one answer: the smuggled request is never read").hasSize(2);
    assertThat(rejected(RejectionReason.CONTENT_LENGTH_WITH_TRANSFER_ENCODING)).isEqualTo(before + 1);
  }

  @Test
  void duplicateContentLengthIsRejected() throws Exception {
    long before = rejected(RejectionReason.DUPLICATE_CONTENT_LENGTH);
    String answer = attack("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 10\r\n\r\nabcGET / HTTP/1.1\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 400 ");
    assertThat(answer.split("HTTP/1.1 ", -1)).hasSize(2);
    assertThat(rejected(RejectionReason.DUPLICATE_CONTENT_LENGTH)).isEqualTo(before + 1);
  }

  @Test
  void oversizeRequestLineGets414() throws Exception {
    assertThat(attack("GET /" + "a".repeat(4000) + " HTTP/1.1\r\nHost: t\r\n\r\n")).startsWith("HTTP/1.1 414 ");
  }

  @Test
  void oversizeHeadersGet431() throws Exception {
    assertThat(attack("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + "b".repeat(100_000) + "\r\n\r\n")).startsWith("HTTP/1.1 431 ");
  }

  @Test
  void tooManyHeadersGet431() throws Exception {
    long before = rejected(RejectionReason.TOO_MANY_HEADERS);
    assertThat(attack("GET / HTTP/1.1\r\nHost: t\r\n" + "X-N: 1\r\n".repeat(40) + "\r\n")).startsWith("HTTP/1.1 431 ");
    assertThat(rejected(RejectionReason.TOO_MANY_HEADERS)).isEqualTo(before + 1);
  }

  @Test
  void oversizeDeclaredBodyGets413BeforeAnyByteIsRead() throws Exception {
    assertThat(attack("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000000\r\n\r\n")).startsWith("HTTP/1.1 413 ");
  }

  @Test
  void oversizeChunkedBodyGets413() throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      body.append("400\r\n").append("x".repeat(1024)).append("\r\n");
    }
    assertThat(attack("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + body + "0\r\n\r\n")).startsWith("HTTP/1.1 413 ");
  }

  @Test
  void slowlorisGets408AndIsClosed() throws Exception {
    long before = rejected(RejectionReason.HEADER_READ_TIMEOUT);
    try (Socket s = target.connect()) {
      Target.write(s, "GET / HTTP/1.1\r\nHost: t\r\n");
      // one more header byte now and then, never the end of the head
      for (int i = 0; i < 3; i++) {
        Target.write(s, "X-" + i + ": 1\r\n");
        target.assertServed();
      }
      String answer = Target.readAll(s);
      assertThat(answer).startsWith("HTTP/1.1 408 ");
    }
    assertThat(rejected(RejectionReason.HEADER_READ_TIMEOUT)).isEqualTo(before + 1);
    target.assertServed();
    target.assertHeapBounded();
  }
}
