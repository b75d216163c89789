package io.asupersync.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * JMH profiler ({@code -prof io.asupersync.benchmarks.CpuTimeProfiler}): the CPU time the whole
 * benchmark JVM spent per operation ({@code cpu.norm}, every thread: carriers, the JMH thread, GC and
 * JIT) and the host's one-minute load average at the end of each iteration ({@code loadavg}). On a
 * shared machine wall-clock scores swing with other processes' load; CPU time per operation swings
 * much less, so it is the number to compare when {@code loadavg} is well above the core count. Not
 * reported for single-shot benchmarks, whose iteration window includes the iteration's setup.
 */
public final class CpuTimeProfiler implements InternalProfiler {

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long startCpu;

  @Override
  public String getDescription() {
    return "process CPU time per operation, and the host load average";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    startCpu = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - startCpu;
    List<Result> out = new ArrayList<>();
    long ops = result.getMetadata().getAllOps();
    // A single-shot iteration's window includes its Level.Iteration setup: not a per-op cost.
    boolean singleShot = benchmarkParams.getMode() == Mode.SingleShotTime;
    if (ops > 0 && cpu >= 0 && !singleShot) {
      out.add(new ScalarResult("cpu.norm", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
    }
    double load = loadAverage();
    if (load >= 0) {
      out.add(new ScalarResult("loadavg", load, "load", AggregationPolicy.AVG));
    }
    return out;
  }

  private static double loadAverage() {
    try {
      String line = Files.readString(Path.of("/proc/loadavg"));
      return Double.parseDouble(line.substring(0, line.indexOf(' ')));
    } catch (Exception e) {
      return -1;
    }
  }
}
