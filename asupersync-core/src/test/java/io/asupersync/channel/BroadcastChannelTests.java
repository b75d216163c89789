package io.asupersync.channel;

import static io.asupersync.channel.ChannelAssertions.assertChannelClosed;
import static io.asupersync.testutil.Await.outcome;
import static io.asupersync.testutil.Await.until;
import static io.asupersync.testutil.Await.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.LeakResponse;
import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.testutil.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class BroadcastChannelTests {

  private final Runtime runtime = Await.runtime(LeakResponse.PANIC);

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  @Test
  void everySubscriberSeesEveryMessageInOrder() throws Exception {
    BroadcastChannel<Integer> ch = BroadcastChannel.bounded(8);
    BroadcastChannel.Subscriber<Integer> a = ch.subscribe();
    BroadcastChannel.Subscriber<Integer> b = ch.subscribe();
    for (int i = 1; i <= 5; i++) {
      ch.send(i);
    }
    assertThat(drain(a)).containsExactly(1, 2, 3, 4, 5);
    assertThat(drain(b)).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void subscriberSeesOnlyMessagesSentAfterItSubscribed() throws Exception {
    BroadcastChannel<Integer> ch = BroadcastChannel.bounded(8);
    ch.send(1);
    BroadcastChannel.Subscriber<Integer> late = ch.subscribe();
    ch.send(2);
    assertThat(drain(late)).containsExactly(2);
  }

  @Test
  void slowSubscriberGetsItsLagCountAndContinuesFromTheOldestHeldMessage() throws Exception {
    BroadcastChannel<Integer> ch = BroadcastChannel.bounded(4);
    BroadcastChannel.Subscriber<Integer> slow = ch.subscribe();
    BroadcastChannel.Subscriber<Integer> fast = ch.subscribe();
    for (int i = 1; i <= 10; i++) {
      ch.send(i);
      if (i <= 2) {
        assertThat(fast.tryRecv()).isEqualTo(i);
      }
    }
    assertThat(slow.pending()).isEqualTo(10);
    assertThatThrownBy(slow::tryRecv)
        .isInstanceOfSatisfying(LaggedException.class, e -> assertThat(e.missed()).isEqualTo(6));
    assertThat(drain(slow)).containsExactly(7, 8, 9, 10);
    assertThatThrownBy(fast::tryRecv)
        .isInstanceOfSatisfying(LaggedException.class, e -> assertThat(e.missed()).isEqualTo(4));
    assertThat(drain(fast)).containsExactly(7, 8, 9, 10);
  }

  @Test
  void blockingRecvReportsLagThenContinues() throws Exception {
    BroadcastChannel<Integer> ch = BroadcastChannel.bounded(2);
    BroadcastChannel.Subscriber<Integer> sub = ch.subscribe();
    for (int i = 1; i <= 5; i++) {
      ch.send(i);
    }
    Outcome<Integer> lagged = runtime.run(sub::recv);
    assertThat(lagged).isInstanceOfSatisfying(
        Outcome.Err.class,
        e -> assertThat(e.error()).isInstanceOfSatisfying(
            LaggedException.class, l -> assertThat(l.missed()).isEqualTo(3)));
    assertThat(runtime.run(sub::recv)).isEqualTo(Outcome.ok(4));
  }

  @Test
  void recvWaitsAndWakesOnSend() throws Exception {
    BroadcastChannel<Integer> ch = BroadcastChannel.bounded(4);
    BroadcastChannel.Subscriber<Integer> a = ch.subscribe();
    BroadcastChannel.Subscriber<Integer> b = ch.subscribe();
    TaskHandle<Outcome<Integer>> ra = runtime.spawn("a", a::recv);
    TaskHandle<Outcome<Integer>> rb = runtime.spawn("b", b::recv);
    until("both subscribers wait", () -> ch.waitingReceivers() == 2);
    ch.send(42);
    assertThat(outcome(ra)).isEqualTo(Outcome.ok(42));
    assertThat(outcome(rb)).isEqualTo(Outcome.ok(42));
  }

  @Test
  void cancelledRecvDoesNotMoveTheCursor() throws Exception {
    BroadcastChannel<Integer> ch = BroadcastChannel.bounded(4);
    BroadcastChannel.Subscriber<Integer> sub = ch.subscribe();
    TaskHandle<Outcome<Integer>> receiver = runtime.spawn("receiver", sub::recv);
    until("the subscriber waits", () -> ch.waitingReceivers() == 1);
    receiver.cancel(user("stop"));
    assertThat(outcome(receiver)).isInstanceOf(Outcome.Cancelled.class);
    assertThat(ch.waitingReceivers()).isZero();
    ch.send(1);
    assertThat(runtime.run(sub::recv)).isEqualTo(Outcome.ok(1));
  }

  @Test
  void subscribersDrainAfterCloseThenGetChannelClosed() throws Exception {
    BroadcastChannel<Integer> ch = BroadcastChannel.bounded(4);
    BroadcastChannel.Subscriber<Integer> sub = ch.subscribe();
    ch.send(1);
    ch.close();
    assertThatThrownBy(() -> ch.send(2)).isInstanceOf(ChannelClosedException.class);
    assertThat(runtime.run(sub::recv)).isEqualTo(Outcome.ok(1));
    assertChannelClosed(runtime.run(sub::recv));
  }

  @Test
  void closeWakesAWaitingSubscriber() throws Exception {
    BroadcastChannel<Integer> ch = BroadcastChannel.bounded(4);
    BroadcastChannel.Subscriber<Integer> sub = ch.subscribe();
    TaskHandle<Outcome<Integer>> receiver = runtime.spawn("receiver", sub::recv);
    until("the subscriber waits", () -> ch.waitingReceivers() == 1);
    ch.close();
    assertChannelClosed(outcome(receiver));
  }

  private static List<Integer> drain(BroadcastChannel.Subscriber<Integer> sub) throws Exception {
    List<Integer> out = new ArrayList<>();
    Integer v;
    while ((v = sub.tryRecv()) != null) {
      out.add(v);
    }
    return out;
  }

  @Test
  void cancelRacingASendEitherReturnsTheMessageOrLeavesTheCursor() throws Exception {
    BroadcastChannel<Integer> ch = BroadcastChannel.bounded(4);
    BroadcastChannel.Subscriber<Integer> sub = ch.subscribe();
    Random random = new Random(11);
    for (int i = 0; i < 200; i++) {
      TaskHandle<Outcome<Integer>> receiver = runtime.spawn("receiver", sub::recv);
      until("the subscriber waits", () -> ch.waitingReceivers() == 1);
      if (random.nextBoolean()) {
        ch.send(i);
        receiver.cancel(user("race"));
      } else {
        receiver.cancel(user("race"));
        ch.send(i);
      }
      Outcome<Integer> o = outcome(receiver);
      if (o instanceof Outcome.Cancelled) {
        assertThat(sub.tryRecv()).as("round %d: the message is still there", i).isEqualTo(i);
      } else {
        assertThat(o).isEqualTo(Outcome.ok(i));
      }
      assertThat(sub.pending()).isZero();
    }
  }
}
