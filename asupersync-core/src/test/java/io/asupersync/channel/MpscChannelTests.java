package io.asupersync.channel;

import static io.asupersync.channel.ChannelAssertions.assertChannelClosed;
import static io.asupersync.testutil.Await.outcome;
import static io.asupersync.testutil.Await.until;
import static io.asupersync.testutil.Await.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.Budget;
import io.asupersync.CancelKind;
import io.asupersync.LeakResponse;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationLeakException;
import io.asupersync.ObligationState;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(20)
class MpscChannelTests {

  private Runtime runtime = Await.runtime(LeakResponse.PANIC);

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  @Test
  void reservedPermitSendDeliversInFifoOrder() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(4);
    Outcome<Object> sent =
        runtime.run(
            cx -> {
              SendPermit<Long> a = ch.reserve(cx);
              SendPermit<Long> b = ch.reserve(cx);
              assertThat(ch.reservedSlots()).isEqualTo(2);
              b.send(2L); // reserved second, sent first: the queue orders by send
              a.send(1L);
              ch.send(cx, 3L);
              assertThat(a.state()).isEqualTo(ObligationState.COMMITTED);
              return null;
            });
    assertThat(sent.isOk()).isTrue();
    assertThat(ch.reservedSlots()).isZero();
    assertThat(ch.tryRecv()).isEqualTo(2L);
    assertThat(ch.tryRecv()).isEqualTo(1L);
    assertThat(ch.tryRecv()).isEqualTo(3L);
    assertThat(ch.tryRecv()).isNull();
  }

  @Test
  void reserveWaitsUntilReceiveFreesASlot() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    assertThat(ch.trySend(1L)).isTrue();
    TaskHandle<Outcome<Object>> sender =
        runtime.spawn(
            "sender",
            cx -> {
              ch.reserve(cx).send(2L);
              return null;
            });
    until("the sender waits for a slot", () -> ch.waitingSenders() == 1);
    assertThat(sender.isDone()).isFalse();
    assertThat(ch.tryRecv()).isEqualTo(1L);
    assertThat(outcome(sender).isOk()).isTrue();
    assertThat(ch.tryRecv()).isEqualTo(2L);
  }

  @Test
  void waitingSendersAreServedInArrivalOrder() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    assertThat(ch.trySend(0L)).isTrue();
    for (long id = 1; id <= 3; id++) {
      long message = id;
      runtime.spawn(
          "sender-" + id,
          cx -> {
            ch.send(cx, message);
            return null;
          });
      int queued = (int) id;
      until(queued + " senders wait", () -> ch.waitingSenders() == queued);
    }
    for (long expected = 0; expected <= 3; expected++) {
      until("a message is queued", () -> ch.size() == 1);
      assertThat(ch.tryRecv()).isEqualTo(expected);
    }
  }

  @Test
  void cancelledReserveLeavesNoReservedSlot() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    assertThat(ch.trySend(1L)).isTrue();
    TaskHandle<Outcome<SendPermit<Long>>> waiter = runtime.spawn("waiter", ch::reserve);
    until("the waiter is queued", () -> ch.waitingSenders() == 1);

    waiter.cancel(user("stop waiting"));

    assertThat(outcome(waiter)).isInstanceOf(Outcome.Cancelled.class);
    assertThat(ch.waitingSenders()).isZero();
    assertThat(ch.reservedSlots()).isZero();
    assertThat(ch.tryRecv()).isEqualTo(1L);
    // The freed slot was not handed to the cancelled waiter: it is free for anyone.
    assertThat(ch.reservedSlots()).isZero();
    assertThat(ch.trySend(2L)).isTrue();
  }

  @Test
  void reserveWaitingPastItsScopeDeadlineIsCancelledAndHoldsNothing() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    assertThat(ch.trySend(1L)).isTrue();
    Outcome<Outcome<SendPermit<Long>>> result =
        runtime.run(
            cx -> cx.scope(RegionPolicy.FAIL_FAST, Budget.timeout(cx.now(), Duration.ofMillis(30)), ch::reserve));
    Outcome<SendPermit<Long>> scoped = result.orThrow();
    assertThat(scoped).isInstanceOfSatisfying(
        Outcome.Cancelled.class, c -> assertThat(c.reason().kind()).isEqualTo(CancelKind.DEADLINE));
    assertThat(ch.waitingSenders()).isZero();
    assertThat(ch.reservedSlots()).isZero();
  }

  @Test
  void cancelledRecvLosesNoMessage() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(2);
    TaskHandle<Outcome<Long>> receiver = runtime.spawn("receiver", ch::recv);
    until("the receiver waits", ch::hasWaitingReceiver);

    receiver.cancel(user("stop receiving"));
    assertThat(outcome(receiver)).isInstanceOf(Outcome.Cancelled.class);
    assertThat(ch.hasWaitingReceiver()).isFalse();

    assertThat(ch.trySend(7L)).isTrue();
    TaskHandle<Outcome<Long>> next = runtime.spawn("next receiver", ch::recv);
    assertThat(outcome(next)).isEqualTo(Outcome.ok(7L));
  }

  @Test
  void recvInACancelledTaskLeavesTheQueuedMessage() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(2);
    assertThat(ch.trySend(7L)).isTrue();
    Outcome<Long> o =
        runtime.run(
            cx -> {
              cx.cancelScope("cancelled before receiving");
              return ch.recv(cx);
            });
    assertThat(o).isInstanceOf(Outcome.Cancelled.class);
    assertThat(ch.size()).isEqualTo(1);
    assertThat(ch.tryRecv()).isEqualTo(7L);
  }

  @Test
  void abortedPermitFreesItsSlot() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    Outcome<Boolean> o =
        runtime.run(
            cx -> {
              SendPermit<Long> permit = ch.reserve(cx);
              assertThat(ch.trySend(1L)).isFalse();
              permit.abort();
              assertThat(permit.state()).isEqualTo(ObligationState.ABORTED);
              return ch.trySend(2L);
            });
    assertThat(o).isEqualTo(Outcome.ok(true));
    assertThat(ch.reservedSlots()).isZero();
    assertThat(ch.tryRecv()).isEqualTo(2L);
    assertThat(ch.tryRecv()).isNull();
  }

  @Test
  void abortedPermitHandsItsSlotToAWaitingSender() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    CountDownLatch abortNow = new CountDownLatch(1);
    TaskHandle<Outcome<Object>> holder =
        runtime.spawn(
            "holder",
            cx -> {
              SendPermit<Long> permit = ch.reserve(cx);
              assertThat(abortNow.await(10, TimeUnit.SECONDS)).isTrue();
              permit.abort();
              return null;
            });
    until("the holder reserved", () -> ch.reservedSlots() == 1);
    TaskHandle<Outcome<Object>> sender =
        runtime.spawn(
            "sender",
            cx -> {
              ch.send(cx, 9L);
              return null;
            });
    until("the sender waits", () -> ch.waitingSenders() == 1);
    abortNow.countDown();
    assertThat(outcome(holder).isOk()).isTrue();
    assertThat(outcome(sender).isOk()).isTrue();
    assertThat(ch.tryRecv()).isEqualTo(9L);
    assertThat(ch.reservedSlots()).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = LeakResponse.class, names = {"SILENT", "RECOVER", "PANIC"})
  void leakedPermitFreesItsSlotAndHandsItToAWaitingSender(LeakResponse response) throws Exception {
    runtime.close();
    runtime = Await.runtime(response);
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    CountDownLatch endNow = new CountDownLatch(1);
    TaskHandle<Outcome<String>> leaker =
        runtime.spawn(
            "leaker",
            cx -> {
              ch.reserve(cx); // never sent nor aborted
              assertThat(endNow.await(10, TimeUnit.SECONDS)).isTrue();
              return "ended holding a permit";
            });
    until("the leaker reserved", () -> ch.reservedSlots() == 1);
    TaskHandle<Outcome<Object>> sender =
        runtime.spawn(
            "sender",
            cx -> {
              ch.send(cx, 5L);
              return null;
            });
    until("the sender waits", () -> ch.waitingSenders() == 1);

    endNow.countDown();

    Outcome<String> leaked = outcome(leaker);
    if (response == LeakResponse.PANIC) {
      assertThat(leaked).isInstanceOfSatisfying(
          Outcome.Panicked.class, p -> assertThat(p.cause()).isInstanceOf(ObligationLeakException.class));
    } else {
      assertThat(leaked.isOk()).isTrue();
    }
    assertThat(outcome(sender).isOk()).isTrue();
    assertThat(ch.tryRecv()).isEqualTo(5L);
    assertThat(ch.reservedSlots()).isZero();
    assertThat(runtime.snapshot().leaks())
        .singleElement()
        .satisfies(l -> assertThat(l.obligation().kind()).isEqualTo(ObligationKind.SEND_PERMIT));
  }

  @Test
  void permitHeldByACancelledTaskIsFreedWhenTheTaskEnds() throws Exception {
    runtime.close();
    runtime = Await.runtime(LeakResponse.SILENT);
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    TaskHandle<Outcome<Object>> holder =
        runtime.spawn(
            "holder",
            cx -> {
              SendPermit<Long> permit = ch.reserve(cx);
              cx.sleep(Duration.ofSeconds(30)); // cancelled here, permit in hand
              permit.send(1L);
              return null;
            });
    until("the holder reserved", () -> ch.reservedSlots() == 1);
    holder.cancel(user("cancel the holder"));
    assertThat(outcome(holder)).isInstanceOf(Outcome.Cancelled.class);
    assertThat(ch.reservedSlots()).isZero();
    assertThat(ch.size()).isZero();
    assertThat(ch.trySend(2L)).isTrue();
  }

  @Test
  void permitIsSingleUse() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(2);
    Outcome<Object> o =
        runtime.run(
            cx -> {
              SendPermit<Long> permit = ch.reserve(cx);
              permit.send(1L);
              assertThatThrownBy(() -> permit.send(2L)).isInstanceOf(IllegalStateException.class);
              assertThatThrownBy(permit::abort).isInstanceOf(IllegalStateException.class);
              return null;
            });
    assertThat(o.isOk()).isTrue();
    assertThat(ch.size()).isEqualTo(1);
    assertThat(ch.reservedSlots()).isZero();
  }

  @Test
  void nullMessageLeavesThePermitReserved() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    Outcome<Object> o =
        runtime.run(
            cx -> {
              SendPermit<Long> permit = ch.reserve(cx);
              assertThatThrownBy(() -> permit.send(null)).isInstanceOf(NullPointerException.class);
              assertThat(permit.state()).isEqualTo(ObligationState.RESERVED);
              permit.send(1L);
              return null;
            });
    assertThat(o.isOk()).isTrue();
    assertThatThrownBy(() -> ch.trySend(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void tryOperationsNeverWait() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    Outcome<Object> o =
        runtime.run(
            cx -> {
              assertThat(ch.tryRecv()).isNull();
              SendPermit<Long> permit = ch.tryReserve(cx);
              assertThat(permit).isNotNull();
              assertThat(ch.tryReserve(cx)).isNull();
              assertThat(ch.trySend(2L)).isFalse();
              permit.send(1L);
              return null;
            });
    assertThat(o.isOk()).isTrue();
    assertThat(ch.tryRecv()).isEqualTo(1L);
  }

  @Test
  void closeWakesWaitingSendersWithChannelClosed() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    assertThat(ch.trySend(1L)).isTrue();
    TaskHandle<Outcome<SendPermit<Long>>> waiter = runtime.spawn("waiter", ch::reserve);
    until("the waiter is queued", () -> ch.waitingSenders() == 1);

    ch.close();

    assertChannelClosed(outcome(waiter));
    assertThat(ch.waitingSenders()).isZero();
    assertThat(ch.reservedSlots()).isZero();
    assertThatThrownBy(() -> ch.trySend(2L)).isInstanceOf(ChannelClosedException.class);
    assertChannelClosed(runtime.run(cx -> ch.reserve(cx)));
  }

  @Test
  void receiverDrainsQueuedMessagesAfterCloseThenGetsChannelClosed() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(3);
    assertThat(ch.trySend(1L)).isTrue();
    assertThat(ch.trySend(2L)).isTrue();
    ch.close();
    assertThat(ch.isClosed()).isTrue();
    assertThat(runtime.run(ch::recv)).isEqualTo(Outcome.ok(1L));
    assertThat(ch.tryRecv()).isEqualTo(2L);
    assertThatThrownBy(ch::tryRecv).isInstanceOf(ChannelClosedException.class);
    assertChannelClosed(runtime.run(ch::recv));
  }

  @Test
  void closeWakesAWaitingReceiver() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    TaskHandle<Outcome<Long>> receiver = runtime.spawn("receiver", ch::recv);
    until("the receiver waits", ch::hasWaitingReceiver);
    ch.close();
    assertChannelClosed(outcome(receiver));
  }

  @Test
  void permitReservedBeforeCloseStillDeliversAndKeepsTheReceiverWaiting() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(2);
    CountDownLatch sendNow = new CountDownLatch(1);
    TaskHandle<Outcome<Object>> sender =
        runtime.spawn(
            "sender",
            cx -> {
              SendPermit<Long> permit = ch.reserve(cx);
              assertThat(sendNow.await(10, TimeUnit.SECONDS)).isTrue();
              permit.send(5L);
              return null;
            });
    until("the sender reserved", () -> ch.reservedSlots() == 1);
    ch.close();
    assertThat(ch.tryRecv()).isNull(); // not drained yet: a permit is outstanding
    TaskHandle<Outcome<Long>> receiver = runtime.spawn("receiver", ch::recv);
    until("the receiver waits", ch::hasWaitingReceiver);

    sendNow.countDown();

    assertThat(outcome(sender).isOk()).isTrue();
    assertThat(outcome(receiver)).isEqualTo(Outcome.ok(5L));
    assertThatThrownBy(ch::tryRecv).isInstanceOf(ChannelClosedException.class);
  }

  @Test
  void receiverWaitingAfterCloseGetsChannelClosedWhenTheLastPermitIsAborted() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(2);
    CountDownLatch abortNow = new CountDownLatch(1);
    runtime.spawn(
        "holder",
        cx -> {
          SendPermit<Long> permit = ch.reserve(cx);
          assertThat(abortNow.await(10, TimeUnit.SECONDS)).isTrue();
          permit.abort();
          return null;
        });
    until("the holder reserved", () -> ch.reservedSlots() == 1);
    ch.close();
    TaskHandle<Outcome<Long>> receiver = runtime.spawn("receiver", ch::recv);
    until("the receiver waits", ch::hasWaitingReceiver);

    abortNow.countDown();

    assertChannelClosed(outcome(receiver));
  }

  @Test
  void timedRecvReturnsNullWhenNothingArrives() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    assertThat(runtime.run(cx -> ch.recv(cx, Duration.ofMillis(20)))).isEqualTo(Outcome.ok(null));
    assertThat(ch.hasWaitingReceiver()).isFalse();
  }

  @Test
  void timedRecvReturnsAMessageThatArrivesInTime() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    TaskHandle<Outcome<Long>> receiver =
        runtime.spawn("receiver", cx -> ch.recv(cx, Duration.ofSeconds(30)));
    until("the receiver waits", ch::hasWaitingReceiver);
    assertThat(ch.trySend(3L)).isTrue();
    assertThat(outcome(receiver)).isEqualTo(Outcome.ok(3L));
  }

  @Test
  void secondConcurrentReceiverIsRejected() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(1);
    TaskHandle<Outcome<Long>> first = runtime.spawn("first", ch::recv);
    until("the first receiver waits", ch::hasWaitingReceiver);
    TaskHandle<Outcome<Long>> second = runtime.spawn("second", ch::recv);
    assertThat(outcome(second)).isInstanceOfSatisfying(
        Outcome.Panicked.class, p -> assertThat(p.cause()).isInstanceOf(IllegalStateException.class));
    assertThat(ch.trySend(1L)).isTrue();
    assertThat(outcome(first)).isEqualTo(Outcome.ok(1L));
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> MpscChannel.bounded(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cancelRacingASendEitherReturnsTheMessageOrLeavesItQueued() throws Exception {
    MpscChannel<Long> ch = MpscChannel.bounded(2);
    Random random = new Random(17);
    for (long i = 0; i < 200; i++) {
      TaskHandle<Outcome<Long>> receiver = runtime.spawn("receiver", ch::recv);
      until("the receiver waits", ch::hasWaitingReceiver);
      if (random.nextBoolean()) {
        assertThat(ch.trySend(i)).isTrue();
        receiver.cancel(user("race"));
      } else {
        receiver.cancel(user("race"));
        assertThat(ch.trySend(i)).isTrue();
      }
      Outcome<Long> o = outcome(receiver);
      if (o instanceof Outcome.Cancelled) {
        assertThat(ch.tryRecv()).as("round %d: the message is still queued", i).isEqualTo(i);
      } else {
        assertThat(o).isEqualTo(Outcome.ok(i));
      }
      assertThat(ch.size()).isZero();
    }
  }
}
