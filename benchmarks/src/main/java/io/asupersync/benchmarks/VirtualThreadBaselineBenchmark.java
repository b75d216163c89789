package io.asupersync.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor for spawning a task: starting and joining a bare virtual thread, with no region, budget or
 * trace. A runtime spawn-and-join benchmark is read against this number.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class VirtualThreadBaselineBenchmark {

  @Benchmark
  public Thread startAndJoinVirtualThread() throws InterruptedException {
    Thread thread = Thread.ofVirtual().start(() -> {});
    thread.join();
    return thread;
  }
}
