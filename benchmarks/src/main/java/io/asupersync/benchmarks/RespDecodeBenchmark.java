package io.asupersync.benchmarks;

import io.asupersync.protocols.redis.RedisLimits;
import io.asupersync.protocols.redis.RespDecoder;
import io.asupersync.protocols.redis.RespProtocolException;
import io.asupersync.protocols.redis.RespValue;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.protocol.RedisStateMachine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 6: RESP reply decoding, ours ({@link RespDecoder} into the {@link RespValue} tree) against
 * Lettuce 7.7's {@link RedisStateMachine} (into an {@link ArrayOutput} with {@link ByteArrayCodec}: the
 * generic nested-list output that {@code dispatch} uses), on the same reply bytes. Time per whole
 * payload; throughput ratio = Lettuce time / our time.
 *
 * <ul>
 *   <li>{@code mget100}: one RESP2 array of 100 bulk strings of 32 bytes (an MGET).
 *   <li>{@code hgetall50Resp3}: one RESP3 map of 50 field/value bulk pairs (HGETALL under HELLO 3).
 *   <li>{@code pipeline100Integers}: 100 top-level integer replies back to back (a pipeline of INCRs).
 *   <li>{@code xreadgroup10}: a RESP2 XREADGROUP reply with 10 entries of 4 fields each (nesting 5).
 * </ul>
 *
 * Both decoders are reused across invocations (each resets between replies); each invocation wraps the
 * payload in a fresh heap buffer. Ours also enforces its limits (defaults) on every header.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class RespDecodeBenchmark {

  @Param({"mget100", "hgetall50Resp3", "pipeline100Integers", "xreadgroup10"})
  public String payload;

  private byte[] bytes;
  private int replies;
  private RespDecoder ours;
  private RedisStateMachine lettuce;

  @Setup(Level.Trial)
  public void prepare() {
    StringBuilder sb = new StringBuilder();
    switch (payload) {
      case "mget100" -> {
        sb.append("*100\r\n");
        for (int i = 0; i < 100; i++) {
          bulk(sb, String.format("value-%026d", i));
        }
        replies = 1;
      }
      case "hgetall50Resp3" -> {
        sb.append("%50\r\n");
        for (int i = 0; i < 50; i++) {
          bulk(sb, "field-" + i);
          bulk(sb, String.format("value-%026d", i));
        }
        replies = 1;
      }
      case "pipeline100Integers" -> {
        for (int i = 0; i < 100; i++) {
          sb.append(':').append(1000 + i).append("\r\n");
        }
        replies = 100;
      }
      case "xreadgroup10" -> {
        sb.append("*1\r\n*2\r\n");
        bulk(sb, "orders");
        sb.append("*10\r\n");
        for (int i = 0; i < 10; i++) {
          sb.append("*2\r\n");
          bulk(sb, "1700000000000-" + i);
          sb.append("*8\r\n");
          for (int f = 0; f < 4; f++) {
            bulk(sb, "field" + f);
            bulk(sb, "value-" + i + "-" + f);
          }
        }
        replies = 1;
      }
      default -> throw new IllegalArgumentException(payload);
    }
    bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
    ours = new RespDecoder(RedisLimits.defaults());
    lettuce = new RedisStateMachine(ByteBufAllocator.DEFAULT);
    lettuce.setProtocolVersion(ProtocolVersion.RESP3);
    // Both must read the payload completely, into the same number of replies.
    if (decodeOurs() != replies || decodeLettuce() != replies) {
      throw new IllegalStateException("a decoder did not read " + payload + " as " + replies + " replies");
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    lettuce.close();
  }

  private static void bulk(StringBuilder sb, String s) {
    sb.append('$').append(s.length()).append("\r\n").append(s).append("\r\n");
  }

  @Benchmark
  public int asupersync() {
    return decodeOurs();
  }

  @Benchmark
  public int lettuce() {
    return decodeLettuce();
  }

  private int decodeOurs() {
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    int n = 0;
    try {
      while (ours.decode(in) != null) {
        n++;
      }
    } catch (RespProtocolException e) {
      throw new IllegalStateException(e);
    }
    return in.isReadable() ? -1 : n;
  }

  private int decodeLettuce() {
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    int n = 0;
    while (in.isReadable()) {
      ArrayOutput<byte[], byte[]> output = new ArrayOutput<>(ByteArrayCodec.INSTANCE);
      if (!lettuce.decode(in, output)) {
        return -1;
      }
      List<Object> value = output.get();
      n += value == null ? 0 : 1;
    }
    return n;
  }
}
