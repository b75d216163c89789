package io.asupersync.channel;

import static io.asupersync.channel.ChannelAssertions.assertChannelClosed;
import static io.asupersync.testutil.Await.outcome;
import static io.asupersync.testutil.Await.until;
import static io.asupersync.testutil.Await.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.LeakResponse;
import io.asupersync.ObligationKind;
import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.testutil.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class OneshotTests {

  private Runtime runtime = Await.runtime(LeakResponse.PANIC);

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  @Test
  void recvWaitsForTheReservedSendAndReturnsTheValue() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    CountDownLatch sendNow = new CountDownLatch(1);
    TaskHandle<Outcome<Object>> worker =
        runtime.spawn(
            "worker",
            cx -> {
              SendPermit<String> permit = reply.reserve(cx);
              assertThat(sendNow.await(10, TimeUnit.SECONDS)).isTrue();
              permit.send("done");
              return null;
            });
    TaskHandle<Outcome<String>> receiver = runtime.spawn("receiver", reply::recv);
    until("the receiver waits", () -> reply.waitingReceivers() == 1);
    sendNow.countDown();
    assertThat(outcome(worker).isOk()).isTrue();
    assertThat(outcome(receiver)).isEqualTo(Outcome.ok("done"));
  }

  @Test
  void abortedPermitWakesTheReceiverWithChannelClosed() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    CountDownLatch abortNow = new CountDownLatch(1);
    runtime.spawn(
        "worker",
        cx -> {
          SendPermit<String> permit = reply.reserve(cx);
          assertThat(abortNow.await(10, TimeUnit.SECONDS)).isTrue();
          permit.abort();
          return null;
        });
    TaskHandle<Outcome<String>> receiver = runtime.spawn("receiver", reply::recv);
    until("the receiver waits", () -> reply.waitingReceivers() == 1);
    abortNow.countDown();
    assertChannelClosed(outcome(receiver));
  }

  @Test
  void senderCancelledWhileHoldingThePermitWakesTheReceiverWithChannelClosed() throws Exception {
    runtime.close();
    runtime = Await.runtime(LeakResponse.SILENT);
    Oneshot<String> reply = Oneshot.create();
    TaskHandle<Outcome<Object>> worker =
        runtime.spawn(
            "worker",
            cx -> {
              SendPermit<String> permit = reply.reserve(cx);
              cx.sleep(Duration.ofSeconds(30));
              permit.send("too late");
              return null;
            });
    TaskHandle<Outcome<String>> receiver = runtime.spawn("receiver", reply::recv);
    until("the receiver waits", () -> reply.waitingReceivers() == 1);
    until("the worker reserved", () -> !runtime.snapshot().obligations().isEmpty());

    worker.cancel(user("cancel the worker"));

    assertThat(outcome(worker)).isInstanceOf(Outcome.Cancelled.class);
    assertChannelClosed(outcome(receiver));
    assertThat(runtime.snapshot().leaks())
        .singleElement()
        .satisfies(l -> assertThat(l.obligation().kind()).isEqualTo(ObligationKind.SEND_PERMIT));
  }

  @Test
  void cancelledRecvLeavesTheValueForTheNextRecv() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    TaskHandle<Outcome<String>> receiver = runtime.spawn("receiver", reply::recv);
    until("the receiver waits", () -> reply.waitingReceivers() == 1);
    receiver.cancel(user("stop"));
    assertThat(outcome(receiver)).isInstanceOf(Outcome.Cancelled.class);

    reply.send("kept");

    assertThat(runtime.run(reply::recv)).isEqualTo(Outcome.ok("kept"));
  }

  @Test
  void onlyOneSendIsAllowed() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    reply.send("first");
    assertThatThrownBy(() -> reply.send("second")).isInstanceOf(IllegalStateException.class);
    assertThat(runtime.run(cx -> reply.reserve(cx))).isInstanceOfSatisfying(
        Outcome.Panicked.class, p -> assertThat(p.cause()).isInstanceOf(IllegalStateException.class));
    assertThat(reply.tryRecv()).isEqualTo("first");
  }

  @Test
  void valueIsReceivedOnlyOnce() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    assertThat(reply.tryRecv()).isNull();
    reply.send("once");
    assertThat(reply.tryRecv()).isEqualTo("once");
    assertThatThrownBy(reply::tryRecv).isInstanceOf(ChannelClosedException.class);
    assertThat(reply.isClosed()).isTrue();
  }

  @Test
  void concurrentReceiversGetTheValueExactlyOnce() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    TaskHandle<Outcome<String>> a = runtime.spawn("a", reply::recv);
    TaskHandle<Outcome<String>> b = runtime.spawn("b", reply::recv);
    until("both receivers wait", () -> reply.waitingReceivers() == 2);
    reply.send("v");
    Outcome<String> oa = outcome(a);
    Outcome<String> ob = outcome(b);
    assertThat(oa.isOk() ^ ob.isOk()).as("%s / %s", oa, ob).isTrue();
    assertThat(oa.isOk() ? oa : ob).isEqualTo(Outcome.ok("v"));
    assertChannelClosed(oa.isOk() ? ob : oa);
  }

  @Test
  void closeByTheReceiverRejectsLaterSendsButKeepsAnOutstandingPermit() throws Exception {
    Oneshot<String> unwanted = Oneshot.create();
    unwanted.close();
    assertThatThrownBy(() -> unwanted.send("x")).isInstanceOf(ChannelClosedException.class);
    assertThatThrownBy(unwanted::tryRecv).isInstanceOf(ChannelClosedException.class);

    Oneshot<String> reply = Oneshot.create();
    Outcome<Object> o =
        runtime.run(
            cx -> {
              SendPermit<String> permit = reply.reserve(cx);
              reply.close();
              assertThat(reply.tryRecv()).isNull();
              permit.send("still delivered");
              return null;
            });
    assertThat(o.isOk()).isTrue();
    assertThat(reply.tryRecv()).isEqualTo("still delivered");
  }

  @Test
  void closeWakesAReceiverWhenNoSendIsReserved() throws Exception {
    Oneshot<String> reply = Oneshot.create();
    TaskHandle<Outcome<String>> receiver = runtime.spawn("receiver", reply::recv);
    until("the receiver waits", () -> reply.waitingReceivers() == 1);
    reply.close();
    assertChannelClosed(outcome(receiver));
  }

  @Test
  void cancelRacingASendEitherReturnsTheValueOrLeavesIt() throws Exception {
    Random random = new Random(13);
    for (int i = 0; i < 200; i++) {
      Oneshot<Integer> reply = Oneshot.create();
      TaskHandle<Outcome<Integer>> receiver = runtime.spawn("receiver", reply::recv);
      until("the receiver waits", () -> reply.waitingReceivers() == 1);
      if (random.nextBoolean()) {
        reply.send(i);
        receiver.cancel(user("race"));
      } else {
        receiver.cancel(user("race"));
        reply.send(i);
      }
      Outcome<Integer> o = outcome(receiver);
      if (o instanceof Outcome.Cancelled) {
        assertThat(reply.tryRecv()).as("round %d: the value is still there", i).isEqualTo(i);
      } else {
        assertThat(o).isEqualTo(Outcome.ok(i));
      }
    }
  }
}
