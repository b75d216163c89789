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
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class WatchChannelTests {

  private final Runtime runtime = Await.runtime(LeakResponse.PANIC);

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  @Test
  void borrowReturnsTheLatestValueAndSendBumpsTheVersion() throws Exception {
    WatchChannel<String> config = WatchChannel.of("v0");
    assertThat(config.borrow()).isEqualTo("v0");
    assertThat(config.version()).isZero();
    assertThat(config.send("v1")).isEqualTo(1);
    assertThat(config.send("v2")).isEqualTo(2);
    assertThat(config.borrow()).isEqualTo("v2");
  }

  @Test
  void changedWakesOnSend() throws Exception {
    WatchChannel<String> config = WatchChannel.of("v0");
    WatchChannel.Receiver<String> rx = config.subscribe();
    assertThat(rx.hasChanged()).isFalse();
    TaskHandle<Outcome<String>> waiter = runtime.spawn("waiter", rx::changed);
    until("the receiver waits", () -> config.waitingReceivers() == 1);
    assertThat(waiter.isDone()).isFalse();

    config.send("v1");

    assertThat(outcome(waiter)).isEqualTo(Outcome.ok("v1"));
    assertThat(rx.seenVersion()).isEqualTo(1);
    assertThat(rx.hasChanged()).isFalse();
  }

  @Test
  void changedReturnsAtOnceWithTheLatestOfSeveralUnseenVersions() throws Exception {
    WatchChannel<String> config = WatchChannel.of("v0");
    WatchChannel.Receiver<String> rx = config.subscribe();
    config.send("v1");
    config.send("v2");
    assertThat(rx.hasChanged()).isTrue();
    assertThat(rx.borrow()).isEqualTo("v2");
    assertThat(rx.hasChanged()).as("borrow marks nothing seen").isTrue();
    assertThat(runtime.run(rx::changed)).isEqualTo(Outcome.ok("v2"));
    assertThat(rx.hasChanged()).isFalse();
  }

  @Test
  void cancelledChangedMarksNothingSeen() throws Exception {
    WatchChannel<String> config = WatchChannel.of("v0");
    WatchChannel.Receiver<String> rx = config.subscribe();
    TaskHandle<Outcome<String>> waiter = runtime.spawn("waiter", rx::changed);
    until("the receiver waits", () -> config.waitingReceivers() == 1);
    waiter.cancel(user("stop"));
    assertThat(outcome(waiter)).isInstanceOf(Outcome.Cancelled.class);
    assertThat(config.waitingReceivers()).isZero();
    config.send("v1");
    assertThat(rx.hasChanged()).isTrue();
    assertThat(runtime.run(rx::changed)).isEqualTo(Outcome.ok("v1"));
  }

  @Test
  void borrowAndUpdateMarksTheVersionSeen() {
    WatchChannel<String> config = WatchChannel.of("v0");
    WatchChannel.Receiver<String> rx = config.subscribe();
    assertThat(rx.hasChanged()).isFalse();
    assertThat(rx.borrowAndUpdate()).isEqualTo("v0");
    assertThat(rx.seenVersion()).isZero();
  }

  @Test
  void closeDeliversTheLastUnseenVersionThenThrowsChannelClosed() throws Exception {
    WatchChannel<String> config = WatchChannel.of("v0");
    WatchChannel.Receiver<String> rx = config.subscribe();
    config.send("last");
    config.close();
    assertThatThrownBy(() -> config.send("x")).isInstanceOf(ChannelClosedException.class);
    assertThat(config.borrow()).isEqualTo("last");
    assertThat(runtime.run(rx::changed)).isEqualTo(Outcome.ok("last"));
    assertChannelClosed(runtime.run(rx::changed));
  }

  @Test
  void closeWakesAWaitingReceiver() throws Exception {
    WatchChannel<String> config = WatchChannel.of("v0");
    WatchChannel.Receiver<String> rx = config.subscribe();
    TaskHandle<Outcome<String>> waiter = runtime.spawn("waiter", rx::changed);
    until("the receiver waits", () -> config.waitingReceivers() == 1);
    config.close();
    assertChannelClosed(outcome(waiter));
  }

  @Test
  void cancelRacingASendEitherReturnsTheValueOrMarksNothingSeen() throws Exception {
    WatchChannel<Integer> ch = WatchChannel.of(-1);
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      WatchChannel.Receiver<Integer> rx = ch.subscribe();
      TaskHandle<Outcome<Integer>> waiter = runtime.spawn("waiter", rx::changed);
      until("the receiver waits", () -> ch.waitingReceivers() == 1);
      if (random.nextBoolean()) {
        ch.send(i);
        waiter.cancel(user("race"));
      } else {
        waiter.cancel(user("race"));
        ch.send(i);
      }
      Outcome<Integer> o = outcome(waiter);
      if (o instanceof Outcome.Cancelled) {
        assertThat(rx.hasChanged()).as("round %d: a cancelled wait marks nothing seen", i).isTrue();
      } else {
        assertThat(o).isEqualTo(Outcome.ok(i));
        assertThat(rx.hasChanged()).isFalse();
      }
    }
  }
}
