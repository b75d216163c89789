package io.asupersync.benchmarks;

import io.asupersync.Runtime;
import io.asupersync.channel.MpscChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P4: a bounded channel message, {@code ch.reserve(cx).send(v)} + {@code ch.recv(cx)}, against
 * {@link ArrayBlockingQueue} {@code put} + {@code take}; both capacity {@value #CAPACITY}, the same
 * preallocated message object, {@value #MESSAGES} messages per invocation, time reported per message
 * (throughput ratio = peer time / our time).
 *
 * <ul>
 *   <li>{@code *SameThread}: one virtual thread (ours: the root task) sends then receives each
 *       message: the uncontended cost of one message through each structure, no hand-off.
 *   <li>{@code *Spsc}: a producer on its own virtual thread (ours: a task spawned in the consumer's
 *       scope) puts all messages while the consumer (the outer virtual thread / root task) takes
 *       them: hand-off throughput, including parking and waking when the queue runs empty or full.
 * </ul>
 *
 * {@code traceObligations} switches the two obligation trace events that every channel permit
 * records (reserved, committed); it does not change the queue benchmarks, which therefore run twice
 * (a free check of run-to-run noise).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class P4ChannelBenchmark {

  static final int CAPACITY = 1024;
  static final int MESSAGES = 100_000;
  private static final Integer MESSAGE = 1;

  @Param({"true", "false"})
  public boolean traceObligations;

  private Runtime runtime;
  private MpscChannel<Integer> channel;
  private ArrayBlockingQueue<Integer> queue;

  @Setup(Level.Trial)
  public void start() {
    runtime = Runtime.builder().traceObligations(traceObligations).build();
    channel = MpscChannel.bounded(CAPACITY);
    queue = new ArrayBlockingQueue<>(CAPACITY);
  }

  @TearDown(Level.Trial)
  public void stop() {
    runtime.close();
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public int channelSameThread() {
    MpscChannel<Integer> ch = channel;
    return Bench.ok(
        runtime.run(
            cx -> {
              int sum = 0;
              for (int i = 0; i < MESSAGES; i++) {
                ch.reserve(cx).send(MESSAGE);
                sum += ch.recv(cx);
              }
              return sum;
            }));
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public int queueSameThread() {
    ArrayBlockingQueue<Integer> q = queue;
    return Bench.inVirtualThread(
        () -> {
          int sum = 0;
          for (int i = 0; i < MESSAGES; i++) {
            q.put(MESSAGE);
            sum += q.take();
          }
          return sum;
        });
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public int channelSpsc() {
    MpscChannel<Integer> ch = channel;
    return Bench.ok(
        runtime.run(
            cx ->
                Bench.ok(
                    cx.scope(
                        s -> {
                          s.spawn(
                              producer -> {
                                for (int i = 0; i < MESSAGES; i++) {
                                  ch.reserve(producer).send(MESSAGE);
                                }
                                return 0;
                              });
                          int sum = 0;
                          for (int i = 0; i < MESSAGES; i++) {
                            sum += ch.recv(s);
                          }
                          return sum;
                        }))));
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public int queueSpsc() {
    ArrayBlockingQueue<Integer> q = queue;
    return Bench.inVirtualThread(
        () -> {
          Thread producer =
              Thread.ofVirtual()
                  .start(
                      () -> {
                        try {
                          for (int i = 0; i < MESSAGES; i++) {
                            q.put(MESSAGE);
                          }
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      });
          int sum = 0;
          for (int i = 0; i < MESSAGES; i++) {
            sum += q.take();
          }
          producer.join();
          return sum;
        });
  }
}
