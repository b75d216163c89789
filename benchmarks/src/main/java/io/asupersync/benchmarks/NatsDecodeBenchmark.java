package io.asupersync.benchmarks;

import io.asupersync.protocols.nats.NatsLimits;
import io.asupersync.protocols.nats.internal.NatsDecoder;
import io.asupersync.protocols.nats.internal.ServerOp;
import io.nats.client.impl.JnatsReaderHarness;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * NATS decode throughput (issue 6): our server-operation decoder ({@link NatsDecoder} over a
 * cumulating Netty buffer, as the client's pipeline runs it) against jnats 2.26's connection reader
 * ({@code NatsConnectionReader.run()} through {@link JnatsReaderHarness}) on the same bytes: {@value
 * #MESSAGES} {@code MSG} (or {@code HMSG} with a {@code Nats-Msg-Id} header) operations with a reply
 * subject, cut into the same 64 KiB chunks (jnats' default read buffer). Both sides build a message
 * object with subject, reply, headers and a copied payload per operation; ours hands it to a
 * {@link Blackhole}, jnats to a connection without subscribers (counted, then dropped). Time is
 * reported per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Bench.UNSAFE, Bench.HEAP_MIN, Bench.HEAP_MAX, Bench.PRETOUCH})
public class NatsDecodeBenchmark {

  static final int MESSAGES = 10_000;
  static final int CHUNK = 64 * 1024;

  @Param({"16", "1024"})
  public int payload;

  @Param({"false", "true"})
  public boolean headers;

  private byte[][] chunks;
  private ByteBuf cumulation;
  private JnatsReaderHarness jnats;

  @Setup(Level.Trial)
  public void prepare() throws Exception {
    byte[] wire = wire(payload, headers);
    int n = (wire.length + CHUNK - 1) / CHUNK;
    chunks = new byte[n][];
    for (int i = 0; i < n; i++) {
      chunks[i] = Arrays.copyOfRange(wire, i * CHUNK, Math.min(wire.length, (i + 1) * CHUNK));
    }
    cumulation = Unpooled.buffer(2 * CHUNK);
    jnats = new JnatsReaderHarness(chunks);
    long before = jnats.readAll();
    if (before != MESSAGES) {
      throw new IllegalStateException("jnats parsed " + before + " messages, expected " + MESSAGES);
    }
    Blackhole check = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    int ours = asupersync(check);
    if (ours != MESSAGES) {
      throw new IllegalStateException("our decoder produced " + ours + " messages, expected " + MESSAGES);
    }
  }

  static byte[] wire(int payload, boolean withHeaders) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] data = new byte[payload];
    Arrays.fill(data, (byte) 'd');
    for (int i = 0; i < MESSAGES; i++) {
      String subject = "orders.created." + (i % 100);
      String reply = "_INBOX.hmC1bXk3XjNvK5vQ7y1p2z." + i;
      if (withHeaders) {
        byte[] h = ("NATS/1.0\r\nNats-Msg-Id: order-" + i + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(("HMSG " + subject + " 1 " + reply + " " + h.length + " " + (h.length + payload) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(h);
      } else {
        out.writeBytes(("MSG " + subject + " 1 " + reply + " " + payload + "\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      out.writeBytes(data);
      out.writeBytes(new byte[] {'\r', '\n'});
    }
    return out.toByteArray();
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public int asupersync(Blackhole bh) throws Exception {
    NatsDecoder decoder = new NatsDecoder(NatsLimits.defaults());
    ByteBuf buf = cumulation;
    buf.clear();
    int count = 0;
    for (byte[] chunk : chunks) {
      buf.writeBytes(chunk);
      for (ServerOp op; (op = decoder.decode(buf)) != null; ) {
        bh.consume(op);
        count++;
      }
      buf.discardReadBytes();
    }
    return count;
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public long jnats() {
    return jnats.readAll();
  }
}
