package io.asupersync.protocols;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopCarrierTests {

  private final Runtime runtime = Runtime.builder().threadFactory(EventLoopCarrier.threadFactory()).build();
  private final EventLoop loop = new DefaultEventLoop();

  @AfterEach
  void stop() throws InterruptedException {
    runtime.close();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }

  /**
   * The carrier of the calling virtual thread, from its description ({@code VirtualThread[#n,name]/
   * runnable@carrier}, which names the carrier only while mounted).
   */
  static String currentCarrier() {
    assertThat(Thread.currentThread().isVirtual()).isTrue();
    String s = Thread.currentThread().toString();
    return s.substring(s.lastIndexOf('@') + 1);
  }

  /** The task's outcome once it finished (polled: a handle is joined from tasks only). */
  static <T> Outcome<T> finished(TaskHandle<T> task) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!task.isDone()) {
      assertThat(System.nanoTime()).as("task finished in time").isLessThan(deadline);
      Thread.sleep(5);
    }
    return task.outcome().orElseThrow();
  }

  private String loopThreadName() throws Exception {
    return loop.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
  }

  @Test
  void availableOnThisJdkWithJavaLangOpened() {
    assertThat(EventLoopCarrier.isAvailable()).isTrue();
  }

  @Test
  void aTaskStartedOnAnEventLoopIsCarriedByThatLoop() throws Exception {
    AtomicReference<String> ran = new AtomicReference<>();
    TaskHandle<Outcome<Object>> task =
        loop.submit(() -> runtime.spawn("on loop", cx -> {
          ran.set(Thread.currentThread().getName() + " on " + currentCarrier());
          return null;
        })).get(5, TimeUnit.SECONDS);
    assertThat(finished(task)).isInstanceOf(Outcome.Ok.class);
    assertThat(ran.get()).isEqualTo("asupersync@" + loopThreadName() + " on " + loopThreadName());
  }

  @Test
  void childTasksAndTasksStartedElsewhereRunOnTheSharedScheduler() throws Exception {
    AtomicReference<String> child = new AtomicReference<>();
    AtomicReference<String> parent = new AtomicReference<>();
    TaskHandle<Outcome<Object>> task =
        loop.submit(() -> runtime.spawn("parent", cx -> {
          parent.set(currentCarrier());
          cx.spawn(c -> {
            child.set(Thread.currentThread().getName() + " on " + currentCarrier());
            return null;
          }).join(cx);
          return null;
        })).get(5, TimeUnit.SECONDS);
    assertThat(finished(task)).isInstanceOf(Outcome.Ok.class);
    assertThat(parent.get()).isEqualTo(loopThreadName());
    assertThat(child.get()).startsWith("asupersync on ForkJoinPool");

    AtomicReference<String> fromTest = new AtomicReference<>();
    runtime.run(cx -> {
      fromTest.set(currentCarrier());
      return null;
    });
    assertThat(fromTest.get()).startsWith("ForkJoinPool");
  }

  @Test
  void aTaskParkedWhenItsLoopStopsFinishesOffTheLoop() throws Exception {
    CountDownLatch parked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<String> resumedOn = new AtomicReference<>();
    TaskHandle<Outcome<Object>> task =
        loop.submit(() -> runtime.spawn("outlives its loop", cx -> {
          parked.countDown();
          release.await();
          resumedOn.set(currentCarrier());
          return null;
        })).get(5, TimeUnit.SECONDS);
    assertThat(parked.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    assertThat(finished(task)).isInstanceOf(Outcome.Ok.class);
    assertThat(resumedOn.get()).startsWith("ForkJoinPool");
  }

  @Test
  void withoutJavaLangOpenedTasksStayOnTheSharedScheduler() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), EventLoopCarrierProbe.class.getName())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe JVM ended").isTrue();
    String out = output(p);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("available=false").contains("carrier=ForkJoinPool").contains("event-loop carriers need JDK 24+");
  }

  private static String output(Process p) throws IOException {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
